package dev.ferry.functions.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The console's files as API Gateway HTTP API (payload 2.0) answers, from the packaged fixture (test resources). */
class ConsoleFunctionTest {
    private final ConsoleFunction function = new ConsoleFunction(
            ConsoleFiles.onClasspath(getClass().getClassLoader(), "console-fixture"));

    /** The sample event (events/console-get-index.json) for {@code method path}, with or without gzip accepted. */
    private static byte[] event(String method, String path, boolean gzip) {
        ObjectNode e = (ObjectNode) Json.tree(sample());
        e.put("rawPath", path);
        ((ObjectNode) e.at("/requestContext/http")).put("method", method).put("path", path);
        if (!gzip) ((ObjectNode) e.get("headers")).remove("accept-encoding");
        return Json.writeBytes(e);
    }

    private static byte[] sample() {
        try {
            return Files.readAllBytes(Path.of("..", "events", "console-get-index.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode invoke(ConsoleFunction f, byte[] event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        f.handleRequest(new ByteArrayInputStream(event), out, null);
        return Json.tree(out.toString(StandardCharsets.UTF_8));
    }

    private JsonNode get(String path, boolean gzip) {
        return invoke(function, event("GET", path, gzip));
    }

    private static byte[] bytes(JsonNode answer) {
        return answer.path("isBase64Encoded").asBoolean() ? Base64.getDecoder().decode(answer.path("body").asText())
                : answer.path("body").asText().getBytes(StandardCharsets.UTF_8);
    }

    private static String gunzip(byte[] gz) {
        try (var in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theSampleEventIsAPageOfTheAppAnsweredWithIndexHtmlGzippedAndBase64Encoded() {
        JsonNode a = invoke(function, sample());
        assertThat(a.path("statusCode").asInt()).isEqualTo(200);
        assertThat(a.path("isBase64Encoded").asBoolean()).isTrue();
        assertThat(a.at("/headers/Content-Type").asText()).isEqualTo("text/html; charset=utf-8");
        assertThat(a.at("/headers/Content-Encoding").asText()).isEqualTo("gzip");
        assertThat(a.at("/headers/Content-Security-Policy").asText()).startsWith("default-src 'none'; script-src 'self'");
        assertThat(gunzip(bytes(a))).contains("<title>Ferry console</title>");
    }

    @Test
    void textWithoutGzipIsAnsweredAsTextEveryPathOfTheAppWithIndexHtml() {
        for (String path : new String[] {"/console/", "/console/executions/exe_1", "/console/instances/ins_1/logs"}) {
            JsonNode a = get(path, false);
            assertThat(a.path("statusCode").asInt()).as(path).isEqualTo(200);
            assertThat(a.path("isBase64Encoded").asBoolean()).as(path).isFalse();
            assertThat(a.path("body").asText()).as(path).contains("<title>Ferry console</title>");
            assertThat(a.at("/headers/Cache-Control").asText()).as(path).isEqualTo("no-cache");
        }
        JsonNode js = get("/console/assets/index-abc123.js", false);
        assertThat(js.path("isBase64Encoded").asBoolean()).isFalse();
        assertThat(js.path("body").asText()).isEqualTo("console.log(\"fixture\");\n");
        assertThat(js.at("/headers/Content-Type").asText()).isEqualTo("text/javascript; charset=utf-8");
        assertThat(js.at("/headers/Cache-Control").asText()).isEqualTo("public, max-age=31536000, immutable");
        assertThat(get("/console/assets/index-def456.css", false).at("/headers/Content-Type").asText())
                .isEqualTo("text/css; charset=utf-8");
    }

    @Test
    void aBinaryAssetIsBase64EncodedByteForByte() throws IOException {
        JsonNode png = get("/console/assets/logo-789abc.png", true);
        assertThat(png.path("statusCode").asInt()).isEqualTo(200);
        assertThat(png.path("isBase64Encoded").asBoolean()).isTrue();
        assertThat(png.at("/headers/Content-Type").asText()).isEqualTo("image/png");
        assertThat(png.at("/headers").has("Content-Encoding")).isFalse();
        try (var in = getClass().getClassLoader().getResourceAsStream("console-fixture/assets/logo-789abc.png")) {
            assertThat(bytes(png)).isEqualTo(in.readAllBytes());
        }
    }

    @Test
    void aMissingAssetIs404AndATraversalNeverLeavesTheConsole() {
        JsonNode missing = get("/console/assets/missing-000.js", true);
        assertThat(missing.path("statusCode").asInt()).isEqualTo(404);
        assertThat(missing.path("body").asText()).isEqualTo("Not Found");
        assertThat(missing.at("/headers/Content-Security-Policy").isTextual()).isTrue();
        for (String path : new String[] {"/console/..%2fconsole-secret.txt", "/console/%2e%2e/console-secret.txt",
                "/console/assets/..%2f..%2f..%2fconsole-secret.txt", "/console/..\\console-secret.txt"}) {
            JsonNode a = get(path, false);
            assertThat(a.path("statusCode").asInt()).as(path).isEqualTo(404);
            assertThat(a.path("body").asText()).as(path).doesNotContain("outside the console");
        }
    }

    @Test
    void theBarePathRedirectsOtherMethodsAre405AndHeadHasNoBody() {
        JsonNode bare = get("/console", false);
        assertThat(bare.path("statusCode").asInt()).isEqualTo(308);
        assertThat(bare.at("/headers/Location").asText()).isEqualTo("/console/");
        JsonNode post = invoke(function, event("POST", "/console/", false));
        assertThat(post.path("statusCode").asInt()).isEqualTo(405);
        assertThat(post.at("/headers/Allow").asText()).isEqualTo("GET, HEAD");
        JsonNode head = invoke(function, event("HEAD", "/console/assets/logo-789abc.png", false));
        assertThat(head.path("statusCode").asInt()).isEqualTo(200);
        assertThat(head.path("body").asText()).isEmpty();
    }

    @Test
    void aDirectInvocationIsAJsonErrorSayingWhatTheFunctionTakes() {
        JsonNode a = invoke(function, "{\"path\": \"/console/\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(a.at("/error/code").asText()).isEqualTo("invalid_input");
        assertThat(a.toString()).contains("HTTP API events only");
    }

    @Test
    void aFileTooLargeForALambdaAnswerIs500NamingIt() {
        byte[] big = new byte[ConsoleFunction.MAX_ANSWER_BYTES / 4 * 3];
        new Random(1).nextBytes(big);
        ConsoleFunction f = new ConsoleFunction(new ConsoleFiles(relative -> relative.equals("assets/big.png") ? big : null));
        JsonNode a = invoke(f, event("GET", "/console/assets/big.png", true));
        assertThat(a.path("statusCode").asInt()).isEqualTo(500);
        assertThat(a.path("body").asText()).contains("/console/assets/big.png", big.length + " bytes", "6291456");
        byte[] fits = new byte[ConsoleFunction.MAX_ANSWER_BYTES / 2];
        ConsoleFunction g = new ConsoleFunction(new ConsoleFiles(relative -> relative.equals("assets/ok.png") ? fits : null));
        assertThat(invoke(g, event("GET", "/console/assets/ok.png", true)).path("statusCode").asInt()).isEqualTo(200);
    }

    @Test
    void primingAnswersIndexHtmlAndTheScriptsAndStylesheetsItNames() {
        assertThat(function.prime()).containsExactly(200, 200, 200);
        assertThat(new ConsoleFunction(new ConsoleFiles(relative -> null)).prime()).containsExactly(503);
    }
}

package dev.ferry.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Customer API keys end to end on the local stack: a customer key created over HTTP (stored in the
 * emulator's ConfigTable), then used by the CLI through {@code FERRY_API_KEY} — it lists only its
 * customer's instances, another customer's are not found, the bulk replay route (ReplayFunction)
 * accepts it, and once revoked it is refused: at once by the function that revoked it, within
 * the API key cache time (FERRY_API_KEY_CACHE_SECONDS, 5 s) by another function that had trusted it.
 */
class ApiKeysLocalStackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static LocalStack stack;
    private static Path stateDir;

    @BeforeAll
    static void startStack() throws IOException {
        TestEmulator.reset();
        stateDir = Files.createTempDirectory("ferry-api-keys-it");
        stack = LocalStack.builder()
                .template(TestEmulator.template())
                .awsEndpoint(TestEmulator.endpoint())
                .httpPort(0)
                .lambdaPort(0)
                .demo(true)
                .stateDir(stateDir)
                .out(new PrintStream(new ByteArrayOutputStream()))
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        if (stack != null) stack.close();
    }

    @Test
    void customerKeyUsedByTheCliSeesOnlyItsCustomersInstancesUntilRevoked() throws Exception {
        Demo demo = stack.demo().orElseThrow();
        String other = call(stack.adminApiKey(), "POST", "/customers", "{\"name\":\"Other GmbH\"}", 201).path("id").asText();
        String otherInstance = call(stack.adminApiKey(), "POST", "/instances", "{\"name\":\"Other orders\",\"customerId\":\""
                + other + "\",\"integrationId\":\"" + demo.integrationId() + "\",\"configVariables\":{\"apiKey\":\"other-secret\"}}", 201).path("id").asText();
        JsonNode created = call(stack.adminApiKey(), "POST", "/api-keys", "{\"name\":\"Demo customer portal\",\"customerId\":\""
                + demo.customerId() + "\"}", 201);
        String key = created.path("key").asText();
        assertThat(key).startsWith("fry_");

        Cli mine = cli(key, "instances:list", "--output", "json");
        assertThat(mine.status()).as(mine.err()).isZero();
        JsonNode items = JSON.readTree(mine.out()).path("items");
        assertThat(items).isNotEmpty().allSatisfy(i -> assertThat(i.path("customerId").asText()).isEqualTo(demo.customerId()));
        assertThat(mine.out()).contains(demo.instanceId()).doesNotContain(otherInstance);

        Cli theirs = cli(key, "instances:list", "--customer", other);
        assertThat(theirs.status()).isNotZero();
        assertThat(theirs.err()).contains("not found");
        Cli admin = cli(null, "instances:list", "--output", "json");
        assertThat(admin.out()).contains(demo.instanceId()).contains(otherInstance);

        assertThat(call(key, "POST", "/replays", "{\"filter\":{\"status\":\"FAILED\"},\"dryRun\":true}", 200)
                .path("matched").asLong()).isZero();
        assertThat(call(key, "POST", "/customers", "{\"name\":\"Sneaky\"}", 403).path("error").path("code").asText())
                .isEqualTo("forbidden");

        Cli keys = cli(key, "api-keys:list", "--output", "json");
        assertThat(keys.out()).contains(created.path("id").asText()).doesNotContain(key);
        Cli revoke = cli(null, "api-keys:delete", created.path("id").asText());
        assertThat(revoke.status()).as(revoke.err()).isZero();

        Instant revoked = Instant.now();

        // ManagementApiFunction revoked it: refused there at once.
        Cli refused = cli(key, "instances:list");
        assertThat(refused.status()).isNotZero();
        assertThat(refused.err()).contains("invalid API key");
        // ReplayFunction (another container) trusted it a moment ago: refused within its cache time.
        Duration bound = Duration.ofSeconds(5);
        int status;
        do {
            status = send(key, "POST", "/replays", "{\"filter\":{\"status\":\"FAILED\"},\"dryRun\":true}").statusCode();
        } while (status != 401 && Duration.between(revoked, Instant.now()).compareTo(bound.plusSeconds(5)) < 0
                && pause());
        assertThat(status).isEqualTo(401);
        assertThat(Duration.between(revoked, Instant.now())).isLessThan(bound.plusSeconds(2));
    }

    /** The poll interval; the loop's deadline, not this, decides the outcome. */
    private static boolean pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }

    private static HttpResponse<String> send(String apiKey, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(stack.apiUrl().resolve(path)).timeout(Duration.ofSeconds(30))
                .header("authorization", "Bearer " + apiKey).header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode call(String apiKey, String method, String path, String body, int expected) throws Exception {
        HttpResponse<String> r = send(apiKey, method, path, body);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(expected);
        return JSON.readTree(r.body());
    }

    private record Cli(int status, String out, String err) {}

    /** The CLI as a user runs it: the local stack's URL from its state file, the key from FERRY_API_KEY (null: the admin key). */
    private static Cli cli(String apiKey, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>();
        env.put("FERRY_STATE_DIR", stateDir.toString());
        if (apiKey != null) env.put("FERRY_API_KEY", apiKey);
        int status = dev.ferry.cli.FerryCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new Cli(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}

package dev.ferry.local;

import static dev.ferry.local.StackFixture.JSON;
import static dev.ferry.local.StackFixture.awsCliAvailable;
import static dev.ferry.local.StackFixture.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.local.StackFixture.Cli;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local stack end to end, as a user drives it: the demo's webhook through the HTTP API, the
 * SQS poller into the flow execution function, the management API, and {@code aws lambda invoke}
 * against the Lambda Invoke API.
 */
class LocalStackIT {
    /** Every body it answers and every CLI output are kept: none may contain the demo's secret. */
    private static StackFixture local;
    private static Demo demo;

    @BeforeAll
    static void startStackWithDemo() throws IOException {
        local = StackFixture.start("local-it", b -> b.demo(true));
        demo = local.stack.demo().orElseThrow();
    }

    @AfterAll
    static void stopAndCheckSecretNeverShown() throws IOException {
        try {
            if (demo != null && demo.secretConfigValue() != null) {
                assertThat(local.answers).isNotEmpty().noneMatch(a -> a.contains(demo.secretConfigValue()));
            }
        } finally {
            if (local != null) local.close();
        }
        assertThat(local.stateDir.resolve("local.json")).as("local.json is deleted on close").doesNotExist();
    }

    // ------------------------------------------------------------------ health and routing

    @Test
    void healthAnswers200WithEveryFunctionOnceReady() throws Exception {
        HttpResponse<String> r = local.get("/health");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("status").asText()).isEqualTo("ok");
        assertThat(body.path("functions").has("WebhookFunction")).isTrue();
        assertThat(body.path("functions").has("ManagementApiFunction")).isTrue();
        assertThat(body.path("functions").has("FlowExecutionFunction")).isTrue();
    }

    @Test
    void unknownRouteIs404WithAnErrorBody() throws Exception {
        HttpResponse<String> r = local.send(HttpRequest.newBuilder(local.stack.apiUrl().resolve("/nope/nothing")).GET());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(r.body()).path("error").path("code").asText()).isEqualTo("not_found");
    }

    /**
     * The console is a template route like any other: ConsoleFunction answers it through the HTTP API
     * from the functions' package, as on AWS (its files and headers: ConsoleFilesTest; the console
     * itself: the Playwright suite).
     */
    @Test
    void theConsoleIsServedThroughItsTemplateRouteByConsoleFunction() throws Exception {
        JsonNode before = JSON.readTree(local.get("/health").body());
        assertThat(before.path("routes").toString()).contains("ANY /console", "ANY /console/{proxy+}");
        long invocations = before.at("/functions/ConsoleFunction/invocations").asLong();
        assertThat(local.stack.consoleUrl()).contains(local.stack.apiUrl().resolve("/console/"));

        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        HttpResponse<String> bare = http.send(HttpRequest.newBuilder(local.stack.apiUrl().resolve("/console")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bare.statusCode()).isEqualTo(308);
        assertThat(bare.headers().firstValue("location")).contains("/console/");

        HttpResponse<byte[]> page = http.send(HttpRequest.newBuilder(local.stack.apiUrl().resolve("/console/instances/ins_1"))
                .header("accept-encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(page.headers().firstValue("content-security-policy")).hasValueSatisfying(csp ->
                assertThat(csp).startsWith("default-src 'none'; script-src 'self'"));
        if (local.stack.consoleBuilt()) {
            // Gzipped and base64-encoded by the function, decoded by the HTTP API as API Gateway does.
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("content-encoding")).contains("gzip");
            try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(page.body()))) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("<div id=\"root\">");
            }
        } else {
            assertThat(page.statusCode()).isEqualTo(503);
            assertThat(new String(page.body(), StandardCharsets.UTF_8)).contains("npm ci && npm run build");
        }
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(local.stack.apiUrl().resolve("/console/assets/none-0.js"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(local.stack.apiUrl().resolve("/console/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).contains("GET, HEAD");

        JsonNode after = JSON.readTree(local.get("/health").body());
        assertThat(after.at("/functions/ConsoleFunction/invocations").asLong()).isEqualTo(invocations + 4);
        assertThat(after.at("/functions/ConsoleFunction/handler").asText())
                .isEqualTo("dev.ferry.functions.console.ConsoleFunction::handleRequest");
    }

    @Test
    void stateFileHasTheUrlsAndKeyReadableByTheOwnerOnly() throws Exception {
        Path file = local.stack.stateFile().orElseThrow();
        JsonNode state = JSON.readTree(file.toFile());
        assertThat(state.path("apiUrl").asText()).isEqualTo(local.stack.apiUrl().toString());
        assertThat(state.path("lambdaUrl").asText()).isEqualTo(local.stack.lambdaUrl().toString());
        assertThat(state.path("adminApiKey").asText()).isEqualTo(local.stack.adminApiKey());
        assertThat(state.path("awsEndpoint").asText()).startsWith("http://127.0.0.1:");
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(Files.getPosixFilePermissions(file))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
    }

    // ------------------------------------------------------------------ the demo, end to end

    @Test
    void demoWebhookRunsToSucceededWithTheRequestStepOutputsAndLogs() throws Exception {
        byte[] body = Demo.SAMPLE_BODY.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> accepted = local.send(HttpRequest.newBuilder(URI.create(demo.webhookUrl() + "?source=it&tag=a&tag=b"))
                .header("content-type", "application/json")
                .header("x-request-id", "it-order-42")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = JSON.readTree(accepted.body()).path("executionId").asText();
        assertThat(id).isNotBlank();

        JsonNode execution = local.awaitEnd(id);
        assertThat(execution.path("status").asText()).as(execution.toString()).isEqualTo("SUCCEEDED");
        assertThat(execution.path("trigger").asText()).isEqualTo("WEBHOOK");
        assertThat(execution.path("instanceId").asText()).isEqualTo(demo.instanceId());

        JsonNode request = execution.path("request");
        assertThat(request.path("method").asText()).isEqualTo("POST");
        assertThat(request.path("bodyEncoding").asText()).isEqualTo("utf8");
        assertThat(request.path("body").asText().getBytes(StandardCharsets.UTF_8)).isEqualTo(body);
        assertThat(request.path("headers").path("x-request-id").asText()).isEqualTo("it-order-42");
        assertThat(request.path("headers").path("content-type").asText()).isEqualTo("application/json");
        assertThat(request.path("contentType").asText()).isEqualTo("application/json");
        assertThat(JSON.convertValue(request.path("query"), Map.class)).isEqualTo(Map.of("source", "it", "tag", "a,b"));

        JsonNode steps = execution.path("steps");
        assertThat(steps).hasSize(2);
        assertThat(steps.get(0).path("name").asText()).isEqualTo("log");
        assertThat(steps.get(0).path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(steps.get(0).path("output").path("message").asText()).isEqualTo("order 42 received");
        JsonNode shaped = steps.get(1).path("output");
        assertThat(steps.get(1).path("name").asText()).isEqualTo("shape");
        assertThat(shaped.path("orderId").asInt()).isEqualTo(42);
        assertThat(shaped.path("total").asDouble()).isEqualTo(9.5);
        assertThat(shaped.path("method").asText()).isEqualTo("POST");
        assertThat(shaped.path("authorization").asText()).isEqualTo("Bearer ********");

        HttpResponse<String> logs = local.get("/executions/" + id + "/logs");
        assertThat(logs.statusCode()).isEqualTo(200);
        List<JsonNode> lines = new ArrayList<>();
        JSON.readTree(logs.body()).path("items").forEach(lines::add);
        assertThat(lines).anySatisfy(l -> {
            assertThat(l.path("message").asText()).isEqualTo("order 42 received");
            assertThat(l.path("severity").asText()).isEqualTo("INFO");
            assertThat(l.path("step").asText()).isEqualTo("log");
            assertThat(l.path("executionId").asText()).isEqualTo(id);
        });
        List<String> times = lines.stream().map(l -> l.path("timestamp").asText()).toList();
        assertThat(times).isSorted();
    }

    @Test
    void binaryBodiesArriveByteForByte() throws Exception {
        byte[] body = new byte[4096];
        new Random(7).nextBytes(body);
        body[0] = (byte) 0xff; // never valid UTF-8
        HttpResponse<String> accepted = local.send(HttpRequest.newBuilder(URI.create(demo.webhookUrl()))
                .header("content-type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        JsonNode execution = local.awaitEnd(JSON.readTree(accepted.body()).path("executionId").asText());
        JsonNode request = execution.path("request");
        assertThat(request.path("method").asText()).isEqualTo("PUT");
        assertThat(request.path("bodyEncoding").asText()).isEqualTo("base64");
        assertThat(Base64.getDecoder().decode(request.path("body").asText())).isEqualTo(body);
    }

    @Test
    void theStoredRequestKeepsTheCookiesApiGatewaySendsApart() throws Exception {
        HttpResponse<String> accepted = local.send(HttpRequest.newBuilder(URI.create(demo.webhookUrl()))
                .header("content-type", "application/json")
                .header("Cookie", "session=s-42; theme=dark")
                .POST(HttpRequest.BodyPublishers.ofString("{\"orderId\": \"c-1\"}")));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        JsonNode execution = local.awaitEnd(JSON.readTree(accepted.body()).path("executionId").asText());
        assertThat(execution.path("request").path("headers").path("cookie").asText()).isEqualTo("session=s-42; theme=dark");
    }

    @Test
    void bodiesWhoseEventPassesLambdasSixMegabytesAreAnswered413() throws Exception {
        byte[] body = new byte[7 * 1024 * 1024];
        java.util.Arrays.fill(body, (byte) 'a');
        HttpResponse<String> r = local.send(HttpRequest.newBuilder(URI.create(demo.webhookUrl()))
                .header("content-type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(r.body()).path("error").path("code").asText()).isNotBlank();
    }

    @Test
    void theSecretConfigValueIsMaskedInTheInstance() throws Exception {
        HttpResponse<String> r = local.get("/instances/" + demo.instanceId());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("configVariables").path("apiKey").asText()).isEqualTo("********");
    }

    // ------------------------------------------------------------------ the Lambda Invoke API

    @Test
    void awsLambdaInvokeOfReplayFunctionReplaysAnExecution() throws Exception {
        String original = sendDemoOrderAndAwaitSuccess();
        assumeThat(awsCliAvailable())
                .as("the AWS CLI ('aws') is not installed: skipping the aws lambda invoke check")
                .isTrue();
        Path dir = Files.createTempDirectory("ferry-invoke");
        Path payload = dir.resolve("replay.json");
        Files.writeString(payload, "{\"executionId\": \"" + original + "\"}");
        Path out = dir.resolve("out.json");
        ProcessBuilder pb = new ProcessBuilder("aws", "lambda", "invoke",
                "--endpoint-url", local.stack.lambdaUrl().toString(),
                "--function-name", "ReplayFunction",
                "--payload", "fileb://" + payload,
                out.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("aws.log").toFile());
        pb.environment().put("AWS_ACCESS_KEY_ID", "test");
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "test");
        pb.environment().put("AWS_DEFAULT_REGION", "us-east-1");
        pb.environment().remove("AWS_PROFILE");
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("aws lambda invoke finished").isTrue();
        String cliOutput = Files.readString(dir.resolve("aws.log"));
        assertThat(p.exitValue()).as(cliOutput).isZero();
        assertThat(cliOutput).contains("\"StatusCode\": 200").contains("$LATEST");

        JsonNode answer = JSON.readTree(out.toFile());
        local.answers.add(answer.toString());
        String replay = answer.path("executionId").asText();
        assertThat(replay).as(answer.toString()).isNotBlank().isNotEqualTo(original);
        assertThat(answer.path("replayOf").asText()).isEqualTo(original);

        JsonNode done = local.awaitEnd(replay);
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.path("trigger").asText()).isEqualTo("REPLAY");
        assertThat(done.path("replayOf").asText()).isEqualTo(original);
        JsonNode originalNow = json(local.get("/executions/" + original));
        assertThat(originalNow.path("replays").toString()).contains(replay);
    }

    @Test
    void invokingAnUnknownFunctionIs404ResourceNotFound() throws Exception {
        HttpResponse<String> r = local.send(StackFixture.sigV4(HttpRequest.newBuilder(local.stack.lambdaUrl().resolve("/2015-03-31/functions/Nope/invocations"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("x-amzn-ErrorType")).hasValue("ResourceNotFoundException");
    }

    @Test
    void aHandlerExceptionIs200WithUnhandledFunctionError() throws Exception {
        HttpResponse<String> r = local.send(StackFixture.sigV4(HttpRequest.newBuilder(local.stack.lambdaUrl().resolve(
                        "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3AFlowExecutionFunction%3Alive/invocations"))
                .POST(HttpRequest.BodyPublishers.ofString("this is not JSON"))));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Amz-Function-Error")).hasValue("Unhandled");
        JsonNode error = JSON.readTree(r.body());
        assertThat(error.path("errorType").asText()).isNotBlank();
        assertThat(error.has("errorMessage")).isTrue();
    }

    @Test
    void directInvocationAnswersTheFunctionsOutputWithTheExecutedVersion() throws Exception {
        HttpResponse<String> r = local.send(StackFixture.sigV4(HttpRequest.newBuilder(local.stack.lambdaUrl().resolve("/2015-03-31/functions/ReplayFunction/invocations"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"executionId\": \"exe_doesnotexist\"}"))));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Amz-Executed-Version")).hasValue("$LATEST");
        assertThat(JSON.readTree(r.body()).path("error").path("code").asText()).isEqualTo("not_found");
    }

    // ------------------------------------------------------------------ the CLI against the stack

    @Test
    void cliFindsTheStackAndItsKeyThroughTheStateFile() {
        Cli list = local.cli("instances:list");
        assertThat(list.status()).as(list.err()).isZero();
        assertThat(list.out()).contains(demo.instanceId()).contains("Demo instance");

        Cli flowConfigs = local.cli("instances:flow-configs:list", demo.instanceId());
        assertThat(flowConfigs.status()).as(flowConfigs.err()).isZero();
        assertThat(flowConfigs.out()).contains(demo.flowConfigId()).contains(demo.webhookUrl());
    }

    @Test
    void cliListsShowsAndReplaysAWebhookExecution() throws Exception {
        String id = sendDemoOrderAndAwaitSuccess();

        Cli list = local.cli("executions:list", "--instance", demo.instanceId(), "--output", "json");
        assertThat(list.status()).as(list.err()).isZero();
        assertThat(list.out()).contains(id);

        Cli show = local.cli("executions:show", id);
        assertThat(show.status()).as(show.err()).isZero();
        assertThat(show.out()).contains(id).contains("SUCCEEDED").contains("order 42 received");

        Cli replay = local.cli("executions:replay", id);
        assertThat(replay.status()).as(replay.err()).isZero();
        List<String> ids = java.util.regex.Pattern.compile("exe_[A-Za-z0-9]+").matcher(replay.out()).results()
                .map(java.util.regex.MatchResult::group).toList();
        assertThat(ids).as(replay.out()).isNotEmpty();
        String replayId = ids.get(ids.size() - 1);
        assertThat(replayId).startsWith("exe_").isNotEqualTo(id);
        JsonNode done = local.awaitEnd(replayId);
        assertThat(done.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(done.path("replayOf").asText()).isEqualTo(id);
    }

    @Test
    void cliTestsAFlowConfigAndReportsApiErrorsWithANonZeroStatus() {
        Cli test = local.cli("instances:flow-configs:test", demo.flowConfigId(), "--payload", "{\"id\": 7, \"total\": 1}");
        assertThat(test.status()).as(test.err()).isZero();
        assertThat(test.out()).contains("SUCCEEDED");

        Cli missing = local.cli("executions:show", "exe_doesnotexist");
        assertThat(missing.status()).isNotZero();
        assertThat(missing.err()).contains("exe_doesnotexist");
    }

    // ------------------------------------------------------------------ helpers

    private static String sendDemoOrderAndAwaitSuccess() throws Exception {
        HttpResponse<String> accepted = local.send(HttpRequest.newBuilder(URI.create(demo.webhookUrl()))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Demo.SAMPLE_BODY)));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = JSON.readTree(accepted.body()).path("executionId").asText();
        assertThat(local.awaitEnd(id).path("status").asText()).isEqualTo("SUCCEEDED");
        return id;
    }

}

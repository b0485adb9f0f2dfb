package dev.ferry.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local stack end to end, as a user drives it: the demo's webhook through the HTTP API, the
 * SQS poller into the flow execution function, the management API, and {@code aws lambda invoke}
 * against the Lambda Invoke API.
 */
class LocalStackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Every body the stack answered in this class: none may contain the demo's secret. */
    private static final List<String> ANSWERS = new CopyOnWriteArrayList<>();

    private static LocalStack stack;
    private static Demo demo;
    private static Path stateDir;

    @BeforeAll
    static void startStackWithDemo() throws IOException {
        TestEmulator.reset();
        stateDir = Files.createTempDirectory("ferry-local-it");
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
        demo = stack.demo().orElseThrow();
    }

    @AfterAll
    static void stopAndCheckSecretNeverShown() throws IOException {
        try {
            if (demo != null && demo.secretConfigValue() != null) {
                assertThat(ANSWERS).isNotEmpty().noneMatch(a -> a.contains(demo.secretConfigValue()));
            }
        } finally {
            if (stack != null) stack.close();
        }
        assertThat(stateDir.resolve("local.json")).as("local.json is deleted on close").doesNotExist();
    }

    // ------------------------------------------------------------------ health and routing

    @Test
    void healthAnswers200WithEveryFunctionOnceReady() throws Exception {
        HttpResponse<String> r = get("/health");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("status").asText()).isEqualTo("ok");
        assertThat(body.path("functions").has("WebhookFunction")).isTrue();
        assertThat(body.path("functions").has("ManagementApiFunction")).isTrue();
        assertThat(body.path("functions").has("FlowExecutionFunction")).isTrue();
    }

    @Test
    void unknownRouteIs404WithAnErrorBody() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(stack.apiUrl().resolve("/nope/nothing")).GET());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(r.body()).path("error").path("code").asText()).isEqualTo("not_found");
    }

    @Test
    void stateFileHasTheUrlsAndKeyReadableByTheOwnerOnly() throws Exception {
        Path file = stack.stateFile().orElseThrow();
        JsonNode state = JSON.readTree(file.toFile());
        assertThat(state.path("apiUrl").asText()).isEqualTo(stack.apiUrl().toString());
        assertThat(state.path("lambdaUrl").asText()).isEqualTo(stack.lambdaUrl().toString());
        assertThat(state.path("adminApiKey").asText()).isEqualTo(stack.adminApiKey());
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
        HttpResponse<String> accepted = send(HttpRequest.newBuilder(URI.create(demo.webhookUrl() + "?source=it&tag=a&tag=b"))
                .header("content-type", "application/json")
                .header("x-request-id", "it-order-42")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = JSON.readTree(accepted.body()).path("executionId").asText();
        assertThat(id).isNotBlank();

        JsonNode execution = awaitEnd(id);
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

        HttpResponse<String> logs = get("/executions/" + id + "/logs");
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
        HttpResponse<String> accepted = send(HttpRequest.newBuilder(URI.create(demo.webhookUrl()))
                .header("content-type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        JsonNode execution = awaitEnd(JSON.readTree(accepted.body()).path("executionId").asText());
        JsonNode request = execution.path("request");
        assertThat(request.path("method").asText()).isEqualTo("PUT");
        assertThat(request.path("bodyEncoding").asText()).isEqualTo("base64");
        assertThat(Base64.getDecoder().decode(request.path("body").asText())).isEqualTo(body);
    }

    @Test
    void bodiesOverSixMegabytesReachTheFunctionWhichAnswers413() throws Exception {
        byte[] body = new byte[7 * 1024 * 1024];
        java.util.Arrays.fill(body, (byte) 'a');
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(demo.webhookUrl()))
                .header("content-type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(r.body()).path("error").path("code").asText()).isNotBlank();
    }

    @Test
    void theSecretConfigValueIsMaskedInTheInstance() throws Exception {
        HttpResponse<String> r = get("/instances/" + demo.instanceId());
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
                "--endpoint-url", stack.lambdaUrl().toString(),
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
        ANSWERS.add(answer.toString());
        String replay = answer.path("executionId").asText();
        assertThat(replay).as(answer.toString()).isNotBlank().isNotEqualTo(original);
        assertThat(answer.path("replayOf").asText()).isEqualTo(original);

        JsonNode done = awaitEnd(replay);
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.path("trigger").asText()).isEqualTo("REPLAY");
        assertThat(done.path("replayOf").asText()).isEqualTo(original);
        JsonNode originalNow = json(get("/executions/" + original));
        assertThat(originalNow.path("replays").toString()).contains(replay);
    }

    @Test
    void invokingAnUnknownFunctionIs404ResourceNotFound() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(stack.lambdaUrl().resolve("/2015-03-31/functions/Nope/invocations"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("x-amzn-ErrorType")).hasValue("ResourceNotFoundException");
    }

    @Test
    void aHandlerExceptionIs200WithUnhandledFunctionError() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(stack.lambdaUrl().resolve(
                        "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3AFlowExecutionFunction%3Alive/invocations"))
                .POST(HttpRequest.BodyPublishers.ofString("this is not JSON")));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Amz-Function-Error")).hasValue("Unhandled");
        JsonNode error = JSON.readTree(r.body());
        assertThat(error.path("errorType").asText()).isNotBlank();
        assertThat(error.has("errorMessage")).isTrue();
    }

    @Test
    void directInvocationAnswersTheFunctionsOutputWithTheExecutedVersion() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(stack.lambdaUrl().resolve("/2015-03-31/functions/ReplayFunction/invocations"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"executionId\": \"exe_doesnotexist\"}")));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Amz-Executed-Version")).hasValue("$LATEST");
        assertThat(JSON.readTree(r.body()).path("error").path("code").asText()).isEqualTo("not_found");
    }

    // ------------------------------------------------------------------ the CLI against the stack

    @Test
    void cliFindsTheStackAndItsKeyThroughTheStateFile() {
        Cli list = cli("instances:list");
        assertThat(list.status()).as(list.err()).isZero();
        assertThat(list.out()).contains(demo.instanceId()).contains("Demo instance");

        Cli flowConfigs = cli("instances:flow-configs:list", demo.instanceId());
        assertThat(flowConfigs.status()).as(flowConfigs.err()).isZero();
        assertThat(flowConfigs.out()).contains(demo.flowConfigId()).contains(demo.webhookUrl());
    }

    @Test
    void cliListsShowsAndReplaysAWebhookExecution() throws Exception {
        String id = sendDemoOrderAndAwaitSuccess();

        Cli list = cli("executions:list", "--instance", demo.instanceId(), "--output", "json");
        assertThat(list.status()).as(list.err()).isZero();
        assertThat(list.out()).contains(id);

        Cli show = cli("executions:show", id);
        assertThat(show.status()).as(show.err()).isZero();
        assertThat(show.out()).contains(id).contains("SUCCEEDED").contains("order 42 received");

        Cli replay = cli("executions:replay", id);
        assertThat(replay.status()).as(replay.err()).isZero();
        List<String> ids = java.util.regex.Pattern.compile("exe_[A-Za-z0-9]+").matcher(replay.out()).results()
                .map(java.util.regex.MatchResult::group).toList();
        assertThat(ids).as(replay.out()).isNotEmpty();
        String replayId = ids.get(ids.size() - 1);
        assertThat(replayId).startsWith("exe_").isNotEqualTo(id);
        JsonNode done = awaitEnd(replayId);
        assertThat(done.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(done.path("replayOf").asText()).isEqualTo(id);
    }

    @Test
    void cliTestsAFlowConfigAndReportsApiErrorsWithANonZeroStatus() {
        Cli test = cli("instances:flow-configs:test", demo.flowConfigId(), "--payload", "{\"id\": 7, \"total\": 1}");
        assertThat(test.status()).as(test.err()).isZero();
        assertThat(test.out()).contains("SUCCEEDED");

        Cli missing = cli("executions:show", "exe_doesnotexist");
        assertThat(missing.status()).isNotZero();
        assertThat(missing.err()).contains("exe_doesnotexist");
    }

    private record Cli(int status, String out, String err) {}

    /** Runs the CLI in this JVM with only FERRY_STATE_DIR set, as `./ferry <command>` would next to a running stack. */
    private static Cli cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = dev.ferry.cli.FerryCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("FERRY_STATE_DIR", stateDir.toString()));
        Cli result = new Cli(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        ANSWERS.add(result.out());
        ANSWERS.add(result.err());
        return result;
    }

    // ------------------------------------------------------------------ helpers

    private static String sendDemoOrderAndAwaitSuccess() throws Exception {
        HttpResponse<String> accepted = send(HttpRequest.newBuilder(URI.create(demo.webhookUrl()))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Demo.SAMPLE_BODY)));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = JSON.readTree(accepted.body()).path("executionId").asText();
        assertThat(awaitEnd(id).path("status").asText()).isEqualTo("SUCCEEDED");
        return id;
    }

    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    /** Polls {@code GET /executions/{id}} until it has ended, up to {@link #DEADLINE}. */
    private static JsonNode awaitEnd(String id) throws Exception {
        return poll(() -> json(get("/executions/" + id)), e -> TERMINAL.contains(e.path("status").asText()),
                "execution " + id + " to end");
    }

    private static <T> T poll(Supplier<T> read, Predicate<T> done, String what) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        T last = null;
        while (System.nanoTime() < end) {
            last = read.get();
            if (done.test(last)) return last;
            Thread.sleep(100);
        }
        throw new AssertionError("timed out after " + DEADLINE.toSeconds() + " s waiting for " + what + "; last seen: " + last);
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    private static HttpResponse<String> get(String path) {
        try {
            return send(HttpRequest.newBuilder(stack.apiUrl().resolve(path)).GET());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Sends the request — with the admin key unless it goes to a webhook — and records the answer. */
    private static HttpResponse<String> send(HttpRequest.Builder builder) throws IOException, InterruptedException {
        HttpRequest request = builder.timeout(Duration.ofSeconds(60)).build();
        if (!request.uri().getPath().startsWith("/webhooks/")) {
            request = HttpRequest.newBuilder(request, (name, value) -> true)
                    .header("authorization", "Bearer " + stack.adminApiKey()).build();
        }
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        ANSWERS.add(r.body());
        return r;
    }

    private static boolean awsCliAvailable() {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "aws"))) return true;
        }
        return false;
    }
}

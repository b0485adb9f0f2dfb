package dev.ferry.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.cli.FerryCli;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One local stack for an end-to-end test class, and the ways the tests drive it as a user would:
 * the HTTP API with the admin key, webhooks, the CLI in this JVM (finding the stack through its
 * state file, as {@code ./ferry <command>} does), and polling with a deadline instead of sleeping.
 * Every answer body and CLI output is kept in {@link #answers} so a class can check what was shown, and
 * every HTTP answer of the API is held to the API reference when the fixture closes ({@link ApiAnswers}).
 */
final class StackFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration DEADLINE = Duration.ofSeconds(60);
    static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final LocalStack stack;
    final Path stateDir;
    /** Every body the stack answered and every CLI output, in order. */
    final List<String> answers = new CopyOnWriteArrayList<>();
    /** Every HTTP answer of the stack's API, held to the API reference on {@link #close()}. */
    final ApiAnswers apiAnswers;

    private StackFixture(LocalStack stack, Path stateDir, ApiAnswers apiAnswers) {
        this.stack = stack;
        this.stateDir = stateDir;
        this.apiAnswers = apiAnswers;
    }

    /**
     * Resets the emulator and starts a stack from the repository's template on free ports, quiet,
     * without the demo unless {@code options} asks for it, with IAM enforced as on AWS (each
     * function acts with its own role; its calls go to the suite's IAM ledger).
     */
    static StackFixture start(String name, Consumer<LocalStackBuilder> options) throws IOException {
        TestEmulator.reset();
        Path stateDir = Files.createTempDirectory("ferry-" + name);
        LocalStackBuilder builder = LocalStack.builder()
                .template(TestEmulator.template())
                .awsEndpoint(TestEmulator.endpoint())
                .httpPort(0)
                .lambdaPort(0)
                .demo(false)
                .stateDir(stateDir)
                .iam(true)
                .iamLedger(TestEmulator.iamLedgerDir())
                .out(new PrintStream(new ByteArrayOutputStream()));
        ApiAnswers apiAnswers = new ApiAnswers();
        builder.httpListener(apiAnswers);
        options.accept(builder);
        return new StackFixture(builder.build().start(), stateDir, apiAnswers);
    }

    /** Stops the stack, then fails if any answer it gave does not conform to the API reference. */
    @Override
    public void close() {
        stack.close();
        apiAnswers.verify();
    }

    // ------------------------------------------------------------------ HTTP

    /** Sends the request — with the admin key unless it goes to a webhook or already has one — and records the answer. */
    HttpResponse<String> send(HttpRequest.Builder builder) {
        HttpRequest request = builder.timeout(Duration.ofSeconds(60)).build();
        if (!request.uri().getPath().startsWith("/webhooks/") && request.headers().firstValue("authorization").isEmpty()) {
            request = HttpRequest.newBuilder(request, (n, v) -> true)
                    .header("authorization", "Bearer " + stack.adminApiKey()).build();
        }
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            answers.add(r.body());
            return r;
        } catch (IOException e) {
            throw new AssertionError(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * A request to the local Lambda API as the AWS CLI sends it: with {@code X-Amz-Date} and a
     * SigV4 {@code Authorization} header (the stack checks its form, not its signature).
     */
    static HttpRequest.Builder sigV4(HttpRequest.Builder b) {
        String date = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now());
        return b.header("X-Amz-Date", date).header("Authorization", "AWS4-HMAC-SHA256 Credential=test/"
                + date.substring(0, 8) + "/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature="
                + "0".repeat(64));
    }

    /** A management API call as the admin, with a JSON body when one is given. */
    HttpResponse<String> request(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(stack.apiUrl().resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("content-type", "application/json");
        return send(b);
    }

    HttpResponse<String> get(String path) {
        return request("GET", path, null);
    }

    HttpResponse<String> post(String path, String body) {
        return request("POST", path, body);
    }

    /** A management API call that must answer {@code expected}; its JSON body. */
    JsonNode call(String method, String path, String body, int expected) {
        HttpResponse<String> r = request(method, path, body);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(expected);
        return r.body().isEmpty() ? JSON.missingNode() : json(r);
    }

    /** A direct invocation through the local Lambda API, signed as the AWS CLI signs it; its answer, which must be 200. */
    JsonNode invoke(String function, String payload) {
        HttpResponse<String> r = send(sigV4(HttpRequest.newBuilder(stack.lambdaUrl()
                        .resolve("/2015-03-31/functions/" + function + "/invocations"))
                .POST(HttpRequest.BodyPublishers.ofString(payload))));
        assertThat(r.statusCode()).as(function + ": " + r.body()).isEqualTo(200);
        return json(r);
    }

    /** An SQS event of one message from the retry queue, as Lambda's event source mapping delivers it. */
    static String retryQueueEvent(String messageId, String body) {
        try {
            return "{\"Records\": [{\"messageId\": " + JSON.writeValueAsString(messageId) + ", \"receiptHandle\": \"x\", \"body\": "
                    + JSON.writeValueAsString(body) + ", \"attributes\": {\"ApproximateReceiveCount\": \"1\"},"
                    + " \"messageAttributes\": {}, \"eventSource\": \"aws:sqs\", \"awsRegion\": \"us-east-1\","
                    + " \"eventSourceARN\": \"arn:aws:sqs:us-east-1:123456789012:ferry-RetryQueue\"}]}";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Every message the emulator's SES has sent (it keeps them at {@code /moto-api/data.json}). */
    List<JsonNode> sentEmails() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(stack.awsEndpoint().resolve("/moto-api/data.json"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            List<JsonNode> out = new java.util.ArrayList<>();
            JSON.readTree(r.body()).path("ses").path("Message").forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Posts a JSON body to a webhook URL, which must answer 202; the execution id. */
    String webhook(String url, String body) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return json(r).path("executionId").asText();
    }

    /** Polls {@code GET /executions/{id}} until it has ended, up to {@link #DEADLINE}. */
    JsonNode awaitEnd(String id) throws InterruptedException {
        return awaitEnd(id, DEADLINE);
    }

    JsonNode awaitEnd(String id, Duration deadline) throws InterruptedException {
        return poll(() -> json(get("/executions/" + id)), e -> TERMINAL.contains(e.path("status").asText()),
                "execution " + id + " to end", deadline);
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    // ------------------------------------------------------------------ the CLI and the AWS CLI

    record Cli(int status, String out, String err) {
        /** The output of a command that must have succeeded. */
        String ok() {
            assertThat(status).as(err).isZero();
            return out;
        }
    }

    /** Runs the CLI in this JVM with only FERRY_STATE_DIR set, as {@code ./ferry <command>} would next to the stack. */
    Cli cli(String... args) {
        return cli(Map.of(), args);
    }

    /** The CLI with more environment (e.g. {@code FERRY_API_KEY}) on top of FERRY_STATE_DIR. */
    Cli cli(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("FERRY_STATE_DIR", stateDir.toString());
        int status = FerryCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), all);
        Cli result = new Cli(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        answers.add(result.out());
        answers.add(result.err());
        return result;
    }

    static boolean awsCliAvailable() {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "aws"))) return true;
        }
        return false;
    }

    // ------------------------------------------------------------------ waiting

    /** Reads until {@code done} holds, up to {@link #DEADLINE}; fails with the last value seen. */
    static <T> T poll(Supplier<T> read, Predicate<T> done, String what) throws InterruptedException {
        return poll(read, done, what, DEADLINE);
    }

    /**
     * Polls until the named queues of the template hold nothing — no message waiting, in flight or
     * delayed — up to {@link #DEADLINE}. Once the queues that carry a piece of work are empty, nothing
     * more of it can follow, so a test asserts "nothing else happens" at that point instead of
     * sleeping and hoping.
     */
    void awaitQueuesIdle(String... queueLogicalIds) throws InterruptedException {
        var sqs = dev.ferry.infra.AwsClients.fromEnv(stack.adminEnvironment()).sqs();
        List<String> counts = List.of("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                "ApproximateNumberOfMessagesDelayed");
        Map<String, String> urls = new java.util.LinkedHashMap<>();
        for (String id : queueLogicalIds) {
            urls.put(id, stack.resources().stream().filter(r -> r.logicalId().equals(id)).findFirst()
                    .orElseThrow(() -> new AssertionError("no queue " + id + " in the template")).ref());
        }
        poll(() -> {
            Map<String, Map<String, String>> seen = new java.util.LinkedHashMap<>();
            urls.forEach((id, url) -> seen.put(id, sqs.getQueueAttributes(b -> b.queueUrl(url)
                    .attributeNamesWithStrings(counts)).attributesAsStrings()));
            return seen;
        }, seen -> seen.values().stream().allMatch(a -> counts.stream().allMatch(c -> "0".equals(a.get(c)))),
                "queues " + urls.keySet() + " to be empty");
    }

    static <T> T poll(Supplier<T> read, Predicate<T> done, String what, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        T last = null;
        while (System.nanoTime() < end) {
            last = read.get();
            if (done.test(last)) return last;
            Thread.sleep(100);
        }
        throw new AssertionError("timed out after " + deadline.toSeconds() + " s waiting for " + what + "; last seen: " + last);
    }
}

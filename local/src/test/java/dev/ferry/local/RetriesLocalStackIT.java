package dev.ferry.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Automatic retries and bulk replay end to end on the local stack: the webhook through the HTTP
 * API, the execution queue into FlowExecutionFunction, the retry queue's SQS delays (honoured by the
 * emulator) into RetryDispatchFunction, and the replay job queue into ReplayFunction.
 */
class RetriesLocalStackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String DEFINITION = """
            {"name": "Flaky push",
             "flows": [{"name": "Push", "trigger": {"type": "webhook"},
               "retry": {"maxAttempts": 2, "delaySeconds": 2},
               "steps": [
                 {"name": "push", "type": "fail", "if": "{% $not($trigger.body.fixed = true) %}", "message": "third party down"}
               ]}]}""";

    private static LocalStack stack;
    private static java.nio.file.Path stateDir;
    private static String instanceId;
    private static String webhookUrl;

    @BeforeAll
    static void startStack() throws Exception {
        TestEmulator.reset();
        stack = LocalStack.builder().template(TestEmulator.template()).awsEndpoint(TestEmulator.endpoint())
                .httpPort(0).lambdaPort(0).demo(false).stateDir(stateDir = Files.createTempDirectory("ferry-retries-it"))
                .out(new PrintStream(new ByteArrayOutputStream())).build().start();
        String customer = post("/customers", "{\"name\": \"Retry Co\"}").path("id").asText();
        String integration = post("/integrations", DEFINITION).path("id").asText();
        JsonNode instance = post("/instances", "{\"name\": \"flaky\", \"customerId\": \"" + customer
                + "\", \"integrationId\": \"" + integration + "\"}");
        instanceId = instance.path("id").asText();
        webhookUrl = instance.path("flowConfigs").get(0).path("webhookUrl").asText();
    }

    @AfterAll
    static void stop() {
        if (stack != null) stack.close();
    }

    @Test
    void failingFlowWithTwoRetriesGivesTheOriginalAndExactlyTwoLinkedRetries() throws Exception {
        String id = webhook("{\"order\": 1}");

        JsonNode pending = poll(() -> get("/executions/" + id), e -> e.path("status").asText().equals("FAILED"),
                "the original to fail");
        assertThat(pending.path("nextRetryAt").isTextual()).as("nextRetryAt while the retry is pending: " + pending).isTrue();
        assertThat(pending.path("retriesRemaining").asInt()).isEqualTo(2);
        Instant due = Instant.parse(pending.path("nextRetryAt").asText());
        assertThat(Duration.between(Instant.parse(pending.path("endedAt").asText()), due)).isEqualTo(Duration.ofSeconds(2));

        List<JsonNode> chain = poll(() -> chain(id), c -> c.size() == 3 && c.stream().allMatch(
                e -> e.path("status").asText().equals("FAILED")), "the original and two failed retries");

        assertThat(chain).extracting(e -> e.path("trigger").asText()).containsExactly("WEBHOOK", "RETRY", "RETRY");
        assertThat(chain).extracting(e -> e.path("attempt").asInt()).containsExactly(1, 2, 3);
        assertThat(chain.subList(1, 3)).allSatisfy(r -> assertThat(r.path("retryOf").asText()).isEqualTo(id));
        assertThat(chain).extracting(e -> e.path("retriesRemaining").asInt()).containsExactly(2, 1, 0);
        assertThat(chain.get(2).path("nextRetryAt").isNull()).isTrue();
        assertThat(Instant.parse(chain.get(1).path("queuedAt").asText())).isAfterOrEqualTo(due);
        assertThat(get("/executions/" + chain.get(1).path("id").asText()).path("request").path("body").asText())
                .isEqualTo("{\"order\": 1}");
        // Nothing more follows: the retry queue is empty once the last retry has failed.
        Thread.sleep(3000);
        assertThat(chain(id)).hasSize(3);
    }

    @Test
    void bulkReplayOfUnresolvedFailuresRunsEachOnceAndResolvesThem() throws Exception {
        String a = webhook("{\"order\": 2, \"fixed\": false}");
        poll(() -> get("/executions/" + a), e -> e.path("status").asText().equals("FAILED"), "the execution to fail");
        // Counting replays of failed originals of this instance.
        String filter = "{\"instanceId\": \"" + instanceId + "\", \"originalsOnly\": true, \"status\": \"FAILED\"}";
        long matched = post("/replays", "{\"filter\": " + filter + ", \"dryRun\": true}").path("matched").asLong();
        assertThat(matched).isGreaterThanOrEqualTo(1);

        JsonNode job = post("/replays", "{\"filter\": " + filter + ", \"name\": \"it\", \"ratePerSecond\": 20}");
        JsonNode done = poll(() -> get("/replays/" + job.path("id").asText()),
                j -> j.path("status").asText().equals("COMPLETED") && j.path("succeeded").asLong()
                        + j.path("failed").asLong() == j.path("dispatched").asLong(), "the replay job to complete");

        assertThat(done.path("dispatched").asLong()).isEqualTo(done.path("matched").asLong());
        JsonNode original = get("/executions/" + a);
        assertThat(original.path("replays")).hasSize(1);
        JsonNode replay = get("/executions/" + original.path("replays").get(0).asText());
        assertThat(replay.path("trigger").asText()).isEqualTo("REPLAY");
        assertThat(replay.path("replayOf").asText()).isEqualTo(a);
    }

    @Test
    void cliBulkReplayCountsWithDryRunThenDrawsItsProgressToCompletion() throws Exception {
        String a = webhook("{\"order\": 3}");
        poll(() -> get("/executions/" + a), e -> e.path("status").asText().equals("FAILED"), "the execution to fail");

        String[] dry = cli("executions:replay-bulk", "--instance", instanceId, "--status", "FAILED", "--originals-only",
                "--dry-run");
        assertThat(dry[0]).isEqualTo("0");
        assertThat(dry[1]).matches("(?s)\\d+ executions match \\(dry run: nothing replayed\\)\\.\\s*");

        String[] run = cli("executions:replay-bulk", "--instance", instanceId, "--status", "FAILED", "--originals-only",
                "--name", "cli", "--rate", "50", "--output", "json");
        assertThat(run[0]).as(run[2]).isEqualTo("0");
        JsonNode job = JSON.readTree(run[1]);
        assertThat(job.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(job.path("dispatched").asLong()).isEqualTo(job.path("matched").asLong());
        assertThat(run[2]).contains("dispatched");
    }

    /** Runs the CLI in this JVM next to the running stack (found through its state file): {status, out, err}. */
    private static String[] cli(String... args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int status = dev.ferry.cli.FerryCli.run(args, new PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8),
                java.util.Map.of("FERRY_STATE_DIR", stateDir.toString()));
        return new String[] {Integer.toString(status), out.toString(java.nio.charset.StandardCharsets.UTF_8),
                err.toString(java.nio.charset.StandardCharsets.UTF_8)};
    }

    // ------------------------------------------------------------------ helpers

    /** The original and its retries, by attempt. */
    private static List<JsonNode> chain(String originalId) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : get("/executions?instanceId=" + instanceId + "&limit=100").path("items")) {
            if (e.path("id").asText().equals(originalId) || e.path("retryOf").asText().equals(originalId)) out.add(e);
        }
        out.sort(Comparator.comparingInt(e -> e.path("attempt").asInt()));
        return out;
    }

    private static String webhook(String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(webhookUrl))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).path("executionId").asText();
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

    private static JsonNode get(String path) {
        return call(HttpRequest.newBuilder(stack.apiUrl().resolve(path)).GET());
    }

    private static JsonNode post(String path, String body) {
        return call(HttpRequest.newBuilder(stack.apiUrl().resolve(path)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static JsonNode call(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = HTTP.send(b.header("authorization", "Bearer " + stack.adminApiKey())
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) throw new AssertionError(r.statusCode() + " " + r.body());
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

package dev.ferry.local;

import static dev.ferry.local.StackFixture.JSON;
import static dev.ferry.local.StackFixture.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.local.StackFixture.Cli;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Automatic retries and bulk replay end to end on the local stack: the webhook through the HTTP
 * API, the execution queue into FlowExecutionFunction, the retry queue's SQS delays (honoured by the
 * emulator) into RetryDispatchFunction, and the replay job queue into ReplayFunction.
 */
class RetriesLocalStackIT {
    static final String DEFINITION = """
            {"name": "Flaky push",
             "flows": [{"name": "Push", "trigger": {"type": "webhook"},
               "retry": {"maxAttempts": 2, "delaySeconds": 2},
               "steps": [
                 {"name": "push", "type": "fail", "if": "{% $not($trigger.body.fixed = true) %}", "message": "third party down"}
               ]}]}""";

    private static StackFixture local;
    private static String instanceId;
    private static String webhookUrl;

    @BeforeAll
    static void startStack() throws Exception {
        local = StackFixture.start("retries-it", b -> {});
        String customer = local.call("POST", "/customers", "{\"name\": \"Retry Co\"}", 201).path("id").asText();
        String integration = local.call("POST", "/integrations", DEFINITION, 201).path("id").asText();
        JsonNode instance = local.call("POST", "/instances", "{\"name\": \"flaky\", \"customerId\": \"" + customer
                + "\", \"integrationId\": \"" + integration + "\"}", 201);
        instanceId = instance.path("id").asText();
        webhookUrl = instance.path("flowConfigs").get(0).path("webhookUrl").asText();
    }

    @AfterAll
    static void stop() {
        if (local != null) local.close();
    }

    @Test
    void failingFlowWithTwoRetriesGivesTheOriginalAndExactlyTwoLinkedRetries() throws Exception {
        String id = local.webhook(webhookUrl, "{\"order\": 1}");

        JsonNode pending = poll(() -> local.call("GET", "/executions/" + id, null, 200), e -> e.path("status").asText().equals("FAILED"),
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
        assertThat(local.call("GET", "/executions/" + chain.get(1).path("id").asText(), null, 200).path("request").path("body").asText())
                .isEqualTo("{\"order\": 1}");
        // Nothing more follows: once the retry and execution queues are empty (nothing waiting, in
        // flight or delayed) no further retry can appear.
        local.awaitQueuesIdle("RetryQueue", "ExecutionQueue");
        assertThat(chain(id)).hasSize(3);
    }

    @Test
    void bulkReplayOfUnresolvedFailuresRunsEachOnceAndResolvesThem() throws Exception {
        String a = local.webhook(webhookUrl, "{\"order\": 2, \"fixed\": false}");
        poll(() -> local.call("GET", "/executions/" + a, null, 200), e -> e.path("status").asText().equals("FAILED"), "the execution to fail");
        // Counting replays of failed originals of this instance.
        String filter = "{\"instanceId\": \"" + instanceId + "\", \"originalsOnly\": true, \"status\": \"FAILED\"}";
        long matched = local.call("POST", "/replays", "{\"filter\": " + filter + ", \"dryRun\": true}", 200).path("matched").asLong();
        assertThat(matched).isGreaterThanOrEqualTo(1);

        JsonNode job = local.call("POST", "/replays", "{\"filter\": " + filter + ", \"name\": \"it\", \"ratePerSecond\": 20}", 202);
        JsonNode done = poll(() -> local.call("GET", "/replays/" + job.path("id").asText(), null, 200),
                j -> j.path("status").asText().equals("COMPLETED") && j.path("succeeded").asLong()
                        + j.path("failed").asLong() == j.path("dispatched").asLong(), "the replay job to complete");

        assertThat(done.path("dispatched").asLong()).isEqualTo(done.path("matched").asLong());
        JsonNode original = local.call("GET", "/executions/" + a, null, 200);
        assertThat(original.path("replays")).hasSize(1);
        JsonNode replay = local.call("GET", "/executions/" + original.path("replays").get(0).asText(), null, 200);
        assertThat(replay.path("trigger").asText()).isEqualTo("REPLAY");
        assertThat(replay.path("replayOf").asText()).isEqualTo(a);
    }

    @Test
    void cliBulkReplayCountsWithDryRunThenDrawsItsProgressToCompletion() throws Exception {
        String a = local.webhook(webhookUrl, "{\"order\": 3}");
        poll(() -> local.call("GET", "/executions/" + a, null, 200), e -> e.path("status").asText().equals("FAILED"), "the execution to fail");

        Cli dry = local.cli("executions:replay-bulk", "--instance", instanceId, "--status", "FAILED", "--originals-only",
                "--dry-run");
        assertThat(dry.status()).as(dry.err()).isZero();
        assertThat(dry.out()).matches("(?s)\\d+ executions match \\(dry run: nothing replayed\\)\\.\\s*");

        Cli run = local.cli("executions:replay-bulk", "--instance", instanceId, "--status", "FAILED", "--originals-only",
                "--name", "cli", "--rate", "50", "--output", "json");
        assertThat(run.status()).as(run.err()).isZero();
        JsonNode job = JSON.readTree(run.out());
        assertThat(job.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(job.path("dispatched").asLong()).isEqualTo(job.path("matched").asLong());
        assertThat(run.err()).contains("dispatched");
    }

    // ------------------------------------------------------------------ helpers

    /** The original and its retries, by attempt. */
    private static List<JsonNode> chain(String originalId) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : local.call("GET", "/executions?instanceId=" + instanceId + "&limit=100", null, 200).path("items")) {
            if (e.path("id").asText().equals(originalId) || e.path("retryOf").asText().equals(originalId)) out.add(e);
        }
        out.sort(Comparator.comparingInt(e -> e.path("attempt").asInt()));
        return out;
    }

    @Test
    void bulkReplayWithSinceInTheFutureMatchesNothingAsAListingDoes() throws Exception {
        String since = Instant.now().plus(Duration.ofDays(1)).toString();
        String filter = "{\"instanceId\": \"" + instanceId + "\", \"since\": \"" + since + "\"}";
        assertThat(local.call("GET", "/executions?instanceId=" + instanceId + "&since=" + since, null, 200).path("items")).isEmpty();

        JsonNode dry = local.call("POST", "/replays", "{\"filter\": " + filter + ", \"dryRun\": true}", 200);
        JsonNode job = local.call("POST", "/replays", "{\"filter\": " + filter + "}", 202);

        assertThat(dry.path("matched").asLong()).isZero();
        assertThat(job.path("matched").asLong()).isZero();
        assertThat(job.path("status").asText()).isEqualTo("COMPLETED");
    }
}

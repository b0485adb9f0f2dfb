package dev.ferry.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.api.ApiResponse;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.HttpCallResult;
import dev.ferry.core.testkit.FerryTestKit;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cancelling executions that have not run, one ({@code POST /executions/{id}/cancel}) and in bulk ({@code POST /cancellations}). */
class CancellationsTest {
    private final FerryTestKit kit = new FerryTestKit();
    private final FerryTestKit.Demo demo = kit.seed(RetriesTest.DEFINITION.formatted(
            "{\"maxAttempts\": 2, \"delaySeconds\": 60}"));

    private Execution accept(String body) {
        return kit.ferry.webhooks().accept(demo.token(), new ExecutionRequest("POST",
                body.getBytes(StandardCharsets.UTF_8), Map.of("content-type", "application/json"), Map.of(), "application/json"));
    }

    private Execution get(String id) {
        return kit.executions.get(id).orElseThrow();
    }

    private ApiResponse cancel(String id) {
        return kit.api("POST", "/executions/" + id + "/cancel", null);
    }

    private void holdMode() {
        assertThat(kit.api("PATCH", "/instances/" + demo.instanceId(), "{\"pauseMode\": \"HOLD\"}").status()).isEqualTo(200);
        assertThat(kit.api("POST", "/instances/" + demo.instanceId() + "/pause", null).status()).isEqualTo(200);
    }

    @Test
    void aQueuedExecutionCancelledByTheAdminNeverRuns() {
        Execution queued = accept("{\"id\": 1}");

        ApiResponse r = cancel(queued.id());

        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        JsonNode shown = FerryTestKit.json(r);
        assertThat(shown.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(shown.get("cancelledBy").asText()).isEqualTo("admin");
        assertThat(shown.get("cancelledAt").asText()).isEqualTo(kit.clock.instant().toString());
        kit.drainQueue();
        assertThat(get(queued.id()).status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(get(queued.id()).startedAt()).isNull();
        assertThat(kit.httpRequests).isEmpty();
    }

    @Test
    void aHeldExecutionCancelledWithACustomersKeyNamesTheKeyAndIsNotReleasedByTheUnpause() {
        holdMode();
        Execution held = accept("{\"id\": 2}");
        Execution other = accept("{\"id\": 3}");
        assertThat(held.status()).isEqualTo(ExecutionStatus.HELD);
        String key = kit.createApiKey("ops on call", demo.customerId());
        String keyId = kit.apiKeys.all().getLast().id();

        ApiResponse r = kit.apiAs(key, "POST", "/executions/" + held.id() + "/cancel", Map.of(), "{}");

        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        assertThat(FerryTestKit.json(r).get("cancelledBy").asText()).isEqualTo("ops on call (" + keyId + ")");
        assertThat(kit.api("POST", "/instances/" + demo.instanceId() + "/unpause", null).status()).isEqualTo(200);
        kit.drainQueue();
        assertThat(get(held.id()).status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(get(other.id()).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(kit.httpRequests).hasSize(1);
    }

    @Test
    void anExecutionWaitingForItsRetryIsCancelledAndItsRetryNeverRuns() {
        kit.httpAnswer = new HttpCallResult(503, Map.of(), new byte[0]);
        Execution e = accept("{\"id\": 4}");
        kit.drainQueue();
        assertThat(get(e.id()).nextRetryAt()).isNotNull();

        ApiResponse r = cancel(e.id());

        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        Execution cancelled = get(e.id());
        assertThat(cancelled.status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(cancelled.nextRetryAt()).isNull();
        assertThat(cancelled.error().message()).as("the failure stays readable").isNotBlank();
        kit.clock.set(kit.retryQueue.nextDelivery());
        kit.dispatchRetries();
        kit.drainQueue();
        assertThat(kit.executions.all()).as("no retry was created").hasSize(1);
        assertThat(kit.httpRequests).hasSize(1);
        assertThat(FerryTestKit.json(kit.api("GET", "/executions", Map.of("unresolved", "true"), null)).get("items"))
                .as("a cancelled execution is not an unresolved failure").isEmpty();
    }

    @Test
    void aRetryAlreadyDispatchedCannotBeCancelledAnyMore() {
        kit.httpAnswer = new HttpCallResult(503, Map.of(), new byte[0]);
        Execution e = accept("{\"id\": 5}");
        kit.drainQueue();
        kit.clock.set(kit.retryQueue.nextDelivery());
        kit.dispatchRetries(); // the retry is created and queued, not yet run

        ApiResponse r = cancel(e.id());

        assertThat(r.status()).isEqualTo(409);
        assertThat(r.bodyText()).contains("is FAILED and its retry has already started");
        assertThat(get(e.id()).status()).isEqualTo(ExecutionStatus.FAILED);
    }

    @Test
    void runningAndFinishedExecutionsAnswer409SayingWhyAndChangeNothing() {
        Execution e = accept("{\"id\": 6}");
        kit.drainQueue();
        String before = kit.stateSnapshot();

        ApiResponse finished = cancel(e.id());

        assertThat(finished.status()).isEqualTo(409);
        assertThat(FerryTestKit.json(finished).at("/error/message").asText())
                .isEqualTo("execution '" + e.id() + "' is SUCCEEDED: it has already run; only a QUEUED, HELD or "
                        + "retry-waiting execution can be cancelled");
        Execution running = accept("{\"id\": 7}");
        kit.executions.claim(running.id(), kit.clock.instant());
        ApiResponse r = cancel(running.id());
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.bodyText()).contains("is RUNNING: a running execution cannot be cancelled");
        assertThat(get(running.id()).status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(kit.executions.get(e.id()).orElseThrow().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(before).isNotNull();
    }

    @Test
    void aBodyWithFieldsIs400AndAnotherCustomersExecutionIs404() {
        Execution e = accept("{\"id\": 8}");
        ApiResponse bad = kit.api("POST", "/executions/" + e.id() + "/cancel", "{\"reason\": \"x\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(get(e.id()).status()).isEqualTo(ExecutionStatus.QUEUED);

        String other = FerryTestKit.json(kit.api("POST", "/customers", "{\"name\":\"Other\"}")).get("id").asText();
        String otherKey = kit.createApiKey("other", other);
        ApiResponse hidden = kit.apiAs(otherKey, "POST", "/executions/" + e.id() + "/cancel", Map.of(), null);
        assertThat(hidden.status()).isEqualTo(404);
        assertThat(get(e.id()).status()).isEqualTo(ExecutionStatus.QUEUED);
        assertThat(cancel("exe_unknown").status()).isEqualTo(404);
    }

    @Test
    void aBulkCancellationCountsFirstThenCancelsTheHeldOnesAndSkipsTheRest() {
        Execution done = accept("{\"id\": 9}");
        kit.drainQueue();
        holdMode();
        Execution held1 = accept("{\"id\": 10}");
        Execution held2 = accept("{\"id\": 11}");
        kit.clock.advance(java.time.Duration.ofSeconds(1)); // a job's filter ends at its start (exclusive)
        String filter = "{\"filter\": {\"instanceId\": \"" + demo.instanceId() + "\"}";

        JsonNode dry = FerryTestKit.json(kit.api("POST", "/cancellations", filter + ", \"dryRun\": true}"));
        assertThat(dry.get("matched").asLong()).isEqualTo(3);
        assertThat(dry.get("id").isNull()).isTrue();
        assertThat(get(held1.id()).status()).isEqualTo(ExecutionStatus.HELD);

        ApiResponse started = kit.api("POST", "/cancellations", filter + ", \"name\": \"drop held\"}");
        assertThat(started.status()).as(started.bodyText()).isEqualTo(202);
        String jobId = FerryTestKit.json(started).get("id").asText();
        kit.drainReplayJobs();

        JsonNode job = FerryTestKit.json(kit.api("GET", "/cancellations/" + jobId, null));
        assertThat(job.get("kind").asText()).isEqualTo("CANCEL");
        assertThat(job.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(job.get("dispatched").asLong()).isEqualTo(2);
        assertThat(job.get("skipped").asLong()).isEqualTo(1);
        assertThat(get(held1.id()).status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(get(held2.id()).cancelledBy()).isEqualTo("admin (cancellation " + jobId + ")");
        assertThat(get(done.id()).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        JsonNode listed = FerryTestKit.json(kit.api("GET", "/cancellations", null)).get("items");
        assertThat(listed).extracting(n -> n.get("id").asText()).containsExactly(jobId);
        assertThat(FerryTestKit.json(kit.api("GET", "/replays", null)).get("items")).isEmpty();
        assertThat(kit.api("GET", "/replays/" + jobId, null).status()).as("a cancellation is not a replay").isEqualTo(404);
    }

    @Test
    void aRunningBulkReplayIsStoppedAndListedNewestFirst() {
        kit.httpAnswer = new HttpCallResult(500, Map.of(), new byte[0]);
        accept("{\"id\": 12, \"bad\": true}");
        kit.drainQueue();
        kit.clock.advance(java.time.Duration.ofSeconds(1));
        String body = "{\"filter\": {\"instanceId\": \"" + demo.instanceId() + "\", \"unresolved\": true}}";
        String first = FerryTestKit.json(kit.api("POST", "/replays", body)).get("id").asText();
        kit.clock.advance(java.time.Duration.ofSeconds(1));
        String second = FerryTestKit.json(kit.api("POST", "/replays", body)).get("id").asText();

        ApiResponse stopped = kit.api("POST", "/replays/" + second + "/cancel", null);

        assertThat(FerryTestKit.json(stopped).get("status").asText()).isEqualTo("CANCELLED");
        kit.drainReplayJobs();
        JsonNode listed = FerryTestKit.json(kit.api("GET", "/replays", Map.of("limit", "1"), null));
        assertThat(listed.get("items")).extracting(n -> n.get("id").asText()).containsExactly(second);
        JsonNode next = FerryTestKit.json(kit.api("GET", "/replays", Map.of("cursor", listed.get("nextCursor").asText()), null));
        assertThat(next.get("items")).extracting(n -> n.get("id").asText()).containsExactly(first);
        assertThat(next.get("items").get(0).get("status").asText()).isEqualTo("COMPLETED");
    }
}

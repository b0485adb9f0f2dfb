package dev.ferry.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.Ferry;
import dev.ferry.core.api.ApiResponse;
import dev.ferry.core.error.StoreException;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.HttpCallResult;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.port.InstanceStore;
import dev.ferry.core.port.ReplayJobStore;
import dev.ferry.core.testkit.FerryTestKit;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Single and bulk replay through the API, on the in-memory fakes. */
class ReplayJobsTest {
    private final FerryTestKit kit = new FerryTestKit();
    private final FerryTestKit.Demo demo = kit.seed(RetriesTest.DEFINITION.formatted("null"));

    private JsonNode api(String method, String path, String body) {
        ApiResponse r = kit.api(method, path, body);
        assertThat(r.status()).as(r.bodyText()).isBetween(200, 299);
        return FerryTestKit.json(r);
    }

    private int status(String method, String path, String body) {
        return kit.api(method, path, body).status();
    }

    /** n executions that failed (the third party answers 500), one per second. */
    private List<Execution> failures(int n) {
        kit.httpAnswer = new HttpCallResult(500, Map.of(), new byte[0]);
        for (int i = 0; i < n; i++) {
            kit.ferry.webhooks().accept(demo.token(), new ExecutionRequest("POST",
                    ("{\"id\": " + i + "}").getBytes(StandardCharsets.UTF_8), Map.of(), Map.of(), "application/json"));
            kit.clock.advance(Duration.ofSeconds(1));
        }
        kit.drainQueue();
        return kit.executions.all().stream().filter(e -> e.status() == ExecutionStatus.FAILED).toList();
    }

    private List<Execution> replaysOf(String id) {
        return kit.executions.all().stream().filter(e -> id.equals(e.replayOf())).toList();
    }

    private String unresolvedOriginals() {
        return "{\"instanceId\": \"" + demo.instanceId() + "\", \"unresolved\": true, \"originalsOnly\": true}";
    }

    @Test
    void aConflictOnTheInstanceItemWhenAReplayEndsStillResolvesItsOriginal() {
        Execution failed = failures(1).getFirst();
        kit.httpAnswer = new HttpCallResult(200, Map.of(), "{}".getBytes());
        // A pause or PATCH in flight on the instance item: DynamoDB cancels lastExecutedAt's write.
        InstanceStore conflicting = (InstanceStore) Proxy.newProxyInstance(InstanceStore.class.getClassLoader(),
                new Class<?>[] {InstanceStore.class}, (proxy, m, args) -> {
                    if (m.getName().equals("touchLastExecuted")) {
                        throw new StoreException("DynamoDB UpdateItem on ferry-config failed: TransactionConflict", null);
                    }
                    try {
                        return m.invoke(kit.instances, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Ferry duringPause = new Ferry(kit.ferry.ports().withInstances(conflicting), kit.ferry.settings());

        String replayId = api("POST", "/executions/" + failed.id() + "/replay", "{}").get("executionId").asText();
        assertThat(kit.queue.drain()).containsExactly(replayId);
        assertThat(duringPause.runner().run(replayId)).hasValueSatisfying(
                e -> assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED));

        JsonNode original = api("GET", "/executions/" + failed.id(), null);
        assertThat(original.get("resolved").asBoolean()).isTrue();
        assertThat(original.get("replays")).extracting(JsonNode::asText).containsExactly(replayId);
        assertThat(FerryTestKit.json(kit.api("GET", "/executions", Map.of("unresolved", "true", "originalsOnly", "true"), null))
                .get("items")).isEmpty();
    }

    @Test
    void replayOnAFixedVersionResolvesTheOriginalAndDropsItFromUnresolvedOriginals() {
        Execution failed = failures(1).getFirst();
        kit.httpAnswer = new HttpCallResult(200, Map.of(), "{}".getBytes());
        // The fix: version 2 of the integration, put on the instance.
        api("POST", "/integrations/" + demo.integrationId() + "/versions",
                RetriesTest.DEFINITION.formatted("null").replace("'/push'", "'/v2/push'"));
        api("PATCH", "/instances/" + demo.instanceId(), "{\"integrationVersion\": 2}");
        String listing = "/executions";
        Map<String, String> query = Map.of("unresolved", "true", "originalsOnly", "true");
        assertThat(FerryTestKit.json(kit.api("GET", listing, query, null)).get("items")).hasSize(1);

        String replayId = api("POST", "/executions/" + failed.id() + "/replay", "{}").get("executionId").asText();
        kit.drainQueue();

        JsonNode replay = api("GET", "/executions/" + replayId, null);
        assertThat(replay.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(replay.get("trigger").asText()).isEqualTo("REPLAY");
        assertThat(replay.get("replayOf").asText()).isEqualTo(failed.id());
        assertThat(replay.get("integrationVersion").asInt()).isEqualTo(2);
        assertThat(replay.get("request").get("body").asText()).isEqualTo("{\"id\": 0}");
        JsonNode original = api("GET", "/executions/" + failed.id(), null);
        assertThat(original.get("resolved").asBoolean()).isTrue();
        assertThat(original.get("replays")).extracting(JsonNode::asText).containsExactly(replayId);
        assertThat(FerryTestKit.json(kit.api("GET", listing, query, null)).get("items")).isEmpty();
    }

    @Test
    void replayWithAGivenBodyRunsWithThatBody() {
        Execution failed = failures(1).getFirst();
        String replayId = api("POST", "/executions/" + failed.id() + "/replay", "{\"body\": {\"id\": 99}}")
                .get("executionId").asText();

        assertThat(new String(kit.executions.get(replayId).orElseThrow().request().body())).isEqualTo("{\"id\":99}");
    }

    @Test
    void dryRunCountsTheMatchesAndReplaysNothing() {
        failures(7);

        JsonNode answer = api("POST", "/replays", "{\"filter\": " + unresolvedOriginals() + ", \"dryRun\": true}");

        assertThat(answer.get("matched").asLong()).isEqualTo(7);
        assertThat(answer.get("dryRun").asBoolean()).isTrue();
        assertThat(answer.get("id").isNull()).isTrue();
        assertThat(kit.replayJobQueue.pending()).isEmpty();
        assertThat(kit.executions.all()).hasSize(7);
    }

    @Test
    void bulkReplayReplaysEveryMatchOnceAndCompletes() {
        List<Execution> failed = failures(250);

        ApiResponse started = kit.api("POST", "/replays", "{\"filter\": " + unresolvedOriginals()
                + ", \"name\": \"after the outage\"}");
        assertThat(started.status()).isEqualTo(202);
        JsonNode job = FerryTestKit.json(started);
        assertThat(job.get("matched").asLong()).isEqualTo(250);
        assertThat(job.get("status").asText()).isEqualTo("RUNNING");
        kit.drainReplayJobs();

        JsonNode done = api("GET", "/replays/" + job.get("id").asText(), null);
        assertThat(done.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(done.get("dispatched").asLong()).isEqualTo(250);
        assertThat(done.get("name").asText()).isEqualTo("after the outage");
        assertThat(kit.queue.pending()).hasSize(250);
        kit.drainQueue();
        for (Execution f : failed) {
            assertThat(replaysOf(f.id())).singleElement().satisfies(r -> {
                assertThat(r.trigger()).isEqualTo(Trigger.REPLAY);
                assertThat(r.request()).isEqualTo(f.request());
                assertThat(r.replayJobId()).isEqualTo(job.get("id").asText());
            });
            assertThat(kit.executions.get(f.id()).orElseThrow().replays()).as("linked once it ran").hasSize(1);
        }
    }

    @Test
    void progressCountsTheReplaysOutcomesAsTheyRun() {
        failures(4);
        String id = api("POST", "/replays", "{\"filter\": " + unresolvedOriginals() + "}").get("id").asText();
        kit.drainReplayJobs();
        List<String> queued = kit.queue.drain();
        kit.httpAnswer = new HttpCallResult(200, Map.of(), "{}".getBytes());
        queued.subList(0, 3).forEach(kit.ferry.runner()::run);
        kit.httpAnswer = new HttpCallResult(500, Map.of(), new byte[0]);
        kit.ferry.runner().run(queued.get(3));

        JsonNode job = api("GET", "/replays/" + id, null);
        assertThat(job.get("succeeded").asLong()).isEqualTo(3);
        assertThat(job.get("failed").asLong()).isEqualTo(1);
    }

    @Test
    void aReDeliveredJobMessageReplaysNothingTwice() {
        List<Execution> failed = failures(150);
        // The first worker creates and queues a chunk of replays, then dies before its checkpoint.
        AtomicBoolean crash = new AtomicBoolean(true);
        ReplayJobStore flaky = failingFirstCheckpoint(kit.replayJobs, crash);
        Ferry firstWorker = new Ferry(kit.ferry.ports().withReplayJobs(flaky), kit.ferry.settings());
        String id = api("POST", "/replays", "{\"filter\": " + unresolvedOriginals() + "}").get("id").asText();
        String message = kit.replayJobQueue.drain().getFirst();
        try {
            firstWorker.replayJobs().work(message, kit.clock.instant().plusSeconds(600));
        } catch (IllegalStateException expected) {
            // the worker died mid-job; SQS delivers its message again
        }
        assertThat(kit.executions.all().stream().filter(e -> e.trigger() == Trigger.REPLAY)).hasSize(100);
        kit.ferry.runner().run(kit.queue.drain().getFirst()); // one of them already ran
        // SQS delivers the message again once the dead worker's invocation (and lease) has ended.
        kit.clock.advance(Duration.ofSeconds(601));

        kit.ferry.replayJobs().work(message, kit.clock.instant().plusSeconds(600));

        kit.drainQueue();
        for (Execution f : failed) {
            assertThat(replaysOf(f.id())).hasSize(1);
            assertThat(kit.executions.get(f.id()).orElseThrow().replays()).hasSize(1);
        }
        JsonNode job = api("GET", "/replays/" + id, null);
        assertThat(job.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(job.get("dispatched").asLong()).isEqualTo(150);
        assertThat(job.get("succeeded").asLong() + job.get("failed").asLong()).isEqualTo(150);
        assertThat(kit.executions.all().stream().filter(e -> e.trigger() == Trigger.REPLAY)
                .allMatch(e -> e.status().terminal())).isTrue();
    }

    @Test
    void rateLimitSpreadsTheReplaysOverTime() {
        failures(30);
        Instant start = kit.clock.instant();

        api("POST", "/replays", "{\"filter\": " + unresolvedOriginals() + ", \"ratePerSecond\": 10}");
        kit.drainReplayJobs();

        assertThat(Duration.between(start, kit.clock.instant())).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(kit.executions.all().stream().filter(e -> e.trigger() == Trigger.REPLAY)).hasSize(30);
    }

    @Test
    void workerNearItsDeadlineQueuesTheJobAgainAndGoesOnFromItsCheckpoint() {
        failures(30);
        String id = api("POST", "/replays", "{\"filter\": " + unresolvedOriginals() + ", \"ratePerSecond\": 10}")
                .get("id").asText();
        String message = kit.replayJobQueue.drain().getFirst();

        kit.ferry.replayJobs().work(message, kit.clock.instant().plusMillis(1500));

        assertThat(kit.replayJobQueue.pending()).containsExactly(id);
        long partial = api("GET", "/replays/" + id, null).get("dispatched").asLong();
        assertThat(partial).isBetween(10L, 20L);
        kit.drainReplayJobs();
        assertThat(api("GET", "/replays/" + id, null).get("dispatched").asLong()).isEqualTo(30);
    }

    @Test
    void aSecondWorkerOnALeasedJobLeavesItToTheFirst() {
        failures(30);
        String id = api("POST", "/replays", "{\"filter\": " + unresolvedOriginals() + "}").get("id").asText();
        String message = kit.replayJobQueue.drain().getFirst();
        // Another invocation holds the job (a duplicate delivery of its message while it runs).
        kit.replayJobs.lease(id, "the-other-worker", kit.clock.instant().plusSeconds(600), kit.clock.instant());

        kit.ferry.replayJobs().work(message, kit.clock.instant().plusSeconds(600));

        assertThat(api("GET", "/replays/" + id, null).get("dispatched").asLong()).isZero();
        assertThat(kit.executions.all().stream().filter(e -> e.trigger() == Trigger.REPLAY)).isEmpty();
    }

    @Test
    void cancelledJobStopsDispatching() {
        failures(30);
        String id = api("POST", "/replays", "{\"filter\": " + unresolvedOriginals() + ", \"ratePerSecond\": 10}")
                .get("id").asText();
        kit.ferry.replayJobs().work(kit.replayJobQueue.drain().getFirst(), kit.clock.instant().plusMillis(500));

        JsonNode cancelled = api("POST", "/replays/" + id + "/cancel", null);
        kit.drainReplayJobs();

        assertThat(cancelled.get("status").asText()).isEqualTo("CANCELLED");
        JsonNode job = api("GET", "/replays/" + id, null);
        assertThat(job.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(job.get("dispatched").asLong()).isEqualTo(10);
        assertThat(kit.executions.all().stream().filter(e -> e.trigger() == Trigger.REPLAY)).hasSize(10);
    }

    @Test
    void replaysOfAPausedInstanceAreHeld() {
        failures(3);
        kit.instances.update(kit.instances.get(demo.instanceId()).orElseThrow().withEnabled(false));

        api("POST", "/replays", "{\"filter\": " + unresolvedOriginals() + "}");
        kit.drainReplayJobs();

        assertThat(kit.executions.all().stream().filter(e -> e.trigger() == Trigger.REPLAY))
                .hasSize(3).allMatch(e -> e.status() == ExecutionStatus.HELD);
        assertThat(kit.queue.pending()).isEmpty();
    }

    @Test
    void jobWithNoMatchIsCompletedAtOnce() {
        JsonNode job = api("POST", "/replays", "{\"filter\": {\"status\": \"FAILED\"}}");
        assertThat(job.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(job.get("matched").asLong()).isZero();
        assertThat(kit.replayJobQueue.pending()).isEmpty();
    }

    @Test
    void badReplayJobRequestsAre400NamingTheFieldAndStartNothing() {
        assertThat(status("POST", "/replays", "{}")).isEqualTo(400);
        assertThat(field(kit.api("POST", "/replays", "{}"))).isEqualTo("filter");
        assertThat(field(kit.api("POST", "/replays", "{\"filter\": {}}"))).isEqualTo("filter");
        assertThat(field(kit.api("POST", "/replays", "{\"filter\": {\"status\": \"BROKEN\"}}"))).isEqualTo("filter.status");
        assertThat(field(kit.api("POST", "/replays", "{\"filter\": {\"since\": \"yesterday\"}}"))).isEqualTo("filter.since");
        assertThat(field(kit.api("POST", "/replays", "{\"filter\": {\"colour\": \"red\"}}"))).isEqualTo("filter.colour");
        assertThat(field(kit.api("POST", "/replays", "{\"filter\": {\"status\": \"FAILED\"}, \"ratePerSecond\": 0}")))
                .isEqualTo("ratePerSecond");
        assertThat(field(kit.api("POST", "/replays", "{\"filter\": {\"status\": \"FAILED\"}, \"dryRun\": \"yes\"}")))
                .isEqualTo("dryRun");
        assertThat(kit.replayJobQueue.pending()).isEmpty();
        assertThat(status("GET", "/replays/rpj_missing", null)).isEqualTo(404);
        assertThat(status("POST", "/replays/rpj_missing/cancel", null)).isEqualTo(404);
    }

    private static String field(ApiResponse r) {
        assertThat(r.status()).isEqualTo(400);
        return FerryTestKit.json(r).get("error").get("details").get(0).get("field").asText();
    }

    /** A job store whose first checkpoint throws (the worker dies) while {@code crash} is set. */
    private static ReplayJobStore failingFirstCheckpoint(ReplayJobStore real, AtomicBoolean crash) {
        return (ReplayJobStore) Proxy.newProxyInstance(ReplayJobStore.class.getClassLoader(),
                new Class<?>[] {ReplayJobStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("checkpoint") && crash.getAndSet(false)) {
                        throw new IllegalStateException("worker died before its checkpoint");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}

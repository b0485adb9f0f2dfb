package dev.ferry.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.Ferry;
import dev.ferry.core.Ports;
import dev.ferry.core.api.ApiResponse;
import dev.ferry.core.api.WebhookEndpoint;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionError;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.ScheduleSpec;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.testkit.FerryTestKit;
import dev.ferry.core.testkit.ScheduledIntegration;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PauseServiceTest {
    private final FerryTestKit kit = new FerryTestKit();
    private final ScheduledIntegration.Made made = ScheduledIntegration.create(kit);

    private ApiResponse pause() {
        return kit.api("POST", "/instances/" + made.instanceId() + "/pause", null);
    }

    private ApiResponse unpause() {
        return kit.api("POST", "/instances/" + made.instanceId() + "/unpause", null);
    }

    private void holdMode() {
        assertThat(kit.api("PATCH", "/instances/" + made.instanceId(), "{\"pauseMode\": \"HOLD\"}").status()).isEqualTo(200);
    }

    private ApiResponse webhook(int id) {
        kit.clock.advance(Duration.ofSeconds(1));
        return new WebhookEndpoint(kit.ferry.webhooks()).handle(made.token(), new ExecutionRequest("POST",
                ("{\"id\": " + id + "}").getBytes(StandardCharsets.UTF_8), Map.of("content-type", "application/json"),
                Map.of(), "application/json"));
    }

    private static String executionId(ApiResponse r) {
        return FerryTestKit.json(r).get("executionId").asText();
    }

    private Execution stored(String id) {
        return kit.executions.get(id).orElseThrow();
    }

    // ------------------------------------------------------------------ schedules and the instance

    @Test
    void pauseDisablesEveryScheduleAndUnpauseEnablesThem() {
        ApiResponse paused = pause();

        assertThat(paused.status()).isEqualTo(200);
        assertThat(FerryTestKit.json(paused).get("enabled").asBoolean()).isFalse();
        assertThat(FerryTestKit.json(paused).get("schedulesUpdated").asInt()).isEqualTo(2);
        assertThat(kit.schedules.all()).hasSize(2).noneMatch(ScheduleSpec::enabled);
        assertThat(kit.instances.get(made.instanceId()).orElseThrow().enabled()).isFalse();

        ApiResponse unpaused = unpause();

        assertThat(FerryTestKit.json(unpaused).get("enabled").asBoolean()).isTrue();
        assertThat(kit.schedules.all()).hasSize(2).allMatch(ScheduleSpec::enabled);
        assertThat(kit.schedules.get(made.morning()).orElseThrow().expression()).isEqualTo("cron(0 9 ? * MON-FRI *)");
        assertThat(kit.instances.get(made.instanceId()).orElseThrow().enabled()).isTrue();
    }

    @Test
    void pausingMakesOneSchedulerCallPerScheduledFlowAndNoOther() {
        kit.schedules.resetCalls();

        pause();
        pause();

        assertThat(kit.schedules.calls()).containsExactly("update " + made.everyMinute(), "update " + made.morning(),
                "update " + made.everyMinute(), "update " + made.morning());
    }

    @Test
    void aPausedInstanceShowsNoNextRun() {
        pause();

        JsonNode flows = FerryTestKit.json(kit.api("GET", "/instances/" + made.instanceId() + "/flow-configs", null)).get("items");

        assertThat(flows.get(0).get("nextRunAt").isNull()).isTrue();
        assertThat(flows.get(1).get("nextRunAt").isNull()).isTrue();
    }

    @Test
    void pausingAnUnknownInstanceIs404AndABodyFieldIs400() {
        assertThat(kit.api("POST", "/instances/ins_nope/pause", null).status()).isEqualTo(404);
        ApiResponse bad = kit.api("POST", "/instances/" + made.instanceId() + "/pause", "{\"mode\": \"HOLD\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.bodyText()).contains("mode");
        assertThat(kit.instances.get(made.instanceId()).orElseThrow().enabled()).isTrue();
    }

    @Test
    void whenTheSchedulerFailsPauseAnswers503AndRepeatingItFinishes() {
        kit.schedules.failWhen(call -> call.equals("update " + made.morning()));

        assertThat(pause().status()).isEqualTo(503);
        kit.schedules.failWhen(call -> false);
        assertThat(pause().status()).isEqualTo(200);

        assertThat(kit.schedules.all()).noneMatch(ScheduleSpec::enabled);
    }

    // ------------------------------------------------------------------ REJECT and HOLD

    @Test
    void pausedRejectInstanceAnswers503WithRetryAfterAndStoresNothing() {
        pause();

        ApiResponse r = webhook(1);

        assertThat(r.status()).isEqualTo(503);
        assertThat(r.headers()).containsEntry("retry-after", Integer.toString(WebhookService.PAUSED_RETRY_AFTER_SECONDS));
        assertThat(kit.executions.all()).isEmpty();
        assertThat(kit.queue.pending()).isEmpty();
    }

    @Test
    void holdModeHoldsWebhooksAndUnpauseRunsThemInArrivalOrder() {
        holdMode();
        pause();
        List<String> ids = List.of(executionId(webhook(1)), executionId(webhook(2)), executionId(webhook(3)));
        kit.drainQueue();
        assertThat(ids).allSatisfy(id -> assertThat(stored(id).status()).isEqualTo(ExecutionStatus.HELD));

        ApiResponse unpaused = unpause();
        assertThat(FerryTestKit.json(unpaused).get("held").get("released").asInt()).isEqualTo(3);
        assertThat(kit.queue.pending()).containsExactlyElementsOf(ids);
        kit.drainQueue();

        assertThat(ids).allSatisfy(id -> assertThat(stored(id).status()).isEqualTo(ExecutionStatus.SUCCEEDED));
        assertThat(stored(ids.get(1)).steps().get(0).output().get("id").asInt()).isEqualTo(2);
    }

    @Test
    void holdAnswers202WithTheHeldExecution() {
        holdMode();
        pause();

        ApiResponse r = webhook(1);

        assertThat(r.status()).isEqualTo(202);
        assertThat(FerryTestKit.json(r).get("status").asText()).isEqualTo("HELD");
        assertThat(kit.queue.pending()).isEmpty();
    }

    @Test
    void executionsQueuedBeforeThePauseAreHeldAndRunAfterUnpause() {
        String before = executionId(webhook(1));

        pause();
        kit.drainQueue();
        assertThat(stored(before).status()).isEqualTo(ExecutionStatus.HELD);
        unpause();
        kit.drainQueue();

        assertThat(stored(before).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void retryDueWhilePausedRunsAfterUnpause() {
        holdMode();
        pause();
        String heldWebhook = executionId(webhook(1));
        Execution original = Execution.builder().id("exe_original").instanceId(made.instanceId())
                .customerId(made.customerId()).flowConfigId(made.onOrder()).flow("On order").trigger(Trigger.WEBHOOK)
                .status(ExecutionStatus.FAILED).queuedAt(kit.clock.instant().minusSeconds(600)).attempt(1)
                .error(new ExecutionError("503 from upstream", "out", true))
                .request(new ExecutionRequest("POST", "{\"id\": 9}".getBytes(StandardCharsets.UTF_8),
                        Map.of("content-type", "application/json"), Map.of(), "application/json"))
                .build();
        kit.executions.create(original);
        // The retry falls due while paused: created and queued as the retry path does.
        kit.clock.advance(Duration.ofSeconds(1));
        Execution retry = original.toBuilder().id("exe_retry").trigger(Trigger.RETRY).status(ExecutionStatus.QUEUED)
                .error(null).queuedAt(kit.clock.instant()).attempt(2).retryOf(original.id()).build();
        kit.executions.create(retry);
        kit.queue.enqueue(retry.id());

        kit.drainQueue();
        assertThat(stored(retry.id()).status()).isEqualTo(ExecutionStatus.HELD);
        unpause();
        assertThat(kit.queue.pending()).containsExactly(heldWebhook, retry.id());
        kit.drainQueue();

        assertThat(stored(retry.id()).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(stored(retry.id()).steps().get(0).output().get("id").asInt()).isEqualTo(9);
        assertThat(stored(original.id()).resolved()).isTrue();
        assertThat(stored(heldWebhook).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void replaysWhilePausedAreHeldAndRunAfterUnpause() {
        String first = executionId(webhook(1));
        kit.drainQueue();
        pause();

        Execution replay = kit.ferry.replays().replay(first, null);
        unpause();
        kit.drainQueue();

        assertThat(replay.status()).isEqualTo(ExecutionStatus.HELD);
        assertThat(stored(replay.id()).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void testInvocationsRunWhilePaused() {
        pause();

        ApiResponse r = kit.api("POST", "/flow-configs/" + made.onOrder() + "/test", "{\"body\": {\"id\": 4}}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(FerryTestKit.json(r).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(FerryTestKit.json(r).get("trigger").asText()).isEqualTo("TEST");
    }

    @Test
    void anExecutionHeldJustAsTheInstanceIsUnpausedIsReleasedByWhoHeldIt() {
        String id = executionId(webhook(1));
        // The flow execution function read the instance as paused, but the unpause landed before it stored HELD.
        Execution held = stored(id).toBuilder().status(ExecutionStatus.HELD).build();
        kit.executions.save(held);
        kit.queue.drain();

        Execution after = kit.ferry.held().releaseIfUnpaused(held);

        assertThat(after.status()).isEqualTo(ExecutionStatus.QUEUED);
        assertThat(kit.queue.pending()).containsExactly(id);
        kit.drainQueue();
        assertThat(stored(id).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void unpauseLeavesWhatItCannotReleaseInTimeToTheQueueInOrder() {
        holdMode();
        pause();
        int n = HeldExecutions.PAGE + 20;
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) ids.add(executionId(webhook(i)));
        // A clock that moves a minute each time it is read: the request's release budget is spent after one page.
        Clock hurried = new Clock() {
            private Instant now = kit.clock.instant();
            @Override public ZoneId getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(ZoneId zone) { return this; }
            @Override public synchronized Instant instant() { return now = now.plusSeconds(60); }
        };
        Ports p = kit.ferry.ports();
        Ports hurriedPorts = p.withClock(hurried);
        PauseService pauses = new Ferry(hurriedPorts, kit.ferry.settings()).pauses();

        PauseService.Result r = pauses.unpause(made.instanceId());

        assertThat(r.release()).isEqualTo(new HeldExecutions.Release(HeldExecutions.PAGE, true));
        assertThat(kit.queue.pending()).containsExactlyElementsOf(ids.subList(0, HeldExecutions.PAGE));
        assertThat(kit.queue.pendingReleases()).containsExactly(made.instanceId());
        kit.drainQueue();
        assertThat(ids).allSatisfy(id -> assertThat(stored(id).status()).isEqualTo(ExecutionStatus.SUCCEEDED));
    }

    @Test
    void aReleaseRequestForAnInstancePausedAgainReleasesNothing() {
        holdMode();
        pause();
        String id = executionId(webhook(1));

        HeldExecutions.Release r = kit.ferry.pauses().continueRelease(made.instanceId());

        assertThat(r).isEqualTo(new HeldExecutions.Release(0, false));
        assertThat(stored(id).status()).isEqualTo(ExecutionStatus.HELD);
    }

    @Test
    void aRetryFromTheRetryQueueFallingDueWhilePausedRunsAfterUnpause() {
        FerryTestKit k = new FerryTestKit();
        ScheduledIntegration.Made m = ScheduledIntegration.create(k, """
                {"name": "Retrying", "flows": [{"name": "Sync", "trigger": {"type": "webhook"},
                  "retry": {"maxAttempts": 2, "delaySeconds": 60},
                  "steps": [{"name": "call", "type": "http", "method": "GET", "url": "https://api.example.test/x"}]}]}
                """, "");
        k.httpAnswer = new dev.ferry.core.model.HttpCallResult(503, Map.of(), new byte[0]);
        String original = FerryTestKit.json(new WebhookEndpoint(k.ferry.webhooks()).handle(m.token(), new ExecutionRequest(
                "POST", "{}".getBytes(StandardCharsets.UTF_8), Map.of(), Map.of(), "application/json"))).get("executionId").asText();
        k.drainQueue();
        assertThat(k.executions.get(original).orElseThrow().status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(k.api("POST", "/instances/" + m.instanceId() + "/pause", null).status()).isEqualTo(200);

        k.clock.set(k.retryQueue.nextDelivery());
        k.dispatchRetries();
        k.drainQueue();
        Execution retry = k.executions.all().stream().filter(e -> e.trigger() == Trigger.RETRY).findFirst().orElseThrow();
        assertThat(retry.status()).isEqualTo(ExecutionStatus.HELD);

        k.httpAnswer = new dev.ferry.core.model.HttpCallResult(200, Map.of(), "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(FerryTestKit.json(k.api("POST", "/instances/" + m.instanceId() + "/unpause", null))
                .get("held").get("released").asInt()).isEqualTo(1);
        k.drainQueue();

        assertThat(k.executions.get(retry.id()).orElseThrow().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(k.executions.get(original).orElseThrow().resolved()).isTrue();
    }
}

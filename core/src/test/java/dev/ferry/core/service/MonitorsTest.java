package dev.ferry.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.api.ApiResponse;
import dev.ferry.core.fakes.InMemoryMonitorEventQueue;
import dev.ferry.core.json.Json;
import dev.ferry.core.message.MonitorEvent;
import dev.ferry.core.model.Alert;
import dev.ferry.core.model.AlertDelivery;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.HttpCallRequest;
import dev.ferry.core.model.HttpCallResult;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.MonitorTriggerType;
import dev.ferry.core.testkit.FerryTestKit;
import dev.ferry.core.testkit.LogCapture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every monitor trigger (docs/api.md, "Monitors and alerts") on the in-memory application, with the test kit's clock: events go
 * through the (JSON-serializing) monitor queue, alerts to a recorded outbound HTTP.
 */
class MonitorsTest {
    static final String ALERTS = "https://alerts.example.test/hook";
    static final String OTHER = "https://other.example.test/hook";

    final FerryTestKit kit = new FerryTestKit();
    FerryTestKit.Demo demo;
    /** Answer of the alert receivers, by URL prefix; everything else gets the kit's http-step answer. */
    volatile int alertStatus = 200;
    volatile int otherStatus = 200;

    /** A flow that logs a WARN line naming the secret, then fails on request. */
    static final String FLOWS = """
            {"name": "Order sync",
             "configVariables": [{"key": "apiBase", "required": true}, {"key": "apiKey", "secret": true}],
             "flows": [{"name": "Sync", "trigger": {"type": "webhook"},
               "steps": [
                 {"name": "warn", "type": "log", "severity": "WARN", "message": "{% 'slow api with key ' & $config.apiKey %}"},
                 {"name": "wait", "type": "sleep", "seconds": "{% $exists($trigger.body.sleep) ? $trigger.body.sleep : 0 %}"},
                 {"name": "guard", "type": "fail", "if": "{% $trigger.body.fail = true %}",
                  "message": "{% 'order rejected by ' & $config.apiKey %}"}
               ]}]}
            """;

    @BeforeEach
    void seed() {
        demo = kit.seed(FLOWS);
        kit.httpHandler = request -> {
            if (request.url().startsWith(ALERTS)) return answer(alertStatus);
            if (request.url().startsWith(OTHER)) return answer(otherStatus);
            return kit.httpAnswer;
        };
    }

    static HttpCallResult answer(int status) {
        return new HttpCallResult(status, Map.of(), new byte[0]);
    }

    // ------------------------------------------------------------------ helpers

    String monitor(String triggers, String scope, String channels) {
        ApiResponse r = kit.api("POST", "/monitors", "{\"name\":\"Ops\",\"triggers\":[" + triggers + "],\"scope\":" + scope
                + ",\"channels\":[" + channels + "]}");
        assertThat(r.status()).as(r.bodyText()).isEqualTo(201);
        return FerryTestKit.json(r).get("id").asText();
    }

    String instanceScope() {
        return "{\"instanceId\":\"" + demo.instanceId() + "\"}";
    }

    static String hook(String url) {
        return "{\"type\":\"webhook\",\"url\":\"" + url + "\"}";
    }

    static String trigger(MonitorTriggerType t) {
        return "{\"type\":\"" + t + "\"}";
    }

    /** Sends a webhook and runs it (the execution queue), then evaluates the monitor events it caused. */
    Execution run(String body) {
        Execution accepted = kit.ferry.webhooks().accept(demo.token(), new ExecutionRequest("POST",
                body.getBytes(StandardCharsets.UTF_8), Map.of("content-type", "application/json"), Map.of(),
                "application/json"));
        kit.drainQueue();
        kit.drainMonitorEvents();
        return kit.executions.get(accepted.id()).orElseThrow();
    }

    List<HttpCallRequest> sentTo(String url) {
        synchronized (kit.httpRequests) {
            return kit.httpRequests.stream().filter(r -> r.url().startsWith(url)).toList();
        }
    }

    List<Alert> alertsOf(String monitorId) {
        return kit.alerts.all().stream().filter(a -> a.monitorId().equals(monitorId)).toList();
    }

    static JsonNode body(HttpCallRequest r) {
        return Json.tree(r.body());
    }

    // ------------------------------------------------------------------ per-execution triggers

    @Test
    void failedExecutionSendsOneSignedAlertWithTheDefaultBody() {
        String id = monitor(trigger(MonitorTriggerType.EXECUTION_FAILED), instanceScope(),
                "{\"type\":\"webhook\",\"url\":\"" + ALERTS + "\",\"secret\":\"whsec-1\",\"headers\":{\"X-Team\":\"ops\"}}");

        Execution e = run("{\"fail\": true}");

        assertThat(e.status()).isEqualTo(ExecutionStatus.FAILED);
        List<HttpCallRequest> sent = sentTo(ALERTS);
        assertThat(sent).hasSize(1);
        HttpCallRequest r = sent.get(0);
        JsonNode b = body(r);
        assertThat(b.get("trigger").asText()).isEqualTo("EXECUTION_FAILED");
        assertThat(b.get("monitorId").asText()).isEqualTo(id);
        assertThat(b.get("monitor").asText()).isEqualTo("Ops");
        assertThat(b.get("executionId").asText()).isEqualTo(e.id());
        assertThat(b.get("instanceId").asText()).isEqualTo(demo.instanceId());
        assertThat(b.get("customerId").asText()).isEqualTo(demo.customerId());
        assertThat(b.get("flow").asText()).isEqualTo("Sync");
        assertThat(b.get("subject").asText()).startsWith("Execution failed: flow 'Sync' of Acme orders at step 'guard'");
        assertThat(b.get("url").asText()).isEqualTo("https://hooks.example.test/console/executions/" + e.id());
        assertThat(Instant.parse(b.get("firedAt").asText())).isEqualTo(kit.clock.instant());
        assertThat(b.get("alertId").asText()).startsWith("alr_");
        assertThat(b.fieldNames()).toIterable().containsExactly("alertId", "monitorId", "monitor", "trigger", "subject",
                "instanceId", "customerId", "flow", "executionId", "firedAt", "url");
        assertThat(r.headers()).containsEntry("x-ferry-signature", AlertMessages.signature("whsec-1", r.body()))
                .containsEntry("x-team", "ops").containsEntry("content-type", "application/json");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).doesNotContain(FerryTestKit.SECRET);

        JsonNode listed = FerryTestKit.json(kit.api("GET", "/alerts", Map.of("monitorId", id), null)).get("items");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("deliveries").get(0).get("delivered").asBoolean()).isTrue();
        assertThat(listed.get(0).get("deliveries").get(0).get("status").asInt()).isEqualTo(200);
    }

    @Test
    void theSameEventDeliveredTwiceRaisesNoSecondAlert() {
        String id = monitor(trigger(MonitorTriggerType.EXECUTION_FAILED), instanceScope(), hook(ALERTS));
        Execution accepted = kit.ferry.webhooks().accept(demo.token(), new ExecutionRequest("POST",
                "{\"fail\":true}".getBytes(StandardCharsets.UTF_8), Map.of(), Map.of(), "application/json"));
        kit.drainQueue();
        List<InMemoryMonitorEventQueue.Sent> sent = kit.monitorEvents.pending();
        MonitorEvent ended = sent.stream().map(InMemoryMonitorEventQueue.Sent::event)
                .filter(ev -> ev.type() == MonitorEvent.Type.EXECUTION_ENDED).findFirst().orElseThrow();

        kit.drainMonitorEvents();
        kit.ferry.monitors().handle(ended);
        kit.ferry.monitors().handle(ended);

        assertThat(alertsOf(id)).singleElement().extracting(Alert::executionId).isEqualTo(accepted.id());
        assertThat(sentTo(ALERTS)).hasSize(1);
    }

    @Test
    void startedAndCompletedAlertForEachExecution() {
        String started = monitor(trigger(MonitorTriggerType.EXECUTION_STARTED), instanceScope(), hook(ALERTS));
        String completed = monitor(trigger(MonitorTriggerType.EXECUTION_COMPLETED), instanceScope(), hook(OTHER));

        Execution ok = run("{}");
        Execution failed = run("{\"fail\": true}");

        assertThat(alertsOf(started)).extracting(Alert::executionId).containsExactlyInAnyOrder(ok.id(), failed.id());
        assertThat(alertsOf(completed)).singleElement().satisfies(a -> {
            assertThat(a.executionId()).isEqualTo(ok.id());
            assertThat(a.subject()).startsWith("Execution succeeded: flow 'Sync' of Acme orders in");
        });
    }

    @Test
    void aFailureWithARetryPendingAlertsRetryPendingMonitorsAndNotFailedOnes() {
        String pending = monitor(trigger(MonitorTriggerType.EXECUTION_FAILED_RETRY_PENDING), instanceScope(), hook(ALERTS));
        String failed = monitor(trigger(MonitorTriggerType.EXECUTION_FAILED), instanceScope(), hook(OTHER));
        Instant now = kit.clock.instant();
        Execution willRetry = Execution.builder().id("exe_r1").instanceId(demo.instanceId()).customerId(demo.customerId())
                .flowConfigId(demo.flowConfigId()).flow("Sync").trigger(dev.ferry.core.model.Trigger.WEBHOOK)
                .status(ExecutionStatus.RUNNING).queuedAt(now).startedAt(now).attempt(1)
                .error(new dev.ferry.core.model.ExecutionError("HTTP 503", "fetch", true))
                .nextRetryAt(now.plusSeconds(60)).retriesRemaining(2).end(ExecutionStatus.FAILED, now).build();

        kit.ferry.monitors().events().executionEnded(willRetry, List.of());
        kit.drainMonitorEvents();
        kit.ferry.monitors().events().executionEnded(willRetry.toBuilder().id("exe_r2").nextRetryAt(null)
                .retriesRemaining(0).build(), List.of());
        kit.drainMonitorEvents();

        assertThat(alertsOf(pending)).singleElement().satisfies(a -> {
            assertThat(a.executionId()).isEqualTo("exe_r1");
            assertThat(a.subject()).contains("retry pending").contains("2 retries left");
        });
        assertThat(alertsOf(failed)).singleElement().extracting(Alert::executionId).isEqualTo("exe_r2");
    }

    @Test
    void durationExceededAlertsWhenAnExecutionEndsPastTheLimit() {
        String tenSeconds = monitor("{\"type\":\"EXECUTION_DURATION_EXCEEDED\",\"durationSeconds\":10}", instanceScope(), hook(ALERTS));
        String minute = monitor("{\"type\":\"EXECUTION_DURATION_EXCEEDED\",\"durationSeconds\":60}", instanceScope(), hook(OTHER));

        Execution slow = run("{\"sleep\": 20}");
        run("{\"sleep\": 5}");

        assertThat(slow.durationMs()).isEqualTo(20_000);
        assertThat(alertsOf(tenSeconds)).singleElement().satisfies(a -> {
            assertThat(a.executionId()).isEqualTo(slow.id());
            assertThat(a.subject()).isEqualTo("Execution took longer than 10 s: flow 'Sync' of Acme orders took 20.0 s and SUCCEEDED");
        });
        assertThat(alertsOf(minute)).isEmpty();
    }

    @Test
    void durationExceededAlertsOnceForAnExecutionStillRunningPastTheLimit() {
        String id = monitor("{\"type\":\"EXECUTION_DURATION_EXCEEDED\",\"durationSeconds\":90}", instanceScope(), hook(ALERTS));
        Execution running = startRunning();

        kit.clock.advance(Duration.ofSeconds(60));
        kit.ferry.monitors().sweep();
        assertThat(alertsOf(id)).isEmpty();
        kit.clock.advance(Duration.ofSeconds(60));
        kit.ferry.monitors().sweep();
        kit.clock.advance(Duration.ofSeconds(60));
        kit.ferry.monitors().sweep();

        assertThat(alertsOf(id)).singleElement().satisfies(a -> {
            assertThat(a.executionId()).isEqualTo(running.id());
            assertThat(a.subject()).isEqualTo("Execution running longer than 90 s: flow 'Sync' of Acme orders running for 120 s");
        });
        assertThat(sentTo(ALERTS)).hasSize(1);
    }

    /** An execution claimed by a flow execution function that then never finishes (a crash). */
    Execution startRunning() {
        Execution accepted = kit.ferry.webhooks().accept(demo.token(), new ExecutionRequest("POST", new byte[0],
                Map.of(), Map.of(), "application/json"));
        kit.queue.drain();
        return kit.executions.claim(accepted.id(), kit.clock.instant()).orElseThrow();
    }

    @Test
    void aStuckExecutionIsFailedThroughTheRunnerAndAlertsStuckAndFailedMonitors() {
        String stuck = monitor(trigger(MonitorTriggerType.EXECUTION_STUCK), instanceScope(), hook(ALERTS));
        String failed = monitor(trigger(MonitorTriggerType.EXECUTION_FAILED), instanceScope(), hook(OTHER));
        Execution running = startRunning();

        kit.clock.advance(Duration.ofMinutes(15));
        assertThat(kit.ferry.monitors().sweep().stuck()).as("still within the timeout and its grace").isZero();
        kit.clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        MonitorEvaluator.SweepResult result = kit.ferry.monitors().sweep();
        kit.drainMonitorEvents();

        assertThat(result.stuck()).isEqualTo(1);
        Execution after = kit.executions.get(running.id()).orElseThrow();
        assertThat(after.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(after.error().message()).startsWith("stuck: still running 961 s after it started");
        assertThat(after.error().retryable()).isTrue();
        assertThat(kit.logs.read(demo.instanceId(), running.id())).last()
                .satisfies(l -> assertThat(l.message()).startsWith("execution failed: stuck"));
        assertThat(alertsOf(stuck)).singleElement().satisfies(a -> {
            assertThat(a.trigger()).isEqualTo(MonitorTriggerType.EXECUTION_STUCK);
            assertThat(a.subject()).contains("past the 900 s function timeout; marked failed");
        });
        assertThat(alertsOf(failed)).singleElement().extracting(Alert::executionId).isEqualTo(running.id());

        kit.clock.advance(Duration.ofMinutes(1));
        assertThat(kit.ferry.monitors().sweep().stuck()).as("failed once").isZero();
    }

    @Test
    void logLevelMatchedAlertsOnTheMinimumSeverity() {
        String warn = monitor("{\"type\":\"LOG_LEVEL_MATCHED\",\"logSeverity\":\"WARN\"}", instanceScope(), hook(ALERTS));
        String error = monitor("{\"type\":\"LOG_LEVEL_MATCHED\",\"logSeverity\":\"ERROR\"}", instanceScope(), hook(OTHER));

        Execution ok = run("{}");

        assertThat(alertsOf(warn)).singleElement().satisfies(a -> {
            assertThat(a.executionId()).isEqualTo(ok.id());
            assertThat(a.subject()).startsWith("WARN logged by flow 'Sync' of Acme orders at step 'warn': slow api with key ");
            assertThat(a.subject()).doesNotContain(FerryTestKit.SECRET);
        });
        assertThat(alertsOf(error)).isEmpty();

        Execution failed = run("{\"fail\": true}");
        assertThat(alertsOf(error)).singleElement().extracting(Alert::executionId).isEqualTo(failed.id());
    }

    @Test
    void aTestRunAnswersTheOperatorAndRaisesNoAlert() {
        String id = monitor(trigger(MonitorTriggerType.EXECUTION_FAILED) + "," + trigger(MonitorTriggerType.EXECUTION_STARTED),
                instanceScope(), hook(ALERTS));

        ApiResponse r = kit.api("POST", "/flow-configs/" + demo.flowConfigId() + "/test", "{\"body\": {\"fail\": true}}");
        kit.drainMonitorEvents();

        assertThat(FerryTestKit.json(r).get("status").asText()).isEqualTo("FAILED");
        assertThat(alertsOf(id)).isEmpty();
        assertThat(kit.monitorEvents.pending()).isEmpty();
    }

    @Test
    void aMonitorAlertsOncePerExecutionWhateverNumberOfItsTriggersMatch() {
        String id = monitor(trigger(MonitorTriggerType.EXECUTION_FAILED) + ","
                + "{\"type\":\"LOG_LEVEL_MATCHED\",\"logSeverity\":\"WARN\"}", instanceScope(), hook(ALERTS));

        run("{\"fail\": true}");

        assertThat(alertsOf(id)).singleElement().extracting(Alert::trigger).isEqualTo(MonitorTriggerType.EXECUTION_FAILED);
    }

    // ------------------------------------------------------------------ state triggers (the sweep)

    @Test
    void anOverdueFlowAlertsOnceAndRecordsTheClearWhenItRunsAgain() {
        String id = monitor("{\"type\":\"EXECUTION_OVERDUE\",\"overdueMinutes\":10}", instanceScope(), hook(ALERTS));
        run("{}");

        kit.clock.advance(Duration.ofMinutes(9));
        kit.ferry.monitors().sweep();
        assertThat(alertsOf(id)).isEmpty();

        kit.clock.advance(Duration.ofMinutes(2));
        kit.ferry.monitors().sweep();
        kit.clock.advance(Duration.ofMinutes(1));
        kit.ferry.monitors().sweep();
        assertThat(alertsOf(id)).singleElement().satisfies(a -> {
            assertThat(a.trigger()).isEqualTo(MonitorTriggerType.EXECUTION_OVERDUE);
            assertThat(a.subject()).startsWith("Overdue: no execution of Acme orders started in the last 10 minutes (last: ");
            assertThat(a.clearedAt()).isNull();
        });
        assertThat(sentTo(ALERTS)).hasSize(1);

        kit.clock.advance(Duration.ofMinutes(3));
        Execution again = run("{}");
        kit.clock.advance(Duration.ofMinutes(1));
        kit.ferry.monitors().sweep();

        assertThat(alertsOf(id)).singleElement().extracting(Alert::clearedAt).isEqualTo(again.startedAt());
        kit.clock.advance(Duration.ofMinutes(1));
        kit.ferry.monitors().sweep();
        assertThat(alertsOf(id)).hasSize(1);

        kit.clock.advance(Duration.ofMinutes(11));
        kit.ferry.monitors().sweep();
        assertThat(alertsOf(id)).as("a new episode").hasSize(2);
    }

    @Test
    void anOverdueFlowCountsFromItsNewestStartThoughARunJustAfterAnotherSkipsRecordingIt() {
        String id = monitor("{\"type\":\"EXECUTION_OVERDUE\",\"overdueMinutes\":10}", instanceScope(), hook(ALERTS));
        Execution first = run("{}");
        kit.clock.advance(Duration.ofSeconds(5));
        Execution second = run("{}");
        assertThat(kit.instances.get(demo.instanceId()).orElseThrow().lastExecutedAt())
                .as("the second start is within the lag of the first: not written").isEqualTo(first.startedAt());

        kit.clock.set(second.startedAt().plus(Duration.ofMinutes(10)).minusSeconds(1));
        kit.ferry.monitors().sweep();
        assertThat(alertsOf(id)).as("10 minutes after the first start, not after the second").isEmpty();

        kit.clock.set(second.startedAt().plus(Duration.ofMinutes(10)).plusSeconds(1));
        kit.ferry.monitors().sweep();
        assertThat(alertsOf(id)).singleElement().satisfies(a -> assertThat(a.subject())
                .endsWith("(last: " + second.startedAt() + ")"));
    }

    @Test
    void failureRateAlertsOncePerEpisodeAndRecordsTheClear() {
        String id = monitor("{\"type\":\"FAILURE_RATE\",\"percent\":50,\"windowMinutes\":10,\"minExecutions\":3}",
                instanceScope(), hook(ALERTS));

        run("{\"fail\": true}");
        run("{\"fail\": true}");
        kit.ferry.monitors().sweep();
        assertThat(alertsOf(id)).as("fewer than minExecutions").isEmpty();

        run("{}");
        kit.ferry.monitors().sweep();
        kit.ferry.monitors().sweep();
        assertThat(alertsOf(id)).singleElement().satisfies(a -> assertThat(a.subject())
                .isEqualTo("Failure rate 66.7% (2 of 3 executions) over the last 10 minutes, at or above 50%: Acme orders"));

        run("{}");
        run("{}");
        kit.clock.advance(Duration.ofSeconds(30));
        kit.ferry.monitors().sweep();
        assertThat(alertsOf(id)).singleElement().extracting(Alert::clearedAt).isEqualTo(kit.clock.instant());
    }

    @Test
    void aDisabledInstanceAlertsOnceAndTheEnableIsRecordedAndAlerted() {
        String disabled = monitor(trigger(MonitorTriggerType.INSTANCE_DISABLED), instanceScope(), hook(ALERTS));
        String enabled = monitor(trigger(MonitorTriggerType.INSTANCE_ENABLED),
                "{\"customerId\":\"" + demo.customerId() + "\"}", hook(OTHER));
        Instance instance = kit.instances.get(demo.instanceId()).orElseThrow();

        // The sweep finds the state whoever paused it; the event (when the pause route publishes it) is immediate.
        kit.instances.update(instance.withEnabled(false));
        kit.ferry.monitors().sweep();
        kit.ferry.monitors().events().instanceEnabledChanged(instance.withEnabled(false));
        kit.drainMonitorEvents();
        kit.clock.advance(Duration.ofMinutes(1));
        kit.ferry.monitors().sweep();
        assertThat(alertsOf(disabled)).singleElement().satisfies(a -> {
            assertThat(a.subject()).isEqualTo("Instance disabled: Acme orders");
            assertThat(a.clearedAt()).isNull();
        });
        assertThat(alertsOf(enabled)).isEmpty();

        kit.clock.advance(Duration.ofMinutes(1));
        kit.instances.update(instance.withEnabled(true));
        kit.ferry.monitors().events().instanceEnabledChanged(instance.withEnabled(true));
        kit.drainMonitorEvents();
        kit.clock.advance(Duration.ofMinutes(1));
        kit.ferry.monitors().sweep();

        assertThat(alertsOf(disabled)).singleElement().extracting(Alert::clearedAt)
                .isEqualTo(kit.clock.instant().minus(Duration.ofMinutes(1)));
        assertThat(alertsOf(enabled)).singleElement().extracting(Alert::subject).isEqualTo("Instance enabled: Acme orders");
    }

    @Test
    void theSweepAloneSeesAnInstanceEnabledAgain() {
        String enabled = monitor(trigger(MonitorTriggerType.INSTANCE_ENABLED), instanceScope(), hook(ALERTS));
        Instance instance = kit.instances.get(demo.instanceId()).orElseThrow();

        kit.instances.update(instance.withEnabled(false));
        kit.ferry.monitors().sweep();
        kit.instances.update(instance.withEnabled(true));
        kit.ferry.monitors().sweep();
        kit.ferry.monitors().sweep();

        assertThat(alertsOf(enabled)).hasSize(1);
    }

    @Test
    void removingAnInstanceAlertsItsCustomersMonitorsNamingIt() {
        String removed = monitor(trigger(MonitorTriggerType.INSTANCE_REMOVED),
                "{\"customerId\":\"" + demo.customerId() + "\"}", hook(ALERTS));
        Instance instance = kit.instances.get(demo.instanceId()).orElseThrow();

        kit.ferry.monitors().events().instanceRemoved(instance);
        kit.drainMonitorEvents();
        kit.ferry.monitors().events().instanceRemoved(instance);
        kit.drainMonitorEvents();

        assertThat(alertsOf(removed)).singleElement().satisfies(a -> {
            assertThat(a.subject()).isEqualTo("Instance removed: Acme orders");
            assertThat(a.instanceId()).isEqualTo(demo.instanceId());
        });
    }

    // ------------------------------------------------------------------ delivery

    @Test
    void aFailingChannelIsRetriedWithBackoffAndRecordedWithoutBlockingOtherAlerts() {
        alertStatus = 503;
        String both = monitor(trigger(MonitorTriggerType.EXECUTION_FAILED), instanceScope(), hook(ALERTS) + "," + hook(OTHER));
        String other = monitor(trigger(MonitorTriggerType.EXECUTION_FAILED), instanceScope(), hook(OTHER));

        run("{\"fail\": true}");

        assertThat(alertsOf(other)).singleElement().satisfies(a -> assertThat(a.deliveries())
                .singleElement().extracting(AlertDelivery::delivered).isEqualTo(true));
        Alert alert = alertsOf(both).get(0);
        assertThat(alert.deliveries()).hasSize(2);
        AlertDelivery failedFirst = alert.deliveries().stream().filter(d -> d.channel() == 0).findFirst().orElseThrow();
        assertThat(failedFirst.delivered()).isFalse();
        assertThat(failedFirst.status()).isEqualTo(503);
        assertThat(failedFirst.error()).isEqualTo("answered HTTP 503");
        assertThat(failedFirst.nextAttemptAt()).isEqualTo(failedFirst.at().plusSeconds(30));
        assertThat(alert.deliveries().stream().filter(d -> d.channel() == 1)).singleElement()
                .extracting(AlertDelivery::delivered).isEqualTo(true);

        kit.clock.advance(Duration.ofSeconds(29));
        assertThat(kit.drainMonitorEvents()).as("not due yet").isZero();
        kit.clock.advance(Duration.ofSeconds(1));
        assertThat(kit.drainMonitorEvents()).isEqualTo(1);
        kit.clock.advance(Duration.ofMinutes(2));
        alertStatus = 200;
        kit.drainMonitorEvents();

        List<AlertDelivery> toFirst = alertsOf(both).get(0).deliveries().stream().filter(d -> d.channel() == 0).toList();
        assertThat(toFirst).extracting(AlertDelivery::attempt).containsExactly(1, 2, 3);
        assertThat(toFirst).extracting(AlertDelivery::delivered).containsExactly(false, false, true);
        assertThat(toFirst.get(1).nextAttemptAt()).isEqualTo(toFirst.get(1).at().plus(Duration.ofMinutes(2)));
        assertThat(sentTo(ALERTS)).hasSize(3);
        assertThat(kit.monitorEvents.pending()).isEmpty();
    }

    @Test
    void aChannelThatKeepsFailingIsTriedFiveTimesThenLeftRecorded() {
        alertStatus = 500;
        String id = monitor(trigger(MonitorTriggerType.EXECUTION_FAILED), instanceScope(), hook(ALERTS));

        try (LogCapture log = LogCapture.start()) {
            run("{\"fail\": true}");
            for (int i = 0; i < 10; i++) {
                kit.clock.advance(Duration.ofMinutes(15));
                kit.drainMonitorEvents();
            }

            List<JsonNode> warnings = log.withMessage("alert not delivered");
            assertThat(warnings).extracting(l -> l.get("attempt").asInt()).containsExactly(1, 2, 3, 4, 5);
            assertThat(warnings).extracting(l -> l.get("retry").asBoolean()).containsExactly(true, true, true, true, false);
            assertThat(warnings).allSatisfy(l -> {
                assertThat(l.get("level").asText()).isEqualTo("WARN");
                assertThat(l.get("monitorId").asText()).isEqualTo(id);
                assertThat(l.get("reason").asText()).isEqualTo("answered HTTP 500");
            });
            assertThat(warnings.get(0).get("instanceId").asText()).as("the first attempt, evaluating the execution's event")
                    .isEqualTo(demo.instanceId());
        }

        List<AlertDelivery> d = alertsOf(id).get(0).deliveries();
        assertThat(d).extracting(AlertDelivery::attempt).containsExactly(1, 2, 3, 4, 5);
        assertThat(d.get(4).nextAttemptAt()).isNull();
        assertThat(AlertNotifier.backoff(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(AlertNotifier.backoff(3)).isEqualTo(Duration.ofMinutes(8));
        assertThat(AlertNotifier.backoff(4)).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void anUnreachableChannelIsRecordedAndRetriedLikeA5xx() {
        kit.httpHandler = request -> {
            if (request.url().startsWith(ALERTS)) throw new IOException("connection refused");
            return kit.httpAnswer;
        };
        String id = monitor(trigger(MonitorTriggerType.EXECUTION_FAILED), instanceScope(), hook(ALERTS));

        run("{\"fail\": true}");

        AlertDelivery d = alertsOf(id).get(0).deliveries().get(0);
        assertThat(d.status()).isNull();
        assertThat(d.error()).isEqualTo("not delivered: connection refused");
        assertThat(d.nextAttemptAt()).isNotNull();
    }

    @Test
    void aTemplateGetsEveryVariableJsonEscapedAndTheSignatureCoversIt() {
        String template = "{\"text\":\"$SUBJECT\",\"name\":\"$NAME\",\"instance\":\"$INSTANCE\",\"instanceId\":\"$INSTANCE_ID\","
                + "\"execution\":\"$EXECUTION_ID\",\"customer\":\"$CUSTOMER\",\"external\":\"$CUSTOMER_EXTERNAL_ID\","
                + "\"flow\":\"$FLOW\",\"trigger\":\"$TRIGGER\",\"step\":\"$STEP\",\"url\":\"$URL\",\"cost\":\"$5\"}";
        monitor(trigger(MonitorTriggerType.EXECUTION_FAILED), instanceScope(), "{\"type\":\"webhook\",\"url\":\""
                + ALERTS + "\",\"secret\":\"k\",\"template\":" + Json.write(template) + "}");

        Execution e = run("{\"fail\": true}");

        HttpCallRequest r = sentTo(ALERTS).get(0);
        JsonNode b = body(r);
        assertThat(b.get("text").asText()).startsWith("Execution failed: flow 'Sync' of Acme orders at step 'guard': order rejected by ");
        assertThat(b.get("name").asText()).isEqualTo("Ops");
        assertThat(b.get("instance").asText()).isEqualTo("Acme orders");
        assertThat(b.get("instanceId").asText()).isEqualTo(demo.instanceId());
        assertThat(b.get("execution").asText()).isEqualTo(e.id());
        assertThat(b.get("customer").asText()).isEqualTo("Acme");
        assertThat(b.get("external").asText()).isEqualTo("acme-1");
        assertThat(b.get("flow").asText()).isEqualTo("Sync");
        assertThat(b.get("trigger").asText()).isEqualTo("EXECUTION_FAILED");
        assertThat(b.get("step").asText()).isEqualTo("guard");
        assertThat(b.get("url").asText()).isEqualTo("https://hooks.example.test/console/executions/" + e.id());
        assertThat(b.get("cost").asText()).isEqualTo("$5");
        assertThat(r.headers()).containsEntry("x-ferry-signature", AlertMessages.signature("k", r.body()));
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).doesNotContain(FerryTestKit.SECRET);
    }

    @Test
    void aPlainTextTemplateIsSentAsText() {
        assertThat(AlertMessages.render("$INSTANCE_ID: $SUBJECT \"quoted\"", Map.of("INSTANCE_ID", "ins_1",
                "SUBJECT", "it \"failed\""))).isEqualTo("ins_1: it \"failed\" \"quoted\"");
        assertThat(AlertMessages.signature("It's a Secret to Everybody", "Hello, World!".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    }

    @Test
    void noAlertTextCarriesASecretValue() {
        String id = monitor(trigger(MonitorTriggerType.EXECUTION_FAILED), instanceScope(), hook(ALERTS));
        monitor("{\"type\":\"LOG_LEVEL_MATCHED\",\"logSeverity\":\"WARN\"}", instanceScope(), hook(OTHER));

        run("{\"fail\": true}");

        assertThat(Json.write(kit.alerts.all())).doesNotContain(FerryTestKit.SECRET);
        assertThat(kit.httpRequests).filteredOn(r -> r.url().startsWith(ALERTS) || r.url().startsWith(OTHER)).hasSize(2)
                .allSatisfy(r -> assertThat(new String(r.body(), StandardCharsets.UTF_8)).doesNotContain(FerryTestKit.SECRET));
        assertThat(kit.api("GET", "/alerts", Map.of("monitorId", id), null).bodyText()).doesNotContain(FerryTestKit.SECRET);
    }

    // ------------------------------------------------------------------ scope

    @Test
    void evaluatingAnExecutionReadsOnlyTheMonitorsInItsScope() {
        for (int i = 0; i < 1000; i++) {
            kit.monitors.create(new dev.ferry.core.model.Monitor("mon_other_" + i, "Other " + i,
                    i % 2 == 0 ? dev.ferry.core.model.MonitorScope.instance("ins_other_" + i)
                            : dev.ferry.core.model.MonitorScope.customer("cus_other_" + i),
                    List.of(dev.ferry.core.model.MonitorTrigger.of(MonitorTriggerType.EXECUTION_FAILED)), List.of(),
                    kit.clock.instant()));
        }
        String mine = monitor(trigger(MonitorTriggerType.EXECUTION_FAILED), instanceScope(), hook(ALERTS));
        String customers = monitor(trigger(MonitorTriggerType.EXECUTION_FAILED),
                "{\"customerId\":\"" + demo.customerId() + "\"}", hook(ALERTS));
        String everything = monitor(trigger(MonitorTriggerType.EXECUTION_FAILED), "{}", hook(ALERTS));
        String otherFlowConfig = monitor(trigger(MonitorTriggerType.EXECUTION_FAILED), "{}", hook(ALERTS));
        kit.monitors.delete(otherFlowConfig);
        kit.monitors.scopeReads.set(0);

        run("{\"fail\": true}");

        assertThat(kit.monitors.scopeReads.get())
                .as("the 3 monitors in scope, read as the start's event was decided (none acts on a start: not sent), "
                        + "as the end's was (sent, carrying the start), and as the end was evaluated").isEqualTo(3 * 3);
        assertThat(kit.alerts.all()).extracting(Alert::monitorId).containsExactlyInAnyOrder(mine, customers, everything);
    }

    @Test
    void aFlowConfigScopedMonitorIgnoresTheInstancesOtherFlows() {
        String mine = monitor(trigger(MonitorTriggerType.EXECUTION_FAILED),
                "{\"flowConfigId\":\"" + demo.flowConfigId() + "\"}", hook(ALERTS));
        JsonNode m = FerryTestKit.json(kit.api("GET", "/monitors/" + mine, null));
        assertThat(m.get("scope").get("instanceId").asText()).as("named by its flow config").isEqualTo(demo.instanceId());
        Instant now = kit.clock.instant();
        Execution elsewhere = Execution.builder().id("exe_x").instanceId(demo.instanceId()).customerId(demo.customerId())
                .flowConfigId("flc_other").flow("Other").trigger(dev.ferry.core.model.Trigger.WEBHOOK)
                .status(ExecutionStatus.RUNNING).queuedAt(now).startedAt(now)
                .error(new dev.ferry.core.model.ExecutionError("x", null, false)).end(ExecutionStatus.FAILED, now).build();

        kit.ferry.monitors().events().executionEnded(elsewhere, List.of());
        kit.drainMonitorEvents();
        run("{\"fail\": true}");

        assertThat(alertsOf(mine)).singleElement().extracting(Alert::flowConfigId).isEqualTo(demo.flowConfigId());
    }

    @Test
    void aDeliveryRetryForADeletedMonitorDoesNothing() {
        alertStatus = 503;
        String id = monitor(trigger(MonitorTriggerType.EXECUTION_FAILED), instanceScope(), hook(ALERTS));
        run("{\"fail\": true}");

        assertThat(kit.api("DELETE", "/monitors/" + id, null).status()).isEqualTo(204);
        kit.clock.advance(Duration.ofMinutes(1));
        kit.drainMonitorEvents();

        assertThat(sentTo(ALERTS)).hasSize(1);
        assertThat(kit.api("GET", "/alerts", Map.of("monitorId", id), null).bodyText()).contains(id);
    }
}

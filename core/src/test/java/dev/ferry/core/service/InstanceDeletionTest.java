package dev.ferry.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.Ferry;
import dev.ferry.core.api.ApiResponse;
import dev.ferry.core.api.WebhookEndpoint;
import dev.ferry.core.error.StoreException;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.Alert;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionQuery;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.HttpCallResult;
import dev.ferry.core.model.MonitorTriggerType;
import dev.ferry.core.model.Page;
import dev.ferry.core.message.RetryMessage;
import dev.ferry.core.port.ExecutionStore;
import dev.ferry.core.testkit.FerryTestKit;
import dev.ferry.core.testkit.LogCapture;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InstanceDeletionTest {
    static final String ALERTS = "https://alerts.example.test/hook";

    /** A scheduled flow, and a webhook flow that calls an API (failing → retries) with a unique request id. */
    static final String DEFINITION = """
            {"name": "Order sync",
             "configVariables": [{"key": "apiBase", "required": true}],
             "flows": [
               {"name": "Every minute", "trigger": {"type": "schedule", "schedule": "rate(1 minute)"},
                "steps": [{"name": "tick", "type": "log", "message": "tick"}]},
               {"name": "On order", "trigger": {"type": "webhook"},
                "retry": {"maxAttempts": 3, "delaySeconds": 60, "uniqueRequestId": "{% $trigger.headers.'x-request-id' %}"},
                "steps": [{"name": "log", "type": "log", "severity": "WARN", "message": "{% 'order ' & $trigger.body.id %}"},
                          {"name": "fetch", "type": "http", "method": "GET", "url": "{% $config.apiBase & '/orders' %}"}]}
             ]}
            """;

    final FerryTestKit kit = new FerryTestKit();
    String customerId;
    String integrationId;
    Made doomed;
    Made other;

    record Made(String id, String name, String scheduledFlowConfigId, String webhookFlowConfigId, String token) {}

    @BeforeEach
    void seed() {
        customerId = FerryTestKit.json(kit.api("POST", "/customers", "{\"name\":\"Acme\"}")).get("id").asText();
        integrationId = FerryTestKit.json(kit.api("POST", "/integrations", DEFINITION)).get("id").asText();
        doomed = instance("Acme orders");
        other = instance("Acme other");
        kit.httpHandler = request -> request.url().startsWith(ALERTS)
                ? new HttpCallResult(200, Map.of(), new byte[0])
                : new HttpCallResult(500, Map.of(), "down".getBytes(StandardCharsets.UTF_8));
    }

    Made instance(String name) {
        ApiResponse r = kit.api("POST", "/instances", "{\"name\":\"" + name + "\",\"customerId\":\"" + customerId
                + "\",\"integrationId\":\"" + integrationId + "\",\"configVariables\":{\"apiBase\":\"https://api.example.test\"}}");
        assertThat(r.status()).as(r.bodyText()).isEqualTo(201);
        JsonNode node = FerryTestKit.json(r);
        JsonNode fcs = node.get("flowConfigs");
        String url = fcs.get(1).get("webhookUrl").asText();
        return new Made(node.get("id").asText(), name, fcs.get(0).get("id").asText(), fcs.get(1).get("id").asText(),
                url.substring(url.lastIndexOf('/') + 1));
    }

    ApiResponse webhook(Made m, String body, String requestId) {
        kit.clock.advance(Duration.ofSeconds(1));
        return new WebhookEndpoint(kit.ferry.webhooks()).handle(m.token(), new ExecutionRequest("POST",
                body.getBytes(StandardCharsets.UTF_8), Map.of("content-type", "application/json", "x-request-id", requestId),
                Map.of(), "application/json"));
    }

    String monitor(MonitorTriggerType trigger, String scope) {
        ApiResponse r = kit.api("POST", "/monitors", "{\"name\":\"Ops\",\"triggers\":[{\"type\":\"" + trigger
                + "\"}],\"scope\":" + scope + ",\"channels\":[{\"type\":\"webhook\",\"url\":\"" + ALERTS + "\"}]}");
        assertThat(r.status()).as(r.bodyText()).isEqualTo(201);
        return FerryTestKit.json(r).get("id").asText();
    }

    ApiResponse delete(String id, String confirm) {
        return kit.api("DELETE", "/instances/" + id, confirm == null ? Map.of() : Map.of("confirm", confirm), null);
    }

    /** Executions (failed with retries pending, a unique request holder each), logs, a schedule tick, a held one. */
    void busy(Made m) {
        webhook(m, "{\"id\": 1}", m.id() + "-1");
        webhook(m, "{\"id\": 2}", m.id() + "-2");
        kit.ferry.schedules().fire(m.scheduledFlowConfigId(), kit.clock.instant());
        kit.drainQueue();
        kit.drainMonitorEvents();
        assertThat(kit.api("PATCH", "/instances/" + m.id(), "{\"pauseMode\": \"HOLD\"}").status()).isEqualTo(200);
        assertThat(kit.api("POST", "/instances/" + m.id() + "/pause", null).status()).isEqualTo(200);
        assertThat(webhook(m, "{\"id\": 3}", m.id() + "-3").status()).isEqualTo(202);
    }

    List<Execution> executionsOf(String instanceId) {
        return kit.executions.all().stream().filter(e -> instanceId.equals(e.instanceId())).toList();
    }

    /** Every trace of the instance in the fakes, as text; empty when nothing is left. */
    List<String> tracesOf(Made m) {
        List<String> traces = new java.util.ArrayList<>();
        if (kit.instances.get(m.id()).isPresent() || kit.instances.getDeleting(m.id()).isPresent()) traces.add("instance");
        if (!kit.instances.listFlowConfigs(m.id()).isEmpty()) traces.add("flow configs");
        if (kit.instances.getFlowConfig(m.webhookFlowConfigId()).isPresent()) traces.add("flow config pointer");
        if (kit.instances.findRoute(m.token()).isPresent()) traces.add("route");
        kit.schedules.all().stream().filter(s -> s.flowConfigId().equals(m.scheduledFlowConfigId())).forEach(s -> traces.add("schedule"));
        executionsOf(m.id()).forEach(e -> traces.add("execution " + e.id()));
        if (kit.logs.instancesWithLogs().contains(m.id()) || !kit.logs.linesOf(m.id()).isEmpty()) traces.add("log group");
        kit.monitors.list(100, null).items().stream().filter(x -> m.id().equals(x.scope().instanceId()))
                .forEach(x -> traces.add("monitor " + x.id()));
        kit.alerts.all().stream().filter(a -> m.id().equals(a.instanceId()) && a.trigger() != MonitorTriggerType.INSTANCE_REMOVED)
                .forEach(a -> traces.add("alert " + a.key()));
        return traces;
    }

    // ------------------------------------------------------------------ the route

    @Test
    void deleteRemovesTheInstanceAndEverythingKeptForItAndLeavesOtherInstancesAlone() {
        busy(doomed);
        busy(other);
        String scoped = monitor(MonitorTriggerType.EXECUTION_FAILED_RETRY_PENDING, "{\"instanceId\":\"" + doomed.id() + "\"}");
        kit.drainQueue();
        assertThat(executionsOf(doomed.id())).extracting(Execution::status)
                .contains(ExecutionStatus.FAILED, ExecutionStatus.SUCCEEDED, ExecutionStatus.HELD);
        assertThat(kit.retryQueue.waiting()).isNotEmpty();
        int holders = kit.uniqueRequests.size();
        assertThat(holders).isEqualTo(4);
        assertThat(tracesOf(doomed)).contains("instance", "schedule", "log group", "monitor " + scoped);
        List<String> otherBefore = tracesOf(other);

        ApiResponse r = delete(doomed.id(), "Acme orders");

        assertThat(r.status()).as(r.bodyText()).isEqualTo(204);
        assertThat(tracesOf(doomed)).isEmpty();
        assertThat(kit.uniqueRequests.size()).isEqualTo(holders / 2);
        assertThat(tracesOf(other)).isEqualTo(otherBefore);
        assertThat(kit.api("GET", "/instances/" + doomed.id(), null).status()).isEqualTo(404);
        assertThat(kit.api("GET", "/instances", null).bodyText()).doesNotContain(doomed.id());
        assertThat(delete(doomed.id(), "Acme orders").status()).isEqualTo(404);
    }

    @Test
    void aWrongOrMissingConfirmIs400NamingTheFieldAndDeletesNothing() {
        busy(doomed);
        List<String> before = tracesOf(doomed);
        int executions = executionsOf(doomed.id()).size();

        for (String confirm : new String[] {null, "", "acme orders", "Acme orders "}) {
            ApiResponse r = delete(doomed.id(), confirm);
            assertThat(r.status()).as(String.valueOf(confirm)).isEqualTo(400);
            assertThat(FerryTestKit.json(r).at("/error/details/0/field").asText()).isEqualTo("confirm");
        }
        assertThat(kit.api("DELETE", "/instances/" + doomed.id(), Map.of("confirm", "Acme orders", "force", "1"), null)
                .status()).isEqualTo(400);

        assertThat(tracesOf(doomed)).isEqualTo(before);
        assertThat(executionsOf(doomed.id())).hasSize(executions);
        assertThat(kit.api("GET", "/instances/" + doomed.id(), null).status()).isEqualTo(200);
        assertThat(webhook(doomed, "{\"id\": 9}", "x").status()).isEqualTo(202);
    }

    @Test
    void anUnknownInstanceIs404() {
        assertThat(delete("ins_nope", "x").status()).isEqualTo(404);
    }

    @Test
    void aDeletionThatCrashedHalfwayIsGoneToEveryoneAndARepeatFinishesIt() {
        busy(doomed);
        monitor(MonitorTriggerType.EXECUTION_FAILED, "{\"instanceId\":\"" + doomed.id() + "\"}");
        AtomicInteger deletes = new AtomicInteger();
        ExecutionStore crashing = failingAfter(kit.executions, "deleteForInstance", 1, deletes);
        Ferry crashy = new Ferry(kit.ferry.ports().toBuilder().executions(crashing).build(), kit.ferry.settings());
        // One page of a few executions per call, so the crash comes halfway through them.
        ApiResponse r = crashy.api().handle(request("Acme orders"));

        assertThat(r.status()).isEqualTo(503);
        assertThat(executionsOf(doomed.id())).isNotEmpty();
        // Already gone to everyone else: API, webhooks, schedules' ticks, unpause.
        assertThat(kit.api("GET", "/instances/" + doomed.id(), null).status()).isEqualTo(404);
        assertThat(kit.api("POST", "/instances/" + doomed.id() + "/unpause", null).status()).isEqualTo(404);
        assertThat(webhook(doomed, "{\"id\": 4}", "y").status()).isEqualTo(404);
        assertThat(kit.ferry.schedules().fire(doomed.scheduledFlowConfigId(), kit.clock.instant()).outcome())
                .isEqualTo(ScheduleService.Outcome.SKIPPED);

        // Another customer's key cannot see it, deleting or not; the owner's key can resume the deletion.
        String otherCustomer = FerryTestKit.json(kit.api("POST", "/customers", "{\"name\":\"Other\"}")).get("id").asText();
        String othersKey = kit.createApiKey("other", otherCustomer);
        assertThat(kit.apiAs(othersKey, "DELETE", "/instances/" + doomed.id(), Map.of("confirm", "Acme orders"), null)
                .status()).isEqualTo(404);
        assertThat(executionsOf(doomed.id())).isNotEmpty();
        String ownersKey = kit.createApiKey("owner", customerId);
        ApiResponse again = kit.apiAs(ownersKey, "DELETE", "/instances/" + doomed.id(), Map.of("confirm", "Acme orders"), null);

        assertThat(again.status()).as(again.bodyText()).isEqualTo(204);
        assertThat(tracesOf(doomed)).isEmpty();
        assertThat(delete(doomed.id(), "Acme orders").status()).isEqualTo(404);
    }

    @Test
    void aLargeInstanceIsDeletedPartlyInTheRequestAndTheRestThroughTheQueue() {
        for (int i = 0; i < 250; i++) kit.ferry.webhooks().accept(doomed.token(), new ExecutionRequest("POST",
                ("{\"id\": " + i + "}").getBytes(StandardCharsets.UTF_8), Map.of(), Map.of(), "application/json"));
        kit.queue.drain();
        // Each page of deletions takes 6 s of the request's 10 s budget: two pages, then the queue.
        ExecutionStore slow = slowDeletes(kit.executions, Duration.ofSeconds(6));
        Ferry slowFerry = new Ferry(kit.ferry.ports().toBuilder().executions(slow).build(), kit.ferry.settings());

        ApiResponse r = slowFerry.api().handle(request("Acme orders"));

        assertThat(r.status()).as(r.bodyText()).isEqualTo(202);
        JsonNode answer = FerryTestKit.json(r);
        assertThat(answer.get("status").asText()).isEqualTo("DELETING");
        assertThat(answer.get("executionsDeleted").asLong()).isEqualTo(200);
        assertThat(answer.get("more").asBoolean()).isTrue();
        assertThat(executionsOf(doomed.id())).hasSize(50);
        assertThat(kit.api("GET", "/instances/" + doomed.id(), null).status()).isEqualTo(404);

        kit.drainQueue();

        assertThat(tracesOf(doomed)).isEmpty();
        assertThat(kit.queue.drainDeletions()).isEmpty();
    }

    // ------------------------------------------------------------------ what arrives afterwards

    @Test
    void aRetryMessageArrivingAfterTheDeletionIsDroppedCleanly() {
        webhook(doomed, "{\"id\": 1}", "r1");
        kit.drainQueue();
        kit.clock.set(kit.retryQueue.nextDelivery());
        RetryMessage message = kit.retryQueue.receive().getFirst();
        assertThat(delete(doomed.id(), "Acme orders").status()).isEqualTo(204);

        assertThat(kit.ferry.retryDispatcher().dispatch(message)).isEqualTo(RetryDispatcher.Outcome.DROPPED);

        assertThat(executionsOf(doomed.id())).isEmpty();
        assertThat(kit.queue.pending()).isEmpty();
        assertThat(kit.retryQueue.waiting()).isEmpty();
    }

    @Test
    void aRetryDispatchedWhileTheInstanceWasBeingDeletedIsDeletedByTheRunnerNotRun() {
        webhook(doomed, "{\"id\": 1}", "r1");
        kit.drainQueue();
        kit.clock.set(kit.retryQueue.nextDelivery());
        RetryMessage message = kit.retryQueue.receive().getFirst();
        kit.instances.markDeleting(doomed.id());
        assertThat(kit.ferry.retryDispatcher().dispatch(message)).isEqualTo(RetryDispatcher.Outcome.DISPATCHED);
        int calls = kit.httpRequests.size();

        kit.drainQueue();

        assertThat(kit.httpRequests).hasSize(calls);
        assertThat(executionsOf(doomed.id())).extracting(Execution::trigger).doesNotContain(dev.ferry.core.model.Trigger.RETRY);
        assertThat(kit.retryQueue.waiting()).isEmpty();
    }

    @Test
    void aScheduledTickAfterTheDeletionIsSkipped() {
        assertThat(delete(doomed.id(), "Acme orders").status()).isEqualTo(204);

        ScheduleService.Tick tick = kit.ferry.schedules().fire(doomed.scheduledFlowConfigId(), kit.clock.instant());

        assertThat(tick.outcome()).isEqualTo(ScheduleService.Outcome.SKIPPED);
        assertThat(executionsOf(doomed.id())).isEmpty();
        assertThat(kit.queue.pending()).isEmpty();
    }

    @Test
    void anExecutionMessageForADeletedInstanceDeletesTheExecutionInsteadOfRunningIt() {
        webhook(doomed, "{\"id\": 1}", "q1"); // queued, its message not consumed yet
        String queued = kit.queue.pending().getFirst();
        assertThat(delete(doomed.id(), "Acme orders").status()).isEqualTo(204);
        assertThat(executionsOf(doomed.id())).isEmpty();
        // A straggler, stored through a webhook route cached before the deletion, after it finished.
        kit.executions.create(Execution.builder().id("exe_late").instanceId(doomed.id()).customerId(customerId)
                .flowConfigId(doomed.webhookFlowConfigId()).flow("On order").trigger(dev.ferry.core.model.Trigger.WEBHOOK)
                .status(ExecutionStatus.QUEUED).queuedAt(kit.clock.instant()).attempt(1)
                .request(new ExecutionRequest("POST", new byte[0], Map.of(), Map.of(), null)).build());
        int calls = kit.httpRequests.size();

        try (LogCapture log = LogCapture.start()) {
            assertThat(kit.ferry.runner().run(queued)).isEmpty();
            assertThat(kit.ferry.runner().run("exe_late")).isEmpty();

            assertThat(log.withMessage("execution dropped: its instance is deleted")).allSatisfy(l -> {
                assertThat(l.get("level").asText()).isEqualTo("INFO");
                assertThat(l.get("instanceId").asText()).isEqualTo(doomed.id());
                assertThat(l.get("executionId").asText()).isEqualTo(l.get("id").asText());
            }).extracting(l -> l.get("id").asText()).as("the queued one went with the instance").containsExactly("exe_late");
        }

        assertThat(executionsOf(doomed.id())).isEmpty();
        assertThat(kit.httpRequests).hasSize(calls);
        assertThat(kit.logs.linesOf(doomed.id())).isEmpty();
    }

    @Test
    void aBulkReplayJobWorkingAfterTheDeletionSkipsTheInstancesExecutions() {
        webhook(doomed, "{\"id\": 1}", "b1");
        webhook(other, "{\"id\": 2}", "b2");
        kit.drainQueue();
        kit.clock.advance(Duration.ofSeconds(1));
        ApiResponse started = kit.api("POST", "/replays", "{\"filter\": {\"customerId\": \"" + customerId
                + "\", \"status\": \"FAILED\", \"originalsOnly\": true}}");
        assertThat(started.status()).as(started.bodyText()).isEqualTo(202);
        assertThat(delete(doomed.id(), "Acme orders").status()).isEqualTo(204);

        kit.drainReplayJobs();
        kit.drainQueue();

        assertThat(executionsOf(doomed.id())).isEmpty();
        assertThat(executionsOf(other.id())).extracting(Execution::trigger).contains(dev.ferry.core.model.Trigger.REPLAY);
        String jobId = FerryTestKit.json(started).get("id").asText();
        JsonNode job = FerryTestKit.json(kit.api("GET", "/replays/" + jobId, null));
        assertThat(job.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(job.get("matched").asLong()).isEqualTo(2);
        assertThat(job.get("dispatched").asLong()).isEqualTo(1);
    }

    @Test
    void aWebhookThroughARouteCachedBeforeTheDeletionLeavesNothingBehind() {
        assertThat(kit.api("PATCH", "/instances/" + doomed.id(), "{\"pauseMode\": \"HOLD\"}").status()).isEqualTo(200);
        assertThat(kit.api("POST", "/instances/" + doomed.id() + "/pause", null).status()).isEqualTo(200);
        Ferry cached = new Ferry(kit.ferry.ports(), kit.ferry.settings().withRouteCacheTtl(Duration.ofSeconds(5)));
        WebhookEndpoint endpoint = new WebhookEndpoint(cached.webhooks());
        ExecutionRequest request = new ExecutionRequest("POST", "{}".getBytes(StandardCharsets.UTF_8), Map.of(), Map.of(),
                "application/json");
        assertThat(endpoint.handle(doomed.token(), request).status()).isEqualTo(202); // the route is cached now
        assertThat(delete(doomed.id(), "Acme orders").status()).isEqualTo(204);

        ApiResponse late = endpoint.handle(doomed.token(), request);

        assertThat(late.status()).isEqualTo(202); // the cached route still says HOLD
        assertThat(executionsOf(doomed.id())).isEmpty();
        assertThat(kit.queue.pending()).isEmpty();
    }

    @Test
    void heldExecutionsAreNotReleasedForADeletedInstance() {
        busy(doomed);
        String held = executionsOf(doomed.id()).stream().filter(e -> e.status() == ExecutionStatus.HELD)
                .findFirst().orElseThrow().id();
        kit.instances.markDeleting(doomed.id());

        assertThat(kit.ferry.pauses().continueRelease(doomed.id()).released()).isZero();
        assertThat(kit.executions.get(held).orElseThrow().status()).isEqualTo(ExecutionStatus.HELD);
        assertThat(kit.queue.pending()).isEmpty();
    }

    // ------------------------------------------------------------------ INSTANCE_REMOVED

    @Test
    void instanceRemovedReachesTheInstancesOwnMonitorBeforeItGoesAndTheCustomersAfter() {
        String own = monitor(MonitorTriggerType.INSTANCE_REMOVED, "{\"instanceId\":\"" + doomed.id() + "\"}");
        String customers = monitor(MonitorTriggerType.INSTANCE_REMOVED, "{\"customerId\":\"" + customerId + "\"}");
        String everything = monitor(MonitorTriggerType.INSTANCE_REMOVED, "{}");

        assertThat(delete(doomed.id(), "Acme orders").status()).isEqualTo(204);
        // The instance's own monitor alerted and delivered in the request, then went with the instance.
        assertThat(alerts(own)).singleElement().extracting(Alert::subject).isEqualTo("Instance removed: Acme orders");
        assertThat(kit.monitors.get(own)).isEmpty();

        kit.drainMonitorEvents();
        kit.drainMonitorEvents();

        assertThat(alerts(customers)).singleElement().extracting(Alert::instanceId).isEqualTo(doomed.id());
        assertThat(alerts(everything)).hasSize(1);
        List<JsonNode> delivered = kit.httpRequests.stream().filter(r -> r.url().startsWith(ALERTS))
                .map(r -> Json.tree(r.body())).toList();
        assertThat(delivered).hasSize(3).allSatisfy(b -> {
            assertThat(b.get("trigger").asText()).isEqualTo("INSTANCE_REMOVED");
            assertThat(b.get("instanceId").asText()).isEqualTo(doomed.id());
        });
        assertThat(delivered).extracting(b -> b.get("monitorId").asText()).containsExactlyInAnyOrder(own, customers, everything);
        // A repeated DELETE (404 now) raises nothing new.
        assertThat(delete(doomed.id(), "Acme orders").status()).isEqualTo(404);
        kit.drainMonitorEvents();
        assertThat(kit.httpRequests.stream().filter(r -> r.url().startsWith(ALERTS))).hasSize(3);
    }

    @Test
    void alertsAboutTheInstanceGoButItsRemovalAlertStays() {
        String customers = monitor(MonitorTriggerType.EXECUTION_FAILED_RETRY_PENDING, "{\"customerId\":\"" + customerId + "\"}");
        String removed = monitor(MonitorTriggerType.INSTANCE_REMOVED, "{\"customerId\":\"" + customerId + "\"}");
        webhook(doomed, "{\"id\": 1}", "a1");
        webhook(other, "{\"id\": 2}", "a2");
        kit.drainQueue();
        kit.drainMonitorEvents();
        assertThat(alerts(customers)).hasSize(2);

        assertThat(delete(doomed.id(), "Acme orders").status()).isEqualTo(204);
        kit.drainMonitorEvents();

        assertThat(alerts(customers)).singleElement().extracting(Alert::instanceId).isEqualTo(other.id());
        assertThat(alerts(removed)).singleElement().extracting(Alert::trigger).isEqualTo(MonitorTriggerType.INSTANCE_REMOVED);
    }

    @Test
    void theCustomersMonitorsOpenEpisodesAboutTheInstanceAreClosed() {
        String disabled = monitor(MonitorTriggerType.INSTANCE_DISABLED, "{\"customerId\":\"" + customerId + "\"}");
        assertThat(kit.api("POST", "/instances/" + doomed.id() + "/pause", null).status()).isEqualTo(200);
        assertThat(kit.api("POST", "/instances/" + other.id() + "/pause", null).status()).isEqualTo(200);
        kit.ferry.monitors().sweep();
        assertThat(kit.monitors.episodes(disabled)).hasSize(2);

        assertThat(delete(doomed.id(), "Acme orders").status()).isEqualTo(204);

        assertThat(kit.monitors.episodes(disabled)).extracting(dev.ferry.core.model.MonitorEpisode::subject)
                .singleElement().asString().contains(other.id());
        assertThat(kit.monitors.get(disabled)).isPresent();
    }

    // ------------------------------------------------------------------ helpers

    List<Alert> alerts(String monitorId) {
        return kit.alerts.all().stream().filter(a -> a.monitorId().equals(monitorId)).toList();
    }

    dev.ferry.core.api.ApiRequest request(String confirm) {
        return new dev.ferry.core.api.ApiRequest("DELETE", "/instances/" + doomed.id(), Map.of("confirm", confirm),
                Map.of("authorization", "Bearer " + FerryTestKit.ADMIN_KEY), null, "https://api.example.test");
    }

    /** The store, except that {@code method} throws (a crash) once it has been called {@code okCalls} times. */
    static ExecutionStore failingAfter(ExecutionStore real, String method, int okCalls, AtomicInteger calls) {
        return (ExecutionStore) Proxy.newProxyInstance(ExecutionStore.class.getClassLoader(),
                new Class<?>[] {ExecutionStore.class}, (proxy, m, args) -> {
                    if (m.getName().equals(method) && calls.incrementAndGet() > okCalls) {
                        throw new StoreException("crashed after " + okCalls + " " + method + " calls", null);
                    }
                    if (m.getName().equals(method)) args[1] = 2; // small pages: the crash lands halfway
                    return invoke(real, m, args);
                });
    }

    /** The store, with the clock advanced by {@code each} on every deleteForInstance call. */
    ExecutionStore slowDeletes(ExecutionStore real, Duration each) {
        return (ExecutionStore) Proxy.newProxyInstance(ExecutionStore.class.getClassLoader(),
                new Class<?>[] {ExecutionStore.class}, (proxy, m, args) -> {
                    if (m.getName().equals("deleteForInstance")) kit.clock.advance(each);
                    return invoke(real, m, args);
                });
    }

    static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}

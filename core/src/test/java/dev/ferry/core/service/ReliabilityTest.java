package dev.ferry.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.Ferry;
import dev.ferry.core.error.StoreException;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.HttpCallRequest;
import dev.ferry.core.model.HttpCallResult;
import dev.ferry.core.model.Severity;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.port.ExecutionStore;
import dev.ferry.core.testkit.FerryTestKit;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Faults in the core's own terms: a store write applied after its caller gave up, a claim whose
 * answer is lost, a function that dies mid-flow. Each ends in exactly one terminal execution per
 * accepted request, and nothing the sender was refused ever runs.
 */
class ReliabilityTest {
    private final FerryTestKit kit = new FerryTestKit();
    private final FerryTestKit.Demo demo = kit.seedDemo();

    private static ExecutionRequest body(String json) {
        return new ExecutionRequest("POST", json.getBytes(StandardCharsets.UTF_8), Map.of("content-type", "application/json"),
                Map.of(), "application/json");
    }

    /** The kit's store, with {@code method} applying its write and then failing as a timed-out call does. */
    private ExecutionStore appliedButTimedOut(String method, AtomicInteger times) {
        ExecutionStore real = kit.executions;
        InvocationHandler h = (proxy, m, args) -> {
            Object result;
            try {
                result = m.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (m.getName().equals(method) && times.getAndDecrement() > 0) {
                throw new StoreException("DynamoDB did not answer within 3000 ms", null);
            }
            return result;
        };
        return (ExecutionStore) Proxy.newProxyInstance(ExecutionStore.class.getClassLoader(),
                new Class<?>[] {ExecutionStore.class}, h);
    }

    private List<Execution> executions() {
        return kit.executions.all();
    }

    private long calls(String path) {
        return kit.httpRequests.stream().map(HttpCallRequest::url).filter(u -> u.endsWith(path)).count();
    }

    // ------------------------------------------------------------------ a write applied after the sender got 503

    @Test
    void aWebhookStoredAfterItsSenderWasAnswered503IsWithdrawnByTheSweepAndNeverRuns() {
        WebhookService late = new Ferry(kit.ferry.ports().withExecutions(appliedButTimedOut("create", new AtomicInteger(1))),
                kit.ferry.settings()).webhooks();
        assertThatThrownBy(() -> late.accept(demo.token(), body("{\"id\": 1}"))).isInstanceOf(StoreException.class);
        // The sender sends it again, as on any 5xx.
        Execution resent = kit.ferry.webhooks().accept(demo.token(), body("{\"id\": 1}"));
        kit.drainQueue();
        Execution orphan = executions().stream().filter(e -> !e.id().equals(resent.id())).findFirst().orElseThrow();
        assertThat(orphan.status()).as("stored although refused, never enqueued").isEqualTo(ExecutionStatus.QUEUED);

        kit.clock.advance(Duration.ofMinutes(14));
        assertThat(kit.ferry.monitors().sweep().unacknowledged()).as("within the bound: left alone").isZero();
        kit.clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        assertThat(kit.ferry.monitors().sweep().unacknowledged()).isEqualTo(1);

        Execution withdrawn = kit.executions.get(orphan.id()).orElseThrow();
        assertThat(withdrawn.status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(withdrawn.error().message()).startsWith("not acknowledged to the sender: stored ");
        assertThat(kit.logs.read(demo.instanceId(), orphan.id())).singleElement().satisfies(l -> {
            assertThat(l.severity()).isEqualTo(Severity.WARN);
            assertThat(l.message()).startsWith("execution cancelled: not acknowledged to the sender");
        });
        assertThat(kit.executions.get(resent.id()).orElseThrow().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(calls("/orders/1")).as("the request ran once").isEqualTo(1);
        assertThat(kit.ferry.monitors().sweep().unacknowledged()).as("withdrawn once").isZero();
    }

    @Test
    void anAcknowledgedWebhookWaitingPastTheBoundIsWithdrawnButItsMessageStillRunsItOnce() {
        Execution accepted = kit.ferry.webhooks().accept(demo.token(), body("{\"id\": 2}"));
        kit.clock.advance(Duration.ofMinutes(16)); // a long backlog: the message has not been received yet
        assertThat(kit.ferry.monitors().sweep().unacknowledged()).isEqualTo(1);

        List<String> messages = kit.queue.drain();
        assertThat(messages).containsExactly(accepted.id());
        Execution ran = kit.ferry.runner().run(accepted.id(), "msg-1").orElseThrow();
        assertThat(kit.ferry.runner().run(accepted.id(), "msg-1")).as("a second delivery").isEmpty();

        assertThat(ran.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(ran.error()).isNull();
        assertThat(calls("/orders/2")).isEqualTo(1);
    }

    @Test
    void retriesScheduleTicksReplaysAndReleasedExecutionsAreNeverWithdrawn() {
        kit.executions.create(Execution.builder().id("exe_retry").instanceId(demo.instanceId()).customerId(demo.customerId())
                .flowConfigId(demo.flowConfigId()).flow("On new order").trigger(Trigger.RETRY).retryOf("exe_x").attempt(2)
                .queuedAt(kit.clock.instant()).build());
        kit.executions.create(Execution.builder().id("exe_tick").instanceId(demo.instanceId()).customerId(demo.customerId())
                .flowConfigId(demo.flowConfigId()).flow("On new order").trigger(Trigger.SCHEDULE)
                .queuedAt(kit.clock.instant()).build());
        kit.executions.create(Execution.builder().id("exe_bulk").instanceId(demo.instanceId()).customerId(demo.customerId())
                .flowConfigId(demo.flowConfigId()).flow("On new order").trigger(Trigger.REPLAY).replayOf("exe_x")
                .replayJobId("rpj_1").queuedAt(kit.clock.instant()).build());
        kit.executions.create(Execution.builder().id("exe_held").instanceId(demo.instanceId()).customerId(demo.customerId())
                .flowConfigId(demo.flowConfigId()).flow("On new order").trigger(Trigger.WEBHOOK).status(ExecutionStatus.HELD)
                .queuedAt(kit.clock.instant()).build());
        kit.executions.release("exe_held");

        kit.clock.advance(Duration.ofHours(3));

        assertThat(kit.ferry.monitors().sweep().unacknowledged()).isZero();
        assertThat(executions()).allSatisfy(e -> assertThat(e.status()).isEqualTo(ExecutionStatus.QUEUED));
    }

    // ------------------------------------------------------------------ a claim whose answer is lost

    @Test
    void aClaimAppliedAfterItsAnswerWasLostIsTakenBackByTheSameDeliveryAndRunsOnce() {
        Execution accepted = kit.ferry.webhooks().accept(demo.token(), body("{\"id\": 3}"));
        kit.queue.drain();
        Ferry flaky = new Ferry(kit.ferry.ports().withExecutions(appliedButTimedOut("claim", new AtomicInteger(2))),
                kit.ferry.settings());

        Execution ran = flaky.runner().run(accepted.id(), "msg-3").orElseThrow();

        assertThat(ran.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(calls("/orders/3")).isEqualTo(1);
        assertThat(kit.logs.read(demo.instanceId(), accepted.id())).filteredOn(l -> l.message().startsWith("execution started"))
                .hasSize(1);
        assertThat(kit.ferry.runner().run(accepted.id(), "msg-3")).as("the message delivered again").isEmpty();
    }

    @Test
    void aClaimThatStaysUnansweredFailsTheDeliveryAndTheExecutionIsRunByTheRedeliveryAfterTheTimeout() {
        Execution accepted = kit.ferry.webhooks().accept(demo.token(), body("{\"id\": 4}"));
        kit.queue.drain();
        Ferry down = new Ferry(kit.ferry.ports().withExecutions(appliedButTimedOut("claim", new AtomicInteger(99))),
                kit.ferry.settings());
        assertThatThrownBy(() -> down.runner().run(accepted.id(), "msg-4")).isInstanceOf(StoreException.class);
        assertThat(kit.executions.get(accepted.id()).orElseThrow().status()).as("claimed, not run").isEqualTo(ExecutionStatus.RUNNING);

        kit.clock.advance(Duration.ofMinutes(2));
        assertThat(kit.ferry.runner().run(accepted.id(), "msg-4")).as("redelivered before the timeout").isEmpty();
        kit.clock.advance(Duration.ofMinutes(14));
        Execution ran = kit.ferry.runner().run(accepted.id(), "msg-4").orElseThrow();

        assertThat(ran.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(calls("/orders/4")).isEqualTo(1);
        assertThat(kit.ferry.monitors().sweep().stuck()).isZero();
    }

    @Test
    void aLogStoreThatCannotMakeTheRunsStreamGivesTheClaimBackBeforeAnyStepAndTheNextDeliveryRunsIt() {
        Execution accepted = kit.ferry.webhooks().accept(demo.token(), body("{\"id\": 5}"));
        kit.queue.drain();
        dev.ferry.core.port.LogStore real = kit.logs;
        dev.ferry.core.port.LogStore down = (dev.ferry.core.port.LogStore) Proxy.newProxyInstance(
                dev.ferry.core.port.LogStore.class.getClassLoader(), new Class<?>[] {dev.ferry.core.port.LogStore.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("ensureStream")) throw new StoreException("CloudWatch Logs did not answer", null);
                    try {
                        return m.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Ferry noLogs = new Ferry(kit.ferry.ports().toBuilder().logs(down).build(), kit.ferry.settings());

        assertThatThrownBy(() -> noLogs.runner().run(accepted.id(), "msg-5")).isInstanceOf(StoreException.class);
        assertThat(kit.executions.get(accepted.id()).orElseThrow().status()).as("given back, nothing ran")
                .isEqualTo(ExecutionStatus.QUEUED);
        assertThat(calls("/orders/5")).isZero();

        Execution ran = kit.ferry.runner().run(accepted.id(), "msg-5").orElseThrow();
        assertThat(ran.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(calls("/orders/5")).isEqualTo(1);
        assertThat(kit.logs.read(demo.instanceId(), accepted.id())).filteredOn(l -> l.message().startsWith("execution started"))
                .hasSize(1);
    }

    @Test
    void linesTheLogStoreFinallyRefusesAreCountedOnTheExecutionWhichStillSucceeds() {
        Execution accepted = kit.ferry.webhooks().accept(demo.token(), body("{\"id\": 6}"));
        kit.queue.drain();
        dev.ferry.core.port.LogStore real = kit.logs;
        dev.ferry.core.port.LogStore throttled = (dev.ferry.core.port.LogStore) Proxy.newProxyInstance(
                dev.ferry.core.port.LogStore.class.getClassLoader(), new Class<?>[] {dev.ferry.core.port.LogStore.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("append")) throw new StoreException("PutLogEvents throttled 4 times", null);
                    try {
                        return m.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Ferry noLogs = new Ferry(kit.ferry.ports().toBuilder().logs(throttled).build(), kit.ferry.settings());

        Execution ran = noLogs.runner().run(accepted.id(), "msg-6").orElseThrow();

        assertThat(ran.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(ran.logLinesDropped()).as("every line of the run").isGreaterThanOrEqualTo(2);
        assertThat(kit.executions.get(accepted.id()).orElseThrow().logLinesDropped()).isEqualTo(ran.logLinesDropped());
        assertThat(FerryTestKit.json(kit.api("GET", "/executions/" + accepted.id(), null)).get("logLinesDropped").asInt())
                .isEqualTo(ran.logLinesDropped());
    }

    @Test
    void anExecutionWhoseLinesAllLandedShowsNoneDropped() {
        Execution accepted = kit.ferry.webhooks().accept(demo.token(), body("{\"id\": 7}"));
        kit.drainQueue();

        assertThat(FerryTestKit.json(kit.api("GET", "/executions/" + accepted.id(), null)).get("logLinesDropped").asInt())
                .isZero();
        assertThat(kit.logs.read(demo.instanceId(), accepted.id())).isNotEmpty();
    }

    // ------------------------------------------------------------------ a function that dies mid-flow

    static final String TWO_EFFECTS = """
            {
              "name": "Two effects",
              "configVariables": [{"key": "apiBase", "required": true}, {"key": "apiKey", "secret": true}],
              "flows": [{
                "name": "Sync",
                "trigger": {"type": "webhook"},
                "retry": {"maxAttempts": 3, "delaySeconds": 60},
                "steps": [
                  {"name": "first", "type": "http", "method": "POST", "url": "{% $config.apiBase & '/first' %}", "body": "{% $trigger.body %}"},
                  {"name": "second", "type": "http", "method": "POST", "url": "{% $config.apiBase & '/second' %}", "body": "{% $trigger.body %}"}
                ]
              }]
            }
            """;

    @Test
    void aFunctionDyingMidFlowIsFoundStuckAndRetriedToExactlyOneSuccess() {
        FerryTestKit k = new FerryTestKit();
        FerryTestKit.Demo d = k.seed(TWO_EFFECTS);
        AtomicInteger crashes = new AtomicInteger(1);
        Map<String, AtomicInteger> received = Map.of("/first", new AtomicInteger(), "/second", new AtomicInteger());
        k.httpHandler = r -> {
            if (r.url().endsWith("/second") && crashes.getAndDecrement() > 0) {
                throw new OutOfMemoryError("the function was killed mid-flow"); // an Error: nothing in the runner catches it
            }
            received.get(r.url().substring(r.url().lastIndexOf('/'))).incrementAndGet();
            return new HttpCallResult(200, Map.of("content-type", "application/json"), "{}".getBytes(StandardCharsets.UTF_8));
        };
        Execution accepted = k.ferry.webhooks().accept(d.token(), body("{\"order\": 9}"));
        assertThat(k.queue.drain()).containsExactly(accepted.id());
        assertThatThrownBy(() -> k.ferry.runner().run(accepted.id(), "msg-9")).isInstanceOf(OutOfMemoryError.class);
        assertThat(k.executions.get(accepted.id()).orElseThrow().status()).isEqualTo(ExecutionStatus.RUNNING);

        k.clock.advance(Duration.ofMinutes(16).plusSeconds(1));
        assertThat(k.ferry.monitors().sweep().stuck()).isEqualTo(1);
        k.clock.advance(Duration.ofMinutes(1));
        k.dispatchRetries();
        k.drainQueue();
        // The message of the dead invocation comes back after the queue's visibility timeout: it finds nothing to run.
        k.clock.advance(Duration.ofMinutes(90));
        assertThat(k.ferry.runner().run(accepted.id(), "msg-9")).isEmpty();
        k.dispatchRetries();
        k.drainQueue();

        List<Execution> chain = k.executions.all();
        assertThat(chain).hasSize(2);
        Execution original = k.executions.get(accepted.id()).orElseThrow();
        assertThat(original.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(original.error().message()).startsWith("stuck: still running");
        assertThat(original.resolved()).isTrue();
        Execution retry = chain.stream().filter(e -> !e.original()).findFirst().orElseThrow();
        assertThat(retry.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(retry.retryOf()).isEqualTo(accepted.id());
        assertThat(retry.attempt()).isEqualTo(2);
        // At least once: the step before the crash reached its receiver in the dead attempt and again in
        // the retry; the step the crash interrupted (before its request left) reached it once.
        assertThat(received.get("/first")).hasValue(2);
        assertThat(received.get("/second")).hasValue(1);
        assertThat(chain.stream().filter(e -> e.status() == ExecutionStatus.SUCCEEDED)).hasSize(1);
    }
}

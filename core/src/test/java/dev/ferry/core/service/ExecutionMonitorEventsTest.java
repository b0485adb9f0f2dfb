package dev.ferry.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.Ferry;
import dev.ferry.core.api.ApiResponse;
import dev.ferry.core.definition.StepDef;
import dev.ferry.core.fakes.InMemoryMonitorEventQueue;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.Alert;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.message.MonitorEvent;
import dev.ferry.core.message.MonitorMessage;
import dev.ferry.core.model.HttpCallRequest;
import dev.ferry.core.model.MonitorTriggerType;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.port.InstanceStore;
import dev.ferry.core.port.MonitorEventQueue;
import dev.ferry.core.testkit.FerryTestKit;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How many monitor events an execution costs: a run that ends quickly publishes one event that
 * carries its start and its end; a run that may take a while (a step that waits outside the
 * process, or a second gone by at a step boundary) publishes its start on its own first. Monitors
 * alert the same either way: once per execution, with the same text and key. An event no monitor
 * would act on is not sent at all ({@link MonitorEventGateTest}): where a test needs an execution's
 * end sent whatever it matches, a failure rate monitor (which counts every outcome, alerting only
 * from the sweep) is in scope.
 */
class ExecutionMonitorEventsTest {
    static final String ALERTS = "https://alerts.example.test/hook";

    final FerryTestKit kit = new FerryTestKit();
    FerryTestKit.Demo demo;

    static final String LOG_AND_TRANSFORM = """
            {"name": "log", "type": "log", "message": "{% 'order ' & $trigger.body.id %}"},
            {"name": "shape", "type": "transform", "output": {"id": "{% $trigger.body.id %}"}},
            {"name": "guard", "type": "fail", "if": "{% $trigger.body.fail = true %}", "message": "rejected"}
            """;

    /** Seeds an instance of an integration whose one webhook flow, "Sync", has these steps. */
    void seed(String steps) {
        demo = kit.seed("""
                {"name": "Order sync",
                 "configVariables": [{"key": "apiBase", "required": true}, {"key": "apiKey", "secret": true}],
                 "flows": [{"name": "Sync", "trigger": {"type": "webhook"}, "steps": [%s]}]}
                """.formatted(steps));
    }

    String monitor(MonitorTriggerType... triggers) {
        List<String> t = new ArrayList<>();
        for (MonitorTriggerType type : triggers) t.add("{\"type\":\"" + type + "\"}");
        ApiResponse r = kit.api("POST", "/monitors", "{\"name\":\"Ops\",\"triggers\":[" + String.join(",", t)
                + "],\"scope\":{\"instanceId\":\"" + demo.instanceId() + "\"},\"channels\":[{\"type\":\"webhook\",\"url\":\""
                + ALERTS + "\"}]}");
        assertThat(r.status()).as(r.bodyText()).isEqualTo(201);
        return FerryTestKit.json(r).get("id").asText();
    }

    /** A failure rate monitor of the instance: it counts every ended execution's outcome, so every end is sent. */
    String countingMonitor() {
        ApiResponse r = kit.api("POST", "/monitors", "{\"name\":\"Rate\",\"triggers\":[{\"type\":\"FAILURE_RATE\","
                + "\"percent\":50,\"windowMinutes\":10}],\"scope\":{\"instanceId\":\"" + demo.instanceId()
                + "\"},\"channels\":[{\"type\":\"webhook\",\"url\":\"" + ALERTS + "\"}]}");
        assertThat(r.status()).as(r.bodyText()).isEqualTo(201);
        return FerryTestKit.json(r).get("id").asText();
    }

    Execution accept(String body) {
        return kit.ferry.webhooks().accept(demo.token(), new ExecutionRequest("POST",
                body.getBytes(StandardCharsets.UTF_8), Map.of("content-type", "application/json"), Map.of(),
                "application/json"));
    }

    /** Accepts a webhook and runs it; the monitor events stay queued. */
    Execution run(String body) {
        Execution accepted = accept(body);
        return kit.ferry.runner().run(accepted.id()).orElseThrow();
    }

    List<MonitorEvent> queued() {
        return kit.monitorEvents.pending().stream().map(InMemoryMonitorEventQueue.Sent::event).toList();
    }

    List<Alert> alertsOf(String monitorId) {
        return kit.alerts.all().stream().filter(a -> a.monitorId().equals(monitorId)).toList();
    }

    long alertPosts() {
        synchronized (kit.httpRequests) {
            return kit.httpRequests.stream().filter(r -> r.url().equals(ALERTS)).count();
        }
    }

    // ------------------------------------------------------------------ quick runs: one event

    @Test
    void aQuickRunPublishesOneEventThatAlsoCarriesItsStartAndAStartedMonitorAlertsOnce() {
        seed(LOG_AND_TRANSFORM);
        String started = monitor(MonitorTriggerType.EXECUTION_STARTED);

        Execution e = run("{\"id\": 7}");

        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(queued()).singleElement().satisfies(ev -> {
            assertThat(ev.type()).isEqualTo(MonitorEvent.Type.EXECUTION_ENDED);
            assertThat(ev.includesStart()).isTrue();
            assertThat(ev.execution().id()).isEqualTo(e.id());
        });
        assertThat(kit.drainMonitorEvents()).isEqualTo(1);
        assertThat(alertsOf(started)).singleElement().satisfies(a -> {
            assertThat(a.trigger()).isEqualTo(MonitorTriggerType.EXECUTION_STARTED);
            assertThat(a.key()).isEqualTo("EXECUTION#" + e.id());
            assertThat(a.executionId()).isEqualTo(e.id());
            assertThat(a.subject()).isEqualTo("Execution started: flow 'Sync' of Acme orders (trigger WEBHOOK, attempt 1)");
        });
        assertThat(alertPosts()).isEqualTo(1);
    }

    @Test
    void aQuickRunsOneEventAlertsEveryMonitorAsTheTwoEventsDid() {
        seed(LOG_AND_TRANSFORM);
        String started = monitor(MonitorTriggerType.EXECUTION_STARTED);
        String failed = monitor(MonitorTriggerType.EXECUTION_FAILED);
        String completed = monitor(MonitorTriggerType.EXECUTION_COMPLETED);
        String both = monitor(MonitorTriggerType.EXECUTION_FAILED, MonitorTriggerType.EXECUTION_STARTED);

        Execution ok = run("{\"id\": 1}");
        Execution bad = run("{\"id\": 2, \"fail\": true}");
        assertThat(queued()).hasSize(2).allSatisfy(ev -> assertThat(ev.includesStart()).isTrue());
        kit.drainMonitorEvents();

        assertThat(alertsOf(started)).extracting(Alert::executionId).containsExactlyInAnyOrder(ok.id(), bad.id());
        assertThat(alertsOf(failed)).singleElement().satisfies(a -> {
            assertThat(a.executionId()).isEqualTo(bad.id());
            assertThat(a.subject()).isEqualTo("Execution failed: flow 'Sync' of Acme orders at step 'guard': rejected");
        });
        assertThat(alertsOf(completed)).singleElement().extracting(Alert::executionId).isEqualTo(ok.id());
        assertThat(alertsOf(both)).as("one alert per execution per monitor; the start first, as when it had its own event")
                .hasSize(2).allSatisfy(a -> assertThat(a.trigger()).isEqualTo(MonitorTriggerType.EXECUTION_STARTED));
    }

    @Test
    void theOneEventDeliveredAgainOrAtOnceRaisesNoSecondAlert() throws Exception {
        seed(LOG_AND_TRANSFORM);
        String started = monitor(MonitorTriggerType.EXECUTION_STARTED);
        String completed = monitor(MonitorTriggerType.EXECUTION_COMPLETED);
        run("{\"id\": 3}");
        MonitorEvent combined = queued().get(0);

        kit.drainMonitorEvents();
        kit.ferry.monitors().handle(combined);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> copies = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                copies.add(pool.submit(() -> {
                    go.await(10, TimeUnit.SECONDS);
                    kit.ferry.monitors().handle(combined);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : copies) f.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        assertThat(alertsOf(started)).hasSize(1);
        assertThat(alertsOf(completed)).hasSize(1);
        assertThat(alertPosts()).isEqualTo(2);
    }

    @Test
    void aTestRunStillPublishesNothing() {
        seed(LOG_AND_TRANSFORM);
        String started = monitor(MonitorTriggerType.EXECUTION_STARTED);

        ApiResponse r = kit.api("POST", "/flow-configs/" + demo.flowConfigId() + "/test", "{\"body\": {\"id\": 1}}");

        assertThat(FerryTestKit.json(r).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(kit.monitorEvents.pending()).isEmpty();
        kit.drainMonitorEvents();
        assertThat(alertsOf(started)).isEmpty();
    }

    @Test
    void aStartThatCouldNotBeSentOnItsOwnRidesWithTheEnd() {
        seed("""
                {"name": "fetch", "type": "http", "method": "GET", "url": "https://api.example.test/orders/1"}
                """);
        String started = monitor(MonitorTriggerType.EXECUTION_STARTED);
        int[] sends = {0};
        MonitorEventQueue firstSendFails = (event, delay) -> {
            if (sends[0]++ == 0) throw new IllegalStateException("SQS unavailable");
            kit.monitorEvents.send(event, delay);
        };
        Ferry ferry = new Ferry(kit.ferry.ports().toBuilder().monitorEvents(firstSendFails).build(), kit.ferry.settings());

        Execution e = ferry.runner().run(accept("{}").id()).orElseThrow();

        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(queued()).singleElement().satisfies(ev -> {
            assertThat(ev.type()).isEqualTo(MonitorEvent.Type.EXECUTION_ENDED);
            assertThat(ev.includesStart()).isTrue();
        });
        kit.drainMonitorEvents();
        assertThat(alertsOf(started)).hasSize(1);
    }

    // ------------------------------------------------------------------ only what a monitor acts on is sent

    @Test
    void onlyARunThatAMonitorActsOnSendsAnEventAndTheMonitorAlertsAsBefore() {
        seed(LOG_AND_TRANSFORM);
        Execution beforeTheMonitor = run("{\"id\": 1, \"fail\": true}");
        assertThat(queued()).as("no monitor in scope: nothing sent").isEmpty();
        String failed = monitor(MonitorTriggerType.EXECUTION_FAILED);

        Execution ok = run("{\"id\": 2}");
        assertThat(ok.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(queued()).as("a success: the failures monitor does nothing with it").isEmpty();
        Execution bad = run("{\"id\": 3, \"fail\": true}");
        assertThat(queued()).singleElement().satisfies(ev -> {
            assertThat(ev.execution().id()).isEqualTo(bad.id());
            assertThat(ev.includesStart()).isTrue();
        });

        assertThat(kit.drainMonitorEvents()).isEqualTo(1);
        assertThat(alertsOf(failed)).as("the monitor hears of the executions decided after it was created")
                .singleElement().satisfies(a -> {
                    assertThat(a.executionId()).isEqualTo(bad.id()).isNotEqualTo(beforeTheMonitor.id());
                    assertThat(a.subject()).isEqualTo("Execution failed: flow 'Sync' of Acme orders at step 'guard': rejected");
                });
        assertThat(alertPosts()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ runs that may take a while: the start first

    @Test
    void anHttpStepPublishesTheStartBeforeItsCallThenAnEndWithoutIt() {
        seed("""
                {"name": "log", "type": "log", "message": "fetching"},
                {"name": "fetch", "type": "http", "method": "GET", "url": "{% $config.apiBase & '/orders/' & $trigger.body.id %}"},
                {"name": "shape", "type": "transform", "output": "{% $steps.fetch.body %}"}
                """);
        String started = monitor(MonitorTriggerType.EXECUTION_STARTED);
        countingMonitor();
        List<List<MonitorEvent.Type>> queuedAtCall = new ArrayList<>();
        kit.httpHandler = request -> {
            if (request.url().startsWith("https://api.example.test/")) {
                queuedAtCall.add(queued().stream().map(MonitorEvent::type).toList());
            }
            return kit.httpAnswer;
        };

        Execution e = run("{\"id\": 5}");

        assertThat(queuedAtCall).as("what the monitor queue held when the http step called out")
                .containsExactly(List.of(MonitorEvent.Type.EXECUTION_STARTED));
        assertThat(queued()).extracting(MonitorEvent::type)
                .containsExactly(MonitorEvent.Type.EXECUTION_STARTED, MonitorEvent.Type.EXECUTION_ENDED);
        assertThat(queued().get(1).includesStart()).isFalse();
        assertThat(queued().get(0).execution().id()).isEqualTo(e.id());
        assertThat(queued().get(0).execution().status()).isEqualTo(ExecutionStatus.RUNNING);

        assertThat(kit.drainMonitorEvents()).isEqualTo(2);
        assertThat(alertsOf(started)).singleElement().satisfies(a -> {
            assertThat(a.trigger()).isEqualTo(MonitorTriggerType.EXECUTION_STARTED);
            assertThat(a.key()).isEqualTo("EXECUTION#" + e.id());
        });
        assertThat(alertPosts()).isEqualTo(1);
    }

    @Test
    void aSleepStepPublishesTheStartBeforeItSleeps() {
        seed("""
                {"name": "log", "type": "log", "message": "waiting"},
                {"name": "wait", "type": "sleep", "seconds": 30},
                {"name": "shape", "type": "transform", "output": 1}
                """);
        monitor(MonitorTriggerType.EXECUTION_STARTED);
        countingMonitor();
        Instant before = kit.clock.instant();

        Execution e = run("{}");

        assertThat(e.durationMs()).isEqualTo(30_000);
        assertThat(queued()).extracting(MonitorEvent::type)
                .containsExactly(MonitorEvent.Type.EXECUTION_STARTED, MonitorEvent.Type.EXECUTION_ENDED);
        assertThat(queued().get(0).at()).as("sent before the 30 s sleep").isEqualTo(before);
        assertThat(queued().get(1).includesStart()).isFalse();
    }

    @Test
    void aSkippedWaitingStepPublishesNothingEarly() {
        seed("""
                {"name": "fetch", "type": "http", "if": "{% $trigger.body.fetch = true %}", "method": "GET",
                 "url": "https://api.example.test/orders/1"},
                {"name": "shape", "type": "transform", "output": 1}
                """);
        monitor(MonitorTriggerType.EXECUTION_STARTED);

        run("{\"fetch\": false}");

        assertThat(queued()).singleElement().satisfies(ev -> assertThat(ev.includesStart()).isTrue());
    }

    @Test
    void aRunThatHasLastedASecondAtAStepBoundaryPublishesItsStartThen() {
        RecordingQueue queue = new RecordingQueue();
        kit.monitors.create(new dev.ferry.core.model.Monitor("mon_ops", "Ops", dev.ferry.core.model.MonitorScope.EVERYTHING,
                List.of(dev.ferry.core.model.MonitorTrigger.of(MonitorTriggerType.EXECUTION_STARTED),
                        dev.ferry.core.model.MonitorTrigger.of(MonitorTriggerType.EXECUTION_COMPLETED)), List.of(),
                kit.clock.instant()));
        MonitorEvents events = new MonitorEvents(queue, kit.monitors, kit.clock);
        Instant t0 = kit.clock.instant();
        Execution running = Execution.builder().id("exe_long").instanceId("ins_1").customerId("cus_1")
                .flowConfigId("flc_1").flow("Sync").trigger(Trigger.WEBHOOK).status(ExecutionStatus.RUNNING)
                .queuedAt(t0).startedAt(t0).attempt(1).integrationVersion(1).build();
        MonitorEvents.RunStart start = events.runStart(running, t0);

        start.beforeStep(step("log", "log"));
        kit.clock.advance(Duration.ofMillis(999));
        start.beforeStep(step("shape", "transform"));
        assertThat(queue.sent).as("999 ms in: not yet").isEmpty();
        kit.clock.advance(Duration.ofMillis(1));
        start.beforeStep(step("again", "transform"));
        assertThat(queue.sent).singleElement().satisfies(ev -> {
            assertThat(ev.type()).isEqualTo(MonitorEvent.Type.EXECUTION_STARTED);
            assertThat(ev.at()).isEqualTo(t0.plusSeconds(1));
        });
        kit.clock.advance(Duration.ofSeconds(5));
        start.beforeStep(step("fetch", "http"));
        assertThat(queue.sent).as("the start is sent once").hasSize(1);

        start.ended(running.toBuilder().end(ExecutionStatus.SUCCEEDED, kit.clock.instant()).build(), List.of());
        assertThat(queue.sent).extracting(MonitorEvent::type)
                .containsExactly(MonitorEvent.Type.EXECUTION_STARTED, MonitorEvent.Type.EXECUTION_ENDED);
        assertThat(queue.sent.get(1).includesStart()).isFalse();
    }

    @Test
    void aRunWhoseFirstStepComesASecondAfterItsStartPublishesTheStartBeforeIt() {
        seed(LOG_AND_TRANSFORM);
        String started = monitor(MonitorTriggerType.EXECUTION_STARTED);
        countingMonitor();
        // The instance read before the first step takes 1.5 s (a slow store): the run has lasted past a second.
        InstanceStore slow = (InstanceStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {InstanceStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("get")) kit.clock.advance(Duration.ofMillis(1500));
                    try {
                        return method.invoke(kit.instances, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Ferry ferry = new Ferry(kit.ferry.ports().withInstances(slow), kit.ferry.settings());
        Instant claimedAt = kit.clock.instant();

        Execution e = ferry.runner().run(accept("{\"id\": 9}").id()).orElseThrow();

        assertThat(e.startedAt()).isEqualTo(claimedAt);
        assertThat(queued()).extracting(MonitorEvent::type)
                .containsExactly(MonitorEvent.Type.EXECUTION_STARTED, MonitorEvent.Type.EXECUTION_ENDED);
        assertThat(queued().get(0).at()).isEqualTo(claimedAt.plusMillis(1500));
        assertThat(queued().get(1).includesStart()).isFalse();
        kit.drainMonitorEvents();
        assertThat(alertsOf(started)).hasSize(1);
    }

    // ------------------------------------------------------------------ stuck runs and old events

    @Test
    void aStuckRunIsFoundWithoutAnyStartEventAndItsEndCarriesTheStart() {
        seed(LOG_AND_TRANSFORM);
        String started = monitor(MonitorTriggerType.EXECUTION_STARTED);
        String stuck = monitor(MonitorTriggerType.EXECUTION_STUCK);
        Execution accepted = accept("{}");
        kit.queue.drain();
        kit.executions.claim(accepted.id(), kit.clock.instant()).orElseThrow(); // claimed, then the function died
        assertThat(kit.monitorEvents.pending()).isEmpty();

        kit.clock.advance(Duration.ofMinutes(16).plusSeconds(1));
        assertThat(kit.ferry.monitors().sweep().stuck()).isEqualTo(1);

        assertThat(queued()).singleElement().satisfies(ev -> {
            assertThat(ev.type()).isEqualTo(MonitorEvent.Type.EXECUTION_ENDED);
            assertThat(ev.includesStart()).as("whether the start went out is not known to the sweep").isTrue();
        });
        kit.drainMonitorEvents();
        assertThat(alertsOf(stuck)).singleElement().extracting(Alert::trigger).isEqualTo(MonitorTriggerType.EXECUTION_STUCK);
        assertThat(alertsOf(started)).singleElement().extracting(Alert::trigger).isEqualTo(MonitorTriggerType.EXECUTION_STARTED);
    }

    @Test
    void aStuckRunWhoseStartWentOutOnItsOwnAlertsItsStartOnce() {
        seed(LOG_AND_TRANSFORM);
        String started = monitor(MonitorTriggerType.EXECUTION_STARTED);
        Execution accepted = accept("{}");
        kit.queue.drain();
        Execution claimed = kit.executions.claim(accepted.id(), kit.clock.instant()).orElseThrow();
        kit.ferry.monitors().events().executionStarted(claimed); // published its start, then the function died
        kit.drainMonitorEvents();
        assertThat(alertsOf(started)).hasSize(1);

        kit.clock.advance(Duration.ofMinutes(17));
        kit.ferry.monitors().sweep();
        kit.clock.advance(Duration.ofMinutes(2)); // past the time a raiser may still be delivering
        kit.drainMonitorEvents();

        assertThat(alertsOf(started)).hasSize(1);
        assertThat(alertPosts()).isEqualTo(1);
    }

    @Test
    void eventsWrittenBeforeTheFlagAreEvaluatedAsBefore() {
        seed(LOG_AND_TRANSFORM);
        String started = monitor(MonitorTriggerType.EXECUTION_STARTED);
        String completed = monitor(MonitorTriggerType.EXECUTION_COMPLETED);
        String execution = "{\"id\":\"exe_old\",\"instanceId\":\"" + demo.instanceId() + "\",\"customerId\":\""
                + demo.customerId() + "\",\"flowConfigId\":\"" + demo.flowConfigId() + "\",\"flow\":\"Sync\","
                + "\"trigger\":\"WEBHOOK\",\"queuedAt\":\"2026-11-26T09:59:59Z\",\"startedAt\":\"2026-11-26T10:00:00Z\","
                + "\"attempt\":1,\"integrationVersion\":1";
        MonitorEvent oldStarted = (MonitorEvent) MonitorMessage.CODEC.read("{\"type\":\"EXECUTION_STARTED\",\"at\":\"2026-11-26T10:00:00Z\",\"execution\":"
                + execution + ",\"status\":\"RUNNING\"},\"logs\":[],\"instance\":null,\"retry\":null}");
        MonitorEvent oldEnded = (MonitorEvent) MonitorMessage.CODEC.read("{\"type\":\"EXECUTION_ENDED\",\"at\":\"2026-11-26T10:00:01Z\",\"execution\":"
                + execution + ",\"status\":\"SUCCEEDED\",\"endedAt\":\"2026-11-26T10:00:01Z\",\"durationMs\":1000},"
                + "\"logs\":[],\"instance\":null,\"retry\":null}");
        assertThat(oldEnded.includesStart()).isFalse();

        kit.ferry.monitors().handle(oldEnded);
        assertThat(alertsOf(started)).as("an ended event without the flag: its start had its own event").isEmpty();
        assertThat(alertsOf(completed)).singleElement().extracting(Alert::executionId).isEqualTo("exe_old");

        kit.ferry.monitors().handle(oldStarted);
        assertThat(alertsOf(started)).singleElement().extracting(Alert::subject)
                .isEqualTo("Execution started: flow 'Sync' of Acme orders (trigger WEBHOOK, attempt 1)");
    }

    // ------------------------------------------------------------------ helpers

    static StepDef step(String name, String type) {
        return new StepDef(name, type, Json.object().put("name", name).put("type", type));
    }

    /** Records what is sent, in order. */
    static final class RecordingQueue implements MonitorEventQueue {
        final List<MonitorEvent> sent = new ArrayList<>();

        @Override
        public void send(MonitorMessage message, Duration delay) {
            sent.add((MonitorEvent) MonitorMessage.CODEC.read(MonitorMessage.CODEC.write(message)));
        }
    }
}

package dev.ferry.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.error.StoreException;
import dev.ferry.core.fakes.InMemoryMonitorEventQueue;
import dev.ferry.core.fakes.InMemoryMonitorStore;
import dev.ferry.core.fakes.MutableClock;
import dev.ferry.core.message.MonitorEvent;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionError;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.LogLine;
import dev.ferry.core.model.Monitor;
import dev.ferry.core.model.MonitorScope;
import dev.ferry.core.model.MonitorTrigger;
import dev.ferry.core.model.MonitorTriggerType;
import dev.ferry.core.model.Severity;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.port.MonitorStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An execution's monitor event is sent only when a monitor covering the execution would act on it
 * (count its outcome or alert one of its triggers), decided by the evaluation's own functions; when
 * the monitors cannot be read it is sent anyway.
 */
class MonitorEventGateTest {
    static final String INSTANCE = "ins_1";
    static final String CUSTOMER = "cus_1";
    static final String FLOW_CONFIG = "flc_1";

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    final InMemoryMonitorStore store = new InMemoryMonitorStore();
    final InMemoryMonitorEventQueue queue = new InMemoryMonitorEventQueue(clock);
    MonitorEvents events = new MonitorEvents(queue, store, clock);
    int monitors;

    void monitor(MonitorScope scope, MonitorTrigger... triggers) {
        store.create(new Monitor("mon_" + ++monitors, "Ops", scope, List.of(triggers), List.of(), clock.instant()));
    }

    void monitor(MonitorTriggerType... types) {
        monitor(MonitorScope.instance(INSTANCE), List.of(types).stream().map(MonitorTrigger::of).toArray(MonitorTrigger[]::new));
    }

    Execution running() {
        Instant t0 = clock.instant();
        return Execution.builder().id("exe_1").instanceId(INSTANCE).customerId(CUSTOMER).flowConfigId(FLOW_CONFIG)
                .flow("Sync").trigger(Trigger.WEBHOOK).status(ExecutionStatus.RUNNING).queuedAt(t0).startedAt(t0)
                .attempt(1).integrationVersion(1).build();
    }

    /** A run of 200 ms that succeeded. */
    Execution succeeded() {
        return running().toBuilder().end(ExecutionStatus.SUCCEEDED, clock.instant().plusMillis(200)).build();
    }

    Execution failed() {
        return running().toBuilder().end(ExecutionStatus.FAILED, clock.instant().plusMillis(200))
                .error(new ExecutionError("rejected", "guard", false)).build();
    }

    static LogLine line(Severity severity) {
        return new LogLine(Instant.parse("2026-11-26T10:00:00.100Z"), severity, severity + " line", INSTANCE, "exe_1",
                FLOW_CONFIG, "log", 1);
    }

    List<MonitorEvent> sent() {
        return queue.pending().stream().map(InMemoryMonitorEventQueue.Sent::event).toList();
    }

    // ------------------------------------------------------------------ nothing to act: nothing sent

    @Test
    void noMonitorInScopeSendsNothing() {
        MonitorEvents.RunStart start = events.runStart(running(), clock.instant());
        start.beforeStep(ExecutionMonitorEventsTest.step("fetch", "http"));
        start.ended(succeeded(), List.of(line(Severity.ERROR)));
        events.executionEnded(failed(), List.of());

        assertThat(start.published()).isFalse();
        assertThat(sent()).isEmpty();
    }

    @Test
    void monitorsOfAnotherInstanceCustomerOrFlowConfigSendNothing() {
        MonitorTrigger[] every = {MonitorTrigger.of(MonitorTriggerType.EXECUTION_STARTED),
                MonitorTrigger.of(MonitorTriggerType.EXECUTION_FAILED), MonitorTrigger.of(MonitorTriggerType.EXECUTION_COMPLETED),
                MonitorTrigger.failureRate(50, 10, null), MonitorTrigger.logLevel(Severity.WARN)};
        monitor(MonitorScope.instance("ins_other"), every);
        monitor(MonitorScope.customer("cus_other"), every);
        monitor(MonitorScope.flowConfig(INSTANCE, "flc_other"), every);

        events.executionStarted(running());
        events.executionEnded(failed(), List.of(line(Severity.ERROR)), true);

        assertThat(sent()).isEmpty();
    }

    @Test
    void aFailedOnlyMonitorHearsNothingOfAQuickSuccessButHearsOfAFailure() {
        monitor(MonitorTriggerType.EXECUTION_FAILED);

        events.runStart(running(), clock.instant()).ended(succeeded(), List.of(line(Severity.WARN)));
        assertThat(sent()).isEmpty();

        events.runStart(running(), clock.instant()).ended(failed(), List.of());
        assertThat(sent()).singleElement().satisfies(ev -> {
            assertThat(ev.type()).isEqualTo(MonitorEvent.Type.EXECUTION_ENDED);
            assertThat(ev.execution().status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(ev.includesStart()).isTrue();
        });
    }

    @Test
    void aFailedOnlyMonitorHearsNothingOfAFailureWhoseRetryIsPendingNorTheOtherWayRound() {
        monitor(MonitorTriggerType.EXECUTION_FAILED);
        Execution pending = failed().toBuilder().nextRetryAt(clock.instant().plusSeconds(30)).retriesRemaining(2).build();

        events.executionEnded(pending, List.of());
        assertThat(sent()).isEmpty();

        monitor(MonitorTriggerType.EXECUTION_FAILED_RETRY_PENDING);
        events.executionEnded(pending, List.of());
        assertThat(sent()).hasSize(1);
    }

    // ------------------------------------------------------------------ a monitor that acts: sent

    @Test
    void aStartedMonitorHearsOfTheStartOnItsOwnOrCarriedByTheEnd() {
        monitor(MonitorTriggerType.EXECUTION_STARTED);

        events.runStart(running(), clock.instant()).ended(succeeded(), List.of());
        assertThat(sent()).singleElement().satisfies(ev -> {
            assertThat(ev.type()).isEqualTo(MonitorEvent.Type.EXECUTION_ENDED);
            assertThat(ev.includesStart()).isTrue();
        });

        MonitorEvents.RunStart start = events.runStart(running(), clock.instant());
        start.beforeStep(ExecutionMonitorEventsTest.step("fetch", "http"));
        assertThat(start.published()).isTrue();
        start.ended(succeeded(), List.of());
        assertThat(sent()).extracting(MonitorEvent::type).as("the start on its own; its end, which no trigger matches, not")
                .containsExactly(MonitorEvent.Type.EXECUTION_ENDED, MonitorEvent.Type.EXECUTION_STARTED);
    }

    @Test
    void aFailureRateMonitorHearsOfEverySuccess() {
        monitor(MonitorScope.customer(CUSTOMER), MonitorTrigger.failureRate(50, 10, null));

        events.executionStarted(running());
        assertThat(sent()).as("a start counts nothing").isEmpty();
        events.executionEnded(succeeded(), List.of());
        assertThat(sent()).singleElement().extracting(ev -> ev.execution().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void aLogLevelMonitorHearsOfARunThatLoggedALineAtOrAboveItsSeverity() {
        monitor(MonitorScope.EVERYTHING, MonitorTrigger.logLevel(Severity.ERROR));
        events.executionEnded(succeeded(), List.of(line(Severity.WARN)));
        assertThat(sent()).as("WARN is below ERROR").isEmpty();

        monitor(MonitorScope.EVERYTHING, MonitorTrigger.logLevel(Severity.WARN));
        events.executionEnded(succeeded(), List.of(line(Severity.INFO)));
        assertThat(sent()).as("an INFO line rides with no event").isEmpty();
        events.executionEnded(succeeded(), List.of(line(Severity.INFO), line(Severity.WARN)));
        assertThat(sent()).singleElement().satisfies(ev -> assertThat(ev.logs()).extracting(LogLine::severity)
                .containsExactly(Severity.WARN));
    }

    @Test
    void aDurationMonitorHearsOfRunsOverItsThresholdOnly() {
        monitor(MonitorScope.flowConfig(INSTANCE, FLOW_CONFIG), MonitorTrigger.durationExceeded(1));
        events.executionEnded(succeeded(), List.of());
        assertThat(sent()).isEmpty();

        events.executionEnded(running().toBuilder().end(ExecutionStatus.SUCCEEDED, clock.instant().plusMillis(1001)).build(),
                List.of());
        assertThat(sent()).hasSize(1);
    }

    @Test
    void aCompletedMonitorHearsOfSuccessesNotFailures() {
        monitor(MonitorTriggerType.EXECUTION_COMPLETED);
        events.executionEnded(failed(), List.of());
        assertThat(sent()).isEmpty();
        events.executionEnded(succeeded(), List.of());
        assertThat(sent()).hasSize(1);
    }

    @Test
    void monitorsWithOnlySweptOrInstanceTriggersHearNothingOfAnExecution() {
        monitor(MonitorScope.instance(INSTANCE), MonitorTrigger.of(MonitorTriggerType.EXECUTION_STUCK),
                MonitorTrigger.overdue(60), MonitorTrigger.of(MonitorTriggerType.INSTANCE_DISABLED),
                MonitorTrigger.of(MonitorTriggerType.INSTANCE_REMOVED));

        events.runStart(running(), clock.instant()).ended(failed(), List.of(line(Severity.ERROR)));

        assertThat(sent()).isEmpty();
    }

    // ------------------------------------------------------------------ unchanged

    @Test
    void aTestRunReadsNoMonitorAndSendsNothing() {
        monitor(MonitorTriggerType.EXECUTION_STARTED, MonitorTriggerType.EXECUTION_COMPLETED);
        store.scopeReads.set(0);
        Execution test = succeeded().toBuilder().trigger(Trigger.TEST).build();

        events.executionStarted(test);
        events.executionEnded(test, List.of(), true);

        assertThat(sent()).isEmpty();
        assertThat(store.scopeReads.get()).isZero();
    }

    @Test
    void instanceEventsAreSentWithoutReadingTheMonitors() {
        dev.ferry.core.model.Instance instance = new dev.ferry.core.model.Instance(INSTANCE, "Acme", CUSTOMER, "int_1", 1,
                true, dev.ferry.core.model.PauseMode.REJECT, java.util.Map.of(), clock.instant(), null, null, true, true);
        MonitorEvents unreadable = new MonitorEvents(queue, failing(), clock);

        unreadable.instanceEnabledChanged(instance);
        unreadable.instanceRemoved(instance);

        assertThat(sent()).extracting(MonitorEvent::type)
                .containsExactly(MonitorEvent.Type.INSTANCE_ENABLED, MonitorEvent.Type.INSTANCE_REMOVED);
    }

    // ------------------------------------------------------------------ the monitors cannot be read

    @Test
    void monitorsThatCannotBeReadLetEveryEventThrough() {
        events = new MonitorEvents(queue, failing(), clock);

        MonitorEvents.RunStart start = events.runStart(running(), clock.instant());
        start.beforeStep(ExecutionMonitorEventsTest.step("wait", "sleep"));
        start.ended(succeeded(), List.of());

        assertThat(start.published()).isTrue();
        assertThat(sent()).extracting(MonitorEvent::type)
                .containsExactly(MonitorEvent.Type.EXECUTION_STARTED, MonitorEvent.Type.EXECUTION_ENDED);
    }

    /** A monitor store whose every read fails, as DynamoDB unreachable. */
    MonitorStore failing() {
        return (MonitorStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {MonitorStore.class},
                (proxy, method, args) -> {
                    if (method.getName().startsWith("inScope")) {
                        throw new StoreException("DynamoDB unavailable", new RuntimeException("timeout"));
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}

package dev.ferry.core.service;

import dev.ferry.core.definition.StepDef;
import dev.ferry.core.engine.FlowEngine;
import dev.ferry.core.log.Log;
import dev.ferry.core.message.MonitorEvent;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.LogLine;
import dev.ferry.core.model.Severity;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.port.MonitorEventQueue;
import dev.ferry.core.port.MonitorStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Tells the monitors what happened: the runner at each execution's start and end, instance
 * operations when an instance is enabled, disabled or removed. Test runs (trigger TEST) answer the
 * operator who started them and publish nothing. Publishing never fails the
 * operation that publishes — an event that cannot be sent is logged, and the sweep still finds
 * what is time-based (stuck, overdue, failure rate, disabled).
 *
 * <p>An execution's start is published on its own only when the run may take a while (see
 * {@link RunStart}); a run that ends quickly publishes one EXECUTION_ENDED event that carries its
 * start too ({@link MonitorEvent#includesStart()}): one message and one evaluation instead of two.
 *
 * <p>An execution's event is sent only when a monitor could act on it: right before sending, the
 * monitors in the execution's scope are read (eventually consistent: every execution makes this
 * read, at half the cost of the evaluation's consistent one) and the event goes out if one of
 * those covering the execution would count its outcome or alert one of its triggers
 * ({@link MonitorEvaluator#actsOn}, the evaluation's own decision). A monitor sees the executions
 * whose event is decided from about a second after it was created. When the monitors cannot be
 * read, the event is sent anyway: the evaluation decides.
 */
public final class MonitorEvents {
    /** At most this many WARN/ERROR lines ride along with an execution's end, each cut to {@value #MAX_LINE} characters. */
    public static final int MAX_LINES = 20;
    public static final int MAX_LINE = 1000;
    /** A run still going this long after it started (at a step boundary) publishes its start on its own. */
    public static final Duration START_ALONE_AFTER = Duration.ofSeconds(1);

    private final MonitorEventQueue queue;
    private final MonitorStore monitors;
    private final Clock clock;

    public MonitorEvents(MonitorEventQueue queue, MonitorStore monitors, Clock clock) {
        this.queue = queue;
        this.monitors = monitors;
        this.clock = clock;
    }

    /**
     * Publishes the execution's start on its own; false when it is a test run, no monitor would act
     * on it (so the end carries the start), or the event could not be sent.
     */
    public boolean executionStarted(Execution execution) {
        if (execution.trigger() == Trigger.TEST) return false;
        return publishIfActedOn(MonitorEvent.executionStarted(execution, clock.instant()));
    }

    /** The start of one run, to be published on its own only if the run turns out to take a while. */
    public RunStart runStart(Execution running, Instant startedAt) {
        return new RunStart(running, startedAt);
    }

    /**
     * One run's start: published on its own right before the run's first step that may wait on
     * something outside the process ({@link FlowEngine#mayWait}: http, sleep, code), or before any
     * step once the run has lasted {@link #START_ALONE_AFTER} by the clock — so a monitor of
     * started executions hears of a long one while it runs. Otherwise {@link #ended} publishes one
     * event for both. Used by the running thread only.
     */
    public final class RunStart implements FlowEngine.BeforeStep {
        private final Execution running;
        private final Instant startedAt;
        private boolean tried;
        private boolean published;

        private RunStart(Execution running, Instant startedAt) {
            this.running = running;
            this.startedAt = startedAt;
        }

        @Override
        public void beforeStep(StepDef step) {
            if (tried) return;
            if (FlowEngine.mayWait(step.type()) || !clock.instant().isBefore(startedAt.plus(START_ALONE_AFTER))) {
                tried = true; // one try: if it was not sent (no monitor acts on it, or the send failed), the end carries the start
                published = executionStarted(running);
            }
        }

        /** Whether the start went out as an event of its own. */
        public boolean published() {
            return published;
        }

        /** Publishes the run's end, carrying its start when that was not published on its own. */
        public void ended(Execution finished, List<LogLine> lines) {
            executionEnded(finished, lines, !published);
        }
    }

    /** The execution as it ended (its start published on its own), with the WARN and ERROR lines among its log lines. */
    public void executionEnded(Execution execution, List<LogLine> lines) {
        executionEnded(execution, lines, false);
    }

    /**
     * The execution as it ended, with the WARN and ERROR lines among the log lines it wrote;
     * {@code includesStart} when its start was not (or may not have been) published on its own.
     */
    public void executionEnded(Execution execution, List<LogLine> lines, boolean includesStart) {
        if (execution.trigger() == Trigger.TEST) return;
        List<LogLine> warnings = lines.stream()
                .filter(l -> l.severity() != null && l.severity().atLeast(Severity.WARN))
                .limit(MAX_LINES)
                .map(l -> l.message() == null || l.message().length() <= MAX_LINE ? l
                        : new LogLine(l.timestamp(), l.severity(), l.message().substring(0, MAX_LINE) + "…",
                        l.instanceId(), l.executionId(), l.flowConfigId(), l.step(), l.attempt()))
                .toList();
        publishIfActedOn(MonitorEvent.executionEnded(execution, warnings, clock.instant(), includesStart));
    }

    /** Sends an execution's event if a monitor covering the execution would act on it (or the monitors cannot be read). */
    private boolean publishIfActedOn(MonitorEvent event) {
        Execution e = event.execution();
        try {
            if (MonitorEvaluator.coveringEventually(monitors, e).stream().noneMatch(m -> MonitorEvaluator.actsOn(m, event))) {
                return false;
            }
        } catch (RuntimeException failed) {
            Log.warn("could not read the monitors in scope; sending the monitor event anyway", "type", event.type(),
                    "id", e.id(), "reason", failed);
        }
        return publish(event, e.id());
    }

    /** After an instance was enabled (unpaused) or disabled (paused): publishes its new state. */
    public void instanceEnabledChanged(Instance instance) {
        publish(MonitorEvent.instance(instance.enabled() ? MonitorEvent.Type.INSTANCE_ENABLED
                : MonitorEvent.Type.INSTANCE_DISABLED, instance, clock.instant()), instance.id());
    }

    /** After an instance was deleted. */
    public void instanceRemoved(Instance instance) {
        publish(MonitorEvent.instance(MonitorEvent.Type.INSTANCE_REMOVED, instance, clock.instant()), instance.id());
    }

    private boolean publish(MonitorEvent event, String about) {
        try {
            queue.publish(event);
            return true;
        } catch (RuntimeException e) {
            Log.warn("could not publish a monitor event", "type", event.type(), "id", about, "reason", e);
            return false;
        }
    }
}

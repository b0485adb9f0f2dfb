package dev.ferry.core.service;

import dev.ferry.core.definition.FlowDef;
import dev.ferry.core.log.Log;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionError;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.LogLine;
import dev.ferry.core.model.Severity;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.port.ExecutionStore;
import dev.ferry.core.port.InstanceStore;
import dev.ferry.core.port.LogSink;
import dev.ferry.core.port.LogStore;
import dev.ferry.core.port.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The sweep's housekeeping of executions nothing else will finish: RUNNING ones past the flow
 * execution function's timeout (their invocation is gone) are failed like any failed run, and
 * QUEUED ones a webhook (or single replay) stored but never enqueued are withdrawn. The monitor
 * sweep calls {@link #reap} every minute, before it evaluates the monitors.
 */
public final class ExecutionReaper {
    /** A RUNNING execution is stuck this long after the flow execution function's timeout has passed. */
    public static final Duration STUCK_GRACE = Duration.ofMinutes(1);
    /** The start of the error message of an execution the unacknowledged sweep withdrew. */
    public static final String UNACKNOWLEDGED = "not acknowledged to the sender";
    /** At most this many stuck, and this many unacknowledged, executions per sweep. */
    static final int LIMIT = 1000;

    /**
     * What one reaping did: executions failed as stuck, withdrawn as unacknowledged, steps that
     * failed, and unfinished executions the sweep began to watch.
     */
    public record Result(int stuck, int unacknowledged, int errors, int watched) {}

    private final ExecutionStore executions;
    private final InstanceStore instances;
    private final LogStore logs;
    private final Clock clock;
    private final Settings settings;
    private final Definitions definitions;
    private final Retries retries;
    private final MonitorEvents monitorEvents;
    private final Metrics metrics;

    public ExecutionReaper(ExecutionStore executions, InstanceStore instances, LogStore logs, Clock clock,
                           Settings settings, Definitions definitions, Retries retries, MonitorEvents monitorEvents,
                           Metrics metrics) {
        this.executions = executions;
        this.instances = instances;
        this.logs = logs;
        this.clock = clock;
        this.settings = settings;
        this.definitions = definitions;
        this.retries = retries;
        this.monitorEvents = monitorEvents;
        this.metrics = metrics;
    }

    /**
     * Fails the stuck executions (each then handed to {@code onStuck}, the sweep's alerts, in the same
     * guarded step), then withdraws the unacknowledged ones. One execution's failure does not stop the others.
     */
    public Result reap(Instant now, Consumer<Execution> onStuck) {
        Counts counts = new Counts();
        // First the executions queued since the last sweep that are still running (or still unacknowledged
        // at the sweep's last look): the stuck, duration and unacknowledged checks read only those watched.
        counts.guarded("watch", () -> {
            ExecutionStore.Watched w = executions.watchUnfinished(now);
            counts.watched = w.entered();
        });
        Instant stuckCutoff = now.minus(settings.executionTimeout()).minus(STUCK_GRACE);
        for (Execution running : executions.runningStartedBefore(stuckCutoff, LIMIT)) {
            counts.guarded(running.id(), () -> {
                Optional<Execution> failed = failStuck(running.id(), stuckCutoff);
                if (failed.isEmpty()) return;
                counts.stuck++;
                onStuck.accept(failed.get());
            });
        }
        counts.guarded("unacknowledged", () -> {
            Instant cutoff = now.minus(settings.unacknowledgedAfter());
            for (String id : executions.unacknowledgedBefore(cutoff, LIMIT)) {
                counts.guarded(id, () -> {
                    if (cancelUnacknowledged(id, cutoff).isPresent()) counts.unacknowledged++;
                });
            }
        });
        return new Result(counts.stuck, counts.unacknowledged, counts.errors, counts.watched);
    }

    private static final class Counts {
        int stuck, unacknowledged, errors, watched;

        /** Runs one step of the sweep; a failure is counted and logged, and the sweep goes on. */
        void guarded(String what, Runnable r) {
            try {
                r.run();
            } catch (RuntimeException e) {
                errors++;
                Log.error("monitor sweep step failed", "what", what, "reason", String.valueOf(e.getMessage()));
            }
        }
    }

    /**
     * Fails an execution that has been RUNNING since before {@code cutoff} (past the function's
     * timeout: its invocation is gone) and records it like any failed run: an ERROR log line, the
     * saved FAILED state, the monitors' event. Empty when it is not such an execution any more.
     */
    public Optional<Execution> failStuck(String executionId, Instant cutoff) {
        Optional<Execution> current = executions.get(executionId)
                .filter(e -> e.status() == ExecutionStatus.RUNNING && e.startedAt() != null && e.startedAt().isBefore(cutoff));
        if (current.isEmpty()) return Optional.empty();
        Execution e = current.get();
        Instant now = clock.instant();
        ExecutionError error = new ExecutionError("stuck: still running " + Duration.between(e.startedAt(), now).toSeconds()
                + " s after it started, past the flow execution function's timeout of "
                + settings.executionTimeout().toSeconds() + " s; marked failed", null, true);
        List<LogLine> lines = new ArrayList<>();
        LogSink sink = (severity, step, message) -> lines.add(new LogLine(clock.instant(), severity, message,
                e.instanceId(), e.id(), e.flowConfigId(), step, e.attempt()));
        sink.log(Severity.ERROR, null, "execution failed: " + error.message());
        Execution failed = e.toBuilder().error(error).end(ExecutionStatus.FAILED, now).build();
        // The flow's retry policy applies here as after any failed run.
        Optional<FlowDef> flow = instances.get(e.instanceId())
                .flatMap(i -> definitions.definition(i.integrationId(), i.integrationVersion()).flow(e.flow()));
        if (flow.isPresent()) failed = retries.onFailure(failed, flow.get().retry(), null, Retries.Chain.NONE, sink);
        ExecutionLogs.append(logs, e.customerId(), e.instanceId(), e.id(), lines);
        executions.save(failed);
        // Whether the run published its start on its own is not known here (a run that never reached a
        // step boundary did not): the end carries it, and a start alert already raised is not raised again.
        monitorEvents.executionEnded(failed, lines, true);
        if (failed.trigger() != Trigger.TEST) metrics.executionEnded(failed);
        return Optional.of(failed);
    }

    /**
     * Withdraws an execution a webhook (or a single replay) stored QUEUED but that nothing claimed
     * before {@code cutoff}: the store applied its write after the producer had answered 5xx, so the
     * sender sends it again and this copy must not run. CANCELLED with the reason, and a log line.
     * Empty when it is not QUEUED any more. A legitimately waiting one whose message comes later is
     * claimed and run all the same.
     */
    public Optional<Execution> cancelUnacknowledged(String executionId, Instant cutoff) {
        Optional<Execution> current = executions.get(executionId)
                .filter(e -> e.status() == ExecutionStatus.QUEUED && e.queuedAt().isBefore(cutoff));
        if (current.isEmpty()) return Optional.empty();
        Execution e = current.get();
        Instant now = clock.instant();
        ExecutionError error = new ExecutionError(UNACKNOWLEDGED + ": stored " + e.queuedAt()
                + " but never enqueued (its write completed after the " + e.trigger().name().toLowerCase()
                + " request was answered 5xx, so the sender sends it again); withdrawn after "
                + Duration.between(e.queuedAt(), now).toSeconds() + " s in QUEUED", null, false);
        if (!executions.cancelUnacknowledged(e.id(), error, now)) return Optional.empty();
        ExecutionLogs.append(logs, e.customerId(), e.instanceId(), e.id(), List.of(new LogLine(now, Severity.WARN,
                "execution cancelled: " + error.message(), e.instanceId(), e.id(), e.flowConfigId(), null, e.attempt())));
        return Optional.of(e.toBuilder().end(ExecutionStatus.CANCELLED, now).error(error).build());
    }
}

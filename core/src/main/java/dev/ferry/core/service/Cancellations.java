package dev.ferry.core.service;

import dev.ferry.core.error.ConflictException;
import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.log.Log;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.port.ExecutionStore;
import dev.ferry.core.port.ReplayJobStore;
import java.time.Clock;
import java.util.Optional;

/**
 * Cancelling executions that have not run: QUEUED, HELD (an instance paused with HOLD) or FAILED and
 * waiting for a retry. The store decides with one conditional write ({@link ExecutionStore#cancel}),
 * so a run claiming it, an unpause releasing it or the retry dispatcher starting its retry either got
 * there first — and the cancel is refused — or finds it CANCELLED and leaves it alone.
 */
public final class Cancellations {
    private final ExecutionStore executions;
    private final ReplayJobStore jobs;
    private final Clock clock;

    public Cancellations(ExecutionStore executions, ReplayJobStore jobs, Clock clock) {
        this.executions = executions;
        this.jobs = jobs;
        this.clock = clock;
    }

    /** Cancels one execution for {@code by}; 404 when unknown, 409 (saying why) when it has run or is running. */
    public Execution cancel(String id, String by) {
        Execution before = executions.get(id).orElseThrow(() -> new NotFoundException("execution", id));
        return tryCancel(id, by).orElseThrow(() -> new ConflictException(refusal(
                executions.get(id).orElse(before))));
    }

    /** Cancels it if it is still cancellable; empty (nothing changed) otherwise. */
    public Optional<Execution> tryCancel(String id, String by) {
        Optional<Execution> cancelled = executions.cancel(id, by, clock.instant());
        cancelled.ifPresent(e -> {
            Log.info("execution cancelled", Log.EXECUTION_ID, e.id(), Log.INSTANCE_ID, e.instanceId(), "cancelledBy", by);
            if (e.replayJobId() != null) {
                try {
                    jobs.recordOutcome(e.replayJobId(), false);
                } catch (RuntimeException ignored) {
                    // the job's counts are informative; the execution's own record is what matters
                }
            }
        });
        return cancelled;
    }

    /** Whether an execution in this state could be cancelled (the store has the last word). */
    public static boolean cancellable(Execution e) {
        return e.status() == ExecutionStatus.QUEUED || e.status() == ExecutionStatus.HELD
                || (e.status() == ExecutionStatus.FAILED && e.nextRetryAt() != null);
    }

    private static String refusal(Execution e) {
        String what = "execution '" + e.id() + "' is " + e.status();
        return switch (e.status()) {
            case RUNNING -> what + ": a running execution cannot be cancelled; pause its instance to hold what comes next";
            case FAILED -> what + (e.nextRetryAt() != null ? " and its retry has already started" : " with no retry pending")
                    + ": only a QUEUED, HELD or retry-waiting execution can be cancelled";
            case CANCELLED -> what + " already" + (e.cancelledBy() != null ? " (by " + e.cancelledBy() + ")" : "");
            default -> what + ": it has already run; only a QUEUED, HELD or retry-waiting execution can be cancelled";
        };
    }
}

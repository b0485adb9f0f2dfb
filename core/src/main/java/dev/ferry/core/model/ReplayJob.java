package dev.ferry.core.model;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A bulk job over executions — a replay, or a cancellation ({@code kind}). A bulk replay: every execution matching {@code filter} (its {@code until} fixed at creation, so
 * the job's own replays never match) is replayed once, at most {@code ratePerSecond} per second
 * (null: as fast as the worker goes). Progress is checkpointed after each chunk: {@code chunk}
 * counts the chunks done and {@code cursor} is where the next one starts.
 *
 * @param matched    executions matching the filter when the job was created
 * @param dispatched replays created (queued, or held for a paused instance); for a cancellation, executions cancelled
 * @param skipped    matches that could not be replayed (their instance was deleted); for a cancellation, matches
 *                   that were no longer cancellable (running or finished)
 * @param succeeded  replays that ran and succeeded so far (they keep coming after COMPLETED)
 * @param failed     replays that ran and failed (or were cancelled) so far
 */
public record ReplayJob(
        String id,
        String name,
        ExecutionQuery filter,
        BigDecimal ratePerSecond,
        ReplayJobStatus status,
        long matched,
        long dispatched,
        long skipped,
        long succeeded,
        long failed,
        int chunk,
        String cursor,
        Instant createdAt,
        Instant updatedAt,
        Instant expiresAt,
        ReplayJobKind kind,
        String createdBy) {

    public ReplayJob {
        kind = kind == null ? ReplayJobKind.REPLAY : kind;
    }

    /** A bulk replay started by no one in particular. */
    public ReplayJob(String id, String name, ExecutionQuery filter, BigDecimal ratePerSecond, ReplayJobStatus status,
                     long matched, long dispatched, long skipped, long succeeded, long failed, int chunk, String cursor,
                     Instant createdAt, Instant updatedAt, Instant expiresAt) {
        this(id, name, filter, ratePerSecond, status, matched, dispatched, skipped, succeeded, failed, chunk, cursor,
                createdAt, updatedAt, expiresAt, ReplayJobKind.REPLAY, null);
    }

    /** The same job with these outcome counts. */
    public ReplayJob withOutcomes(long succeededCount, long failedCount) {
        return new ReplayJob(id, name, filter, ratePerSecond, status, matched, dispatched, skipped, succeededCount,
                failedCount, chunk, cursor, createdAt, updatedAt, expiresAt, kind, createdBy);
    }

    public ReplayJob withStatus(ReplayJobStatus s, Instant at) {
        return new ReplayJob(id, name, filter, ratePerSecond, s, matched, dispatched, skipped, succeeded, failed,
                chunk, cursor, createdAt, at, expiresAt, kind, createdBy);
    }

    /** The state after one more chunk: {@code n} dispatched, {@code skip} skipped, next {@code cursor}. */
    public ReplayJob advanced(long n, long skip, String next, boolean done, Instant at) {
        return new ReplayJob(id, name, filter, ratePerSecond, done ? ReplayJobStatus.COMPLETED : status, matched,
                dispatched + n, skipped + skip, succeeded, failed, chunk + 1, next, createdAt, at, expiresAt, kind,
                createdBy);
    }
}

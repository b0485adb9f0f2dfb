package dev.ferry.core.port;

import dev.ferry.core.model.Page;
import dev.ferry.core.model.ReplayJob;
import dev.ferry.core.model.ReplayJobKind;
import java.time.Instant;
import java.util.Optional;

/**
 * Bulk jobs (replays and cancellations) and their progress. Every change is conditional so that two workers on one job
 * (a re-delivered message) cannot both record the same chunk, and a cancel wins over a running worker.
 */
public interface ReplayJobStore {
    /** Stores a new job; Conflict if the id exists. */
    void create(ReplayJob job);

    /** The job, or empty when unknown or past its {@code expiresAt}. */
    Optional<ReplayJob> get(String id);

    /**
     * Makes {@code owner} the job's only worker until {@code until}: succeeds if the job is RUNNING and
     * not leased to another owner past {@code now}. Returns false otherwise (another worker has it,
     * or the job ended).
     */
    boolean lease(String id, String owner, Instant until, Instant now);

    /**
     * Records that chunk {@code job.chunk()} is done: stores {@code next} (its chunk, cursor, counts and
     * status) only if the stored job is still RUNNING at {@code job.chunk()} and leased to {@code owner}.
     * Returns false when it is not (cancelled, or another worker took over).
     */
    boolean checkpoint(ReplayJob job, ReplayJob next, String owner);

    /** RUNNING → CANCELLED; returns the job as it is afterwards (unchanged if it had already ended). */
    Optional<ReplayJob> cancel(String id, Instant at);

    /**
     * Jobs of one kind that have not expired, newest first (then by id descending), at most {@code limit}
     * a page, with a cursor to the next page (null at the end).
     */
    Page<ReplayJob> list(ReplayJobKind kind, int limit, String cursor);

    /** Counts one finished replay of the job (succeeded or not); unknown jobs are ignored. */
    void recordOutcome(String id, boolean succeeded);
}

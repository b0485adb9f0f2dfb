package dev.ferry.core.port;

import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionQuery;
import dev.ferry.core.model.Page;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Executions with their request and step results. Large request bodies and step outputs are the
 * adapter's concern (kept whole, wherever they live). Items past {@code expiresAt} are never
 * returned, whether or not the backing store has deleted them yet.
 */
public interface ExecutionStore {
    /** Stores a new execution; durable when this returns. Conflict if the id exists. */
    void create(Execution execution);

    Optional<Execution> get(String id);

    /**
     * Moves a QUEUED execution to RUNNING with the given start time and returns it, or empty if it
     * is not QUEUED any more (already claimed, held, finished or gone) — so a redelivered message
     * never runs an execution twice.
     */
    default Optional<Execution> claim(String id, Instant startedAt) {
        return claim(id, startedAt, null, null);
    }

    /**
     * Claims the execution for one attempt at a delivery of its message. {@code token} is
     * {@code <message id>#<attempt nonce>}. Moves it QUEUED → RUNNING (recording the token); also answers
     * it RUNNING again, without another run having started, when it is RUNNING under exactly this token
     * (this attempt retrying a claim whose answer was lost — the store applied it late), or under a token
     * of the same message whose claim started before {@code staleBefore} (the message delivered again
     * after the function that claimed it has timed out). A duplicate copy of the message arriving while
     * the claim is fresh gets nothing, whatever its clock says. A CANCELLED execution that the
     * unacknowledged sweep withdrew ({@link #cancelUnacknowledged}) is claimed like a QUEUED one: its
     * message exists, so it was acknowledged after all. Empty otherwise. A null token claims only
     * QUEUED (and withdrawn) ones.
     */
    Optional<Execution> claim(String id, Instant startedAt, String token, Instant staleBefore);

    /**
     * Gives back a claim this delivery holds (RUNNING under {@code token}, started at {@code startedAt})
     * before any step ran — the execution is QUEUED again, so the message's next delivery claims it.
     * False if the claim is not this one any more.
     */
    boolean unclaim(String id, String token, Instant startedAt);

    /**
     * Ids of executions stored QUEUED by a webhook (or a single replay) before {@code cutoff} and never
     * claimed since — those whose sender may have been answered 5xx although the store applied the
     * write later. Oldest first, at most {@code limit}. Executions released from HELD, retries,
     * schedule ticks and bulk replays are never listed (their producers enqueue them again when a
     * call fails). Served by the index of watched executions ({@link #watchUnfinished}), which such an
     * execution enters at the sweep's last look at it, {@link #LATE_WRITE} after it was queued.
     */
    List<String> unacknowledgedBefore(Instant cutoff, int limit);

    /**
     * Marks a still-QUEUED execution that {@link #unacknowledgedBefore} may list CANCELLED with this
     * error at {@code endedAt}, withdrawn as not acknowledged to its sender; false if it is not QUEUED
     * any more, was claimed since (even if the claim was given back: its message exists), or is gone.
     * A later delivery of its message claims it after all ({@link #claim}).
     */
    boolean cancelUnacknowledged(String id, dev.ferry.core.model.ExecutionError error, Instant endedAt);

    /**
     * Whether a stored execution in this state is one {@link #unacknowledgedBefore} may list: QUEUED,
     * and created by a webhook (an original) or by a single replay (no bulk job) — the producers that
     * answer their caller 5xx when the write's outcome is unknown, and are not retried with the same id.
     */
    static boolean awaitsAcknowledgement(Execution e) {
        if (e.status() != dev.ferry.core.model.ExecutionStatus.QUEUED || e.trigger() == null) return false;
        return switch (e.trigger()) {
            case WEBHOOK -> e.original();
            case REPLAY -> e.replayJobId() == null;
            default -> false;
        };
    }

    /** Replaces a stored execution with this state (its id must exist). */
    void save(Execution execution);

    /**
     * Newest first; summaries (no request body, no step outputs). A store may bound the work of one
     * call and answer a short page with a {@code nextCursor} (a selective filter over a large index):
     * callers follow the cursor until it is null rather than stopping at a short page.
     */
    Page<Execution> list(ExecutionQuery query);

    /**
     * Ids of the instance's HELD executions in arrival order (oldest {@code queuedAt} first, then
     * id), without reading any other execution. May lag a write by the index's propagation delay.
     */
    Page<String> listHeld(String instanceId, int limit, String cursor);

    /**
     * Moves a HELD execution back to QUEUED; true if this call did, false if it is not HELD any more
     * (released by someone else, gone or expired) — so two releasers never both enqueue it.
     */
    boolean release(String id);

    /**
     * Cancels an execution that has not run and will not run unless this call fails: QUEUED, HELD, or
     * FAILED with its retry scheduled ({@code nextRetryAt}) and not yet started ({@link #startRetry}).
     * One conditional write, so a claim, a release or a retry dispatch racing it either happened first
     * (and this answers empty) or finds it CANCELLED. Afterwards it is CANCELLED with {@code by} and
     * {@code at} as {@code cancelledBy}/{@code cancelledAt}, {@code endedAt} kept (or {@code at}), no
     * retry pending and in no index of held, queued or unresolved executions. Returns it as it then
     * is, or empty when it was not cancellable (running, finished, its retry started) or is unknown.
     */
    Optional<Execution> cancel(String id, String by, Instant at);

    /**
     * Records that the retry of this FAILED execution is being started, before the retry is created;
     * true if it is FAILED (marked now, or by an earlier delivery of the same retry message), false
     * when it is not (cancelled meanwhile, or gone) — then no retry may be created.
     */
    boolean startRetry(String id, Instant at);
    // ---- lineage and bulk replay (retries and replays). The defaults are correct but make one call
    // per item; the adapters do each in one atomic or batched call.

    /** Marks the original {@code id} resolved (a retry or replay of it succeeded); atomic, no-op if gone. */
    default void markResolved(String id) {
        get(id).filter(o -> !o.resolved()).ifPresent(o -> save(o.toBuilder().resolved(true).build()));
    }

    /**
     * Appends {@code replayId} to the original's {@code replays} and, with {@code resolved}, marks it
     * resolved too — one atomic update; no-op if the original is gone.
     */
    default void linkReplay(String originalId, String replayId, boolean resolved) {
        get(originalId).ifPresent(o -> {
            List<String> ids = new java.util.ArrayList<>(o.replays());
            if (!ids.contains(replayId)) ids.add(replayId);
            save(o.toBuilder().replays(ids).resolved(o.resolved() || resolved).build());
        });
    }

    /**
     * Creates the replays of a bulk job chunk whose ids do not exist yet (ids are deterministic per job
     * and execution, so a chunk written again creates nothing twice). The caller must be the only
     * writer of the chunk (the job's lease). Returns the ids created by this call. Replays are linked
     * to their originals when they run ({@link #linkReplay}).
     */
    default List<String> createReplays(List<Execution> replays) {
        List<String> created = new java.util.ArrayList<>();
        for (Execution r : replays) {
            try {
                create(r);
                created.add(r.id());
            } catch (dev.ferry.core.error.ConflictException exists) {
                // written by an earlier delivery of the same chunk
            }
        }
        return created;
    }

    /** The full executions (request body included, steps too) with these ids; unknown or expired ones are left out. */
    default List<Execution> getAll(Collection<String> ids) {
        return ids.stream().map(this::get).flatMap(Optional::stream).toList();
    }

    /** How many executions match the query (its limit and cursor are ignored). */
    default long count(ExecutionQuery query) {
        long n = 0;
        String cursor = null;
        do {
            Page<Execution> page = list(query.withCursor(cursor));
            n += page.items().size();
            cursor = page.nextCursor();
        } while (cursor != null);
        return n;
    }

    /**
     * RUNNING executions that started before {@code cutoff}, oldest start first, at most {@code limit}
     * (the monitor sweep: stuck executions and ones running past a duration). Served by an index of
     * the unfinished executions the sweep watches ({@link #watchUnfinished}), never by reading the
     * others: an execution is certain to be listed once a sweep has run after its claim (one claimed
     * more than {@link #LATE_CLAIM} after it was queued is listed at once).
     */
    List<Execution> runningStartedBefore(Instant cutoff, int limit);

    /**
     * How late a write may become visible to the sweep's read of the recent executions (the queue
     * time is taken before the write; the write, retried within the AWS call timeout, and the index
     * catching up land well within it). Each sweep reads back this far before the previous one.
     */
    java.time.Duration LATE_WRITE = java.time.Duration.ofSeconds(60);

    /**
     * A claim made more than this after the execution was queued enters it among the watched
     * ones itself: the sweep's last look at it may already have passed (it looks for
     * {@link #LATE_WRITE} after the queue time). Less than that, so that a claim the sweep's
     * eventually consistent read did not see yet is still covered.
     */
    java.time.Duration LATE_CLAIM = java.time.Duration.ofSeconds(45);

    /**
     * The sweep's first step, once a minute: reads the executions queued since shortly before its
     * previous run ({@link #LATE_WRITE}) and enters among the watched ones — those
     * {@link #runningStartedBefore} and {@link #unacknowledgedBefore} list — each that is RUNNING, and
     * each still awaiting acknowledgement whose last look this is. An execution that ends before the
     * sweep sees it running costs the watched index nothing; neither does its accept nor its claim.
     * Idempotent: two sweeps at once enter nothing twice.
     */
    Watched watchUnfinished(Instant now);

    /** What {@link #watchUnfinished} did: executions looked at, and those it entered among the watched ones. */
    record Watched(int read, int entered) {}

    /**
     * Deletes up to {@code limit} of the instance's executions, each with everything the store keeps
     * for it (payloads held elsewhere, index entries: held, running, unresolved), expired ones
     * included. Returns the ids deleted and a cursor to go on from ({@code null} once the instance
     * has nothing more); a call without a cursor starts over, which is also correct.
     */
    Page<String> deleteForInstance(String instanceId, int limit, String cursor);

    /** Deletes one execution with its payloads; nothing happens when it is gone. */
    void delete(String id);
}

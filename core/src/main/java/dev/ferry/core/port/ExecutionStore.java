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
    Optional<Execution> claim(String id, Instant startedAt);

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
     * running executions only, never by reading the others.
     */
    List<Execution> runningStartedBefore(Instant cutoff, int limit);

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

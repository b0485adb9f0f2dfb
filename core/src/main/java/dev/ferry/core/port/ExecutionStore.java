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

    /** Newest first; summaries (no request body, no step outputs). */
    Page<Execution> list(ExecutionQuery query);

    // ---- lineage and bulk replay (retries and replays). The defaults are correct but make one call
    // per item; the adapters do each in one atomic or batched call.

    /** Marks the original {@code id} resolved (a retry or replay of it succeeded); atomic, no-op if gone. */
    default void markResolved(String id) {
        get(id).filter(o -> !o.resolved()).ifPresent(o -> save(o.toBuilder().resolved(true).build()));
    }

    /**
     * Creates each replay (its {@code replayOf} names an original) unless its id already exists, and
     * adds its id to the original's {@code replays} — both or neither, per replay. Returns the ids
     * created by this call, so a repeated call (a re-delivered job chunk) creates nothing twice.
     */
    default List<String> createReplays(List<Execution> replays) {
        List<String> created = new java.util.ArrayList<>();
        for (Execution r : replays) {
            try {
                create(r);
            } catch (dev.ferry.core.error.ConflictException exists) {
                continue;
            }
            created.add(r.id());
            get(r.replayOf()).ifPresent(o -> {
                List<String> ids = new java.util.ArrayList<>(o.replays());
                ids.add(r.id());
                save(o.toBuilder().replays(ids).build());
            });
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
}

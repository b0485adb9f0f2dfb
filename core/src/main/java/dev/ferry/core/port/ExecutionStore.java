package dev.ferry.core.port;

import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionQuery;
import dev.ferry.core.model.Page;
import java.time.Instant;
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
}

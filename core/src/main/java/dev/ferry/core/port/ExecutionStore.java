package dev.ferry.core.port;

import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionQuery;
import dev.ferry.core.model.Page;
import java.time.Instant;
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

    /**
     * RUNNING executions that started before {@code cutoff}, oldest start first, at most {@code limit}
     * (the monitor sweep: stuck executions and ones running past a duration). Served by an index of
     * running executions only, never by reading the others.
     */
    List<Execution> runningStartedBefore(Instant cutoff, int limit);
}

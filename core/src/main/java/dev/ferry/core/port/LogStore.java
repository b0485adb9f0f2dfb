package dev.ferry.core.port;

import dev.ferry.core.model.LogLine;
import dev.ferry.core.model.LogQuery;
import dev.ferry.core.model.Page;
import java.util.List;

/**
 * Execution logs, kept per customer and, within it, per instance: every execution of an instance
 * writes to the same place, each line carrying its execution id, so writing needs no call per
 * execution to make room, and a search of all a customer's instances reads one place.
 */
public interface LogStore {
    /** Makes sure the customer's log group exists (with the retention policy). Idempotent. */
    void ensureGroup(String customerId);

    /**
     * Makes sure the execution's lines have somewhere to go before its first step, so the lines the
     * runner appends when the run ends take one write. Idempotent; a store whose place for them
     * outlives executions (one per instance, made by the first write) has nothing to do.
     */
    void ensureStream(String customerId, String instanceId, String executionId);

    /**
     * Appends the execution's lines, in order (the place for them is created on first use). Throws
     * {@code StoreException} when they could not all be written, after the store's own retries.
     */
    void append(String customerId, String instanceId, String executionId, List<LogLine> lines);

    /** The execution's lines, oldest first. */
    List<LogLine> read(String customerId, String instanceId, String executionId);

    /**
     * The execution's lines, oldest first, knowing they were written between {@code from} and
     * {@code to} (inclusive; either null when unknown), which a store may use to read less.
     */
    default List<LogLine> read(String customerId, String instanceId, String executionId,
                               java.time.Instant from, java.time.Instant to) {
        return read(customerId, instanceId, executionId);
    }

    /**
     * The lines of the query's instances that match it ({@link LogQuery#matches}), oldest first:
     * by time to the millisecond, then instance id, then the order they were written in. Unknown
     * instances (nothing logged yet) have no lines. A cursor that is not one of this store's is a
     * {@code ValidationException} on {@code cursor}.
     */
    Page<LogLine> search(LogQuery query);

    /** Deletes every line of the instance (its customer's other instances keep theirs); nothing happens when there is none. */
    void deleteInstance(String customerId, String instanceId);
}

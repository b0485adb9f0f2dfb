package dev.ferry.core.port;

import dev.ferry.core.model.LogLine;
import dev.ferry.core.model.LogQuery;
import dev.ferry.core.model.Page;
import java.util.List;

/** Execution logs: one group per instance, one stream per execution. */
public interface LogStore {
    /** Makes sure the instance's log group exists (with the retention policy). Idempotent. */
    void ensureGroup(String instanceId);

    /**
     * Makes sure the execution's stream exists (and its instance's group). Idempotent. The runner
     * calls it before a run's first step, so the lines it appends when the run ends take one write:
     * a write the store answers too late still lands, where a stream created late would leave them
     * nowhere to go.
     */
    void ensureStream(String instanceId, String executionId);

    /** Appends lines, in order, to the execution's stream (created on first use). */
    void append(String instanceId, String executionId, List<LogLine> lines);

    /** The execution's lines, oldest first. */
    List<LogLine> read(String instanceId, String executionId);

    /**
     * The lines of the query's instances that match it ({@link LogQuery#matches}), oldest first:
     * by time to the millisecond, then instance id, then the order they were written in. Unknown
     * instances (no log group yet) have no lines. A cursor that is not one of this store's is a
     * {@code ValidationException} on {@code cursor}.
     */
    Page<LogLine> search(LogQuery query);

    /** Deletes the instance's log group with every stream and line in it; nothing happens when there is none. */
    void deleteGroup(String instanceId);
}

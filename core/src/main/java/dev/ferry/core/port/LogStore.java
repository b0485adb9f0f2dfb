package dev.ferry.core.port;

import dev.ferry.core.model.LogLine;
import java.util.List;

/** Execution logs: one group per instance, one stream per execution. */
public interface LogStore {
    /** Makes sure the instance's log group exists (with the retention policy). Idempotent. */
    void ensureGroup(String instanceId);

    /** Appends lines, in order, to the execution's stream (created on first use). */
    void append(String instanceId, String executionId, List<LogLine> lines);

    /** The execution's lines, oldest first. */
    List<LogLine> read(String instanceId, String executionId);
}

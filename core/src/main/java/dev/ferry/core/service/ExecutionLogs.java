package dev.ferry.core.service;

import dev.ferry.core.log.Log;
import dev.ferry.core.model.LogLine;
import dev.ferry.core.port.LogStore;
import java.util.List;

/** Writes an execution's log lines where a failure to write them must not change its outcome. */
final class ExecutionLogs {
    private ExecutionLogs() {}

    /** Appends the lines; a failure is reported on stderr and otherwise ignored. */
    static void append(LogStore logs, String instanceId, String executionId, List<LogLine> lines) {
        try {
            logs.append(instanceId, executionId, lines);
        } catch (RuntimeException e) {
            // The execution's outcome matters more than its log lines: record it anyway.
            Log.warn("could not write execution logs", "executionId", executionId, "reason", String.valueOf(e.getMessage()));
        }
    }
}

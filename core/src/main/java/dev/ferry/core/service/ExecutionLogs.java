package dev.ferry.core.service;

import dev.ferry.core.log.Log;
import dev.ferry.core.model.LogLine;
import dev.ferry.core.port.LogStore;
import java.util.List;

/** Writes an execution's log lines where a failure to write them must not change its outcome. */
final class ExecutionLogs {
    private ExecutionLogs() {}

    /**
     * Appends the lines and returns how many could not be written (0, or all of them): a failure is
     * logged and counted, never thrown, as the execution's outcome matters more than its lines.
     */
    static int append(LogStore logs, String customerId, String instanceId, String executionId, List<LogLine> lines) {
        try {
            logs.append(customerId, instanceId, executionId, lines);
            return 0;
        } catch (RuntimeException e) {
            Log.warn("could not write execution logs", "executionId", executionId, "lines", lines.size(),
                    "reason", String.valueOf(e.getMessage()));
            return lines.size();
        }
    }
}

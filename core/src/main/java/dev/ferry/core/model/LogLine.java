package dev.ferry.core.model;

import java.time.Instant;

/**
 * One log line of an execution. Written to its instance's log stream as a JSON line carrying its
 * execution id, so that an execution's lines can be read by it (infra's CloudWatchLogsLogStore).
 */
public record LogLine(
        Instant timestamp,
        Severity severity,
        String message,
        String instanceId,
        String executionId,
        String flowConfigId,
        String step,
        int attempt) {}

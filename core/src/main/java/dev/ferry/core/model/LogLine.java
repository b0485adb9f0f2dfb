package dev.ferry.core.model;

import java.time.Instant;

/**
 * One log line of an execution. Written to the instance's log group as a JSON line carrying the
 * correlation ids, so that search can filter by them.
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

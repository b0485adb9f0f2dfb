package dev.ferry.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** The outcome of one step: its output (any JSON) or its error. Status SUCCEEDED, FAILED or SKIPPED. */
public record StepResult(
        String name,
        String type,
        String status,
        Instant startedAt,
        Instant endedAt,
        long durationMs,
        JsonNode output,
        ExecutionError error) {

    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";
    public static final String SKIPPED = "SKIPPED";
}

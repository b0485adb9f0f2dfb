package dev.ferry.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.model.ExecutionError;
import dev.ferry.core.model.StepResult;
import java.time.Duration;
import java.util.List;

/**
 * The outcome of one run: every step's result in order, the error (null on success), the last
 * executed step's output (null if none ran), and the wait a failed http step's {@code Retry-After}
 * asked for (null if none). Everything here is already redacted.
 */
public record FlowRun(List<StepResult> steps, ExecutionError error, JsonNode lastOutput, Duration retryAfter) {
    public FlowRun {
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    public boolean succeeded() {
        return error == null;
    }
}

package dev.ferry.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * A step failed: the message (secrets are redacted before it is recorded), whether running the
 * execution again may succeed, and how long the other side asked us to wait (null if it did not say).
 * Thrown by the engine's step types and, to choose retryability, by {@link CodeStep}s.
 */
public class StepFailedException extends RuntimeException {
    private final boolean retryable;
    private final Duration retryAfter;
    private final transient JsonNode output;

    public StepFailedException(String message, boolean retryable) {
        this(message, retryable, null);
    }

    public StepFailedException(String message, boolean retryable, Duration retryAfter) {
        this(message, retryable, retryAfter, null);
    }

    /** With the output the failed step still produced (an http step's error response). */
    public StepFailedException(String message, boolean retryable, Duration retryAfter, JsonNode output) {
        super(message);
        this.retryable = retryable;
        this.retryAfter = retryAfter;
        this.output = output;
    }

    public boolean retryable() {
        return retryable;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** The failed step's output, or null. */
    public JsonNode output() {
        return output;
    }
}

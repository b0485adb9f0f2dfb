package dev.ferry.core.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A {@code code} step: a Java class on the classpath with a public no-arg constructor, named by the
 * step's {@code class} field. One instance per class is created and reused, so implementations must
 * be thread-safe and keep no per-run state. The returned JSON is the step's output (null for none).
 * Throw {@link StepFailedException} to fail the step with a chosen message and retryability; any
 * other exception fails it as retryable.
 */
@FunctionalInterface
public interface CodeStep {
    JsonNode run(CodeStepContext context);
}

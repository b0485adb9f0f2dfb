package dev.ferry.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.port.LogSink;

/**
 * What a {@link CodeStep} gets: its evaluated {@code input} field (null when absent), a copy of the
 * bindings ({@code {trigger, config, steps, execution}}) and a log sink (its lines are redacted).
 */
public record CodeStepContext(JsonNode input, JsonNode bindings, LogSink log) {}

package dev.ferry.core.error;

/** Which input field is wrong and why, e.g. {@code flows[0].steps[1].url}: "not a valid expression: …". */
public record FieldError(String field, String reason) {}

package dev.ferry.core.model;

/** Why an execution or step failed, and whether trying again may help. */
public record ExecutionError(String message, String step, boolean retryable) {}

package dev.ferry.core.model;

import java.time.Instant;

/**
 * A pending automatic retry as the retry queue carries it: retry the failed execution
 * {@code executionId} once {@code dueAt} has come. Delays beyond the queue's limit are chained:
 * a message that arrives early is sent again with the remaining delay.
 */
public record RetryMessage(String executionId, Instant dueAt) {}

package dev.ferry.core.message;

import java.time.Instant;

/**
 * What the retry queue carries to the retry dispatcher: retry the failed execution
 * {@code executionId} once {@code dueAt} has come. Delays beyond the queue's limit are chained: a
 * message that arrives early is sent again with the remaining delay. On the wire ({@link #CODEC}):
 * {@code {"executionId": "<id>", "dueAt": "<ISO-8601 instant>"}}, unknown fields ignored.
 */
public record RetryMessage(String executionId, Instant dueAt) implements QueueMessage {
    public static final MessageCodec<RetryMessage> CODEC = new RetryMessageCodec();

    public RetryMessage {
        if (executionId == null || executionId.isBlank()) throw new MalformedMessageException("not a retry message: no executionId");
        if (dueAt == null) throw new MalformedMessageException("not a retry message: no dueAt");
    }

    @Override
    public String summary() {
        return "executionId " + executionId;
    }
}

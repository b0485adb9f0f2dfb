package dev.ferry.core.model;

import java.time.Instant;

/**
 * A message its queue gave up on (received {@code maxReceiveCount} times without success) and moved
 * to the queue's dead-letter queue.
 *
 * @param id           the SQS message id (what a redrive names)
 * @param queue        the source queue
 * @param sentAt       when it was first sent to the source queue
 * @param receiveCount receives so far, as SQS counts them (listing dead letters counts as one)
 * @param summary      what it is about, e.g. {@code executionId exe_…}
 * @param body         the body, at most {@link #BODY_MAX} characters
 * @param truncated    whether {@code body} was cut
 */
public record DeadLetter(String id, DeadLetterQueue queue, Instant sentAt, int receiveCount, String summary, String body,
                         boolean truncated) {
    public static final int BODY_MAX = 1000;
}

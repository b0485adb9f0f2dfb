package dev.ferry.core.port;

import dev.ferry.core.message.RetryMessage;
import java.time.Duration;

/**
 * The queue of pending automatic retries: a message comes back to the retry dispatcher after its
 * delay. One delay is at most {@link #MAX_DELAY} (SQS's limit); longer waits are chained by the
 * dispatcher, which sends an early message again with what remains.
 */
public interface RetryQueue {
    Duration MAX_DELAY = Duration.ofMinutes(15);

    /**
     * Sends the message to be delivered after {@code delay} (0 to {@link #MAX_DELAY}, whole seconds
     * rounded up); durable when this returns. A longer delay is an IllegalArgumentException.
     */
    void send(RetryMessage message, Duration delay);
}

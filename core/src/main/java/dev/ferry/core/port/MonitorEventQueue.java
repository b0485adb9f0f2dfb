package dev.ferry.core.port;

import dev.ferry.core.message.MonitorMessage;
import java.time.Duration;

/** The queue that feeds the monitor evaluation function: execution and instance events, delivery retries. */
public interface MonitorEventQueue {
    /** Sends the message, to be received after {@code delay} (at most 15 minutes); durable when this returns. */
    void send(MonitorMessage message, Duration delay);

    default void publish(MonitorMessage message) {
        send(message, Duration.ZERO);
    }
}

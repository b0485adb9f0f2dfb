package dev.ferry.core.port;

import dev.ferry.core.model.MonitorEvent;
import java.time.Duration;

/** The queue that feeds the monitor evaluation function: execution and instance events, delivery retries. */
public interface MonitorEventQueue {
    /** Sends the event, to be received after {@code delay} (at most 15 minutes); durable when this returns. */
    void send(MonitorEvent event, Duration delay);

    default void publish(MonitorEvent event) {
        send(event, Duration.ZERO);
    }
}

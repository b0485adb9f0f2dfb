package dev.ferry.core.message;

import java.time.Instant;

/**
 * What the monitor queue carries to the monitor evaluation function: {@link MonitorEvent}s (an
 * execution started or ended, an instance enabled, disabled or removed) and
 * {@link AlertDeliveryRetry}s. On the wire ({@link #CODEC}) both are one JSON object,
 * {@code {"type", "at", "execution", "logs", "instance", "retry", "includesStart"}}, whose
 * {@code type} is the event's type or {@code ALERT_DELIVERY}; a delivery's {@code retry} is
 * {@code {"monitorId", "alertKey", "channel", "attempt"}}.
 */
public sealed interface MonitorMessage extends QueueMessage permits MonitorEvent, AlertDeliveryRetry {
    MessageCodec<MonitorMessage> CODEC = new MonitorMessageCodec();

    /** When it was sent (for a delivery retry: when the attempt before it failed). */
    Instant at();
}

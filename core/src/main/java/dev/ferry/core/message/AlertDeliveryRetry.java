package dev.ferry.core.message;

import java.time.Instant;

/**
 * The next attempt to deliver an alert to one of its monitor's channels, sent to the monitor queue
 * with the back-off as its delay.
 *
 * @param channel the channel's index in the monitor
 * @param attempt the attempt this message makes (2 for the first retry)
 * @param at      when the attempt before it failed
 */
public record AlertDeliveryRetry(String monitorId, String alertKey, int channel, int attempt, Instant at)
        implements MonitorMessage {

    @Override
    public String summary() {
        return "ALERT_DELIVERY monitorId " + monitorId;
    }
}

package dev.ferry.core.model;

import java.time.Instant;

/**
 * One attempt to deliver an alert to one channel (by its index in the monitor's channels):
 * the HTTP status (null when no answer came), the error, whether it was delivered, and when the
 * next attempt is due (null when none will be made).
 */
public record AlertDelivery(
        int channel,
        String url,
        int attempt,
        Instant at,
        Integer status,
        String error,
        boolean delivered,
        Instant nextAttemptAt) {}

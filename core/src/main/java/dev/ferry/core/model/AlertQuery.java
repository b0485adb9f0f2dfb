package dev.ferry.core.model;

import java.time.Instant;

/**
 * A filter over alerts, newest first: by monitor and/or instance, fired at or after {@code since};
 * {@code customerId}, when set, keeps only alerts about that customer's instances (a customer key's view).
 */
public record AlertQuery(String monitorId, String instanceId, Instant since, int limit, String cursor, String customerId) {
    public AlertQuery(String monitorId, String instanceId, Instant since, int limit, String cursor) {
        this(monitorId, instanceId, since, limit, cursor, null);
    }
}

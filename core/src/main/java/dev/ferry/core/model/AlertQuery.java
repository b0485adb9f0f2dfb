package dev.ferry.core.model;

import java.time.Instant;

/**
 * A filter over alerts, newest first: by monitor and/or instance, fired at or after {@code since};
 * {@code customerId}, when set, keeps only alerts about that customer's instances (a customer key's view);
 * {@code acknowledged}, when set, only alerts acknowledged (true) or not yet (false).
 */
public record AlertQuery(String monitorId, String instanceId, Instant since, int limit, String cursor, String customerId,
                         Boolean acknowledged) {
    public AlertQuery(String monitorId, String instanceId, Instant since, int limit, String cursor) {
        this(monitorId, instanceId, since, limit, cursor, null, null);
    }

    public AlertQuery(String monitorId, String instanceId, Instant since, int limit, String cursor, String customerId) {
        this(monitorId, instanceId, since, limit, cursor, customerId, null);
    }

    /** Whether {@code a} passes the acknowledged filter. */
    public boolean acknowledgedMatches(Alert a) {
        return acknowledged == null || acknowledged == (a.acknowledgedAt() != null);
    }
}

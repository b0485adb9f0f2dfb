package dev.ferry.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An alert monitor (docs/api.md, "Monitors and alerts"): a scope, one or more triggers, and the channels its
 * alerts go to. {@code creatorCustomerId} is the customer whose key created it, null when an admin key did:
 * only the creator (and admin keys) see its channels' destinations.
 */
public record Monitor(
        String id,
        String name,
        MonitorScope scope,
        List<MonitorTrigger> triggers,
        List<AlertChannel> channels,
        Instant createdAt,
        String creatorCustomerId) {

    public Monitor {
        scope = scope == null ? MonitorScope.EVERYTHING : scope;
        triggers = triggers == null ? List.of() : List.copyOf(triggers);
        channels = channels == null ? List.of() : List.copyOf(channels);
    }

    /** A monitor an admin key created. */
    public Monitor(String id, String name, MonitorScope scope, List<MonitorTrigger> triggers,
                   List<AlertChannel> channels, Instant createdAt) {
        this(id, name, scope, triggers, channels, createdAt, null);
    }

    /**
     * Whether a caller sees where this monitor's alerts go (channel URLs, headers, addresses): an admin key
     * ({@code customerId} null) always, a customer key only for a monitor that customer's key created.
     */
    public boolean destinationsVisibleTo(String customerId) {
        return customerId == null || customerId.equals(creatorCustomerId);
    }

    public Optional<MonitorTrigger> trigger(MonitorTriggerType type) {
        return triggers.stream().filter(t -> t.type() == type).findFirst();
    }

    public boolean has(MonitorTriggerType type) {
        return trigger(type).isPresent();
    }

    /** Whether the every-minute sweep has anything to evaluate for this monitor. */
    public boolean swept() {
        return triggers.stream().anyMatch(t -> t.type().swept());
    }
}

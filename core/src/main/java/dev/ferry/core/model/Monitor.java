package dev.ferry.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** An alert monitor (docs/api.md, "Monitors and alerts"): a scope, one or more triggers, and the channels its alerts go to. */
public record Monitor(
        String id,
        String name,
        MonitorScope scope,
        List<MonitorTrigger> triggers,
        List<AlertChannel> channels,
        Instant createdAt) {

    public Monitor {
        scope = scope == null ? MonitorScope.EVERYTHING : scope;
        triggers = triggers == null ? List.of() : List.copyOf(triggers);
        channels = channels == null ? List.of() : List.copyOf(channels);
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

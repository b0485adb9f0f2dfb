package dev.ferry.core.fakes;

import dev.ferry.core.model.Alert;
import dev.ferry.core.model.AlertDelivery;
import dev.ferry.core.model.AlertQuery;
import dev.ferry.core.model.Page;
import dev.ferry.core.port.AlertStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Alerts in memory with the adapter's rules: unique by (monitorId, key), newest first, expired ones never returned. Thread-safe. */
public final class InMemoryAlertStore implements AlertStore {
    private final Clock clock;
    private final Map<String, Alert> alerts = new LinkedHashMap<>();
    private final Map<String, Integer> claimedAttempts = new java.util.HashMap<>();

    public InMemoryAlertStore(Clock clock) {
        this.clock = clock;
    }

    private static String id(String monitorId, String key) {
        return monitorId + "|" + key;
    }

    @Override
    public synchronized boolean create(Alert alert) {
        return alerts.putIfAbsent(id(alert.monitorId(), alert.key()), alert) == null;
    }

    @Override
    public synchronized Optional<Alert> get(String monitorId, String key) {
        Alert a = alerts.get(id(monitorId, key));
        return a == null || expired(a) ? Optional.empty() : Optional.of(a);
    }

    @Override
    public synchronized boolean claimAttempt(String monitorId, String key, int channel, int attempt) {
        if (get(monitorId, key).isEmpty()) return false;
        String claim = id(monitorId, key) + "#" + channel;
        if (claimedAttempts.getOrDefault(claim, 0) >= attempt) return false;
        claimedAttempts.put(claim, attempt);
        return true;
    }

    @Override
    public synchronized void addDelivery(String monitorId, String key, AlertDelivery delivery) {
        alerts.computeIfPresent(id(monitorId, key), (k, a) -> {
            List<AlertDelivery> d = new ArrayList<>(a.deliveries());
            d.add(delivery);
            return a.withDeliveries(d);
        });
    }

    @Override
    public synchronized Optional<Alert> byId(String alertId) {
        return alerts.values().stream().filter(a -> a.id().equals(alertId) && !expired(a)).findFirst();
    }

    @Override
    public synchronized Optional<Alert> acknowledge(String monitorId, String key, String by, Instant at) {
        if (get(monitorId, key).isEmpty()) return Optional.empty();
        Alert a = alerts.computeIfPresent(id(monitorId, key),
                (k, current) -> current.acknowledgedAt() != null ? current : current.withAcknowledged(by, at));
        return Optional.ofNullable(a);
    }

    @Override
    public synchronized void cleared(String monitorId, String key, Instant at) {
        alerts.computeIfPresent(id(monitorId, key), (k, a) -> a.withClearedAt(at));
    }

    @Override
    public synchronized Page<Alert> list(AlertQuery q) {
        int size = FakeCursors.pageSize(q.limit());
        String before = FakeCursors.decode(q.cursor());
        List<Alert> matching = alerts.values().stream()
                .filter(a -> !expired(a))
                .filter(a -> q.monitorId() == null || q.monitorId().equals(a.monitorId()))
                .filter(a -> q.instanceId() == null || q.instanceId().equals(a.instanceId()))
                .filter(a -> q.customerId() == null || q.customerId().equals(a.customerId()))
                .filter(a -> q.since() == null || !a.firedAt().isBefore(q.since()))
                .filter(q::acknowledgedMatches)
                .filter(a -> before == null || sortKey(a).compareTo(before) < 0)
                .sorted(Comparator.comparing(InMemoryAlertStore::sortKey).reversed())
                .toList();
        List<Alert> page = new ArrayList<>(matching.subList(0, Math.min(size, matching.size())));
        return new Page<>(page, matching.size() > size ? FakeCursors.encode(sortKey(page.get(size - 1))) : null);
    }

    @Override
    public synchronized int deleteForInstance(String instanceId, java.util.Set<dev.ferry.core.model.MonitorTriggerType> keep) {
        int before = alerts.size();
        alerts.values().removeIf(a -> instanceId.equals(a.instanceId()) && !keep.contains(a.trigger()));
        return before - alerts.size();
    }

    /** Every alert, expired ones included, oldest first (for assertions). */
    public synchronized List<Alert> all() {
        return List.copyOf(alerts.values());
    }

    private boolean expired(Alert a) {
        return a.expiresAt() != null && !clock.instant().isBefore(a.expiresAt());
    }

    private static String sortKey(Alert a) {
        return Sorting.ascendingKey(a.firedAt(), a.id());
    }
}

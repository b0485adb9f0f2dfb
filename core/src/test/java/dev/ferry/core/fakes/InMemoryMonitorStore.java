package dev.ferry.core.fakes;

import dev.ferry.core.error.ConflictException;
import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.model.Monitor;
import dev.ferry.core.model.MonitorEpisode;
import dev.ferry.core.model.Page;
import dev.ferry.core.port.MonitorStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Monitors in memory, with the adapter's rules. Counts how many monitors {@link #inScope} returned,
 * so tests can check that an evaluation read only the monitors in scope. Thread-safe.
 */
public final class InMemoryMonitorStore implements MonitorStore {
    private final Map<String, Monitor> monitors = new HashMap<>();
    private final Map<String, Map<String, MonitorEpisode>> episodes = new HashMap<>();
    private final Map<String, TreeMap<Instant, long[]>> outcomes = new HashMap<>();
    /** Monitors returned by {@link #inScope} since the last reset. */
    public final AtomicInteger scopeReads = new AtomicInteger();

    @Override
    public synchronized void create(Monitor monitor) {
        if (monitors.containsKey(monitor.id())) throw new ConflictException("monitor '" + monitor.id() + "' already exists");
        monitors.put(monitor.id(), monitor);
    }

    @Override
    public synchronized Optional<Monitor> get(String id) {
        return Optional.ofNullable(monitors.get(id));
    }

    @Override
    public synchronized Page<Monitor> list(int limit, String cursor) {
        int size = FakeCursors.pageSize(limit);
        String after = FakeCursors.decode(cursor);
        List<Monitor> sorted = monitors.values().stream()
                .sorted(Comparator.comparing(InMemoryMonitorStore::sortKey))
                .filter(m -> after == null || sortKey(m).compareTo(after) > 0)
                .toList();
        List<Monitor> page = new ArrayList<>(sorted.subList(0, Math.min(size, sorted.size())));
        return new Page<>(page, sorted.size() > size ? FakeCursors.encode(sortKey(page.get(size - 1))) : null);
    }

    private static String sortKey(Monitor m) {
        return Sorting.ascendingKey(m.createdAt(), m.id());
    }

    @Override
    public synchronized void update(Monitor monitor) {
        if (!monitors.containsKey(monitor.id())) throw new NotFoundException("monitor", monitor.id());
        monitors.put(monitor.id(), monitor);
    }

    @Override
    public synchronized void delete(String id) {
        if (monitors.remove(id) == null) throw new NotFoundException("monitor", id);
        episodes.remove(id);
        outcomes.remove(id);
    }

    @Override
    public synchronized List<Monitor> inScope(String instanceId, String customerId) {
        List<Monitor> out = monitors.values().stream()
                .filter(m -> m.scope().everything()
                        || (m.scope().instanceId() != null && m.scope().instanceId().equals(instanceId))
                        || (m.scope().instanceId() == null && m.scope().customerId() != null
                        && m.scope().customerId().equals(customerId)))
                .sorted(Comparator.comparing(Monitor::id))
                .toList();
        scopeReads.addAndGet(out.size());
        return out;
    }

    @Override
    public synchronized List<Monitor> swept() {
        return monitors.values().stream().filter(Monitor::swept).sorted(Comparator.comparing(Monitor::id)).toList();
    }

    @Override
    public synchronized List<String> deleteForInstance(String instanceId) {
        List<String> ids = monitors.values().stream()
                .filter(m -> instanceId.equals(m.scope().instanceId())).map(Monitor::id).sorted().toList();
        ids.forEach(this::delete);
        return ids;
    }

    @Override
    public synchronized MonitorEpisode openEpisode(String monitorId, String subject, Instant openedAt) {
        return episodes.computeIfAbsent(monitorId, k -> new HashMap<>())
                .computeIfAbsent(subject, k -> new MonitorEpisode(subject, openedAt, false));
    }

    @Override
    public synchronized List<MonitorEpisode> episodes(String monitorId) {
        return episodes.getOrDefault(monitorId, Map.of()).values().stream()
                .sorted(Comparator.comparing(MonitorEpisode::subject)).toList();
    }

    @Override
    public synchronized void episodeAlerted(String monitorId, String subject) {
        Map<String, MonitorEpisode> m = episodes.get(monitorId);
        if (m == null || !m.containsKey(subject)) return;
        MonitorEpisode ep = m.get(subject);
        m.put(subject, new MonitorEpisode(subject, ep.openedAt(), true));
    }

    @Override
    public synchronized Optional<MonitorEpisode> closeEpisode(String monitorId, String subject) {
        Map<String, MonitorEpisode> m = episodes.get(monitorId);
        return m == null ? Optional.empty() : Optional.ofNullable(m.remove(subject));
    }

    @Override
    public synchronized void countOutcome(String monitorId, Instant minute, boolean failed, Instant expiresAt) {
        long[] c = outcomes.computeIfAbsent(monitorId, k -> new TreeMap<>()).computeIfAbsent(minute, k -> new long[2]);
        c[0]++;
        if (failed) c[1]++;
    }

    @Override
    public synchronized Outcomes outcomes(String monitorId, Instant from, Instant to) {
        long total = 0, failed = 0;
        for (long[] c : outcomes.getOrDefault(monitorId, new TreeMap<>()).subMap(from, true, to, true).values()) {
            total += c[0];
            failed += c[1];
        }
        return new Outcomes(total, failed);
    }
}

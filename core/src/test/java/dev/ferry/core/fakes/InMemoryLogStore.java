package dev.ferry.core.fakes;

import dev.ferry.core.model.LogLine;
import dev.ferry.core.model.LogQuery;
import dev.ferry.core.model.Page;
import dev.ferry.core.port.LogStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Log lines in memory by instance and execution, in append order; search in the adapter's order
 * (time to the millisecond, instance id, order written) with opaque cursors. Thread-safe.
 */
public final class InMemoryLogStore implements LogStore {
    private final Set<String> groups = new LinkedHashSet<>();
    private final Map<String, List<LogLine>> streams = new HashMap<>();
    /** Every line with its search key, in append order. */
    private final List<Map.Entry<String, LogLine>> written = new ArrayList<>();

    @Override
    public synchronized void ensureGroup(String instanceId) {
        groups.add(instanceId);
    }

    @Override
    public synchronized void ensureStream(String instanceId, String executionId) {
        groups.add(instanceId);
        streams.computeIfAbsent(instanceId + "/" + executionId, k -> new ArrayList<>());
    }

    @Override
    public synchronized void append(String instanceId, String executionId, List<LogLine> lines) {
        if (lines.isEmpty()) return;
        groups.add(instanceId);
        streams.computeIfAbsent(instanceId + "/" + executionId, k -> new ArrayList<>()).addAll(lines);
        for (LogLine line : lines.stream().sorted(Comparator.comparing(LogLine::timestamp)).toList()) {
            String key = String.format("%019d#%s#%019d", line.timestamp().toEpochMilli(), instanceId, written.size());
            written.add(Map.entry(key, line));
        }
    }

    @Override
    public synchronized Page<LogLine> search(LogQuery query) {
        Set<String> scope = new HashSet<>(query.instanceIds());
        TreeMap<String, LogLine> matching = new TreeMap<>();
        for (Map.Entry<String, LogLine> e : written) {
            String instanceId = e.getKey().substring(20, e.getKey().lastIndexOf('#'));
            if (scope.contains(instanceId) && query.matches(e.getValue())) matching.put(e.getKey(), e.getValue());
        }
        return Sorting.page(matching, query.limit(), query.cursor());
    }

    @Override
    public synchronized List<LogLine> read(String instanceId, String executionId) {
        return List.copyOf(streams.getOrDefault(instanceId + "/" + executionId, List.of()));
    }

    @Override
    public synchronized void deleteGroup(String instanceId) {
        groups.remove(instanceId);
        streams.keySet().removeIf(k -> k.startsWith(instanceId + "/"));
        written.removeIf(e -> e.getKey().substring(20, e.getKey().lastIndexOf('#')).equals(instanceId));
    }

    /** The instances whose log group exists. */
    public synchronized Set<String> groups() {
        return Set.copyOf(groups);
    }

    /** Every line of an instance, across its executions (for tests of log search callers). */
    public synchronized List<LogLine> linesOf(String instanceId) {
        List<LogLine> out = new ArrayList<>();
        streams.forEach((k, v) -> {
            if (k.startsWith(instanceId + "/")) out.addAll(v);
        });
        return out;
    }
}

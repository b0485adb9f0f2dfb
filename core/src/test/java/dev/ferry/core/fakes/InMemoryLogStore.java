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
 * Log lines in memory by customer, instance and execution, in append order; search in the
 * adapter's order (time to the millisecond, instance id, order written) with opaque cursors.
 * Thread-safe.
 */
public final class InMemoryLogStore implements LogStore {
    private final Set<String> customerGroups = new LinkedHashSet<>();
    private final Set<String> instances = new LinkedHashSet<>();
    private final Map<String, List<LogLine>> streams = new HashMap<>();
    /** Every line with its search key and customer, in append order. */
    private final List<Written> written = new ArrayList<>();

    private record Written(String key, String customerId, String instanceId, LogLine line) {}

    @Override
    public synchronized void ensureGroup(String customerId) {
        customerGroups.add(customerId);
    }

    @Override
    public synchronized void ensureStream(String customerId, String instanceId, String executionId) {
        customerGroups.add(customerId);
        instances.add(instanceId);
        streams.computeIfAbsent(instanceId + "/" + executionId, k -> new ArrayList<>());
    }

    @Override
    public synchronized void append(String customerId, String instanceId, String executionId, List<LogLine> lines) {
        if (lines.isEmpty()) return;
        customerGroups.add(customerId);
        instances.add(instanceId);
        streams.computeIfAbsent(instanceId + "/" + executionId, k -> new ArrayList<>()).addAll(lines);
        for (LogLine line : lines.stream().sorted(Comparator.comparing(LogLine::timestamp)).toList()) {
            String key = String.format("%019d#%s#%019d", line.timestamp().toEpochMilli(), instanceId, written.size());
            written.add(new Written(key, customerId, instanceId, line));
        }
    }

    @Override
    public synchronized Page<LogLine> search(LogQuery query) {
        Set<String> scope = new HashSet<>();
        for (LogQuery.Scope sc : query.scopes()) for (String id : sc.instanceIds()) scope.add(sc.customerId() + "/" + id);
        TreeMap<String, LogLine> matching = new TreeMap<>();
        for (Written w : written) {
            if (scope.contains(w.customerId() + "/" + w.instanceId()) && query.matches(w.line())) matching.put(w.key(), w.line());
        }
        return Sorting.page(matching, query.limit(), query.cursor());
    }

    @Override
    public synchronized List<LogLine> read(String customerId, String instanceId, String executionId) {
        return List.copyOf(streams.getOrDefault(instanceId + "/" + executionId, List.of()));
    }

    /** The execution's lines, whatever its customer (for tests). */
    public synchronized List<LogLine> read(String instanceId, String executionId) {
        return List.copyOf(streams.getOrDefault(instanceId + "/" + executionId, List.of()));
    }

    @Override
    public synchronized void deleteInstance(String customerId, String instanceId) {
        instances.remove(instanceId);
        streams.keySet().removeIf(k -> k.startsWith(instanceId + "/"));
        written.removeIf(w -> w.instanceId().equals(instanceId));
    }

    /** The customers whose log group exists. */
    public synchronized Set<String> customerGroups() {
        return Set.copyOf(customerGroups);
    }

    /** The instances that have a place for lines (written or made ready), until deleted. */
    public synchronized Set<String> instancesWithLogs() {
        return Set.copyOf(instances);
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

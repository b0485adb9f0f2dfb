package dev.ferry.core.fakes;

import dev.ferry.core.model.LogLine;
import dev.ferry.core.port.LogStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Log lines in memory by instance and execution, in append order. Thread-safe. */
public final class InMemoryLogStore implements LogStore {
    private final Set<String> groups = new LinkedHashSet<>();
    private final Map<String, List<LogLine>> streams = new HashMap<>();

    @Override
    public synchronized void ensureGroup(String instanceId) {
        groups.add(instanceId);
    }

    @Override
    public synchronized void append(String instanceId, String executionId, List<LogLine> lines) {
        if (lines.isEmpty()) return;
        groups.add(instanceId);
        streams.computeIfAbsent(instanceId + "/" + executionId, k -> new ArrayList<>()).addAll(lines);
    }

    @Override
    public synchronized List<LogLine> read(String instanceId, String executionId) {
        return List.copyOf(streams.getOrDefault(instanceId + "/" + executionId, List.of()));
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

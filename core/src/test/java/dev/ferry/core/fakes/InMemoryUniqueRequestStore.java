package dev.ferry.core.fakes;

import dev.ferry.core.port.UniqueRequestStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Unique request holders in memory, ordered like the adapter: by queuedAt, then id. Thread-safe. */
public final class InMemoryUniqueRequestStore implements UniqueRequestStore {
    private record Holder(String originalId, String order, String pendingId) {}

    private final Map<String, Holder> holders = new HashMap<>();

    @Override
    public synchronized Claim claim(String flowConfigId, String value, String executionId, Instant queuedAt,
                                    Instant expiresAt) {
        String key = flowConfigId + "\u0000" + value;
        String order = Sorting.ascendingKey(queuedAt, executionId);
        Holder old = holders.get(key);
        if (old != null && old.originalId().equals(executionId)) return new Claim(null, null, null);
        if (old != null && old.order().compareTo(order) > 0) return new Claim(old.originalId(), null, null);
        holders.put(key, new Holder(executionId, order, null));
        return old == null ? new Claim(null, null, null) : new Claim(null, old.originalId(), old.pendingId());
    }

    @Override
    public synchronized Optional<String> markPending(String flowConfigId, String value, String originalId,
                                                     String pendingExecutionId) {
        String key = flowConfigId + "\u0000" + value;
        Holder h = holders.get(key);
        if (h == null) return Optional.empty(); // never claimed (or expired): nothing newer is known
        if (!h.originalId().equals(originalId)) return Optional.of(h.originalId());
        holders.put(key, new Holder(h.originalId(), h.order(), pendingExecutionId));
        return Optional.empty();
    }

    @Override
    public synchronized void deleteForFlowConfig(String flowConfigId) {
        holders.keySet().removeIf(k -> k.startsWith(flowConfigId + "\u0000"));
    }

    /** How many holders are stored (for assertions). */
    public synchronized int size() {
        return holders.size();
    }
}

package dev.ferry.infra.dynamodb;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flow config ids of an instance, for the ExecutionsTable's store: an instance's executions are
 * those of its flow configs, so listing them merges its flow configs' {@code byFlowConfig}
 * partitions (there is no index by instance). An instance's flow configs are fixed when it is
 * created (one per flow; a new integration version must have the same flows), so an answer never
 * goes stale while the instance exists.
 */
@FunctionalInterface
public interface InstanceFlowConfigs {
    /** The ids of the instance's flow configs, in a fixed order; empty when the instance is unknown (or deleted). */
    List<String> of(String instanceId);

    /**
     * Answers of {@code source} kept per container: at most {@code max} instances, the least recently
     * asked dropped first. An empty answer is never kept (the instance may not be created yet).
     */
    static InstanceFlowConfigs cached(InstanceFlowConfigs source, int max) {
        if (max < 1) throw new IllegalArgumentException("max must be at least 1");
        Map<String, List<String>> kept = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, List<String>> eldest) {
                return size() > max;
            }
        };
        return instanceId -> {
            synchronized (kept) {
                List<String> known = kept.get(instanceId);
                if (known != null) return known;
            }
            List<String> ids = List.copyOf(source.of(instanceId));
            if (!ids.isEmpty()) {
                synchronized (kept) {
                    kept.put(instanceId, ids);
                }
            }
            return ids;
        };
    }
}

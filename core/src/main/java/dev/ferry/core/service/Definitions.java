package dev.ferry.core.service;

import dev.ferry.core.definition.FlowDef;
import dev.ferry.core.definition.IntegrationDefinition;
import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.model.IntegrationVersion;
import dev.ferry.core.port.IntegrationStore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Integration versions by (id, version). Versions are immutable, so a warm container keeps the
 * ones it has read (a small LRU) and a flow execution costs no read for its definition.
 */
public final class Definitions {
    private static final int MAX_CACHED = 256;
    private final IntegrationStore store;
    private final Map<String, IntegrationVersion> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, IntegrationVersion> eldest) {
            return size() > MAX_CACHED;
        }
    };

    public Definitions(IntegrationStore store) {
        this.store = store;
    }

    public IntegrationVersion version(String integrationId, int version) {
        String key = integrationId + "#" + version;
        synchronized (cache) {
            IntegrationVersion hit = cache.get(key);
            if (hit != null) return hit;
        }
        IntegrationVersion loaded = store.getVersion(integrationId, version)
                .orElseThrow(() -> new NotFoundException("integration version", integrationId + " v" + version));
        synchronized (cache) {
            cache.put(key, loaded);
        }
        return loaded;
    }

    public IntegrationDefinition definition(String integrationId, int version) {
        return version(integrationId, version).definition();
    }

    public FlowDef flow(String integrationId, int version, String flowName) {
        return definition(integrationId, version).flow(flowName)
                .orElseThrow(() -> new NotFoundException("flow", flowName + " in " + integrationId + " v" + version));
    }
}

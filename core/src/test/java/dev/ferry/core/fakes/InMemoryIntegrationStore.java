package dev.ferry.core.fakes;

import dev.ferry.core.error.ConflictException;
import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.model.Integration;
import dev.ferry.core.model.IntegrationVersion;
import dev.ferry.core.model.Page;
import dev.ferry.core.port.IntegrationStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Integrations and their versions in memory; versions are added only as latest + 1. Thread-safe. */
public final class InMemoryIntegrationStore implements IntegrationStore {
    private final Map<String, Integration> integrations = new HashMap<>();
    private final Map<String, String> sortKeyById = new HashMap<>();
    private final TreeMap<String, Integration> bySortKey = new TreeMap<>();
    private final Map<String, IntegrationVersion> versions = new HashMap<>();

    @Override
    public synchronized void create(Integration integration, IntegrationVersion first) {
        if (integrations.containsKey(integration.id())) {
            throw new ConflictException("integration '" + integration.id() + "' already exists");
        }
        Integration stored = new Integration(integration.id(), integration.name(), first.version(),
                integration.createdAt(), integration.updatedAt());
        integrations.put(stored.id(), stored);
        String key = Sorting.ascendingKey(stored.createdAt(), stored.id());
        sortKeyById.put(stored.id(), key);
        bySortKey.put(key, stored);
        versions.put(versionKey(first.integrationId(), first.version()), first);
    }

    @Override
    public synchronized void addVersion(IntegrationVersion next) {
        Integration current = integrations.get(next.integrationId());
        if (current == null) throw new NotFoundException("integration", next.integrationId());
        if (next.version() != current.latestVersion() + 1) {
            throw new ConflictException("integration '" + current.id() + "' is at version " + current.latestVersion()
                    + "; version " + next.version() + " cannot be added");
        }
        Integration updated = new Integration(current.id(), current.name(), next.version(), current.createdAt(),
                next.createdAt());
        integrations.put(current.id(), updated);
        bySortKey.put(sortKeyById.get(current.id()), updated);
        versions.put(versionKey(next.integrationId(), next.version()), next);
    }

    @Override
    public synchronized Optional<Integration> get(String id) {
        return Optional.ofNullable(integrations.get(id));
    }

    @Override
    public synchronized Optional<IntegrationVersion> getVersion(String integrationId, int version) {
        return Optional.ofNullable(versions.get(versionKey(integrationId, version)));
    }

    @Override
    public synchronized Page<Integration> list(int limit, String cursor) {
        return Sorting.page(bySortKey, limit, cursor);
    }

    private static String versionKey(String id, int version) {
        return id + "#" + version;
    }
}

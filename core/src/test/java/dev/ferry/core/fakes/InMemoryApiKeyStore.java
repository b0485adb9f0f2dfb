package dev.ferry.core.fakes;

import dev.ferry.core.error.ConflictException;
import dev.ferry.core.model.ApiKey;
import dev.ferry.core.model.Page;
import dev.ferry.core.port.ApiKeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** API keys in memory, listed oldest first (createdAt, then id). Thread-safe. */
public final class InMemoryApiKeyStore implements ApiKeyStore {
    private final TreeMap<String, ApiKey> bySortKey = new TreeMap<>();
    private final Map<String, String> sortKeyById = new HashMap<>();
    private final Map<String, String> idByHash = new HashMap<>();

    @Override
    public synchronized void create(ApiKey key) {
        if (sortKeyById.containsKey(key.id()) || idByHash.containsKey(key.keyHash())) {
            throw new ConflictException("API key '" + key.id() + "' already exists");
        }
        String sortKey = Sorting.ascendingKey(key.createdAt(), key.id());
        sortKeyById.put(key.id(), sortKey);
        idByHash.put(key.keyHash(), key.id());
        bySortKey.put(sortKey, key);
    }

    @Override
    public synchronized Optional<ApiKey> byHash(String keyHash) {
        String id = idByHash.get(keyHash);
        return id == null ? Optional.empty() : get(id);
    }

    @Override
    public synchronized Optional<ApiKey> get(String id) {
        String sortKey = sortKeyById.get(id);
        return sortKey == null ? Optional.empty() : Optional.ofNullable(bySortKey.get(sortKey));
    }

    @Override
    public synchronized Page<ApiKey> list(String customerId, int limit, String cursor) {
        TreeMap<String, ApiKey> view = new TreeMap<>();
        bySortKey.forEach((k, v) -> {
            if (customerId == null || customerId.equals(v.customerId())) view.put(k, v);
        });
        return Sorting.page(view, limit, cursor);
    }

    @Override
    public synchronized Optional<ApiKey> delete(String id) {
        String sortKey = sortKeyById.remove(id);
        if (sortKey == null) return Optional.empty();
        ApiKey k = bySortKey.remove(sortKey);
        idByHash.remove(k.keyHash());
        return Optional.of(k);
    }

    /** Every stored key, oldest first (for assertions). */
    public synchronized List<ApiKey> all() {
        return List.copyOf(bySortKey.values());
    }
}

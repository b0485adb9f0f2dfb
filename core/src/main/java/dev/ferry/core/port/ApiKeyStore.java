package dev.ferry.core.port;

import dev.ferry.core.model.ApiKey;
import dev.ferry.core.model.Page;
import java.util.Optional;

/**
 * API keys, kept by the SHA-256 of the key (never the key): authenticating a request is one
 * look-up by hash. Revoking a key deletes it, after which neither look-up finds it.
 */
public interface ApiKeyStore {
    /** Stores a new key; {@link dev.ferry.core.error.ConflictException} if its id or hash exists. */
    void create(ApiKey key);

    /** The key whose SHA-256 (lowercase hex) is {@code keyHash}: one read. */
    Optional<ApiKey> byHash(String keyHash);

    Optional<ApiKey> get(String id);

    /** Oldest first; {@code customerId} null lists every key (admin and customer keys). */
    Page<ApiKey> list(String customerId, int limit, String cursor);

    /** Deletes (revokes) the key; returns it, or empty when there was none. */
    Optional<ApiKey> delete(String id);
}

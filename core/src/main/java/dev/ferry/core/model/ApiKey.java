package dev.ferry.core.model;

import java.time.Instant;

/**
 * An API key as stored: never the key itself, only its SHA-256 ({@code keyHash}, lowercase hex).
 * {@code customerId} null is an admin key; otherwise the key sees and acts on only that customer's
 * resources. Revoking a key deletes it.
 */
public record ApiKey(String id, String name, String customerId, String keyHash, Instant createdAt) {
    public boolean admin() {
        return customerId == null;
    }
}

package dev.ferry.core.port;

import dev.ferry.core.model.Integration;
import dev.ferry.core.model.IntegrationVersion;
import dev.ferry.core.model.Page;
import java.util.Optional;

public interface IntegrationStore {
    /** Stores a new integration with its version 1, atomically. */
    void create(Integration integration, IntegrationVersion first);

    /**
     * Adds version {@code next.version()}, which must be the integration's latest + 1; a concurrent
     * writer that got there first makes this a {@link dev.ferry.core.error.ConflictException}.
     */
    void addVersion(IntegrationVersion next);

    Optional<Integration> get(String id);

    Optional<IntegrationVersion> getVersion(String integrationId, int version);

    /** Oldest first. */
    Page<Integration> list(int limit, String cursor);
}

package dev.ferry.core.model;

import java.time.Instant;
import java.util.Map;

/**
 * One deployment of an integration version for one customer. {@code configVariables} holds the
 * real values (secret ones included); anything shown to a user goes through redaction first.
 */
public record Instance(
        String id,
        String name,
        String customerId,
        String integrationId,
        int integrationVersion,
        boolean enabled,
        PauseMode pauseMode,
        Map<String, String> configVariables,
        Instant createdAt,
        Instant lastExecutedAt) {

    public Instance withEnabled(boolean value) {
        return new Instance(id, name, customerId, integrationId, integrationVersion, value, pauseMode,
                configVariables, createdAt, lastExecutedAt);
    }
}

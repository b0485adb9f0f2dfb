package dev.ferry.core.model;

import java.time.Instant;
import java.util.Map;

/**
 * One deployment of an integration version for one customer. {@code configVariables} holds the
 * values as stored: secret ones sealed ({@link dev.ferry.core.port.SecretCipher}; plain text in an
 * item written before values were sealed), opened only where a flow or a webhook check runs; anything
 * shown to a user goes through redaction first.
 *
 * <p>{@code pause}: who paused the instance through the API, when and why (null when enabled, or
 * when it was disabled by no person: created disabled). {@code storeStepOutputs} and
 * {@code storeLogs}: false for an integration whose data the operator must not keep — its
 * executions then store no step outputs, or no log lines.
 *
 * <p>{@code lastExecutedAt}: when its newest execution started, as recorded by the runners. A
 * runner that recorded a start of the instance less than {@link #LAST_EXECUTED_LAG} earlier skips
 * the write, so a burst to one instance is not a write per execution to one item: the stored time
 * is never later than the newest start and at most that lag behind it.
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
        Instant lastExecutedAt,
        Pause pause,
        boolean storeStepOutputs,
        boolean storeLogs) {

    /** How far {@code lastExecutedAt} may trail the newest start of the instance's executions. */
    public static final java.time.Duration LAST_EXECUTED_LAG = java.time.Duration.ofSeconds(10);

    /** A deliberate pause: the key that made it ({@code by}: its name and id, or "admin"), when, and the reason given. */
    public record Pause(String by, String reason, Instant at) {}

    /** An instance that stores everything and was not paused by anyone. */
    public Instance(String id, String name, String customerId, String integrationId, int integrationVersion,
                    boolean enabled, PauseMode pauseMode, Map<String, String> configVariables, Instant createdAt,
                    Instant lastExecutedAt) {
        this(id, name, customerId, integrationId, integrationVersion, enabled, pauseMode, configVariables, createdAt,
                lastExecutedAt, null, true, true);
    }

    public Instance withEnabled(boolean value) {
        return new Instance(id, name, customerId, integrationId, integrationVersion, value, pauseMode,
                configVariables, createdAt, lastExecutedAt, value ? null : pause, storeStepOutputs, storeLogs);
    }

    /** Disabled by a person: {@code pause} says who, when and why. */
    public Instance pausedBy(Pause value) {
        return new Instance(id, name, customerId, integrationId, integrationVersion, false, pauseMode,
                configVariables, createdAt, lastExecutedAt, value, storeStepOutputs, storeLogs);
    }

    /** The same instance with other config values (opened or sealed ones). */
    public Instance withConfigVariables(Map<String, String> values) {
        return new Instance(id, name, customerId, integrationId, integrationVersion, enabled, pauseMode,
                values, createdAt, lastExecutedAt, pause, storeStepOutputs, storeLogs);
    }

    public Instance withStorage(boolean stepOutputs, boolean logs) {
        return new Instance(id, name, customerId, integrationId, integrationVersion, enabled, pauseMode,
                configVariables, createdAt, lastExecutedAt, pause, stepOutputs, logs);
    }
}

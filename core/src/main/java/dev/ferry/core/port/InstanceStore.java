package dev.ferry.core.port;

import dev.ferry.core.model.FlowConfig;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.Page;
import dev.ferry.core.model.WebhookRoute;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Instances, their flow configs, and the webhook token routes derived from both. */
public interface InstanceStore {
    /** Stores an instance with its flow configs and their webhook routes, atomically. */
    void create(Instance instance, List<FlowConfig> flowConfigs);

    Optional<Instance> get(String id);

    /** Oldest first; {@code customerId} null lists every instance. */
    Page<Instance> list(String customerId, int limit, String cursor);

    /**
     * Replaces the instance's item (name, enabled, pauseMode, config variables, version) and keeps its
     * webhook routes' copy of enabled/pauseMode in step, atomically. The instance must exist.
     */
    void update(Instance instance);

    /** Records when the instance last ran something; never moves the time backwards. */
    void touchLastExecuted(String instanceId, Instant at);

    List<FlowConfig> listFlowConfigs(String instanceId);

    Optional<FlowConfig> getFlowConfig(String flowConfigId);

    Optional<WebhookRoute> findRoute(String token);

    // ---- deletion (DELETE /instances/{id}), in this order: markDeleting, then the instance's other
    // data elsewhere, then delete. Each step is idempotent, so a deletion repeated after a crash finishes.

    /**
     * Marks the instance as being deleted. From then on {@link #get}, {@link #list} and
     * {@link #findRoute} (for its webhook tokens) treat it as gone, and {@link #update} is NotFound,
     * while {@link #getDeleting} and {@link #listFlowConfigs} still find it, so a deletion can resume.
     * Idempotent; NotFound when there is no instance (being deleted or not).
     */
    void markDeleting(String id);

    /** The instance if it is marked as being deleted (not yet {@link #delete}d), else empty. */
    Optional<Instance> getDeleting(String id);

    /**
     * Removes the instance with its flow configs and webhook routes, the instance record last.
     * Idempotent: nothing happens when it is gone already.
     */
    void delete(String id);
}

package dev.ferry.core.fakes;

import dev.ferry.core.error.ConflictException;
import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.model.FlowConfig;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.Page;
import dev.ferry.core.model.PauseMode;
import dev.ferry.core.model.WebhookRoute;
import dev.ferry.core.port.InstanceStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Instances, flow configs and webhook routes in memory, with the adapter's rules: create is
 * all-or-nothing and conflicts on an existing instance, flow config id or token; update keeps the
 * routes' enabled/pauseMode and integration version in step and leaves lastExecutedAt alone. Thread-safe.
 */
public final class InMemoryInstanceStore implements InstanceStore {
    private final Map<String, Instance> instances = new HashMap<>();
    private final TreeMap<String, String> instanceIdsBySortKey = new TreeMap<>();
    private final Map<String, List<FlowConfig>> flowConfigsByInstance = new HashMap<>();
    private final Map<String, FlowConfig> flowConfigs = new HashMap<>();
    private final Map<String, WebhookRoute> routes = new HashMap<>();
    private final java.util.Set<String> deleting = new java.util.HashSet<>();

    @Override
    public synchronized void create(Instance instance, List<FlowConfig> configs) {
        if (instances.containsKey(instance.id())) {
            throw new ConflictException("instance '" + instance.id() + "' already exists");
        }
        for (FlowConfig fc : configs) {
            if (flowConfigs.containsKey(fc.id()) || (fc.webhookToken() != null && routes.containsKey(fc.webhookToken()))) {
                throw new ConflictException("a flow config id or webhook token of instance '" + instance.id()
                        + "' is already in use");
            }
        }
        Instance stored = normalize(instance, instance.lastExecutedAt());
        instances.put(stored.id(), stored);
        instanceIdsBySortKey.put(Sorting.ascendingKey(stored.createdAt(), stored.id()), stored.id());
        flowConfigsByInstance.put(stored.id(), List.copyOf(configs));
        for (FlowConfig fc : configs) {
            flowConfigs.put(fc.id(), fc);
            if (fc.webhookToken() != null) {
                routes.put(fc.webhookToken(), new WebhookRoute(fc.webhookToken(), fc.id(), stored.id(),
                        stored.customerId(), fc.flow(), stored.enabled(), stored.pauseMode(), stored.integrationId(),
                        stored.integrationVersion()));
            }
        }
    }

    @Override
    public synchronized Optional<Instance> get(String id) {
        return deleting.contains(id) ? Optional.empty() : Optional.ofNullable(instances.get(id));
    }

    @Override
    public synchronized Page<Instance> list(String customerId, int limit, String cursor) {
        TreeMap<String, Instance> sorted = new TreeMap<>();
        instanceIdsBySortKey.forEach((key, id) -> {
            Instance i = instances.get(id);
            if (deleting.contains(id)) return;
            if (customerId == null || customerId.equals(i.customerId())) sorted.put(key, i);
        });
        return Sorting.page(sorted, limit, cursor);
    }

    @Override
    public synchronized void update(Instance instance) {
        Instance current = instances.get(instance.id());
        if (current == null || deleting.contains(instance.id())) throw new NotFoundException("instance", instance.id());
        Instance updated = new Instance(current.id(), instance.name(), current.customerId(), instance.integrationId(),
                instance.integrationVersion(), instance.enabled(), instance.pauseMode(), instance.configVariables(),
                current.createdAt(), current.lastExecutedAt(), instance.pause(), instance.storeStepOutputs(),
                instance.storeLogs());
        updated = normalize(updated, current.lastExecutedAt());
        instances.put(updated.id(), updated);
        for (FlowConfig fc : flowConfigsByInstance.getOrDefault(updated.id(), List.of())) {
            if (fc.webhookToken() == null) continue;
            WebhookRoute r = routes.get(fc.webhookToken());
            routes.put(r.token(), new WebhookRoute(r.token(), r.flowConfigId(), r.instanceId(), r.customerId(), r.flow(),
                    updated.enabled(), updated.pauseMode(), updated.integrationId(), updated.integrationVersion()));
        }
    }

    @Override
    public synchronized void touchLastExecuted(String instanceId, Instant at) {
        Instance current = instances.get(instanceId);
        if (current == null) return;
        if (current.lastExecutedAt() != null && !current.lastExecutedAt().isBefore(at)) return;
        instances.put(instanceId, normalize(current, at));
    }

    @Override
    public synchronized List<FlowConfig> listFlowConfigs(String instanceId) {
        return flowConfigsByInstance.getOrDefault(instanceId, List.of());
    }

    @Override
    public synchronized Optional<FlowConfig> getFlowConfig(String flowConfigId) {
        return Optional.ofNullable(flowConfigs.get(flowConfigId));
    }

    @Override
    public synchronized Optional<WebhookRoute> findRoute(String token) {
        WebhookRoute r = routes.get(token);
        return r == null || deleting.contains(r.instanceId()) ? Optional.empty() : Optional.of(r);
    }

    @Override
    public synchronized void markDeleting(String id) {
        if (!instances.containsKey(id)) throw new NotFoundException("instance", id);
        deleting.add(id);
    }

    @Override
    public synchronized Optional<Instance> getDeleting(String id) {
        return deleting.contains(id) ? Optional.ofNullable(instances.get(id)) : Optional.empty();
    }

    @Override
    public synchronized void delete(String id) {
        for (FlowConfig fc : flowConfigsByInstance.getOrDefault(id, List.of())) {
            flowConfigs.remove(fc.id());
            if (fc.webhookToken() != null) routes.remove(fc.webhookToken());
        }
        flowConfigsByInstance.remove(id);
        Instance i = instances.remove(id);
        if (i != null) instanceIdsBySortKey.remove(Sorting.ascendingKey(i.createdAt(), i.id()));
        deleting.remove(id);
    }

    /** How many instances, flow configs and routes are stored, those being deleted included (for assertions). */
    public synchronized int size() {
        return instances.size() + flowConfigs.size() + routes.size();
    }

    /** As the adapter stores it: pauseMode defaults to REJECT, config variables copied. */
    private static Instance normalize(Instance i, Instant lastExecutedAt) {
        return new Instance(i.id(), i.name(), i.customerId(), i.integrationId(), i.integrationVersion(), i.enabled(),
                i.pauseMode() == null ? PauseMode.REJECT : i.pauseMode(),
                i.configVariables() == null ? Map.of() : new LinkedHashMap<>(i.configVariables()),
                i.createdAt(), lastExecutedAt, i.pause(), i.storeStepOutputs(), i.storeLogs());
    }
}

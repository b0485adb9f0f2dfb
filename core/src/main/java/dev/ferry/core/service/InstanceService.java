package dev.ferry.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.definition.ConfigVariableDef;
import dev.ferry.core.definition.FlowDef;
import dev.ferry.core.definition.IntegrationDefinition;
import dev.ferry.core.error.FieldError;
import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.model.FlowConfig;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.Integration;
import dev.ferry.core.model.PauseMode;
import dev.ferry.core.port.CustomerStore;
import dev.ferry.core.port.IdGenerator;
import dev.ferry.core.port.InstanceStore;
import dev.ferry.core.port.IntegrationStore;
import dev.ferry.core.port.LogStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * An instance's lifecycle as the management API drives it: creating one with its flow configs, log
 * group and schedules (the schedules removed again if the instance cannot be stored), changing its
 * name, config values, pause mode or integration version (its schedules moved to the new version
 * first, and moved back if the instance cannot be stored), and checking config values against the
 * integration's definition. Pausing is {@link PauseService}'s, deleting {@link InstanceDeletion}'s.
 */
public final class InstanceService {
    /** The longest config value, in characters. */
    static final int MAX_CONFIG_VALUE = 10_000;
    /** All of an instance's config keys and values together, in UTF-8 bytes: far inside its 400 KB item. */
    static final int MAX_CONFIG_BYTES = 64 * 1024;

    /** What a new instance is made of, its fields' shapes already checked; null means "the default". */
    public record NewInstance(String name, String customerId, String integrationId, Integer integrationVersion,
                              JsonNode configVariables, PauseMode pauseMode, Boolean enabled,
                              Boolean storeStepOutputs, Boolean storeLogs) {}

    /** What a change sets; a null field keeps the instance's value (config values are merged, a null value removes one). */
    public record Change(String name, Integer integrationVersion, JsonNode configVariables, PauseMode pauseMode,
                         Boolean storeStepOutputs, Boolean storeLogs) {}

    /** An instance as stored, with its flow configs and definition, and when it was read or written. */
    public record Saved(Instance instance, List<FlowConfig> flowConfigs, IntegrationDefinition definition, Instant at) {}

    private final InstanceStore instances;
    private final CustomerStore customers;
    private final IntegrationStore integrations;
    private final LogStore logs;
    private final IdGenerator ids;
    private final Clock clock;
    private final Definitions definitions;
    private final ScheduleService schedules;
    private final Secrets secrets;

    public InstanceService(InstanceStore instances, CustomerStore customers, IntegrationStore integrations, LogStore logs,
                           IdGenerator ids, Clock clock, Definitions definitions, ScheduleService schedules,
                           Secrets secrets) {
        this.instances = instances;
        this.customers = customers;
        this.integrations = integrations;
        this.logs = logs;
        this.ids = ids;
        this.clock = clock;
        this.definitions = definitions;
        this.schedules = schedules;
        this.secrets = secrets;
    }

    /** The instance; NotFound when there is none (or it is being deleted). */
    public Instance get(String id) {
        return instances.get(id).orElseThrow(() -> new NotFoundException("instance", id));
    }

    /**
     * Creates the instance on its integration's version (the latest when not given), with one flow
     * config per flow (a webhook token each, or the flow's schedule), its log group and its schedules.
     * A 400 for an unknown customer or integration, a version it does not have, or config values its
     * definition does not take; nothing is written then.
     */
    public Saved create(NewInstance n) {
        if (customers.get(n.customerId()).isEmpty()) {
            throw new ValidationException("customerId", "no customer '" + n.customerId() + "'");
        }
        Integration integration = integrations.get(n.integrationId())
                .orElseThrow(() -> new ValidationException("integrationId", "no integration '" + n.integrationId() + "'"));
        int v = n.integrationVersion() == null ? integration.latestVersion() : n.integrationVersion();
        if (v > integration.latestVersion()) {
            throw new ValidationException("integrationVersion", "integration '" + n.integrationId() + "' has versions 1 to "
                    + integration.latestVersion());
        }
        IntegrationDefinition def = definitions.definition(n.integrationId(), v);
        Map<String, String> config = configVariables(def, n.configVariables(), Map.of());

        Instant now = clock.instant();
        String id = ids.newId("ins");
        config = secrets.sealForStore(id, def, config, givenKeys(n.configVariables()));
        Instance instance = new Instance(id, n.name(), n.customerId(), n.integrationId(), v,
                n.enabled() == null || n.enabled(), n.pauseMode() == null ? PauseMode.REJECT : n.pauseMode(), config, now,
                null, null, n.storeStepOutputs() == null || n.storeStepOutputs(), n.storeLogs() == null || n.storeLogs());
        List<FlowConfig> flowConfigs = new ArrayList<>();
        for (FlowDef flow : def.flows()) {
            boolean scheduled = flow.trigger() != null && flow.trigger().scheduled();
            flowConfigs.add(new FlowConfig(ids.newId("flc"), instance.id(), n.customerId(), flow.name(),
                    flow.trigger() == null ? "webhook" : flow.trigger().type(),
                    scheduled ? null : ids.newToken(),
                    scheduled ? flow.trigger().schedule() : null,
                    scheduled ? flow.trigger().timezone() : null,
                    flow.retry()));
        }
        logs.ensureGroup(instance.customerId());
        schedules.createFor(instance, flowConfigs, def);
        try {
            instances.create(instance, flowConfigs);
        } catch (RuntimeException e) {
            try {
                schedules.deleteFor(flowConfigs, def); // not stored: its schedules go too
            } catch (RuntimeException ignored) {
                // best effort: a schedule whose flow config does not exist is skipped when it fires
            }
            throw e;
        }
        return new Saved(instance, flowConfigs, def, now);
    }

    /**
     * Changes {@code current} (as just read). A new integration version must have the same flows;
     * its schedules are changed first — if they cannot be, nothing is — and changed back if the
     * instance cannot be stored.
     */
    public Saved update(Instance current, Change c) {
        int v = c.integrationVersion() == null ? current.integrationVersion() : c.integrationVersion();
        Integration integration = integrations.get(current.integrationId())
                .orElseThrow(() -> new NotFoundException("integration", current.integrationId()));
        if (v > integration.latestVersion()) {
            throw new ValidationException("integrationVersion", "integration '" + integration.id() + "' has versions 1 to "
                    + integration.latestVersion());
        }
        IntegrationDefinition def = definitions.definition(current.integrationId(), v);
        List<FlowConfig> flowConfigs = instances.listFlowConfigs(current.id());
        if (v != current.integrationVersion()) {
            Set<String> have = flowConfigs.stream().map(FlowConfig::flow).collect(Collectors.toSet());
            Set<String> want = def.flows().stream().map(FlowDef::name).collect(Collectors.toSet());
            if (!have.equals(want)) {
                throw new ValidationException("integrationVersion", "version " + v + " has flows " + want
                        + " but the instance has " + have + "; changing the set of flows is not supported yet");
            }
        }
        Map<String, String> config = secrets.sealForStore(current.id(), def,
                configVariables(def, c.configVariables(), current.configVariables()), givenKeys(c.configVariables()));
        Instance updated = new Instance(current.id(), c.name() == null ? current.name() : c.name(), current.customerId(),
                current.integrationId(), v, current.enabled(), c.pauseMode() == null ? current.pauseMode() : c.pauseMode(),
                config, current.createdAt(), current.lastExecutedAt(), current.pause(),
                c.storeStepOutputs() == null ? current.storeStepOutputs() : c.storeStepOutputs(),
                c.storeLogs() == null ? current.storeLogs() : c.storeLogs());
        if (v != current.integrationVersion()) {
            // Schedules first: if they cannot be changed, nothing is.
            IntegrationDefinition from = definitions.definition(current.integrationId(), current.integrationVersion());
            schedules.changeVersion(updated, flowConfigs, from, def);
            try {
                instances.update(updated);
            } catch (RuntimeException e) {
                try {
                    schedules.changeVersion(current, flowConfigs, def, from);
                } catch (RuntimeException ignored) {
                    // best effort; the failure below is what the caller sees, and a retried PATCH repairs both
                }
                throw e;
            }
        } else {
            instances.update(updated);
        }
        return new Saved(updated, flowConfigs, def, clock.instant());
    }

    /**
     * Validates config values against the definition: every key declared, every required one
     * present (or defaulted), values strings (numbers and booleans are taken as their text) of at
     * most {@value #MAX_CONFIG_VALUE} characters, and at most {@value #MAX_CONFIG_BYTES} bytes in all.
     * {@code current} is merged under the given values; a null value removes a key.
     */
    static Map<String, String> configVariables(IntegrationDefinition def, JsonNode given, Map<String, String> current) {
        List<FieldError> errors = new ArrayList<>();
        Map<String, String> values = new TreeMap<>(current);
        Set<String> declared = def.configVariables().stream().map(ConfigVariableDef::key).collect(Collectors.toSet());
        if (given != null && !given.isNull()) {
            if (!given.isObject()) {
                throw new ValidationException("configVariables", "must be an object of key: value");
            }
            given.fields().forEachRemaining(e -> {
                String field = "configVariables." + e.getKey();
                JsonNode v = e.getValue();
                if (!declared.contains(e.getKey())) {
                    errors.add(new FieldError(field, "not declared by the integration; declared: "
                            + String.join(", ", new TreeSet<>(declared))));
                } else if (v.isNull()) {
                    values.remove(e.getKey());
                } else if (v.isValueNode()) {
                    if (v.asText().length() > MAX_CONFIG_VALUE) {
                        errors.add(new FieldError(field, "must be at most " + MAX_CONFIG_VALUE + " characters"));
                    } else {
                        values.put(e.getKey(), v.asText());
                    }
                } else {
                    errors.add(new FieldError(field, "must be a string, number or boolean"));
                }
            });
        }
        for (ConfigVariableDef d : def.configVariables()) {
            if (d.required() && d.defaultValue() == null && (values.get(d.key()) == null || values.get(d.key()).isEmpty())) {
                errors.add(new FieldError("configVariables." + d.key(), "is required by the integration"));
            }
        }
        long bytes = values.entrySet().stream().mapToLong(e -> utf8(e.getKey()) + utf8(e.getValue())).sum();
        if (errors.isEmpty() && bytes > MAX_CONFIG_BYTES) {
            errors.add(new FieldError("configVariables", "must be at most " + MAX_CONFIG_BYTES
                    + " bytes in all (keys and values, UTF-8); these are " + bytes));
        }
        if (!errors.isEmpty()) throw new ValidationException(errors);
        return values;
    }

    /** The config keys a request sets to a value (not those it removes). */
    private static Set<String> givenKeys(JsonNode given) {
        Set<String> keys = new TreeSet<>();
        if (given != null && given.isObject()) {
            given.fields().forEachRemaining(e -> {
                if (!e.getValue().isNull()) keys.add(e.getKey());
            });
        }
        return keys;
    }

    private static long utf8(String s) {
        return s == null ? 0 : s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}

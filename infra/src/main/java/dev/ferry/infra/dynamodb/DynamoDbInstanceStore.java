package dev.ferry.infra.dynamodb;

import static dev.ferry.infra.AwsFailures.storeFailure;
import static dev.ferry.infra.dynamodb.ConfigTable.PK;
import static dev.ferry.infra.dynamodb.ConfigTable.SK;

import dev.ferry.core.definition.RetryPolicy;
import dev.ferry.core.error.ConflictException;
import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.FlowConfig;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.Page;
import dev.ferry.core.model.PauseMode;
import dev.ferry.core.model.WebhookRoute;
import dev.ferry.core.port.InstanceStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Instances, flow configs and webhook routes in the ConfigTable (layout in infra/README.md):
 * <ul>
 *   <li>{@code INSTANCE#<id> / INSTANCE}: the instance, with its webhook tokens and lastExecutedAt,
 *       in no index: a runner's write of lastExecutedAt touches this item alone;</li>
 *   <li>{@code INSTANCES / INSTANCE#<createdAt>#<id>}: a small index item per instance, so every
 *       instance is one Query (plus one BatchGetItem), written only when an instance is created
 *       or deleted;</li>
 *   <li>{@code INSTANCE#<id> / FLOWCONFIG#<fcId>}: its flow configs, so one Query returns both;</li>
 *   <li>{@code FLOWCONFIG#<fcId> / FLOWCONFIG}: a copy of each flow config (flow configs never
 *       change), so {@link #getFlowConfig} is one GetItem;</li>
 *   <li>{@code WEBHOOK#<token> / WEBHOOK}: the denormalized {@link WebhookRoute} (with the
 *       instance's enabled, pauseMode, integrationId and integrationVersion), so
 *       {@link #findRoute} is one GetItem;</li>
 *   <li>{@code CUSTOMER#<customerId> / INSTANCE#<createdAt>#<id>}: a small index item per
 *       instance, so a customer's instances are one Query on the base table (plus one
 *       BatchGetItem) without a second GSI.</li>
 * </ul>
 */
public final class DynamoDbInstanceStore implements InstanceStore {
    static final String SK_INSTANCE = "INSTANCE";
    static final String SK_FLOWCONFIG = "FLOWCONFIG";
    static final String SK_WEBHOOK = "WEBHOOK";
    /** The partition of every instance's index item. */
    static final String ALL_INSTANCES = "INSTANCES";
    /** Set on the instance and its routes once its deletion has started (the time, ISO-8601). */
    static final String DELETING = "deleting";
    /** TransactWriteItems takes at most 100 actions. */
    static final int MAX_TRANSACTION_ACTIONS = 100;
    private static final int TRANSACTION_ATTEMPTS = 4;

    private final ConfigTable t;

    public DynamoDbInstanceStore(DynamoDbClient ddb, String configTable) {
        this(ddb, configTable, dev.ferry.core.port.Sleeper.SYSTEM);
    }

    /** @param sleeper waits before a batch's unprocessed keys or items are sent again */
    public DynamoDbInstanceStore(DynamoDbClient ddb, String configTable, dev.ferry.core.port.Sleeper sleeper) {
        this.t = new ConfigTable(ddb, configTable, sleeper);
    }

    static String pk(String instanceId) {
        return "INSTANCE#" + instanceId;
    }

    static String flowConfigPk(String flowConfigId) {
        return "FLOWCONFIG#" + flowConfigId;
    }

    static String routePk(String token) {
        return "WEBHOOK#" + token;
    }

    @Override
    public void create(Instance instance, List<FlowConfig> flowConfigs) {
        List<TransactWriteItem> actions = new ArrayList<>();
        String createdKey = Attr.keyTime(instance.createdAt()) + "#" + instance.id();
        List<String> tokens = flowConfigs.stream().map(FlowConfig::webhookToken).filter(x -> x != null).toList();

        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, Attr.s(pk(instance.id())));
        item.put(SK, Attr.s(SK_INSTANCE));
        item.put("id", Attr.s(instance.id()));
        Attr.put(item, "name", instance.name());
        Attr.put(item, "customerId", instance.customerId());
        Attr.put(item, "integrationId", instance.integrationId());
        item.put("integrationVersion", Attr.n(instance.integrationVersion()));
        item.put("enabled", Attr.bool(instance.enabled()));
        item.put("pauseMode", Attr.s(pauseMode(instance).name()));
        item.put("configVariables", Attr.stringMap(instance.configVariables() == null ? Map.of() : instance.configVariables()));
        Attr.put(item, "createdAt", instance.createdAt());
        if (instance.lastExecutedAt() != null) item.put("lastExecutedAt", Attr.s(Attr.EXACT_TIME.format(instance.lastExecutedAt())));
        item.put("webhookTokens", Attr.stringList(tokens));
        if (instance.pause() != null) item.put("pauseInfo", Attr.s(Json.write(instance.pause())));
        item.put("storeStepOutputs", Attr.bool(instance.storeStepOutputs()));
        item.put("storeLogs", Attr.bool(instance.storeLogs()));
        actions.add(put(item, "attribute_not_exists(pk)"));

        Map<String, AttributeValue> listed = new HashMap<>();
        listed.put(PK, Attr.s(ALL_INSTANCES));
        listed.put(SK, Attr.s("INSTANCE#" + createdKey));
        listed.put("instanceId", Attr.s(instance.id()));
        actions.add(put(listed, null));

        if (instance.customerId() != null) {
            Map<String, AttributeValue> member = new HashMap<>();
            member.put(PK, Attr.s(DynamoDbCustomerStore.pk(instance.customerId())));
            member.put(SK, Attr.s("INSTANCE#" + createdKey));
            member.put("instanceId", Attr.s(instance.id()));
            actions.add(put(member, null));
        }

        for (int i = 0; i < flowConfigs.size(); i++) {
            FlowConfig fc = flowConfigs.get(i);
            Map<String, AttributeValue> fcItem = flowConfigAttributes(fc);
            fcItem.put(PK, Attr.s(pk(instance.id())));
            fcItem.put(SK, Attr.s("FLOWCONFIG#" + fc.id()));
            fcItem.put("ordinal", Attr.n(i));
            actions.add(put(fcItem, null));

            Map<String, AttributeValue> pointer = flowConfigAttributes(fc);
            pointer.put(PK, Attr.s(flowConfigPk(fc.id())));
            pointer.put(SK, Attr.s(SK_FLOWCONFIG));
            actions.add(put(pointer, "attribute_not_exists(pk)"));

            if (fc.webhookToken() != null) {
                Map<String, AttributeValue> route = new HashMap<>();
                route.put(PK, Attr.s(routePk(fc.webhookToken())));
                route.put(SK, Attr.s(SK_WEBHOOK));
                route.put("token", Attr.s(fc.webhookToken()));
                route.put("flowConfigId", Attr.s(fc.id()));
                route.put("instanceId", Attr.s(instance.id()));
                Attr.put(route, "customerId", instance.customerId());
                Attr.put(route, "flow", fc.flow());
                route.put("enabled", Attr.bool(instance.enabled()));
                route.put("pauseMode", Attr.s(pauseMode(instance).name()));
                Attr.put(route, "integrationId", instance.integrationId());
                route.put("integrationVersion", Attr.n(instance.integrationVersion()));
                actions.add(put(route, "attribute_not_exists(pk)"));
            }
        }
        if (actions.size() > MAX_TRANSACTION_ACTIONS) {
            throw new ValidationException("flowConfigs", "too many flows for one instance (" + flowConfigs.size()
                    + "); at most " + (MAX_TRANSACTION_ACTIONS - 3) / 3 + " webhook flows fit in one atomic write");
        }
        try {
            t.ddb.transactWriteItems(b -> b.transactItems(actions));
        } catch (TransactionCanceledException e) {
            if (ConfigTable.anyConditionFailed(e) || ConfigTable.transactionConflict(e)) {
                throw new ConflictException(ConfigTable.conditionFailed(e, 0)
                        ? "instance '" + instance.id() + "' already exists"
                        : "a flow config id or webhook token of instance '" + instance.id() + "' is already in use");
            }
            throw storeFailure("DynamoDB TransactWriteItems on " + t.table, e);
        } catch (SdkException e) {
            throw storeFailure("DynamoDB TransactWriteItems on " + t.table, e);
        }
    }

    @Override
    public Optional<Instance> get(String id) {
        return t.getItem(pk(id), SK_INSTANCE).filter(i -> !i.containsKey(DELETING)).map(DynamoDbInstanceStore::decodeInstance);
    }

    @Override
    public Page<Instance> list(String customerId, int limit, String cursor) {
        String partition = customerId == null ? ALL_INSTANCES : DynamoDbCustomerStore.pk(customerId);
        Page<String> ids = t.listPartition(null, PK, partition, "INSTANCE#", limit, cursor,
                item -> Attr.str(item, "instanceId"), PK, SK);
        Map<String, Instance> found = batchGetInstances(ids.items());
        List<Instance> ordered = ids.items().stream().map(found::get).filter(x -> x != null).toList(); // deleting ones are not found
        return new Page<>(ordered, ids.nextCursor());
    }

    @Override
    public void update(Instance instance) {
        Map<String, AttributeValue> current = t.getItem(pk(instance.id()), SK_INSTANCE)
                .filter(i -> !i.containsKey(DELETING))
                .orElseThrow(() -> new NotFoundException("instance", instance.id()));
        PauseMode mode = pauseMode(instance);
        List<TransactWriteItem> actions = new ArrayList<>();
        Map<String, String> names = Map.of("#n", "name");
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":name", instance.name() == null ? AttributeValue.fromNul(true) : Attr.s(instance.name()));
        values.put(":enabled", Attr.bool(instance.enabled()));
        values.put(":mode", Attr.s(mode.name()));
        values.put(":config", Attr.stringMap(instance.configVariables() == null ? Map.of() : instance.configVariables()));
        values.put(":iid", instance.integrationId() == null ? AttributeValue.fromNul(true) : Attr.s(instance.integrationId()));
        values.put(":iver", Attr.n(instance.integrationVersion()));
        values.put(":pause", instance.pause() == null ? AttributeValue.fromNul(true) : Attr.s(Json.write(instance.pause())));
        values.put(":outputs", Attr.bool(instance.storeStepOutputs()));
        values.put(":logs", Attr.bool(instance.storeLogs()));
        actions.add(TransactWriteItem.builder().update(Update.builder()
                .tableName(t.table)
                .key(ConfigTable.key(pk(instance.id()), SK_INSTANCE))
                .updateExpression("SET #n = :name, enabled = :enabled, pauseMode = :mode, configVariables = :config, "
                        + "integrationId = :iid, integrationVersion = :iver, pauseInfo = :pause, "
                        + "storeStepOutputs = :outputs, storeLogs = :logs")
                .conditionExpression("attribute_exists(pk) AND attribute_not_exists(deleting)")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build()).build());
        for (String token : Attr.stringList(current, "webhookTokens")) {
            actions.add(TransactWriteItem.builder().update(Update.builder()
                    .tableName(t.table)
                    .key(ConfigTable.key(routePk(token), SK_WEBHOOK))
                    .updateExpression("SET enabled = :enabled, pauseMode = :mode, integrationId = :iid, integrationVersion = :iver")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":enabled", Attr.bool(instance.enabled()), ":mode", Attr.s(mode.name()),
                            ":iid", values.get(":iid"), ":iver", values.get(":iver")))
                    .build()).build());
        }
        for (int attempt = 1; ; attempt++) {
            try {
                t.ddb.transactWriteItems(b -> b.transactItems(actions));
                return;
            } catch (TransactionCanceledException e) {
                if (ConfigTable.conditionFailed(e, 0)) throw new NotFoundException("instance", instance.id());
                // A concurrent write to the same item (e.g. touchLastExecuted): try again shortly.
                if (ConfigTable.transactionConflict(e) && attempt < TRANSACTION_ATTEMPTS) {
                    pause(attempt);
                    continue;
                }
                if (ConfigTable.transactionConflict(e)) {
                    throw new ConflictException("instance '" + instance.id() + "' is being changed concurrently");
                }
                throw storeFailure("DynamoDB TransactWriteItems on " + t.table, e);
            } catch (SdkException e) {
                throw storeFailure("DynamoDB TransactWriteItems on " + t.table, e);
            }
        }
    }

    @Override
    public void touchLastExecuted(String instanceId, Instant at) {
        try {
            t.ddb.updateItem(b -> b.tableName(t.table)
                    .key(ConfigTable.key(pk(instanceId), SK_INSTANCE))
                    .updateExpression("SET lastExecutedAt = :at")
                    .conditionExpression("attribute_exists(pk) AND (attribute_not_exists(lastExecutedAt) OR lastExecutedAt < :at)")
                    .expressionAttributeValues(Map.of(":at", Attr.s(Attr.EXACT_TIME.format(at)))));
        } catch (ConditionalCheckFailedException e) {
            // Already later (or no such instance): never move the time backwards.
        } catch (SdkException e) {
            throw storeFailure("DynamoDB UpdateItem on " + t.table, e);
        }
    }

    @Override
    public List<FlowConfig> listFlowConfigs(String instanceId) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        try {
            do {
                var q = software.amazon.awssdk.services.dynamodb.model.QueryRequest.builder()
                        .tableName(t.table)
                        .keyConditionExpression("pk = :pk AND begins_with(sk, :p)")
                        .expressionAttributeValues(Map.of(":pk", Attr.s(pk(instanceId)), ":p", Attr.s("FLOWCONFIG#")))
                        .consistentRead(true);
                if (start != null) q.exclusiveStartKey(start);
                var res = t.ddb.query(q.build());
                items.addAll(res.items());
                start = res.hasLastEvaluatedKey() && !res.lastEvaluatedKey().isEmpty() ? res.lastEvaluatedKey() : null;
            } while (start != null);
        } catch (SdkException e) {
            throw storeFailure("DynamoDB Query on " + t.table, e);
        }
        return items.stream()
                .sorted(Comparator.comparingInt(i -> Attr.integer(i, "ordinal", 0)))
                .map(DynamoDbInstanceStore::decodeFlowConfig)
                .toList();
    }

    @Override
    public Optional<FlowConfig> getFlowConfig(String flowConfigId) {
        return t.getItem(flowConfigPk(flowConfigId), SK_FLOWCONFIG).map(DynamoDbInstanceStore::decodeFlowConfig);
    }

    @Override
    public Optional<WebhookRoute> findRoute(String token) {
        return t.getItem(routePk(token), SK_WEBHOOK).filter(i -> !i.containsKey(DELETING)).map(i -> new WebhookRoute(
                Attr.str(i, "token"), Attr.str(i, "flowConfigId"), Attr.str(i, "instanceId"),
                Attr.str(i, "customerId"), Attr.str(i, "flow"), Attr.bool(i, "enabled"),
                PauseMode.valueOf(Attr.str(i, "pauseMode")), Attr.str(i, "integrationId"),
                Attr.integer(i, "integrationVersion", 0)));
    }

    /**
     * One GetItem (the instance's tokens and created key), then one TransactWriteItems: the instance
     * {@code SET deleting}, each webhook route {@code SET deleting}, and its index items (all
     * instances', its customer's) deleted, so no listing shows it. Already marked: nothing to do.
     */
    @Override
    public void markDeleting(String id) {
        Map<String, AttributeValue> current = t.getItem(pk(id), SK_INSTANCE)
                .orElseThrow(() -> new NotFoundException("instance", id));
        if (current.containsKey(DELETING)) return;
        AttributeValue at = Attr.s(Instant.now().toString());
        List<TransactWriteItem> actions = new ArrayList<>();
        actions.add(TransactWriteItem.builder().update(Update.builder().tableName(t.table)
                .key(ConfigTable.key(pk(id), SK_INSTANCE))
                .updateExpression("SET deleting = :at")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(Map.of(":at", at)).build()).build());
        for (String token : Attr.stringList(current, "webhookTokens")) {
            actions.add(TransactWriteItem.builder().update(Update.builder().tableName(t.table)
                    .key(ConfigTable.key(routePk(token), SK_WEBHOOK))
                    .updateExpression("SET deleting = :at")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":at", at)).build()).build());
        }
        for (Map<String, AttributeValue> member : indexKeys(current)) {
            actions.add(TransactWriteItem.builder().delete(software.amazon.awssdk.services.dynamodb.model.Delete.builder()
                    .tableName(t.table).key(member).build()).build());
        }
        for (int attempt = 1; ; attempt++) {
            try {
                t.ddb.transactWriteItems(b -> b.transactItems(actions));
                return;
            } catch (TransactionCanceledException e) {
                if (ConfigTable.conditionFailed(e, 0)) throw new NotFoundException("instance", id);
                if (ConfigTable.transactionConflict(e) && attempt < TRANSACTION_ATTEMPTS) {
                    pause(attempt);
                    continue;
                }
                throw storeFailure("DynamoDB TransactWriteItems on " + t.table, e);
            } catch (SdkException e) {
                throw storeFailure("DynamoDB TransactWriteItems on " + t.table, e);
            }
        }
    }

    /** The keys of the instance's index items: under all instances, and under its customer when it has one. */
    private static List<Map<String, AttributeValue>> indexKeys(Map<String, AttributeValue> instance) {
        String customerId = Attr.str(instance, "customerId");
        Instant created = Attr.instant(instance, "createdAt");
        if (created == null) return List.of();
        String sk = "INSTANCE#" + Attr.keyTime(created) + "#" + Attr.str(instance, "id");
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        keys.add(ConfigTable.key(ALL_INSTANCES, sk));
        if (customerId != null) keys.add(ConfigTable.key(DynamoDbCustomerStore.pk(customerId), sk));
        return keys;
    }

    @Override
    public Optional<Instance> getDeleting(String id) {
        return t.getItem(pk(id), SK_INSTANCE).filter(i -> i.containsKey(DELETING)).map(DynamoDbInstanceStore::decodeInstance);
    }

    /**
     * One Query of the instance's partition (the instance and its flow configs), then BatchWriteItem
     * deletes of every flow config item, its pointer and its webhook route (and the routes of the
     * instance's recorded tokens, and its index items), and only then a DeleteItem of the
     * instance item — so a crash before the end leaves the instance to resume from.
     */
    @Override
    public void delete(String id) {
        Optional<Map<String, AttributeValue>> instance = t.getItem(pk(id), SK_INSTANCE);
        if (instance.isEmpty()) return;
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        java.util.Set<String> tokens = new java.util.LinkedHashSet<>(Attr.stringList(instance.get(), "webhookTokens"));
        for (FlowConfig fc : listFlowConfigs(id)) {
            keys.add(ConfigTable.key(pk(id), "FLOWCONFIG#" + fc.id()));
            keys.add(ConfigTable.key(flowConfigPk(fc.id()), SK_FLOWCONFIG));
            if (fc.webhookToken() != null) tokens.add(fc.webhookToken());
        }
        tokens.forEach(token -> keys.add(ConfigTable.key(routePk(token), SK_WEBHOOK)));
        keys.addAll(indexKeys(instance.get()));
        t.deleteAll(keys);
        try {
            t.ddb.deleteItem(b -> b.tableName(t.table).key(ConfigTable.key(pk(id), SK_INSTANCE)));
        } catch (SdkException e) {
            throw storeFailure("DynamoDB DeleteItem on " + t.table, e);
        }
    }

    private Map<String, Instance> batchGetInstances(List<String> ids) {
        Map<String, Instance> out = new HashMap<>();
        if (ids.isEmpty()) return out;
        List<Map<String, AttributeValue>> keys = ids.stream().map(id -> ConfigTable.key(pk(id), SK_INSTANCE)).toList();
        Map<String, KeysAndAttributes> request = Map.of(t.table,
                KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
        try {
            t.batches.get(t.table, request.get(t.table)).stream().filter(item -> !item.containsKey(DELETING))
                    .forEach(item -> out.put(Attr.str(item, "id"), decodeInstance(item)));
        } catch (SdkException e) {
            throw storeFailure("DynamoDB BatchGetItem on " + t.table, e);
        }
        return out;
    }

    private static Map<String, AttributeValue> flowConfigAttributes(FlowConfig fc) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", Attr.s(fc.id()));
        Attr.put(item, "instanceId", fc.instanceId());
        Attr.put(item, "customerId", fc.customerId());
        Attr.put(item, "flow", fc.flow());
        Attr.put(item, "triggerType", fc.triggerType());
        Attr.put(item, "webhookToken", fc.webhookToken());
        Attr.put(item, "schedule", fc.schedule());
        Attr.put(item, "timezone", fc.timezone());
        if (fc.retry() != null) item.put("retry", Attr.s(Json.write(fc.retry())));
        return item;
    }

    private static FlowConfig decodeFlowConfig(Map<String, AttributeValue> i) {
        String retry = Attr.str(i, "retry");
        return new FlowConfig(Attr.str(i, "id"), Attr.str(i, "instanceId"), Attr.str(i, "customerId"),
                Attr.str(i, "flow"), Attr.str(i, "triggerType"), Attr.str(i, "webhookToken"),
                Attr.str(i, "schedule"), Attr.str(i, "timezone"),
                retry == null ? null : Json.read(retry, RetryPolicy.class));
    }

    private static Instance decodeInstance(Map<String, AttributeValue> i) {
        String last = Attr.str(i, "lastExecutedAt");
        return new Instance(Attr.str(i, "id"), Attr.str(i, "name"), Attr.str(i, "customerId"),
                Attr.str(i, "integrationId"), Attr.integer(i, "integrationVersion", 0), Attr.bool(i, "enabled"),
                PauseMode.valueOf(Attr.str(i, "pauseMode")), Attr.stringMap(i, "configVariables"),
                Attr.instant(i, "createdAt"), last == null ? null : Instant.parse(last),
                Attr.str(i, "pauseInfo") == null ? null : Json.read(Attr.str(i, "pauseInfo"), Instance.Pause.class),
                storing(i, "storeStepOutputs"), storing(i, "storeLogs"));
    }

    /** A storage setting: absent (an instance stored before the setting existed) means it stores. */
    private static boolean storing(Map<String, AttributeValue> i, String name) {
        return !i.containsKey(name) || Attr.bool(i, name);
    }

    private static PauseMode pauseMode(Instance instance) {
        return instance.pauseMode() == null ? PauseMode.REJECT : instance.pauseMode();
    }

    private TransactWriteItem put(Map<String, AttributeValue> item, String condition) {
        Put.Builder p = Put.builder().tableName(t.table).item(item);
        if (condition != null) p.conditionExpression(condition);
        return TransactWriteItem.builder().put(p.build()).build();
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(20L << attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

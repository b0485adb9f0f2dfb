package dev.ferry.infra.dynamodb;

import static dev.ferry.infra.AwsFailures.storeFailure;

import dev.ferry.core.error.ConflictException;
import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.Monitor;
import dev.ferry.core.model.MonitorEpisode;
import dev.ferry.core.model.MonitorScope;
import dev.ferry.core.model.Page;
import dev.ferry.core.port.MonitorStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Monitors in the MonitorsTable, kept by scope so that an event reads only the monitors that can
 * apply to it (layout in infra/README.md):
 * <ul>
 * <li>{@code MONITOR#<id> / MONITOR} — the monitor by id, listed through {@code gsi1 MONITORS};</li>
 * <li>{@code SCOPE#INSTANCE#<id>}, {@code SCOPE#CUSTOMER#<id>} or {@code SCOPE#GLOBAL} / {@code MONITOR#<id>} —
 *     a copy under its scope;</li>
 * <li>{@code SWEEP / MONITOR#<id>} — a copy for the sweep, when it has a time-based trigger;</li>
 * <li>{@code MONITOR#<id> / EPISODE#<subject>} and {@code OUTCOMES#<id>#<shard> / OUTCOMES#<minute>} — its
 * state. A failure-rate monitor's minute counter is split {@value #OUTCOME_SHARDS} ways (a container writes
 * its counts to the shards in turn, the sweep adds them up), so a monitor covering the whole deployment
 * spreads one write per execution over 16 partitions instead of one item.</li>
 * </ul>
 * A change rewrites the monitor and its copies in one transaction (the old scope's copy deleted
 * when the scope moved, the sweep's copy put or deleted), so the copies never disagree.
 */
public final class DynamoDbMonitorStore implements MonitorStore {
    static final String GSI1_MONITORS = "MONITORS";
    private static final String SK_MONITOR = "MONITOR";
    private static final String SWEEP = "SWEEP";

    private final ConfigTable t;
    /** Each container writes a failure-rate monitor's counts to its {@link #OUTCOME_SHARDS} shards in turn. */
    private final java.util.concurrent.atomic.AtomicInteger nextOutcomeShard = new java.util.concurrent.atomic.AtomicInteger();

    /** @param monitorsTable the MonitorsTable (FERRY_MONITORS_TABLE); null fails on first use, with the reason */
    public DynamoDbMonitorStore(DynamoDbClient ddb, String monitorsTable) {
        this(ddb, monitorsTable, dev.ferry.core.port.Sleeper.SYSTEM);
    }

    /** @param sleeper waits before a batch's unprocessed items are sent again */
    public DynamoDbMonitorStore(DynamoDbClient ddb, String monitorsTable, dev.ferry.core.port.Sleeper sleeper) {
        this.t = new ConfigTable(ddb, monitorsTable, sleeper);
    }

    static String pk(String monitorId) {
        return "MONITOR#" + monitorId;
    }

    static String scopePk(MonitorScope s) {
        if (s.instanceId() != null) return "SCOPE#INSTANCE#" + s.instanceId();
        if (s.customerId() != null) return "SCOPE#CUSTOMER#" + s.customerId();
        return "SCOPE#GLOBAL";
    }

    private String table() {
        if (t.table == null || t.table.isBlank()) {
            throw new IllegalStateException("FERRY_MONITORS_TABLE is not set: the function's environment comes from template.yaml");
        }
        return t.table;
    }

    @Override
    public void create(Monitor m) {
        String json = Json.write(m);
        Map<String, AttributeValue> byId = new HashMap<>();
        byId.put("pk", Attr.s(pk(m.id())));
        byId.put("sk", Attr.s(SK_MONITOR));
        byId.put("gsi1pk", Attr.s(GSI1_MONITORS));
        byId.put("gsi1sk", Attr.s(Attr.keyTime(m.createdAt()) + "#" + m.id()));
        byId.put("scopePk", Attr.s(scopePk(m.scope())));
        byId.put("monitor", Attr.s(json));
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().put(p -> p.tableName(table()).item(byId)
                .conditionExpression("attribute_not_exists(pk)")).build());
        writes.add(TransactWriteItem.builder().put(p -> p.tableName(table()).item(copy(scopePk(m.scope()), m.id(), json))).build());
        if (m.swept()) {
            writes.add(TransactWriteItem.builder().put(p -> p.tableName(table()).item(copy(SWEEP, m.id(), json))).build());
        }
        try {
            t.ddb.transactWriteItems(b -> b.transactItems(writes));
        } catch (TransactionCanceledException e) {
            if (ConfigTable.conditionFailed(e, 0)) throw new ConflictException("monitor '" + m.id() + "' already exists");
            throw storeFailure("DynamoDB TransactWriteItems on " + table(), e);
        } catch (SdkException e) {
            throw storeFailure("DynamoDB TransactWriteItems on " + table(), e);
        }
    }

    private static Map<String, AttributeValue> copy(String pk, String id, String json) {
        return Map.of("pk", Attr.s(pk), "sk", Attr.s("MONITOR#" + id), "monitor", Attr.s(json));
    }

    private static Monitor decode(Map<String, AttributeValue> item) {
        return Json.read(Attr.str(item, "monitor"), Monitor.class);
    }

    @Override
    public Optional<Monitor> get(String id) {
        table();
        return t.getItem(pk(id), SK_MONITOR).map(DynamoDbMonitorStore::decode);
    }

    @Override
    public Page<Monitor> list(int limit, String cursor) {
        table();
        return t.listGsi1(GSI1_MONITORS, limit, cursor, DynamoDbMonitorStore::decode);
    }

    @Override
    public void update(Monitor m) {
        Map<String, AttributeValue> current = t.getItem(pk(m.id()), SK_MONITOR)
                .orElseThrow(() -> new NotFoundException("monitor", m.id()));
        String json = Json.write(m);
        String oldScope = Attr.str(current, "scopePk");
        String newScope = scopePk(m.scope());
        Map<String, AttributeValue> byId = new HashMap<>(current);
        byId.put("scopePk", Attr.s(newScope));
        byId.put("monitor", Attr.s(json));
        List<TransactWriteItem> writes = new ArrayList<>();
        // Conditional on the version read, so a concurrent change or delete is not overwritten.
        writes.add(TransactWriteItem.builder().put(p -> p.tableName(table()).item(byId)
                .conditionExpression("attribute_exists(pk) AND #m = :read").expressionAttributeNames(Map.of("#m", "monitor"))
                .expressionAttributeValues(Map.of(":read", current.get("monitor")))).build());
        if (oldScope != null && !oldScope.equals(newScope)) {
            writes.add(TransactWriteItem.builder().delete(d -> d.tableName(table())
                    .key(ConfigTable.key(oldScope, "MONITOR#" + m.id()))).build());
        }
        writes.add(TransactWriteItem.builder().put(p -> p.tableName(table()).item(copy(newScope, m.id(), json))).build());
        if (m.swept()) {
            writes.add(TransactWriteItem.builder().put(p -> p.tableName(table()).item(copy(SWEEP, m.id(), json))).build());
        } else {
            writes.add(TransactWriteItem.builder().delete(d -> d.tableName(table())
                    .key(ConfigTable.key(SWEEP, "MONITOR#" + m.id()))).build());
        }
        try {
            t.ddb.transactWriteItems(b -> b.transactItems(writes));
        } catch (TransactionCanceledException e) {
            if (ConfigTable.conditionFailed(e, 0) || ConfigTable.transactionConflict(e)) {
                throw new ConflictException("monitor '" + m.id() + "' was changed or deleted meanwhile; read it and try again");
            }
            throw storeFailure("DynamoDB TransactWriteItems on " + table(), e);
        } catch (SdkException e) {
            throw storeFailure("DynamoDB TransactWriteItems on " + table(), e);
        }
    }

    @Override
    public void delete(String id) {
        Map<String, AttributeValue> item = t.getItem(pk(id), SK_MONITOR).orElseThrow(() -> new NotFoundException("monitor", id));
        String scopePk = Attr.str(item, "scopePk");
        try {
            t.ddb.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().delete(d -> d.tableName(table()).key(ConfigTable.key(pk(id), SK_MONITOR))
                            .conditionExpression("attribute_exists(pk)")).build(),
                    TransactWriteItem.builder().delete(d -> d.tableName(table()).key(ConfigTable.key(scopePk, "MONITOR#" + id))).build(),
                    TransactWriteItem.builder().delete(d -> d.tableName(table()).key(ConfigTable.key(SWEEP, "MONITOR#" + id))).build()));
        } catch (TransactionCanceledException e) {
            if (ConfigTable.conditionFailed(e, 0)) throw new NotFoundException("monitor", id);
            throw storeFailure("DynamoDB TransactWriteItems on " + table(), e);
        } catch (SdkException e) {
            throw storeFailure("DynamoDB TransactWriteItems on " + table(), e);
        }
        List<Map<String, AttributeValue>> state = new ArrayList<>(query(pk(id), "EPISODE#", true));
        for (int shard = 0; shard < OUTCOME_SHARDS; shard++) state.addAll(query(outcomesPk(id, shard), "OUTCOMES#", true));
        deleteAll(state);
    }

    /** Deletes items (their pk/sk) in BatchWriteItem calls of 25, resending what comes back unprocessed after a backoff. */
    private void deleteAll(List<Map<String, AttributeValue>> items) {
        try {
            for (int i = 0; i < items.size(); i += 25) {
                List<WriteRequest> batch = items.subList(i, Math.min(items.size(), i + 25)).stream()
                        .map(it -> WriteRequest.builder().deleteRequest(d -> d.key(Attr.keyOf(it, "pk", "sk"))).build())
                        .toList();
                t.batches.write(table(), batch);
            }
        } catch (SdkException e) {
            throw storeFailure("DynamoDB BatchWriteItem on " + table(), e);
        }
    }

    /** Every item of a partition whose sort key starts with {@code prefix}, ascending. */
    private List<Map<String, AttributeValue>> query(String pk, String prefix, boolean consistent) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        QueryRequest.Builder q = QueryRequest.builder().tableName(table())
                .keyConditionExpression("pk = :pk AND begins_with(sk, :p)")
                .expressionAttributeValues(Map.of(":pk", Attr.s(pk), ":p", Attr.s(prefix)))
                .consistentRead(consistent);
        try {
            Map<String, AttributeValue> start = null;
            do {
                if (start != null) q.exclusiveStartKey(start);
                QueryResponse res = t.ddb.query(q.build());
                out.addAll(res.items());
                start = res.hasLastEvaluatedKey() && !res.lastEvaluatedKey().isEmpty() ? res.lastEvaluatedKey() : null;
            } while (start != null);
        } catch (SdkException e) {
            throw storeFailure("DynamoDB Query on " + table(), e);
        }
        return out;
    }

    @Override
    public List<Monitor> inScope(String instanceId, String customerId) {
        return inScope(instanceId, customerId, true);
    }

    /** The three scope partitions read eventually consistently: 0.5 RRU each instead of 1. */
    @Override
    public List<Monitor> inScopeEventually(String instanceId, String customerId) {
        return inScope(instanceId, customerId, false);
    }

    private List<Monitor> inScope(String instanceId, String customerId, boolean consistent) {
        List<Monitor> out = new ArrayList<>();
        if (instanceId != null) query("SCOPE#INSTANCE#" + instanceId, "MONITOR#", consistent).forEach(i -> out.add(decode(i)));
        if (customerId != null) query("SCOPE#CUSTOMER#" + customerId, "MONITOR#", consistent).forEach(i -> out.add(decode(i)));
        query("SCOPE#GLOBAL", "MONITOR#", consistent).forEach(i -> out.add(decode(i)));
        return out;
    }

    @Override
    public List<Monitor> swept() {
        return query(SWEEP, "MONITOR#", true).stream().map(DynamoDbMonitorStore::decode).toList();
    }

    @Override
    public List<String> deleteForInstance(String instanceId) {
        List<String> ids = query("SCOPE#INSTANCE#" + instanceId, "MONITOR#", true).stream()
                .map(i -> decode(i).id()).toList();
        for (String id : ids) {
            try {
                delete(id);
            } catch (NotFoundException alreadyGone) {
                // a concurrent delete: fine
            }
        }
        return ids;
    }

    // ---------------------------------------------------------------- episodes

    private static String episodeSk(String subject) {
        return "EPISODE#" + subject;
    }

    private static MonitorEpisode episode(Map<String, AttributeValue> item) {
        return new MonitorEpisode(Attr.str(item, "subject"), Attr.instant(item, "openedAt"), Attr.bool(item, "alerted"));
    }

    @Override
    public MonitorEpisode openEpisode(String monitorId, String subject, Instant openedAt) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", Attr.s(pk(monitorId)));
        item.put("sk", Attr.s(episodeSk(subject)));
        item.put("subject", Attr.s(subject));
        item.put("openedAt", Attr.time(openedAt));
        item.put("alerted", Attr.bool(false));
        try {
            t.ddb.putItem(b -> b.tableName(table()).item(item).conditionExpression("attribute_not_exists(pk)")
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return new MonitorEpisode(subject, openedAt, false);
        } catch (ConditionalCheckFailedException e) {
            if (e.hasItem() && !e.item().isEmpty()) return episode(e.item());
            return t.getItem(pk(monitorId), episodeSk(subject)).map(DynamoDbMonitorStore::episode)
                    .orElseGet(() -> new MonitorEpisode(subject, openedAt, false));
        } catch (SdkException e) {
            throw storeFailure("DynamoDB PutItem on " + table(), e);
        }
    }

    @Override
    public List<MonitorEpisode> episodes(String monitorId) {
        return query(pk(monitorId), "EPISODE#", true).stream().map(DynamoDbMonitorStore::episode).toList();
    }

    @Override
    public void episodeAlerted(String monitorId, String subject) {
        try {
            t.ddb.updateItem(b -> b.tableName(table()).key(ConfigTable.key(pk(monitorId), episodeSk(subject)))
                    .updateExpression("SET alerted = :t").conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":t", Attr.bool(true))));
        } catch (ConditionalCheckFailedException closedMeanwhile) {
            // nothing to mark
        } catch (SdkException e) {
            throw storeFailure("DynamoDB UpdateItem on " + table(), e);
        }
    }

    @Override
    public Optional<MonitorEpisode> closeEpisode(String monitorId, String subject) {
        try {
            var res = t.ddb.deleteItem(b -> b.tableName(table()).key(ConfigTable.key(pk(monitorId), episodeSk(subject)))
                    .conditionExpression("attribute_exists(pk)").returnValues(ReturnValue.ALL_OLD));
            return res.hasAttributes() && !res.attributes().isEmpty() ? Optional.of(episode(res.attributes())) : Optional.empty();
        } catch (ConditionalCheckFailedException notOpen) {
            return Optional.empty();
        } catch (SdkException e) {
            throw storeFailure("DynamoDB DeleteItem on " + table(), e);
        }
    }

    // ---------------------------------------------------------------- outcome counts

    /** Partitions of each failure-rate monitor's minute counters. */
    static final int OUTCOME_SHARDS = 16;

    private static String outcomesSk(Instant minute) {
        return "OUTCOMES#" + Attr.keyTime(minute);
    }

    private static String outcomesPk(String monitorId, int shard) {
        return "OUTCOMES#" + monitorId + "#" + shard;
    }

    @Override
    public void countOutcome(String monitorId, Instant minute, boolean failed, Instant expiresAt) {
        try {
            int shard = Math.floorMod(nextOutcomeShard.getAndIncrement(), OUTCOME_SHARDS);
            t.ddb.updateItem(b -> b.tableName(table()).key(ConfigTable.key(outcomesPk(monitorId, shard), outcomesSk(minute)))
                    .updateExpression("ADD #total :one, #failed :f SET expiresAt = :e")
                    .expressionAttributeNames(Map.of("#total", "total", "#failed", "failed"))
                    .expressionAttributeValues(Map.of(":one", Attr.n(1), ":f", Attr.n(failed ? 1 : 0),
                            ":e", Attr.n(expiresAt.getEpochSecond()))));
        } catch (SdkException e) {
            throw storeFailure("DynamoDB UpdateItem on " + table(), e);
        }
    }

    @Override
    public Outcomes outcomes(String monitorId, Instant from, Instant to) {
        long total = 0, failed = 0;
        try {
            for (int shard = 0; shard < OUTCOME_SHARDS; shard++) {
                QueryRequest.Builder q = QueryRequest.builder().tableName(table())
                        .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                        .expressionAttributeValues(Map.of(":pk", Attr.s(outcomesPk(monitorId, shard)),
                                ":from", Attr.s(outcomesSk(from)), ":to", Attr.s(outcomesSk(to))));
                Map<String, AttributeValue> start = null;
                do {
                    if (start != null) q.exclusiveStartKey(start);
                    QueryResponse res = t.ddb.query(q.build());
                    for (Map<String, AttributeValue> i : res.items()) {
                        total += Optional.ofNullable(Attr.lng(i, "total")).orElse(0L);
                        failed += Optional.ofNullable(Attr.lng(i, "failed")).orElse(0L);
                    }
                    start = res.hasLastEvaluatedKey() && !res.lastEvaluatedKey().isEmpty() ? res.lastEvaluatedKey() : null;
                } while (start != null);
            }
        } catch (SdkException e) {
            throw storeFailure("DynamoDB Query on " + table(), e);
        }
        return new Outcomes(total, failed);
    }
}

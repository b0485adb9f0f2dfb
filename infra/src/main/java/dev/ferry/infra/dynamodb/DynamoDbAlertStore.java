package dev.ferry.infra.dynamodb;

import static dev.ferry.infra.AwsFailures.storeFailure;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.Alert;
import dev.ferry.core.model.AlertDelivery;
import dev.ferry.core.model.AlertQuery;
import dev.ferry.core.model.Page;
import dev.ferry.core.port.AlertStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
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
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Alerts in the MonitorsTable: {@code pk=MONITOR#<monitorId>, sk=ALERT#<key>} — so the conditional
 * put that creates one is the "one alert per (monitor, key)" rule — listed newest first through
 * {@code gsi1 ALERTS#<shard>} (all), {@code gsi2 ALERTS#MONITOR#<id>#<shard>} and
 * {@code gsi3 ALERTS#INSTANCE#<id>}, sort key {@code <firedAt>#<alertId>}. The all-alerts and
 * per-monitor partitions are split {@value #SHARDS} ways by a hash of the alert id, so a storm of
 * failures under one deployment-wide monitor spreads its writes (one per alert and one per
 * delivery recorded, each index projecting the whole item) over 16 partitions instead of one; a
 * list reads the shards and merges them newest first. Delivery attempts are appended to a list attribute; an
 * acknowledgement is set on the item ({@code acknowledgedBy}, {@code acknowledgedAt}), once. A
 * pointer {@code ALERTID#<alertId> / ALERT} (with the same TTL) finds an alert by its id.
 */
public final class DynamoDbAlertStore implements AlertStore {
    private static final ObjectWriter WRITER = Json.MAPPER.copy()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL).writer();
    private static final int MAX_QUERY = 500;
    /** Shards of the all-alerts ({@code gsi1}) and per-monitor ({@code gsi2}) partitions. */
    static final int SHARDS = 16;

    private final ConfigTable t;
    private final Clock clock;

    public DynamoDbAlertStore(DynamoDbClient ddb, String monitorsTable, Clock clock) {
        this.t = new ConfigTable(ddb, monitorsTable);
        this.clock = clock;
    }

    private String table() {
        if (t.table == null || t.table.isBlank()) {
            throw new IllegalStateException("FERRY_MONITORS_TABLE is not set: the function's environment comes from template.yaml");
        }
        return t.table;
    }

    private static String sk(String key) {
        return "ALERT#" + key;
    }

    private static String idPk(String alertId) {
        return "ALERTID#" + alertId;
    }

    private static final String ID_SK = "ALERT";

    @Override
    public boolean create(Alert a) {
        String sort = Attr.keyTime(a.firedAt()) + "#" + a.id();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", Attr.s(DynamoDbMonitorStore.pk(a.monitorId())));
        item.put("sk", Attr.s(sk(a.key())));
        int shard = Math.floorMod(a.id().hashCode(), SHARDS);
        item.put("gsi1pk", Attr.s("ALERTS#" + shard));
        item.put("gsi1sk", Attr.s(sort));
        item.put("gsi2pk", Attr.s("ALERTS#MONITOR#" + a.monitorId() + "#" + shard));
        item.put("gsi2sk", Attr.s(sort));
        if (a.instanceId() != null) {
            item.put("gsi3pk", Attr.s("ALERTS#INSTANCE#" + a.instanceId()));
            item.put("gsi3sk", Attr.s(sort));
        }
        item.put("alert", Attr.s(write(a.withDeliveries(List.of()).withClearedAt(null).withAcknowledged(null, null))));
        item.put("deliveries", AttributeValue.fromL(a.deliveries().stream().map(d -> Attr.s(write(d))).toList()));
        Attr.put(item, "clearedAt", a.clearedAt());
        if (a.expiresAt() != null) {
            item.put("expiresAt", Attr.n(a.expiresAt().getEpochSecond() + (a.expiresAt().getNano() > 0 ? 1 : 0)));
            item.put("expiresAtTime", Attr.time(a.expiresAt()));
        }
        try {
            t.ddb.putItem(b -> b.tableName(table()).item(item).conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException duplicate) {
            return false;
        } catch (SdkException e) {
            throw storeFailure("DynamoDB PutItem on " + table(), e);
        }
        Map<String, AttributeValue> pointer = new HashMap<>();
        pointer.put("pk", Attr.s(idPk(a.id())));
        pointer.put("sk", Attr.s(ID_SK));
        pointer.put("monitorId", Attr.s(a.monitorId()));
        pointer.put("key", Attr.s(a.key()));
        if (item.containsKey("expiresAt")) pointer.put("expiresAt", item.get("expiresAt"));
        try {
            t.ddb.putItem(b -> b.tableName(table()).item(pointer));
        } catch (SdkException e) {
            throw storeFailure("DynamoDB PutItem on " + table(), e);
        }
        return true;
    }

    @Override
    public Optional<Alert> byId(String alertId) {
        table();
        return t.getItem(idPk(alertId), ID_SK).flatMap(p -> get(Attr.str(p, "monitorId"), Attr.str(p, "key")))
                .filter(a -> a.id().equals(alertId));
    }

    @Override
    public Optional<Alert> acknowledge(String monitorId, String key, String by, Instant at) {
        try {
            t.ddb.updateItem(b -> b.tableName(table()).key(ConfigTable.key(DynamoDbMonitorStore.pk(monitorId), sk(key)))
                    .updateExpression("SET acknowledgedBy = :by, acknowledgedAt = :at")
                    .conditionExpression("attribute_exists(pk) AND attribute_not_exists(acknowledgedAt)")
                    .expressionAttributeValues(Map.of(":by", Attr.s(by), ":at", Attr.time(at))));
        } catch (ConditionalCheckFailedException alreadyOrGone) {
            // acknowledged before (the first acknowledgement stays), or gone: read below says which
        } catch (SdkException e) {
            throw storeFailure("DynamoDB UpdateItem on " + table(), e);
        }
        return get(monitorId, key);
    }

    @Override
    public Optional<Alert> get(String monitorId, String key) {
        table();
        return t.getItem(DynamoDbMonitorStore.pk(monitorId), sk(key)).filter(i -> !expired(i)).map(DynamoDbAlertStore::decode);
    }

    @Override
    public void addDelivery(String monitorId, String key, AlertDelivery d) {
        update(monitorId, key, "SET deliveries = list_append(if_not_exists(deliveries, :none), :d)",
                Map.of(":none", AttributeValue.fromL(List.of()), ":d", AttributeValue.fromL(List.of(Attr.s(write(d))))));
    }

    @Override
    public boolean claimAttempt(String monitorId, String key, int channel, int attempt) {
        try {
            t.ddb.updateItem(b -> b.tableName(table()).key(ConfigTable.key(DynamoDbMonitorStore.pk(monitorId), sk(key)))
                    .updateExpression("SET #c = :n")
                    .conditionExpression("attribute_exists(pk) AND (attribute_not_exists(#c) OR #c < :n)")
                    .expressionAttributeNames(Map.of("#c", "claimedAttempt" + channel))
                    .expressionAttributeValues(Map.of(":n", AttributeValue.fromN(Integer.toString(attempt)))));
            return true;
        } catch (ConditionalCheckFailedException taken) {
            return false; // another copy took this attempt, or the alert is gone
        } catch (SdkException e) {
            throw storeFailure("DynamoDB UpdateItem on " + table(), e);
        }
    }

    @Override
    public void cleared(String monitorId, String key, Instant at) {
        update(monitorId, key, "SET clearedAt = :t", Map.of(":t", Attr.time(at)));
    }

    private void update(String monitorId, String key, String expression, Map<String, AttributeValue> values) {
        try {
            t.ddb.updateItem(b -> b.tableName(table()).key(ConfigTable.key(DynamoDbMonitorStore.pk(monitorId), sk(key)))
                    .updateExpression(expression).conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException gone) {
            // the alert expired or never existed: nothing to record
        } catch (SdkException e) {
            throw storeFailure("DynamoDB UpdateItem on " + table(), e);
        }
    }

    @Override
    public Page<Alert> list(AlertQuery q) {
        int size = ConfigTable.pageSize(q.limit());
        String index, hashName, sortName, base;
        List<String> hashes = new ArrayList<>();
        if (q.monitorId() != null) {
            index = "gsi2"; hashName = "gsi2pk"; sortName = "gsi2sk"; base = "ALERTS#MONITOR#" + q.monitorId();
            for (int n = 0; n < SHARDS; n++) hashes.add(base + "#" + n);
        } else if (q.instanceId() != null) {
            index = "gsi3"; hashName = "gsi3pk"; sortName = "gsi3sk"; base = "ALERTS#INSTANCE#" + q.instanceId();
            hashes.add(base);
        } else {
            index = "gsi1"; hashName = "gsi1pk"; sortName = "gsi1sk"; base = "ALERTS";
            for (int n = 0; n < SHARDS; n++) hashes.add(base + "#" + n);
        }
        // The cursor is the sort key of the last alert returned, in the listing it came from.
        Cursors.Decoded from = Cursors.decode(q.cursor(), "s");
        if (from != null && !base.equals(from.partition())) throw Cursors.invalid();
        String before = from == null ? null : from.key().get("s").s();
        String since = q.since() == null ? null : Attr.keyTime(q.since());
        if (before != null && since != null && before.compareTo(since) < 0) return new Page<>(List.of(), null);

        Map<String, String> names = new HashMap<>(Map.of("#h", hashName));
        String condition = "#h = :h";
        Map<String, AttributeValue> bounds = new HashMap<>();
        if (before != null || since != null) names.put("#s", sortName);
        if (before != null && since != null) {
            condition += " AND #s BETWEEN :since AND :before"; // inclusive: the cursor's own alert is skipped below
            bounds.put(":since", Attr.s(since));
            bounds.put(":before", Attr.s(before));
        } else if (before != null) {
            condition += " AND #s < :before";
            bounds.put(":before", Attr.s(before));
        } else if (since != null) {
            condition += " AND #s >= :since";
            bounds.put(":since", Attr.s(since));
        }
        // Each shard's newest size + 1 matching alerts below the cursor: the page is among them.
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        for (String hash : hashes) {
            Map<String, AttributeValue> values = new HashMap<>(bounds);
            values.put(":h", Attr.s(hash));
            QueryRequest.Builder req = QueryRequest.builder().tableName(table()).indexName(index)
                    .keyConditionExpression(condition).expressionAttributeNames(names).expressionAttributeValues(values)
                    .scanIndexForward(false);
            int kept = 0;
            Map<String, AttributeValue> start = null;
            try {
                do {
                    if (start != null) req.exclusiveStartKey(start);
                    QueryResponse res = t.ddb.query(req.limit(Math.min(MAX_QUERY, size + 1 - kept)).build());
                    for (Map<String, AttributeValue> item : res.items()) {
                        if (kept > size) break;
                        if (before != null && before.equals(Attr.str(item, sortName))) continue;
                        if (matches(item, q)) {
                            found.add(item);
                            kept++;
                        }
                    }
                    start = res.hasLastEvaluatedKey() && !res.lastEvaluatedKey().isEmpty() ? res.lastEvaluatedKey() : null;
                } while (start != null && kept <= size);
            } catch (SdkException e) {
                throw storeFailure("DynamoDB Query on " + table() + "/" + index, e);
            }
        }
        found.sort(Comparator.comparing((Map<String, AttributeValue> i) -> Attr.str(i, sortName)).reversed());
        String next = null;
        if (found.size() > size) {
            found = found.subList(0, size);
            next = Cursors.encode(base, Map.of("s", Attr.s(Attr.str(found.get(size - 1), sortName))));
        }
        return new Page<>(found.stream().map(DynamoDbAlertStore::decode).toList(), next);
    }

    private boolean matches(Map<String, AttributeValue> item, AlertQuery q) {
        if (expired(item)) return false;
        Alert a = decode(item);
        if (q.instanceId() != null && !q.instanceId().equals(a.instanceId())) return false;
        if (q.customerId() != null && !q.customerId().equals(a.customerId())) return false;
        if (!q.acknowledgedMatches(a)) return false;
        return q.since() == null || !a.firedAt().isBefore(q.since());
    }

    private boolean expired(Map<String, AttributeValue> item) {
        Instant exp = Attr.instant(item, "expiresAtTime");
        return exp != null && !clock.instant().isBefore(exp);
    }

    /**
     * Query of {@code gsi3} ({@code ALERTS#INSTANCE#<id>}, every page, expired ones too), then
     * BatchWriteItem deletes of 25 of those whose trigger is not kept.
     */
    @Override
    public int deleteForInstance(String instanceId, java.util.Set<dev.ferry.core.model.MonitorTriggerType> keep) {
        List<Map<String, AttributeValue>> keys = new java.util.ArrayList<>();
        Map<String, AttributeValue> start = null;
        try {
            do {
                Map<String, AttributeValue> from = start;
                var res = t.ddb.query(b -> {
                    b.tableName(table()).indexName("gsi3").keyConditionExpression("gsi3pk = :p")
                            .expressionAttributeValues(Map.of(":p", Attr.s("ALERTS#INSTANCE#" + instanceId)));
                    if (from != null) b.exclusiveStartKey(from);
                });
                for (Map<String, AttributeValue> item : res.items()) {
                    Alert a = decode(item);
                    if (!keep.contains(a.trigger())) {
                        keys.add(Attr.keyOf(item, "pk", "sk"));
                        keys.add(Map.of("pk", Attr.s(idPk(a.id())), "sk", Attr.s(ID_SK)));
                    }
                }
                start = res.hasLastEvaluatedKey() && !res.lastEvaluatedKey().isEmpty() ? res.lastEvaluatedKey() : null;
            } while (start != null);
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            throw dev.ferry.infra.AwsFailures.storeFailure("DynamoDB Query on " + table(), e);
        }
        t.deleteAll(keys);
        return keys.size() / 2; // each alert with its id pointer
    }

    private static Alert decode(Map<String, AttributeValue> item) {
        Alert a = Json.read(Attr.str(item, "alert"), Alert.class);
        List<AlertDelivery> deliveries = Attr.stringList(item, "deliveries").stream()
                .map(s -> Json.read(s, AlertDelivery.class)).toList();
        a = a.withDeliveries(deliveries).withClearedAt(Attr.instant(item, "clearedAt"));
        Instant acknowledgedAt = Attr.instant(item, "acknowledgedAt");
        return acknowledgedAt == null ? a : a.withAcknowledged(Attr.str(item, "acknowledgedBy"), acknowledgedAt);
    }

    private static String write(Object value) {
        try {
            return WRITER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

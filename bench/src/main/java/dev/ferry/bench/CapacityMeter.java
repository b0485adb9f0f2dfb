package dev.ferry.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * What DynamoDB, SQS and CloudWatch Logs would bill for the calls made, measured from the calls
 * themselves (moto's own {@code ConsumedCapacity} is a constant, so it cannot be used): an SDK
 * interceptor that reads each written item before and after the write through an uncounted client
 * and applies DynamoDB's rules — a write costs 1 WRU per started KB of the larger of the old and new
 * item, doubled in a transaction; each global secondary index whose projected item changes costs a
 * write of its projected size (two when its key changes: delete and put); a read costs 1 RRU per
 * started 4 KB read (a Query sums the items it returns; a BatchGetItem counts each item), half when
 * eventually consistent. SQS: one
 * request per started 64 KB of body. CloudWatch Logs: ingested bytes (message + 26 bytes per event).
 */
final class CapacityMeter implements ExecutionInterceptor {
    private static final ExecutionAttribute<List<Map<String, AttributeValue>>> BEFORE = new ExecutionAttribute<>("ferryBefore");

    private final DynamoDbClient raw;
    private final Map<String, TableDescription> tables = new ConcurrentHashMap<>();
    private final Map<String, Double> writeUnits = new ConcurrentHashMap<>();
    private final Map<String, Double> readUnits = new ConcurrentHashMap<>();
    /** The bytes behind {@link #readUnits}, before rounding up to 4 KB a read. */
    private final Map<String, Double> readBytes = new ConcurrentHashMap<>();
    private final Map<String, Double> whatIfWriteUnits = new ConcurrentHashMap<>();
    private volatile long logBytes;
    private volatile long sqsRequests;

    CapacityMeter(DynamoDbClient raw) {
        this.raw = raw;
    }

    synchronized void reset() {
        writeUnits.clear();
        readUnits.clear();
        readBytes.clear();
        whatIfWriteUnits.clear();
        logBytes = 0;
        sqsRequests = 0;
    }

    /** WRUs by table, or {@code table/index} for index writes. */
    Map<String, Double> writeUnits() {
        return new TreeMap<>(writeUnits);
    }

    Map<String, Double> readUnits() {
        return new TreeMap<>(readUnits);
    }

    /** Bytes read by table, or {@code table/index}, before DynamoDB rounds each read up to 4 KB. */
    Map<String, Double> readBytes() {
        return new TreeMap<>(readBytes);
    }

    double totalWriteUnits() {
        return writeUnits.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /**
     * The WRUs the same writes would cost if every global secondary index projected ALL were
     * KEYS_ONLY instead (such an index is written only when an item enters it, leaves it or changes
     * its keys, and each write is of the keys alone) — the saving that projection change would buy.
     */
    double totalWriteUnitsKeysOnly() {
        return whatIfWriteUnits.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    double totalReadUnits() {
        return readUnits.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    long logBytes() {
        return logBytes;
    }

    long sqsRequests() {
        return sqsRequests;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        List<Target> targets = targets(context.request());
        if (targets.isEmpty()) return;
        List<Map<String, AttributeValue>> before = new ArrayList<>();
        for (Target t : targets) before.add(current(t.table, t.key));
        attributes.putAttribute(BEFORE, before);
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        Object response = context.response();
        List<Target> targets = targets(request);
        if (!targets.isEmpty()) {
            List<Map<String, AttributeValue>> before = attributes.getAttribute(BEFORE);
            for (int i = 0; i < targets.size(); i++) {
                Target t = targets.get(i);
                write(t.table, before.get(i), current(t.table, t.key), t.factor);
            }
        } else if (request instanceof GetItemRequest g && response instanceof GetItemResponse r) {
            read(g.tableName(), size(r.hasItem() ? r.item() : null), Boolean.TRUE.equals(g.consistentRead()));
        } else if (request instanceof QueryRequest q && response instanceof QueryResponse r) {
            long bytes = r.items().stream().mapToLong(CapacityMeter::size).sum();
            String where = q.indexName() == null ? q.tableName() : q.tableName() + "/" + q.indexName();
            read(where, bytes, Boolean.TRUE.equals(q.consistentRead()));
        } else if (request instanceof software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest g
                && response instanceof software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse r) {
            // Each item is its own read, rounded up to 4 KB (the projection's size: the same charge for
            // items under 4 KB, which is all the benchmark reads this way).
            r.responses().forEach((table, items) -> {
                boolean consistent = g.requestItems().containsKey(table)
                        && Boolean.TRUE.equals(g.requestItems().get(table).consistentRead());
                for (Map<String, AttributeValue> item : items) read(table, size(item), consistent);
            });
        } else if (request instanceof PutLogEventsRequest p) {
            long bytes = 0;
            for (InputLogEvent e : p.logEvents()) bytes += e.message().getBytes(StandardCharsets.UTF_8).length + 26;
            synchronized (this) {
                logBytes += bytes;
            }
        } else if (request instanceof SendMessageRequest s) {
            long bytes = s.messageBody().getBytes(StandardCharsets.UTF_8).length;
            synchronized (this) {
                sqsRequests += Math.max(1, (bytes + 65_535) / 65_536);
            }
        }
    }

    private record Target(String table, Map<String, AttributeValue> key, int factor) {}

    private List<Target> targets(SdkRequest request) {
        List<Target> out = new ArrayList<>();
        if (request instanceof PutItemRequest p) out.add(new Target(p.tableName(), keyOf(p.tableName(), p.item()), 1));
        else if (request instanceof UpdateItemRequest u) out.add(new Target(u.tableName(), u.key(), 1));
        else if (request instanceof DeleteItemRequest d) out.add(new Target(d.tableName(), d.key(), 1));
        else if (request instanceof TransactWriteItemsRequest t) {
            for (TransactWriteItem w : t.transactItems()) {
                if (w.put() != null) out.add(new Target(w.put().tableName(), keyOf(w.put().tableName(), w.put().item()), 2));
                else if (w.update() != null) out.add(new Target(w.update().tableName(), w.update().key(), 2));
                else if (w.delete() != null) out.add(new Target(w.delete().tableName(), w.delete().key(), 2));
                else if (w.conditionCheck() != null) out.add(new Target(w.conditionCheck().tableName(), w.conditionCheck().key(), -2));
            }
        }
        return out;
    }

    private void write(String table, Map<String, AttributeValue> before, Map<String, AttributeValue> after, int factor) {
        long biggest = Math.max(size(before), size(after));
        add(writeUnits, table, Math.abs(factor) * Math.max(1, kb(biggest)));
        if (factor < 0) return; // a condition check writes nothing to the indexes
        TableDescription d = describe(table);
        if (!d.hasGlobalSecondaryIndexes()) return;
        add(whatIfWriteUnits, table, Math.abs(factor) * Math.max(1, kb(biggest)));
        for (GlobalSecondaryIndexDescription g : d.globalSecondaryIndexes()) {
            double units = indexUnits(project(before, g, g.projection().projectionType(), d),
                    project(after, g, g.projection().projectionType(), d), g);
            if (units > 0) add(writeUnits, table + "/" + g.indexName(), units);
            ProjectionType whatIf = g.projection().projectionType() == ProjectionType.ALL ? ProjectionType.KEYS_ONLY
                    : g.projection().projectionType();
            double whatIfUnits = indexUnits(project(before, g, whatIf, d), project(after, g, whatIf, d), g);
            if (whatIfUnits > 0) add(whatIfWriteUnits, table + "/" + g.indexName(), whatIfUnits);
        }
    }

    private static double indexUnits(Map<String, AttributeValue> b, Map<String, AttributeValue> a,
                                     GlobalSecondaryIndexDescription g) {
        if (b == null && a == null) return 0;
        if (b == null) return Math.max(1, kb(size(a)));
        if (a == null) return Math.max(1, kb(size(b)));
        if (!sameKey(b, a, g)) return Math.max(1, kb(size(b))) + Math.max(1, kb(size(a)));
        return b.equals(a) ? 0 : Math.max(1, kb(size(a)));
    }

    private void read(String where, long bytes, boolean consistent) {
        add(readBytes, where, (double) bytes);
        double units = Math.max(1, (bytes + 4095) / 4096);
        add(readUnits, where, consistent ? units : units / 2);
    }

    private static void add(Map<String, Double> to, String key, double units) {
        to.merge(key, units, Double::sum);
    }

    private static long kb(long bytes) {
        return (bytes + 1023) / 1024;
    }

    private static boolean sameKey(Map<String, AttributeValue> b, Map<String, AttributeValue> a, GlobalSecondaryIndexDescription g) {
        for (KeySchemaElement k : g.keySchema()) {
            if (!Objects.equals(b.get(k.attributeName()), a.get(k.attributeName()))) return false;
        }
        return true;
    }

    /** The item as the index stores it, or null when the item is not in the (sparse) index. */
    private static Map<String, AttributeValue> project(Map<String, AttributeValue> item, GlobalSecondaryIndexDescription g,
            ProjectionType type, TableDescription d) {
        if (item == null) return null;
        for (KeySchemaElement k : g.keySchema()) if (!item.containsKey(k.attributeName())) return null;
        if (type == ProjectionType.ALL) return item;
        Map<String, AttributeValue> out = new HashMap<>();
        for (KeySchemaElement k : d.keySchema()) out.put(k.attributeName(), item.get(k.attributeName()));
        for (KeySchemaElement k : g.keySchema()) out.put(k.attributeName(), item.get(k.attributeName()));
        if (type == ProjectionType.INCLUDE) {
            for (String name : g.projection().nonKeyAttributes()) if (item.containsKey(name)) out.put(name, item.get(name));
        }
        return out;
    }

    private TableDescription describe(String table) {
        return tables.computeIfAbsent(table, t -> raw.describeTable(b -> b.tableName(t)).table());
    }

    private Map<String, AttributeValue> keyOf(String table, Map<String, AttributeValue> item) {
        Map<String, AttributeValue> key = new HashMap<>();
        for (KeySchemaElement k : describe(table).keySchema()) key.put(k.attributeName(), item.get(k.attributeName()));
        return key;
    }

    private Map<String, AttributeValue> current(String table, Map<String, AttributeValue> key) {
        GetItemResponse r = raw.getItem(b -> b.tableName(table).key(key).consistentRead(true));
        return r.hasItem() ? r.item() : null;
    }

    /** DynamoDB's item size: attribute names plus values (strings and binaries by length, numbers ≈ digits/2 + 1). */
    static long size(Map<String, AttributeValue> item) {
        if (item == null) return 0;
        long n = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            n += e.getKey().getBytes(StandardCharsets.UTF_8).length + size(e.getValue());
        }
        return n;
    }

    private static long size(AttributeValue v) {
        if (v.s() != null) return v.s().getBytes(StandardCharsets.UTF_8).length;
        if (v.n() != null) return v.n().replaceAll("[^0-9]", "").length() / 2 + 1;
        if (v.b() != null) return v.b().asByteArray().length;
        if (v.bool() != null || Boolean.TRUE.equals(v.nul())) return 1;
        if (v.hasL()) return 3 + v.l().stream().mapToLong(x -> 1 + size(x)).sum();
        if (v.hasM()) return 3 + v.m().entrySet().stream()
                .mapToLong(x -> 1 + x.getKey().getBytes(StandardCharsets.UTF_8).length + size(x.getValue())).sum();
        if (v.hasSs()) return v.ss().stream().mapToLong(s -> s.getBytes(StandardCharsets.UTF_8).length).sum();
        if (v.hasNs()) return v.ns().stream().mapToLong(s -> s.length() / 2 + 1).sum();
        if (v.hasBs()) return v.bs().stream().mapToLong(b -> b.asByteArrayUnsafe().length).sum();
        return 1;
    }
}

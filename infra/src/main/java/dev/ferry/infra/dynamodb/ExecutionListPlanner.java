package dev.ferry.infra.dynamodb;

import static dev.ferry.infra.AwsFailures.storeFailure;
import static dev.ferry.infra.dynamodb.ExecutionItems.BY_CUSTOMER;
import static dev.ferry.infra.dynamodb.ExecutionItems.BY_DAY;
import static dev.ferry.infra.dynamodb.ExecutionItems.BY_FLOW_CONFIG;
import static dev.ferry.infra.dynamodb.ExecutionItems.BY_HELD;
import static dev.ferry.infra.dynamodb.ExecutionItems.BY_QUEUED;
import static dev.ferry.infra.dynamodb.ExecutionItems.BY_UNRESOLVED;
import static dev.ferry.infra.dynamodb.ExecutionItems.UNFINISHED_SHARDS;
import static dev.ferry.infra.dynamodb.ExecutionItems.expired;

import dev.ferry.core.error.StoreException;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionQuery;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.Page;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Predicate;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Every read of the ExecutionsTable's indexes. For {@link #list} and {@link #count}: which index
 * serves a query and which partitions it walks, the key condition and filters, paging with a
 * cursor and the call's read budget, and the Query-then-BatchGetItem read of the keys-only list
 * indexes. There is no index by instance: an instance's executions are those of its flow configs
 * ({@link InstanceFlowConfigs}), read from their {@code byFlowConfig} partitions, merged newest first
 * as the shards of {@code byDay} are, and so is its deletion's walk. Also an instance's held executions
 * ({@code byHeld}) and the sweeps' reads of the sharded {@code byQueued} (unfinished executions). Which
 * call serves what: infra/README.md.
 */
final class ExecutionListPlanner {
    static final int MAX_QUERY_LIMIT = 1000;
    /** Entries of one {@code byQueued} shard a sweep's read looks at, at most (their items are read too). */
    static final int UNFINISHED_READ_BUDGET = 2000;
    /**
     * Entries of one {@code byDay} shard the sweep's watch reads per run, at most: 16 shards of this
     * carry about 13,000 executions a second read twice (each is read by two sweeps); more waits for
     * the next run.
     */
    static final int WATCH_READ_BUDGET = 100_000;
    /** Runs the Queries of a merged read's rounds side by side; a virtual thread per Query, none kept. */
    private static final ExecutorService QUERIES = Executors.newVirtualThreadPerTaskExecutor();

    private final DynamoDbClient ddb;
    private final String table;
    private final Clock clock;
    private final int retentionDays;
    private final int maxItemsRead;
    private final Batches batches;
    private final InstanceFlowConfigs flowConfigs;

    ExecutionListPlanner(DynamoDbClient ddb, String table, Clock clock, int retentionDays, int maxItemsRead,
                         Batches batches, InstanceFlowConfigs flowConfigs) {
        this.flowConfigs = flowConfigs;
        this.ddb = ddb;
        this.table = table;
        this.clock = clock;
        this.retentionDays = retentionDays;
        this.maxItemsRead = maxItemsRead;
        this.batches = batches;
    }

    // ---------------------------------------------------------------- list and count

    Page<Execution> list(ExecutionQuery q) {
        int size = ConfigTable.pageSize(q.limit());
        Instant now = clock.instant();
        Plan plan = plan(q, now);
        String hashName = plan.hashName();

        Cursors.Decoded from = Cursors.decode(q.cursor(), "pk", "sk", hashName, "queuedKey");
        if (from != null && !plan.partitions().contains(from.key().get(hashName).s())) throw Cursors.invalid();

        List<Map<String, AttributeValue>> found = new ArrayList<>();
        Reading reading = new Reading(maxItemsRead);
        if (plan.partitions().size() == 1) {
            readPartition(plan, plan.partitions().get(0), q, from == null ? null : from.key(), size + 1, found, now, reading);
        } else {
            readShards(plan, q, from == null ? null : from.key().get("queuedKey").s(), size + 1, found, now, reading);
        }
        String next = null;
        if (reading.stoppedAt != null && found.size() <= size) {
            // Read budget spent: answer what matched so far and go on from where the index was left.
            next = Cursors.encode(Attr.keyOf(reading.stoppedAt, "pk", "sk", hashName, "queuedKey"));
        } else if (found.size() > size) {
            found = found.subList(0, size);
            Map<String, AttributeValue> last = found.get(size - 1);
            next = Cursors.encode(Attr.keyOf(last, "pk", "sk", hashName, "queuedKey"));
        }
        return new Page<>(found.stream().map(ExecutionItems::decodeSummary).toList(), next);
    }

    /**
     * The number of executions {@link #list} would answer page after page: the same index, keys and
     * checks, without a page size or read budget.
     */
    long count(ExecutionQuery q) {
        Instant now = clock.instant();
        Plan plan = plan(q, now);
        long n = 0;
        for (String partition : plan.partitions()) {
            Map<String, AttributeValue> start = null;
            do {
                List<Map<String, AttributeValue>> found = new ArrayList<>();
                Reading reading = new Reading(MAX_QUERY_LIMIT);
                readPartition(plan, partition, q, start, Integer.MAX_VALUE, found, now, reading);
                n += found.size();
                start = reading.stoppedAt;
            } while (start != null);
        }
        return n;
    }

    /**
     * Which index serves a query, its hash key, and its partitions (several are merged newest first:
     * the shards of {@code byDay} and {@code byUnresolved}, read no further back than {@code oldest}
     * when not null, and an instance's flow configs in {@code byFlowConfig}). The three list indexes
     * are keys only; {@code byUnresolved}, sparse and small, projects everything, so its reads filter
     * in the Query and need no BatchGetItem. {@code ofInstance}: the partitions are the instance's
     * own, so its id skips nothing (it is still checked on each item).
     */
    private record Plan(String index, String hashName, List<String> partitions, boolean keysOnly, Instant oldest,
                        boolean ofInstance) {}

    private Plan plan(ExecutionQuery q, Instant now) {
        // Nothing older than the retention (and a day for TTL's lag) is read from the shared shards.
        Instant oldest = now.minus(Duration.ofDays(retentionDays + 1L));
        if (q.unresolved()) return new Plan(BY_UNRESOLVED, "unresolvedDay", ExecutionItems.listPartitions(), false, oldest, false);
        if (q.flowConfigId() != null) return new Plan(BY_FLOW_CONFIG, "flowConfigId", List.of(q.flowConfigId()), true, null, false);
        if (q.instanceId() != null) {
            return new Plan(BY_FLOW_CONFIG, "flowConfigId", flowConfigs.of(q.instanceId()), true, null, true);
        }
        if (q.customerId() != null) return new Plan(BY_CUSTOMER, "customerId", List.of(q.customerId()), true, null, false);
        return new Plan(BY_DAY, "queuedDay", ExecutionItems.listPartitions(), true, oldest, false);
    }

    /** How much one list call has read, and where it stopped when it hit its budget of index entries. */
    private static final class Reading {
        final long budget;
        long items;
        Map<String, AttributeValue> stoppedAt;

        Reading(long budget) {
            this.budget = budget;
        }
    }

    /**
     * Reads one index partition newest first until {@code want} items matched in total, it ends, or
     * the call's read budget is spent (then {@code reading.stoppedAt} is the LastEvaluatedKey). From a
     * keys-only index each page of keys is read from the table with BatchGetItem (the summary
     * attributes, eventually consistent like the index itself); every condition of the query is
     * checked on the item in Java ({@link #matches}), and on {@code byUnresolved} also in the Query's
     * FilterExpression so that fewer items come back.
     */
    private void readPartition(Plan plan, String hashValue, ExecutionQuery q, Map<String, AttributeValue> start,
                               int want, List<Map<String, AttributeValue>> found, Instant now, Reading reading) {
        // A window ending before it starts (a bulk replay's since after its until, which is now) holds
        // nothing: DynamoDB refuses a BETWEEN whose bounds are reversed.
        if (q.since() != null && q.until() != null && !q.since().isBefore(q.until())) return;
        QueryRequest.Builder req = query(plan, hashValue, q, now, null);
        if (req == null) return;
        // Read about as many entries as still needed; when conditions skip items, read more per call.
        long still = (long) want - found.size();
        long batch = selective(q, plan) ? Math.max(50, 4 * still) : still;
        batch = Math.min(batch, Math.max(1, reading.budget - reading.items));
        do {
            if (start != null) req.exclusiveStartKey(start);
            QueryResponse res;
            try {
                res = ddb.query(req.limit((int) Math.min(MAX_QUERY_LIMIT, batch)).build());
            } catch (SdkException ex) {
                throw storeFailure("DynamoDB Query on " + table + "/" + plan.index(), ex);
            }
            List<Map<String, AttributeValue>> items = plan.keysOnly() ? summaries(res.items()) : res.items();
            for (Map<String, AttributeValue> item : items) {
                if (found.size() >= want) return;
                if (matches(item, q, now)) found.add(item);
            }
            start = res.hasLastEvaluatedKey() && !res.lastEvaluatedKey().isEmpty() ? res.lastEvaluatedKey() : null;
            reading.items += res.scannedCount() == null ? res.items().size() : res.scannedCount();
            if (start != null && found.size() < want && reading.items >= reading.budget) {
                reading.stoppedAt = start;
                return;
            }
            batch = Math.min(MAX_QUERY_LIMIT, batch * 2);
        } while (start != null && found.size() < want);
    }

    /**
     * The Query of one partition of the plan's index, newest first: its key condition (the window,
     * and {@code before}, an exclusive upper bound on {@code queuedKey}, when not null), and on an index
     * that projects everything the filter and the summary projection. Null when the bounds leave
     * nothing to read.
     */
    private QueryRequest.Builder query(Plan plan, String hashValue, ExecutionQuery q, Instant now, String before) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#h", plan.hashName());
        values.put(":h", Attr.s(hashValue));
        String keyCondition = "#h = :h";
        Instant since = plan.oldest() != null && (q.since() == null || q.since().isBefore(plan.oldest())) ? plan.oldest() : q.since();
        String lower = since == null ? null : Attr.keyTime(since);
        // until is exclusive: "<until>" sorts before every "<until>#<id>". before is the key of an item
        // already answered: BETWEEN includes it, and the reads leave it out.
        String upper = q.until() == null ? null : Attr.keyTime(q.until());
        if (before != null && (upper == null || before.compareTo(upper) < 0)) upper = before;
        if (lower != null && upper != null && lower.compareTo(upper) > 0) return null;
        if (lower != null || upper != null) {
            names.put("#qk", "queuedKey");
            if (lower != null) values.put(":since", Attr.s(lower));
            if (upper != null) values.put(":until", Attr.s(upper));
            keyCondition += lower != null && upper != null ? " AND #qk BETWEEN :since AND :until"
                    : lower != null ? " AND #qk >= :since" : " AND #qk < :until";
        }
        QueryRequest.Builder req = QueryRequest.builder()
                .tableName(table)
                .indexName(plan.index())
                .keyConditionExpression(keyCondition)
                .scanIndexForward(false);
        if (!plan.keysOnly()) {
            Expr filter = filter(q, plan.index(), now);
            names.putAll(filter.names);
            values.putAll(filter.values);
            req.filterExpression(filter.expression).projectionExpression(ExecutionItems.summaryProjection(names));
        }
        return req.expressionAttributeNames(names).expressionAttributeValues(values);
    }

    /** One partition of a merged read ({@link #readShards}): where its Query goes on from, and how much it asks for next. */
    private static final class Shard {
        final QueryRequest.Builder req;
        /** The LastEvaluatedKey to go on from; null once the shard is read to its end (every shard is read in the first round). */
        Map<String, AttributeValue> next;
        long batch;

        Shard(QueryRequest.Builder req, long batch) {
            this.req = req;
            this.batch = batch;
        }

        String frontier() {
            return next.get("queuedKey").s();
        }
    }

    /**
     * Reads the shards of the plan merged newest first, below {@code before} when not null, until
     * {@code want} items matched in total, they end, or the call's read budget is spent. Every shard
     * is read a little at first; then the one whose reading stopped newest is read further. Entries
     * are looked at (from a keys-only index: their items read with BatchGetItem) newest first and only
     * once complete: not older than any shard's frontier, so that no unread entry can outrank them.
     * On the budget, {@code reading.stoppedAt} is that shard's LastEvaluatedKey: every entry at or
     * above it was looked at, and the next page reads below it.
     */
    private void readShards(Plan plan, ExecutionQuery q, String before, int want,
                            List<Map<String, AttributeValue>> found, Instant now, Reading reading) {
        if (q.since() != null && q.until() != null && !q.since().isBefore(q.until())) return;
        List<String> partitions = plan.partitions();
        if (partitions.isEmpty()) return; // an instance with no flow config (unknown, or deleted)
        boolean selective = selective(q, plan);
        long first = Math.max(10, (selective ? 8 : 2) * ((long) want - found.size() + partitions.size() - 1) / partitions.size());
        List<Shard> shards = new ArrayList<>();
        for (String partition : partitions) {
            QueryRequest.Builder req = query(plan, partition, q, now, before);
            if (req != null) shards.add(new Shard(req, first));
        }
        Comparator<Map<String, AttributeValue>> newestFirst =
                Comparator.comparing((Map<String, AttributeValue> i) -> Attr.str(i, "queuedKey")).reversed();
        List<Map<String, AttributeValue>> pending = new ArrayList<>();
        List<Shard> toRead = shards;
        while (true) {
            // What is left of the read budget, shared by the shards read in this round.
            long share = Math.max(1, (reading.budget - reading.items) / Math.max(1, toRead.size()));
            List<QueryRequest> requests = new ArrayList<>(toRead.size());
            for (Shard shard : toRead) {
                long limit = Math.min(MAX_QUERY_LIMIT, Math.min(shard.batch, share));
                requests.add(shard.req.limit((int) limit).exclusiveStartKey(shard.next).build());
            }
            List<QueryResponse> responses = queryAll(requests, plan.index());
            for (int i = 0; i < toRead.size(); i++) {
                Shard shard = toRead.get(i);
                QueryResponse res = responses.get(i);
                for (Map<String, AttributeValue> entry : res.items()) {
                    if (!Attr.str(entry, "queuedKey").equals(before)) pending.add(entry);
                }
                reading.items += res.scannedCount() == null ? res.items().size() : res.scannedCount();
                shard.next = res.hasLastEvaluatedKey() && !res.lastEvaluatedKey().isEmpty() ? res.lastEvaluatedKey() : null;
                shard.batch = Math.min(MAX_QUERY_LIMIT, shard.batch * 2);
            }
            Shard newest = null;
            for (Shard shard : shards) {
                if (shard.next != null && (newest == null || shard.frontier().compareTo(newest.frontier()) > 0)) newest = shard;
            }
            String bound = newest == null ? null : newest.frontier();
            pending.sort(newestFirst);
            int complete = 0;
            while (complete < pending.size()
                    && (bound == null || Attr.str(pending.get(complete), "queuedKey").compareTo(bound) >= 0)) {
                complete++;
            }
            // Look at the complete entries newest first, no more of them than the page may still take
            // (all of them when a condition may skip some).
            while (complete > 0 && found.size() < want) {
                int take = selective ? complete : Math.min(complete, want - found.size());
                List<Map<String, AttributeValue>> look = new ArrayList<>(pending.subList(0, take));
                pending.subList(0, take).clear();
                complete -= take;
                for (Map<String, AttributeValue> item : plan.keysOnly() ? summaries(look) : look) {
                    if (found.size() < want && matches(item, q, now)) found.add(item);
                }
            }
            if (newest == null || found.size() >= want) return;
            if (reading.items >= reading.budget) {
                reading.stoppedAt = newest.next;
                return;
            }
            toRead = List.of(newest);
        }
    }

    /**
     * The Queries, several at once (one virtual thread each), their answers in the same order: the
     * first round of a merged read asks every shard, and waits about one round trip instead of 16.
     */
    private List<QueryResponse> queryAll(List<QueryRequest> requests, String index) {
        try {
            if (requests.size() == 1) return List.of(ddb.query(requests.get(0)));
            List<Future<QueryResponse>> pending = new ArrayList<>(requests.size());
            for (QueryRequest request : requests) pending.add(QUERIES.submit(() -> ddb.query(request)));
            List<QueryResponse> out = new ArrayList<>(requests.size());
            for (Future<QueryResponse> f : pending) out.add(f.get());
            return out;
        } catch (SdkException ex) {
            throw storeFailure("DynamoDB Query on " + table + "/" + index, ex);
        } catch (ExecutionException ex) {
            if (ex.getCause() instanceof SdkException sdk) throw storeFailure("DynamoDB Query on " + table + "/" + index, sdk);
            if (ex.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(ex.getCause());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while reading " + table + "/" + index, ex);
        }
    }

    /** The summary of each execution whose index entry is given, in the entries' order; a deleted one is left out. */
    private List<Map<String, AttributeValue>> summaries(List<Map<String, AttributeValue>> entries) {
        if (entries.isEmpty()) return List.of();
        Map<String, String> names = new HashMap<>();
        String projection = ExecutionItems.summaryProjection(names);
        Map<String, Map<String, AttributeValue>> byPk = batchGet(
                entries.stream().map(e -> Map.of("pk", e.get("pk"), "sk", e.get("sk"))).toList(),
                false, projection, names);
        List<Map<String, AttributeValue>> out = new ArrayList<>(entries.size());
        for (Map<String, AttributeValue> entry : entries) {
            Map<String, AttributeValue> item = byPk.get(entry.get("pk").s());
            if (item != null) out.add(item);
        }
        return out;
    }

    /**
     * BatchGetItem of {@code keys}, 100 a call, unprocessed keys asked for again after a backoff; the
     * items by {@code pk}. Keys still unprocessed after 10 calls are a StoreException: a page must not
     * drop executions silently.
     */
    Map<String, Map<String, AttributeValue>> batchGet(List<Map<String, AttributeValue>> keys, boolean consistent,
                                                     String projection, Map<String, String> names) {
        Map<String, Map<String, AttributeValue>> byPk = new HashMap<>();
        try {
            for (int from = 0; from < keys.size(); from += 100) {
                KeysAndAttributes.Builder ask = KeysAndAttributes.builder()
                        .keys(keys.subList(from, Math.min(from + 100, keys.size()))).consistentRead(consistent);
                if (projection != null) ask.projectionExpression(projection).expressionAttributeNames(names);
                for (Map<String, AttributeValue> item : batches.get(table, ask.build())) {
                    byPk.put(Attr.str(item, "pk"), item);
                }
            }
        } catch (SdkException ex) {
            throw storeFailure("DynamoDB BatchGetItem on " + table, ex);
        }
        return byPk;
    }

    private record Expr(String expression, Map<String, String> names, Map<String, AttributeValue> values) {}

    /** The FilterExpression for an index that projects every attribute (byUnresolved). */
    private static Expr filter(ExecutionQuery q, String index, Instant now) {
        List<String> parts = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#exp", "expiresAt");
        values.put(":now", Attr.n(now.getEpochSecond()));
        parts.add("(attribute_not_exists(#exp) OR #exp > :now)");
        if (q.instanceId() != null) {
            names.put("#iid", "instanceId"); values.put(":iid", Attr.s(q.instanceId())); parts.add("#iid = :iid");
        }
        if (q.customerId() != null && !index.equals(BY_CUSTOMER)) {
            names.put("#cid", "customerId"); values.put(":cid", Attr.s(q.customerId())); parts.add("#cid = :cid");
        }
        if (q.flowConfigId() != null && !index.equals(BY_FLOW_CONFIG)) {
            names.put("#fc", "flowConfigId"); values.put(":fc", Attr.s(q.flowConfigId())); parts.add("#fc = :fc");
        }
        if (q.status() != null) {
            names.put("#st", "status"); values.put(":st", Attr.s(q.status().name())); parts.add("#st = :st");
        }
        if (q.trigger() != null) {
            names.put("#tr", "trigger"); values.put(":tr", Attr.s(q.trigger().name())); parts.add("#tr = :tr");
        }
        if (q.originalsOnly()) {
            names.put("#orig", "original"); values.put(":true", Attr.bool(true)); parts.add("#orig = :true");
        }
        if (q.unresolved()) {
            names.put("#st", "status"); names.put("#res", "resolved");
            values.put(":failed", Attr.s(ExecutionStatus.FAILED.name())); values.put(":false", Attr.bool(false));
            parts.add("#st = :failed AND #res = :false");
        }
        return new Expr(String.join(" AND ", parts), names, values);
    }

    /** Whether conditions beyond the partitions read may skip items (then a page reads more entries per call). */
    private static boolean selective(ExecutionQuery q, Plan plan) {
        return q.status() != null || q.trigger() != null || q.originalsOnly() || q.unresolved()
                || q.instanceId() != null && !plan.ofInstance()
                || q.customerId() != null && !plan.index().equals(BY_CUSTOMER)
                || q.flowConfigId() != null && !plan.index().equals(BY_FLOW_CONFIG);
    }

    /** Every condition of the query, checked on the item (instants at millisecond/second precision). */
    private static boolean matches(Map<String, AttributeValue> item, ExecutionQuery q, Instant now) {
        if (expired(item, now)) return false;
        Instant queuedAt = Attr.instant(item, "queuedAt");
        if (q.since() != null && queuedAt.isBefore(q.since())) return false;
        if (q.until() != null && !queuedAt.isBefore(q.until())) return false;
        if (q.instanceId() != null && !q.instanceId().equals(Attr.str(item, "instanceId"))) return false;
        if (q.customerId() != null && !q.customerId().equals(Attr.str(item, "customerId"))) return false;
        if (q.flowConfigId() != null && !q.flowConfigId().equals(Attr.str(item, "flowConfigId"))) return false;
        String status = Attr.str(item, "status");
        if (q.status() != null && !q.status().name().equals(status)) return false;
        if (q.trigger() != null && !q.trigger().name().equals(Attr.str(item, "trigger"))) return false;
        if (q.originalsOnly() && !Attr.bool(item, "original")) return false;
        return !q.unresolved() || ExecutionStatus.FAILED.name().equals(status) && !Attr.bool(item, "resolved");
    }

    // ---------------------------------------------------------------- the sparse indexes

    /**
     * One Query of the sparse {@code byHeld} index (partition = the instance, sort = queuedKey,
     * ascending), keys and {@code expiresAt} only; more only if expired items were filtered out.
     */
    Page<String> listHeld(String instanceId, int limit, String cursor) {
        int size = ConfigTable.pageSize(limit);
        Instant now = clock.instant();
        Cursors.Decoded from = Cursors.decode(cursor, "pk", "sk", "heldInstanceId", "queuedKey");
        if (from != null && !instanceId.equals(from.key().get("heldInstanceId").s())) throw Cursors.invalid();
        Map<String, AttributeValue> start = from == null ? null : from.key();
        QueryRequest.Builder req = QueryRequest.builder()
                .tableName(table)
                .indexName(BY_HELD)
                .keyConditionExpression("#h = :h")
                .filterExpression("attribute_not_exists(#exp) OR #exp > :now")
                .expressionAttributeNames(Map.of("#h", "heldInstanceId", "#exp", "expiresAt"))
                .expressionAttributeValues(Map.of(":h", Attr.s(instanceId), ":now", Attr.n(now.getEpochSecond())))
                .scanIndexForward(true);
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        try {
            do {
                if (start != null) req.exclusiveStartKey(start);
                QueryResponse res = ddb.query(req.limit(Math.min(MAX_QUERY_LIMIT, size + 1 - found.size())).build());
                for (Map<String, AttributeValue> item : res.items()) {
                    if (found.size() > size) break;
                    if (!expired(item, now)) found.add(item);
                }
                start = res.hasLastEvaluatedKey() && !res.lastEvaluatedKey().isEmpty() ? res.lastEvaluatedKey() : null;
            } while (start != null && found.size() <= size);
        } catch (SdkException ex) {
            throw storeFailure("DynamoDB Query on " + table + "/" + BY_HELD, ex);
        }
        String next = null;
        if (found.size() > size) {
            found = found.subList(0, size);
            next = Cursors.encode(Attr.keyOf(found.get(size - 1), "pk", "sk", "heldInstanceId", "queuedKey"));
        }
        return new Page<>(found.stream().map(ExecutionItems::idOf).toList(), next);
    }

    /**
     * A page of the instance's executions for its deletion: its flow configs' {@code byFlowConfig}
     * partitions one after the other (keys only, expired items too), one Query each until {@code limit}
     * ids are found. The cursor names the flow config the walk is in and the index's LastEvaluatedKey
     * there (none: that flow config's start) — a deleted key is a valid ExclusiveStartKey, so the
     * deletion pages on while it deletes. An instance whose flow configs are gone has nothing here.
     */
    Page<String> instanceExecutions(String instanceId, int limit, String cursor) {
        List<String> partitions = flowConfigs.of(instanceId);
        Cursors.Decoded from = Cursors.decodeInPartition(cursor, "pk", "sk", "flowConfigId", "queuedKey");
        int at = from == null ? 0 : partitions.indexOf(from.partition());
        if (at < 0) throw Cursors.invalid();
        Map<String, AttributeValue> start = from == null ? null : from.key();
        int max = Math.max(1, Math.min(limit, MAX_QUERY_LIMIT));
        List<String> ids = new ArrayList<>();
        while (at < partitions.size()) {
            String flowConfigId = partitions.get(at);
            Map<String, AttributeValue> exclusiveStart = start;
            int want = max - ids.size();
            QueryResponse res;
            try {
                res = ddb.query(b -> b.tableName(table).indexName(BY_FLOW_CONFIG)
                        .keyConditionExpression("flowConfigId = :f")
                        .expressionAttributeValues(Map.of(":f", Attr.s(flowConfigId)))
                        .limit(want)
                        .exclusiveStartKey(exclusiveStart));
            } catch (SdkException ex) {
                throw storeFailure("DynamoDB Query on " + table + "/" + BY_FLOW_CONFIG, ex);
            }
            res.items().forEach(entry -> ids.add(ExecutionItems.idOf(entry)));
            start = res.hasLastEvaluatedKey() && !res.lastEvaluatedKey().isEmpty() ? res.lastEvaluatedKey() : null;
            if (start != null) return new Page<>(ids, Cursors.encode(flowConfigId, start));
            at++;
            if (ids.size() >= max && at < partitions.size()) return new Page<>(ids, Cursors.encode(partitions.get(at), Map.of()));
        }
        return new Page<>(ids, null);
    }

    /**
     * The sweep's read of one {@code byDay} shard: the executions queued in [{@code from}, {@code to}),
     * oldest first, a Query page of keys at a time, each page's items read with BatchGetItem (only
     * {@link ExecutionItems#WATCH_ATTRIBUTES}) and handed to {@code each}. Stops after
     * {@link #WATCH_READ_BUDGET} entries; answers the queue time it read up to ({@code to}, or the last
     * entry's when the budget ran out: the next sweep goes on from there) and the entries read.
     */
    WatchRead watchShard(int shard, Instant from, Instant to, Consumer<Map<String, AttributeValue>> each) {
        Map<String, String> names = new HashMap<>();
        String projection = ExecutionItems.projection(ExecutionItems.WATCH_ATTRIBUTES, names);
        Map<String, AttributeValue> start = null;
        int read = 0;
        String last = null;
        try {
            do {
                Map<String, AttributeValue> after = start;
                QueryResponse res = ddb.query(b -> b.tableName(table).indexName(BY_DAY)
                        .keyConditionExpression("queuedDay = :p AND queuedKey BETWEEN :from AND :to")
                        .expressionAttributeValues(Map.of(":p", Attr.s("ALL#" + shard),
                                ":from", Attr.s(Attr.keyTime(from)), ":to", Attr.s(Attr.keyTime(to))))
                        .limit(MAX_QUERY_LIMIT).exclusiveStartKey(after));
                List<Map<String, AttributeValue>> keys = res.items().stream()
                        .filter(e -> e.get("queuedKey").s().compareTo(Attr.keyTime(to)) < 0)
                        .map(e -> Map.of("pk", e.get("pk"), "sk", e.get("sk"))).toList();
                batchGet(keys, false, projection, names).values().forEach(each);
                read += res.count();
                if (!res.items().isEmpty()) last = res.items().get(res.items().size() - 1).get("queuedKey").s();
                start = res.hasLastEvaluatedKey() && !res.lastEvaluatedKey().isEmpty() ? res.lastEvaluatedKey() : null;
            } while (start != null && read < WATCH_READ_BUDGET);
        } catch (SdkException ex) {
            throw storeFailure("DynamoDB Query on " + table + "/" + BY_DAY, ex);
        }
        Instant upTo = start == null || last == null ? to : Attr.instantOfKeyTime(last.substring(0, last.indexOf('#')));
        return new WatchRead(upTo, read);
    }

    /** What {@link #watchShard} read: up to which queue time, and how many entries. */
    record WatchRead(Instant upTo, int read) {}

    /**
     * Webhook originals and single replays stored QUEUED before {@code cutoff} and never claimed:
     * the {@code byQueued} entries before it whose items still carry {@code awaitsAck}. Oldest first.
     */
    List<String> unacknowledgedBefore(Instant cutoff, int limit) {
        int max = Math.max(1, Math.min(limit, MAX_QUERY_LIMIT));
        Instant now = clock.instant();
        List<Map<String, AttributeValue>> kept = unfinishedBefore(cutoff, max, i -> !expired(i, now)
                && ExecutionStatus.QUEUED.name().equals(Attr.str(i, "status")) && Attr.bool(i, "awaitsAck"));
        kept.sort(Comparator.comparing(i -> Attr.str(i, "queuedKey")));
        return kept.stream().limit(max).map(ExecutionItems::idOf).toList();
    }

    /**
     * RUNNING executions started before {@code cutoff}, oldest start first. An execution starts
     * after it is queued, so each is among the {@code byQueued} entries queued before the cutoff;
     * those are read to the end of each shard (within its read budget), since the queued order is
     * not the started one.
     */
    List<Execution> runningStartedBefore(Instant cutoff, int limit) {
        int max = Math.max(1, Math.min(limit, MAX_QUERY_LIMIT));
        Instant now = clock.instant();
        return unfinishedBefore(cutoff, Integer.MAX_VALUE, i -> !expired(i, now)
                && ExecutionStatus.RUNNING.name().equals(Attr.str(i, "status"))).stream()
                .map(i -> ExecutionItems.decode(i).build())
                .filter(e -> e.startedAt() != null && e.startedAt().isBefore(cutoff))
                .sorted(Comparator.comparing(Execution::startedAt).thenComparing(Execution::id))
                .limit(max)
                .toList();
    }

    /**
     * The summaries of unfinished executions queued before {@code cutoff} that {@code wanted} keeps:
     * per shard of the sparse, keys-only {@code byQueued}, oldest queued first, Query pages of keys
     * read with BatchGetItem, until the shard gave {@code max} or {@link #UNFINISHED_READ_BUDGET}
     * entries were looked at (a backlog queued before the cutoff must not hold a sweep for long: the
     * next sweep reads from the oldest again, and ended executions have left).
     */
    private List<Map<String, AttributeValue>> unfinishedBefore(Instant cutoff, int max,
                                                               Predicate<Map<String, AttributeValue>> wanted) {
        List<Map<String, AttributeValue>> kept = new ArrayList<>();
        try {
            for (int shard = 0; shard < UNFINISHED_SHARDS; shard++) {
                String pk = "QUEUED#" + shard;
                Map<String, AttributeValue> start = null;
                int read = 0;
                int keptHere = 0;
                do {
                    Map<String, AttributeValue> from = start;
                    QueryResponse res = ddb.query(b -> b.tableName(table).indexName(BY_QUEUED)
                            .keyConditionExpression("queuedPk = :p AND queuedKey < :cut")
                            .expressionAttributeValues(Map.of(":p", Attr.s(pk), ":cut", Attr.s(Attr.keyTime(cutoff))))
                            .limit(Math.min(max, MAX_QUERY_LIMIT)).exclusiveStartKey(from));
                    for (Map<String, AttributeValue> item : summaries(res.items())) {
                        if (wanted.test(item)) {
                            kept.add(item);
                            keptHere++;
                        }
                    }
                    read += res.count();
                    start = res.hasLastEvaluatedKey() && !res.lastEvaluatedKey().isEmpty() ? res.lastEvaluatedKey() : null;
                } while (start != null && keptHere < max && read < UNFINISHED_READ_BUDGET);
            }
        } catch (SdkException ex) {
            throw storeFailure("DynamoDB Query on " + table + "/" + BY_QUEUED, ex);
        }
        return kept;
    }
}

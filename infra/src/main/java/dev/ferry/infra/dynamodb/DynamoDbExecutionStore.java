package dev.ferry.infra.dynamodb;

import static dev.ferry.infra.AwsFailures.storeFailure;
import static dev.ferry.infra.dynamodb.ExecutionItems.bodyKey;
import static dev.ferry.infra.dynamodb.ExecutionItems.encode;
import static dev.ferry.infra.dynamodb.ExecutionItems.expired;
import static dev.ferry.infra.dynamodb.ExecutionItems.key;
import static dev.ferry.infra.dynamodb.ExecutionItems.stepsKey;

import dev.ferry.core.error.ConflictException;
import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.error.StoreException;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionError;
import dev.ferry.core.model.ExecutionQuery;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.Page;
import dev.ferry.core.port.ExecutionStore;
import dev.ferry.infra.dynamodb.ExecutionItems.Encoded;
import dev.ferry.infra.s3.S3PayloadStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Executions in the ExecutionsTable, one item each ({@link ExecutionItems}: {@code pk=EXECUTION#<id>,
 * sk=EXECUTION}, the attributes that feed each index, {@code expiresAt} as the TTL). This class holds
 * the writes and the reads by id; every read of an index — the listings, their paging and read
 * budget, the held, running and unacknowledged executions — is {@link ExecutionListPlanner}'s. An
 * instance's executions are read through its flow configs ({@link InstanceFlowConfigs}).
 *
 * <p>A request body over {@value #BODY_INLINE_MAX} bytes or step results whose JSON is over
 * {@value #STEPS_INLINE_MAX} bytes are kept in S3 ({@code executions/<id>/request-body},
 * {@code executions/<id>/steps.json}) and loaded back by {@link #get} and {@link #claim}, so an
 * item stays far below DynamoDB's 400 KB. Items past their expiry are never returned, whether or
 * not TTL has deleted them yet. Layout and access patterns: infra/README.md.
 */
public final class DynamoDbExecutionStore implements ExecutionStore {
    public static final int BODY_INLINE_MAX = ExecutionItems.BODY_INLINE_MAX;
    public static final int STEPS_INLINE_MAX = ExecutionItems.STEPS_INLINE_MAX;
    public static final String BY_CUSTOMER = ExecutionItems.BY_CUSTOMER;
    public static final String BY_FLOW_CONFIG = ExecutionItems.BY_FLOW_CONFIG;
    public static final String BY_DAY = ExecutionItems.BY_DAY;
    public static final String BY_HELD = ExecutionItems.BY_HELD;
    public static final String BY_UNRESOLVED = ExecutionItems.BY_UNRESOLVED;
    public static final String BY_QUEUED = ExecutionItems.BY_QUEUED;
    /** Items one list call reads at most before answering a short page with a cursor (bounds time and RCUs). */
    public static final int DEFAULT_MAX_ITEMS_READ = 10_000;

    private final DynamoDbClient ddb;
    private final String table;
    private final S3PayloadStore payloads;
    private final Clock clock;
    private final ExecutionListPlanner lists;
    private final Batches batches;

    /**
     * @param flowConfigs   an instance's flow config ids: its executions are listed and deleted
     *                      through them (the ConfigTable's, cached per container: {@link InstanceFlowConfigs#cached})
     * @param retentionDays how far back a listing without instance, customer or flow config looks
     *                      when no {@code since} is given (FERRY_RETENTION_DAYS)
     */
    public DynamoDbExecutionStore(DynamoDbClient ddb, String executionsTable, S3PayloadStore payloads,
                                  InstanceFlowConfigs flowConfigs, Clock clock, int retentionDays) {
        this(ddb, executionsTable, payloads, flowConfigs, clock, retentionDays, DEFAULT_MAX_ITEMS_READ);
    }

    /**
     * @param maxItemsRead items a list call reads (matching or not) before it answers what it has
     *                     with a cursor where it stopped — a selective filter over a large index
     *                     then takes several short pages instead of one very long call
     */
    public DynamoDbExecutionStore(DynamoDbClient ddb, String executionsTable, S3PayloadStore payloads,
                                  InstanceFlowConfigs flowConfigs, Clock clock, int retentionDays, int maxItemsRead) {
        this(ddb, executionsTable, payloads, flowConfigs, clock, retentionDays, maxItemsRead, dev.ferry.core.port.Sleeper.SYSTEM);
    }

    /** @param sleeper waits before a batch's unprocessed keys or items are sent again ({@link Batches}) */
    public DynamoDbExecutionStore(DynamoDbClient ddb, String executionsTable, S3PayloadStore payloads,
                                  InstanceFlowConfigs flowConfigs, Clock clock, int retentionDays, int maxItemsRead,
                                  dev.ferry.core.port.Sleeper sleeper) {
        if (retentionDays < 1) throw new IllegalArgumentException("retentionDays must be at least 1");
        if (maxItemsRead < 1) throw new IllegalArgumentException("maxItemsRead must be at least 1");
        this.ddb = ddb;
        this.table = executionsTable;
        this.payloads = payloads;
        this.clock = clock;
        this.batches = new Batches(ddb, sleeper);
        this.lists = new ExecutionListPlanner(ddb, executionsTable, clock, retentionDays, maxItemsRead, batches,
                java.util.Objects.requireNonNull(flowConfigs, "flowConfigs"));
    }

    public static String bodyKey(String id) {
        return ExecutionItems.bodyKey(id);
    }

    public static String stepsKey(String id) {
        return ExecutionItems.stepsKey(id);
    }

    /**
     * The item {@link #create} would put for an execution whose request body and steps fit inline —
     * for bulk loads with BatchWriteItem (benchmarks, migrations); larger payloads are refused.
     */
    public static Map<String, AttributeValue> itemOf(Execution e) {
        return ExecutionItems.itemOf(e);
    }

    // ---------------------------------------------------------------- writes

    @Override
    public void create(Execution e) {
        Encoded enc = encode(e, true);
        enc.uploadBody(payloads);
        enc.uploadSteps(payloads);
        try {
            ddb.putItem(b -> b.tableName(table).item(enc.item()).conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException ex) {
            throw new ConflictException("execution '" + e.id() + "' already exists");
        } catch (SdkException ex) {
            throw storeFailure("DynamoDB PutItem on " + table, ex);
        }
    }

    @Override
    public void save(Execution e) {
        Encoded enc = encode(e);
        enc.uploadSteps(payloads);
        PutItemResponse res;
        try {
            if (enc.bodyBytes() != null) {
                // The body is immutable in practice: skip re-uploading it when S3 already holds these bytes.
                try {
                    res = ddb.putItem(b -> b.tableName(table).item(enc.item())
                            .conditionExpression("attribute_exists(pk) AND requestBodySha256 = :h")
                            .expressionAttributeValues(Map.of(":h", enc.item().get("requestBodySha256")))
                            .returnValues(ReturnValue.ALL_OLD)
                            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                } catch (ConditionalCheckFailedException ex) {
                    if (!ex.hasItem() || ex.item().isEmpty()) throw new NotFoundException("execution", e.id());
                    enc.uploadBody(payloads);
                    res = putExisting(enc, e.id());
                }
            } else {
                res = putExisting(enc, e.id());
            }
        } catch (SdkException ex) {
            throw storeFailure("DynamoDB PutItem on " + table, ex);
        }
        Map<String, AttributeValue> old = res.hasAttributes() ? res.attributes() : Map.of();
        if (Attr.str(old, "stepsKey") != null && enc.stepsBytes() == null) deleteQuietly(stepsKey(e.id()));
        if (Attr.str(old, "requestBodyKey") != null && enc.bodyBytes() == null) deleteQuietly(bodyKey(e.id()));
    }

    /** Removes a payload the item no longer points at; if that fails, the bucket's expiry removes it later. */
    private void deleteQuietly(String key) {
        try {
            payloads.delete(key);
        } catch (StoreException ignored) {
            // the save itself succeeded
        }
    }

    private PutItemResponse putExisting(Encoded enc, String id) {
        try {
            return ddb.putItem(b -> b.tableName(table).item(enc.item())
                    .conditionExpression("attribute_exists(pk)")
                    .returnValues(ReturnValue.ALL_OLD));
        } catch (ConditionalCheckFailedException ex) {
            throw new NotFoundException("execution", id);
        }
    }

    @Override
    public Optional<Execution> claim(String id, Instant startedAt, String token, Instant staleBefore) {
        Instant now = clock.instant();
        Map<String, String> names = new HashMap<>(Map.of("#st", "status", "#exp", "expiresAt", "#err", "error"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":running", Attr.s(ExecutionStatus.RUNNING.name()),
                ":queued", Attr.s(ExecutionStatus.QUEUED.name()),
                ":cancelled", Attr.s(ExecutionStatus.CANCELLED.name()),
                ":yes", Attr.bool(true),
                ":at", Attr.time(startedAt),
                ":claimed", Attr.n(startedAt.toEpochMilli()),
                ":now", Attr.n(now.getEpochSecond())));
        String claimable = "#st = :queued OR (#st = :cancelled AND unacknowledged = :yes)";
        String update = "SET #st = :running, startedAt = :at, claimedAt = :claimed";
        String remove = " REMOVE awaitsAck, unacknowledged, #err, endedAt, durationMs";
        if (token != null) {
            values.put(":tok", Attr.s(token));
            update += ", claimToken = :tok";
            String own = "claimToken = :tok";
            if (staleBefore != null) {
                int hash = token.indexOf('#');
                values.put(":msg", Attr.s(hash < 0 ? token : token.substring(0, hash + 1)));
                values.put(":stale", Attr.n(staleBefore.toEpochMilli()));
                own = "(" + own + " OR (begins_with(claimToken, :msg) AND claimedAt < :stale))";
            }
            claimable += " OR (#st = :running AND " + own + ")";
        } else {
            remove += ", claimToken";
        }
        String condition = "(" + claimable + ") AND (attribute_not_exists(#exp) OR #exp > :now)";
        // A claim soon after the queue time enters nothing in byQueued: the sweep sees the execution
        // running, or ended, at its look LATE_WRITE after the queue time. A later claim may come after
        // that look, so it enters the execution itself (its queuedKey is older than the bound).
        String recent = Attr.keyTime(startedAt.minus(LATE_CLAIM));
        Map<String, AttributeValue> soon = new HashMap<>(values);
        soon.put(":recent", Attr.s(recent));
        try {
            try {
                return Optional.of(claimed(update + remove, "(" + condition + ") AND queuedKey >= :recent", names, soon, id));
            } catch (ConditionalCheckFailedException ex) {
                Map<String, AttributeValue> old = ex.hasItem() ? ex.item() : Map.of();
                String queuedKey = Attr.str(old, "queuedKey");
                if (queuedKey == null || queuedKey.compareTo(recent) >= 0) return Optional.empty();
            }
            Map<String, AttributeValue> late = new HashMap<>(values);
            late.put(":qpk", Attr.s(ExecutionItems.queuedPk(id)));
            return Optional.of(claimed(update + ", queuedPk = :qpk" + remove, condition, names, late, id));
        } catch (ConditionalCheckFailedException ex) {
            return Optional.empty();
        } catch (SdkException ex) {
            throw storeFailure("DynamoDB UpdateItem on " + table, ex);
        }
    }

    /** One conditional claim UpdateItem; the whole claimed execution, or ConditionalCheckFailedException. */
    private Execution claimed(String update, String condition, Map<String, String> names,
                              Map<String, AttributeValue> values, String id) {
        var res = ddb.updateItem(b -> b.tableName(table).key(key(id))
                .updateExpression(update)
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .returnValues(ReturnValue.ALL_NEW)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
        return ExecutionItems.decodeFull(res.attributes(), payloads);
    }

    @Override
    public boolean unclaim(String id, String token, Instant startedAt) {
        if (token == null) return false;
        return updateIf(id, b -> b
                .updateExpression("SET #st = :queued REMOVE startedAt, claimedAt, claimToken")
                .conditionExpression("#st = :running AND claimToken = :tok AND startedAt = :at")
                .expressionAttributeNames(Map.of("#st", "status"))
                .expressionAttributeValues(Map.of(
                        ":queued", Attr.s(ExecutionStatus.QUEUED.name()),
                        ":running", Attr.s(ExecutionStatus.RUNNING.name()),
                        ":tok", Attr.s(token),
                        ":at", Attr.time(startedAt))));
    }

    @Override
    public boolean cancelUnacknowledged(String id, ExecutionError error, Instant endedAt) {
        return updateIf(id, b -> b
                .updateExpression("SET #st = :cancelled, endedAt = :at, #err = :err, unacknowledged = :yes REMOVE queuedPk, awaitsAck")
                .conditionExpression("#st = :queued AND awaitsAck = :yes AND (attribute_not_exists(#exp) OR #exp > :now)")
                .expressionAttributeNames(Map.of("#st", "status", "#exp", "expiresAt", "#err", "error"))
                .expressionAttributeValues(Map.of(
                        ":cancelled", Attr.s(ExecutionStatus.CANCELLED.name()),
                        ":queued", Attr.s(ExecutionStatus.QUEUED.name()),
                        ":at", Attr.time(endedAt),
                        ":err", Attr.s(ExecutionItems.writeError(error)),
                        ":yes", Attr.bool(true),
                        ":now", Attr.n(clock.instant().getEpochSecond()))));
    }

    @Override
    public boolean release(String id) {
        return updateIf(id, b -> b
                .updateExpression("SET #st = :queued REMOVE heldInstanceId")
                .conditionExpression("#st = :held AND (attribute_not_exists(#exp) OR #exp > :now)")
                .expressionAttributeNames(Map.of("#st", "status", "#exp", "expiresAt"))
                .expressionAttributeValues(Map.of(
                        ":queued", Attr.s(ExecutionStatus.QUEUED.name()),
                        ":held", Attr.s(ExecutionStatus.HELD.name()),
                        ":now", Attr.n(clock.instant().getEpochSecond()))));
    }

    @Override
    public Optional<Execution> cancel(String id, String by, Instant at) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":cancelled", Attr.s(ExecutionStatus.CANCELLED.name()),
                ":queued", Attr.s(ExecutionStatus.QUEUED.name()),
                ":held", Attr.s(ExecutionStatus.HELD.name()),
                ":failed", Attr.s(ExecutionStatus.FAILED.name()),
                ":by", Attr.s(by),
                ":at", Attr.time(at),
                ":now", Attr.n(clock.instant().getEpochSecond())));
        try {
            var res = ddb.updateItem(b -> b.tableName(table).key(key(id))
                    .updateExpression("SET #st = :cancelled, cancelledBy = :by, cancelledAt = :at,"
                            + " endedAt = if_not_exists(endedAt, :at)"
                            + " REMOVE nextRetryAt, heldInstanceId, queuedPk, awaitsAck, unresolvedDay, unacknowledged")
                    .conditionExpression("(#st = :queued OR #st = :held OR (#st = :failed"
                            + " AND attribute_exists(nextRetryAt) AND attribute_not_exists(retryStartedAt)))"
                            + " AND (attribute_not_exists(#exp) OR #exp > :now)")
                    .expressionAttributeNames(Map.of("#st", "status", "#exp", "expiresAt"))
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW));
            return Optional.of(ExecutionItems.decodeFull(res.attributes(), payloads));
        } catch (ConditionalCheckFailedException ex) {
            return Optional.empty();
        } catch (SdkException ex) {
            throw storeFailure("DynamoDB UpdateItem on " + table, ex);
        }
    }

    @Override
    public boolean startRetry(String id, Instant at) {
        return updateIf(id, b -> b
                .updateExpression("SET retryStartedAt = if_not_exists(retryStartedAt, :at)")
                .conditionExpression("#st = :failed AND (attribute_not_exists(#exp) OR #exp > :now)")
                .expressionAttributeNames(Map.of("#st", "status", "#exp", "expiresAt"))
                .expressionAttributeValues(Map.of(
                        ":failed", Attr.s(ExecutionStatus.FAILED.name()),
                        ":at", Attr.time(at),
                        ":now", Attr.n(clock.instant().getEpochSecond()))));
    }

    /** One conditional UpdateItem of the execution: true when it was applied, false when its condition failed. */
    private boolean updateIf(String id, Consumer<UpdateItemRequest.Builder> update) {
        try {
            ddb.updateItem(b -> update.accept(b.tableName(table).key(key(id))));
            return true;
        } catch (ConditionalCheckFailedException ex) {
            return false;
        } catch (SdkException ex) {
            throw storeFailure("DynamoDB UpdateItem on " + table, ex);
        }
    }

    // ---------------------------------------------------------------- reads

    @Override
    public Optional<Execution> get(String id) {
        Map<String, AttributeValue> item;
        try {
            var res = ddb.getItem(b -> b.tableName(table).key(key(id)).consistentRead(true));
            item = res.hasItem() ? res.item() : Map.of();
        } catch (SdkException ex) {
            throw storeFailure("DynamoDB GetItem on " + table, ex);
        }
        if (item.isEmpty() || expired(item, clock.instant())) return Optional.empty();
        return Optional.of(ExecutionItems.decodeFull(item, payloads));
    }

    /** BatchGetItem, 100 keys a call, consistent reads; unprocessed keys are asked for again. */
    @Override
    public List<Execution> getAll(Collection<String> ids) {
        List<String> all = List.copyOf(new LinkedHashSet<>(ids));
        Map<String, Map<String, AttributeValue>> byPk = lists.batchGet(
                all.stream().map(ExecutionItems::key).toList(), true, null, null);
        Instant now = clock.instant();
        List<Execution> out = new ArrayList<>();
        for (String id : all) {
            Map<String, AttributeValue> item = byPk.get(ExecutionItems.pk(id));
            if (item != null && !expired(item, now)) out.add(ExecutionItems.decodeFull(item, payloads));
        }
        return out;
    }

    @Override
    public Page<Execution> list(ExecutionQuery q) {
        return lists.list(q);
    }

    @Override
    public long count(ExecutionQuery q) {
        return lists.count(q);
    }

    @Override
    public Page<String> listHeld(String instanceId, int limit, String cursor) {
        return lists.listHeld(instanceId, limit, cursor);
    }

    @Override
    public List<Execution> runningStartedBefore(Instant cutoff, int limit) {
        return lists.runningStartedBefore(cutoff, limit);
    }

    @Override
    public List<String> unacknowledgedBefore(Instant cutoff, int limit) {
        return lists.unacknowledgedBefore(cutoff, limit);
    }

    /** The item keeping, per {@code byDay} shard, the queue time the sweep's watch has read up to. */
    private static final Map<String, AttributeValue> WATCH_CURSOR =
            Map.of("pk", Attr.s("SWEEP#WATCH"), "sk", Attr.s("SWEEP#WATCH"));
    /** How often the sweep runs: without a cursor (the first run), the watch reads this far back too. */
    private static final java.time.Duration SWEEP_INTERVAL = java.time.Duration.ofMinutes(1);

    /**
     * Reads each {@code byDay} shard from {@link #LATE_WRITE} before where the previous run read up to
     * (never less than the last {@link #SWEEP_INTERVAL} and {@link #LATE_WRITE}), the shards side by side,
     * and enters in {@code byQueued} each execution that is RUNNING, and each still QUEUED awaiting
     * acknowledgement that no later run will read (queued more than {@link #LATE_WRITE} before where this
     * run read up to). One conditional UpdateItem each, so a run racing another or an execution ending
     * enters nothing twice and nothing ended. Then keeps where each shard was read up to.
     */
    @Override
    public Watched watchUnfinished(Instant now) {
        Map<String, AttributeValue> kept;
        try {
            kept = ddb.getItem(b -> b.tableName(table).key(WATCH_CURSOR).consistentRead(true)).item();
        } catch (SdkException ex) {
            throw storeFailure("DynamoDB GetItem on " + table, ex);
        }
        Map<String, AttributeValue> shards = kept == null || !kept.containsKey("shards") ? Map.of() : kept.get("shards").m();
        Instant floor = now.minus(LATE_WRITE).minus(SWEEP_INTERVAL);
        List<java.util.concurrent.Callable<int[]>> tasks = new ArrayList<>();
        Map<String, AttributeValue> upTo = new java.util.concurrent.ConcurrentHashMap<>();
        for (int n = 0; n < ExecutionItems.LIST_SHARDS; n++) {
            int shard = n;
            AttributeValue at = shards.get(Integer.toString(shard));
            Instant from = at == null ? floor : Instant.ofEpochMilli(Long.parseLong(at.n())).minus(LATE_WRITE);
            Instant start = from.isBefore(floor) ? from : floor;
            tasks.add(() -> {
                int[] entered = {0};
                List<Map<String, AttributeValue>> unfinished = new ArrayList<>();
                ExecutionListPlanner.WatchRead r = lists.watchShard(shard, start, now, item -> {
                    String status = Attr.str(item, "status");
                    boolean candidate = ExecutionStatus.RUNNING.name().equals(status)
                            || ExecutionStatus.QUEUED.name().equals(status) && Attr.bool(item, "awaitsAck");
                    if (candidate && Attr.str(item, "queuedPk") == null && !expired(item, now)) unfinished.add(item);
                });
                String lastLook = Attr.keyTime(r.upTo().minus(LATE_WRITE));
                for (Map<String, AttributeValue> item : unfinished) {
                    String status = Attr.str(item, "status");
                    boolean running = ExecutionStatus.RUNNING.name().equals(status);
                    boolean unacknowledged = ExecutionStatus.QUEUED.name().equals(status) && Attr.bool(item, "awaitsAck")
                            && Attr.str(item, "queuedKey").compareTo(lastLook) < 0;
                    if ((running || unacknowledged) && watch(ExecutionItems.idOf(item))) entered[0]++;
                }
                upTo.put(Integer.toString(shard), Attr.n(r.upTo().toEpochMilli()));
                return new int[] {r.read(), entered[0]};
            });
        }
        int read = 0;
        int entered = 0;
        try {
            for (java.util.concurrent.Future<int[]> f : WATCHES.invokeAll(tasks)) {
                int[] r = f.get();
                read += r[0];
                entered += r[1];
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while reading the recent executions", ex);
        } catch (java.util.concurrent.ExecutionException ex) {
            if (ex.getCause() instanceof RuntimeException r) throw r;
            throw new StoreException("reading the recent executions failed", ex.getCause());
        }
        Map<String, AttributeValue> cursor = new HashMap<>(WATCH_CURSOR);
        cursor.put("shards", AttributeValue.fromM(upTo));
        try {
            ddb.putItem(b -> b.tableName(table).item(cursor));
        } catch (SdkException ex) {
            throw storeFailure("DynamoDB PutItem on " + table, ex);
        }
        return new Watched(read, entered);
    }

    /** The watch's shards, read side by side; a virtual thread each, none kept. */
    private static final java.util.concurrent.ExecutorService WATCHES =
            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    /** Enters one unfinished execution in {@code byQueued}; false when it ended meanwhile or is already there. */
    private boolean watch(String id) {
        try {
            ddb.updateItem(b -> b.tableName(table).key(key(id))
                    .updateExpression("SET queuedPk = :qpk")
                    .conditionExpression("attribute_not_exists(queuedPk) AND (#st = :running OR (#st = :queued AND awaitsAck = :yes))")
                    .expressionAttributeNames(Map.of("#st", "status"))
                    .expressionAttributeValues(Map.of(":qpk", Attr.s(ExecutionItems.queuedPk(id)),
                            ":running", Attr.s(ExecutionStatus.RUNNING.name()), ":queued", Attr.s(ExecutionStatus.QUEUED.name()),
                            ":yes", Attr.bool(true))));
            return true;
        } catch (ConditionalCheckFailedException ended) {
            return false;
        } catch (SdkException ex) {
            throw storeFailure("DynamoDB UpdateItem on " + table, ex);
        }
    }

    // ---------------------------------------------------------------- lineage and bulk replay

    /** One UpdateItem: {@code resolved = true}, and out of the sparse unresolved index. */
    @Override
    public void markResolved(String id) {
        try {
            ddb.updateItem(b -> b.tableName(table).key(key(id))
                    .updateExpression("SET resolved = :t REMOVE unresolvedDay")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":t", Attr.bool(true))));
        } catch (ConditionalCheckFailedException gone) {
            // nothing to resolve
        } catch (SdkException ex) {
            throw storeFailure("DynamoDB UpdateItem on " + table, ex);
        }
    }

    /** One UpdateItem: the id appended to {@code replays} (and, when resolved, out of the unresolved index). */
    @Override
    public void linkReplay(String originalId, String replayId, boolean resolved) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":none", AttributeValue.fromL(List.of()));
        values.put(":ids", Attr.stringList(List.of(replayId)));
        String update = "SET replays = list_append(if_not_exists(replays, :none), :ids)";
        if (resolved) {
            values.put(":t", Attr.bool(true));
            update += ", resolved = :t REMOVE unresolvedDay";
        }
        String expression = update;
        try {
            ddb.updateItem(b -> b.tableName(table).key(key(originalId)).updateExpression(expression)
                    .conditionExpression("attribute_exists(pk)").expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException gone) {
            // the original expired: nothing to link
        } catch (SdkException ex) {
            throw storeFailure("DynamoDB UpdateItem on " + table, ex);
        }
    }

    /**
     * One BatchGetItem (keys only, consistent) per 100 replays tells which exist already; the others
     * are written by BatchWriteItem, 25 a call (unprocessed keys and items are sent again after a
     * backoff; what stays unprocessed is a StoreException, so no replay is written twice). Conditional puts
     * cannot be batched, so this relies on the job's lease: one writer per chunk at a time.
     */
    @Override
    public List<String> createReplays(List<Execution> replays) {
        Set<String> existing = new HashSet<>();
        List<String> ids = replays.stream().map(Execution::id).toList();
        try {
            for (int from = 0; from < ids.size(); from += 100) {
                List<Map<String, AttributeValue>> keys = ids.subList(from, Math.min(from + 100, ids.size())).stream()
                        .map(ExecutionItems::key).toList();
                batches.get(table, KeysAndAttributes.builder().keys(keys).consistentRead(true).projectionExpression("id").build())
                        .forEach(item -> existing.add(Attr.str(item, "id")));
            }
        } catch (SdkException ex) {
            throw storeFailure("DynamoDB BatchGetItem on " + table, ex);
        }
        List<String> created = new ArrayList<>();
        List<WriteRequest> batch = new ArrayList<>();
        for (Execution r : replays) {
            if (existing.contains(r.id())) continue;
            Encoded enc = encode(r, true);
            enc.uploadBody(payloads);
            enc.uploadSteps(payloads);
            batch.add(WriteRequest.builder().putRequest(pr -> pr.item(enc.item())).build());
            created.add(r.id());
            if (batch.size() == 25) {
                batchWrite(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) batchWrite(batch);
        return created;
    }

    private void batchWrite(List<WriteRequest> writes) {
        try {
            batches.write(table, writes);
        } catch (SdkException ex) {
            throw storeFailure("DynamoDB BatchWriteItem on " + table, ex);
        }
    }

    /**
     * A page of the instance's executions found through its flow configs' {@code byFlowConfig}
     * partitions (a Query of keys per flow config reached, up to {@code limit}, expired items too:
     * {@link ExecutionListPlanner#instanceExecutions}), one S3 DeleteObjects of both payload keys of
     * every execution found (so a payload orphaned by a failed write goes too), then BatchWriteItem
     * deletes of 25. Payloads before items: a crash in between leaves items that the next call finds
     * and deletes, never payloads nothing points at. Every index entry (held, running, unresolved) is
     * an attribute of the item and goes with it. A flow config belongs to one instance, so every
     * entry found is the instance's.
     */
    @Override
    public Page<String> deleteForInstance(String instanceId, int limit, String cursor) {
        Page<String> page = lists.instanceExecutions(instanceId, limit, cursor);
        List<String> keys = new ArrayList<>();
        for (String id : page.items()) {
            keys.add(bodyKey(id));
            keys.add(stepsKey(id));
        }
        if (!keys.isEmpty()) payloads.deleteAll(keys);
        List<WriteRequest> batch = new ArrayList<>();
        for (String id : page.items()) {
            batch.add(WriteRequest.builder().deleteRequest(d -> d.key(key(id))).build());
            if (batch.size() == 25) {
                batchWrite(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) batchWrite(batch);
        return page;
    }

    /** S3 DeleteObjects of both payload keys, then one DeleteItem. */
    @Override
    public void delete(String id) {
        payloads.deleteAll(List.of(bodyKey(id), stepsKey(id)));
        try {
            ddb.deleteItem(b -> b.tableName(table).key(key(id)));
        } catch (SdkException ex) {
            throw storeFailure("DynamoDB DeleteItem on " + table, ex);
        }
    }
}

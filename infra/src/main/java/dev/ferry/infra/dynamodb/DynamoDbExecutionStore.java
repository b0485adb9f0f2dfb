package dev.ferry.infra.dynamodb;

import static dev.ferry.infra.AwsFailures.storeFailure;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.ferry.core.error.ConflictException;
import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.error.StoreException;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionError;
import dev.ferry.core.model.ExecutionQuery;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.Page;
import dev.ferry.core.model.StepResult;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.port.ExecutionStore;
import dev.ferry.infra.s3.S3PayloadStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Executions in the ExecutionsTable, one item each: {@code pk=EXECUTION#<id>, sk=EXECUTION}, with
 * {@code queuedKey=<queuedAt, fixed-width millis>#<id>} and {@code queuedDay=yyyy-MM-dd} feeding
 * the GSIs {@code byInstance}, {@code byCustomer}, {@code byFlowConfig} and {@code byDay}
 * (newest first = ScanIndexForward false), and {@code expiresAt} (epoch seconds) as the TTL.
 *
 * <p>A request body over {@value #BODY_INLINE_MAX} bytes or step results whose JSON is over
 * {@value #STEPS_INLINE_MAX} bytes are kept in S3 ({@code executions/<id>/request-body},
 * {@code executions/<id>/steps.json}) and loaded back by {@link #get} and {@link #claim}, so an
 * item stays far below DynamoDB's 400 KB. Items past their expiry are never returned, whether or
 * not TTL has deleted them yet. Layout and access patterns: infra/README.md.
 */
public final class DynamoDbExecutionStore implements ExecutionStore {
    public static final int BODY_INLINE_MAX = 64 * 1024;
    public static final int STEPS_INLINE_MAX = 128 * 1024;
    public static final String BY_INSTANCE = "byInstance";
    public static final String BY_CUSTOMER = "byCustomer";
    public static final String BY_FLOW_CONFIG = "byFlowConfig";
    public static final String BY_DAY = "byDay";
    /** Sparse: only HELD executions carry {@code heldInstanceId}, so it holds exactly the held ones. */
    public static final String BY_HELD = "byHeld";
    /** Sparse: only FAILED, unresolved executions carry its key {@code unresolvedDay} (= queuedDay). */
    public static final String BY_UNRESOLVED = "byUnresolved";
    /**
     * Sparse index of RUNNING executions only ({@code runningPk} = {@code RUNNING#<shard>},
     * {@code runningKey} = {@code <startedAt>#<id>}): the monitor sweep's stuck and duration checks
     * read it instead of the executions. Items leave it when saved in any other status.
     */
    public static final String BY_RUNNING = "byRunning";
    static final int RUNNING_SHARDS = 4;
    /**
     * Sparse, keys only: executions a webhook or a single replay stored QUEUED and nothing has claimed
     * ({@code queuedPk} = {@code QUEUED#<shard>}, sort {@code queuedKey}) — the sweep of executions
     * written after their sender was answered 5xx reads it. Claims and every other status remove them.
     */
    public static final String BY_QUEUED = "byQueued";

    static final String SK_EXECUTION = "EXECUTION";
    private static final int MAX_QUERY_LIMIT = 1000;
    /** Items one list call reads at most before answering a short page with a cursor (bounds time and RCUs). */
    public static final int DEFAULT_MAX_ITEMS_READ = 10_000;
    private static final ObjectWriter STEPS_WRITER = Json.MAPPER.copy()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .writerFor(new TypeReference<List<StepResult>>() {});
    private static final ObjectReader STEPS_READER = Json.MAPPER.readerFor(new TypeReference<List<StepResult>>() {});
    private static final ObjectWriter ERROR_WRITER = Json.MAPPER.copy()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .writerFor(ExecutionError.class);

    /** What a list item carries: everything but the request body and the steps. */
    private static final List<String> SUMMARY_ATTRIBUTES = List.of(
            "pk", "sk", "queuedKey", "queuedDay", "id", "instanceId", "customerId", "flowConfigId", "flow", "trigger",
            "status", "queuedAt", "startedAt", "endedAt", "durationMs", "error", "attempt", "retryOf", "nextRetryAt",
            "retriesRemaining", "replayOf", "replays", "resolved", "cancelledBy", "integrationVersion", "expiresAt",
            "expiresAtTime", "original", "hasRequest", "requestMethod", "requestHeaders", "requestQuery", "requestContentType", "unresolvedDay", "replayJobId");

    private final DynamoDbClient ddb;
    private final String table;
    private final S3PayloadStore payloads;
    private final Clock clock;
    private final int retentionDays;
    private final int maxItemsRead;

    /**
     * @param retentionDays how far back a listing without instance, customer or flow config looks
     *                      when no {@code since} is given (FERRY_RETENTION_DAYS)
     */
    public DynamoDbExecutionStore(DynamoDbClient ddb, String executionsTable, S3PayloadStore payloads, Clock clock,
                                  int retentionDays) {
        this(ddb, executionsTable, payloads, clock, retentionDays, DEFAULT_MAX_ITEMS_READ);
    }

    /**
     * @param maxItemsRead items a list call reads (matching or not) before it answers what it has
     *                     with a cursor where it stopped — a selective filter over a large index
     *                     then takes several short pages instead of one very long call
     */
    public DynamoDbExecutionStore(DynamoDbClient ddb, String executionsTable, S3PayloadStore payloads, Clock clock,
                                  int retentionDays, int maxItemsRead) {
        if (retentionDays < 1) throw new IllegalArgumentException("retentionDays must be at least 1");
        if (maxItemsRead < 1) throw new IllegalArgumentException("maxItemsRead must be at least 1");
        this.ddb = ddb;
        this.table = executionsTable;
        this.payloads = payloads;
        this.clock = clock;
        this.retentionDays = retentionDays;
        this.maxItemsRead = maxItemsRead;
    }

    static String pk(String id) {
        return "EXECUTION#" + id;
    }

    public static String bodyKey(String id) {
        return "executions/" + id + "/request-body";
    }

    public static String stepsKey(String id) {
        return "executions/" + id + "/steps.json";
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("pk", Attr.s(pk(id)), "sk", Attr.s(SK_EXECUTION));
    }

    // ---------------------------------------------------------------- writes

    @Override
    public void create(Execution e) {
        Encoded enc = encode(e);
        enc.uploadBody(payloads);
        enc.uploadSteps(payloads);
        try {
            ddb.putItem(b -> b.tableName(table).item(enc.item).conditionExpression("attribute_not_exists(pk)"));
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
            if (enc.bodyBytes != null) {
                // The body is immutable in practice: skip re-uploading it when S3 already holds these bytes.
                try {
                    res = ddb.putItem(b -> b.tableName(table).item(enc.item)
                            .conditionExpression("attribute_exists(pk) AND requestBodySha256 = :h")
                            .expressionAttributeValues(Map.of(":h", enc.item.get("requestBodySha256")))
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
        if (Attr.str(old, "stepsKey") != null && enc.stepsBytes == null) deleteQuietly(stepsKey(e.id()));
        if (Attr.str(old, "requestBodyKey") != null && enc.bodyBytes == null) deleteQuietly(bodyKey(e.id()));
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
            return ddb.putItem(b -> b.tableName(table).item(enc.item)
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
                ":rpk", Attr.s(runningPk(id)),
                ":rk", Attr.s(Attr.keyTime(startedAt) + "#" + id),
                ":now", Attr.n(now.getEpochSecond())));
        String claimable = "#st = :queued OR (#st = :cancelled AND unacknowledged = :yes)";
        String update = "SET #st = :running, startedAt = :at, runningPk = :rpk, runningKey = :rk";
        String remove = " REMOVE queuedPk, unacknowledged, #err, endedAt, durationMs";
        if (token != null) {
            values.put(":tok", Attr.s(token));
            update += ", claimToken = :tok";
            String own = "claimToken = :tok";
            if (staleBefore != null) {
                int hash = token.indexOf('#');
                values.put(":msg", Attr.s(hash < 0 ? token : token.substring(0, hash + 1)));
                values.put(":stale", Attr.s(Attr.keyTime(staleBefore)));
                own = "(" + own + " OR (begins_with(claimToken, :msg) AND runningKey < :stale))";
            }
            claimable += " OR (#st = :running AND " + own + ")";
        } else {
            remove += ", claimToken";
        }
        String updateExpression = update + remove;
        String condition = "(" + claimable + ") AND (attribute_not_exists(#exp) OR #exp > :now)";
        try {
            var res = ddb.updateItem(b -> b.tableName(table).key(key(id))
                    .updateExpression(updateExpression)
                    .conditionExpression(condition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW));
            return Optional.of(decodeFull(res.attributes()));
        } catch (ConditionalCheckFailedException ex) {
            return Optional.empty();
        } catch (SdkException ex) {
            throw storeFailure("DynamoDB UpdateItem on " + table, ex);
        }
    }

    @Override
    public boolean unclaim(String id, String token, Instant startedAt) {
        if (token == null) return false;
        return updateIf(id, b -> b
                .updateExpression("SET #st = :queued REMOVE startedAt, runningPk, runningKey, claimToken")
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
                .updateExpression("SET #st = :cancelled, endedAt = :at, #err = :err, unacknowledged = :yes REMOVE queuedPk")
                .conditionExpression("#st = :queued AND (attribute_not_exists(#exp) OR #exp > :now)")
                .expressionAttributeNames(Map.of("#st", "status", "#exp", "expiresAt", "#err", "error"))
                .expressionAttributeValues(Map.of(
                        ":cancelled", Attr.s(ExecutionStatus.CANCELLED.name()),
                        ":queued", Attr.s(ExecutionStatus.QUEUED.name()),
                        ":at", Attr.time(endedAt),
                        ":err", Attr.s(writeError(error)),
                        ":yes", Attr.bool(true),
                        ":now", Attr.n(clock.instant().getEpochSecond()))));
    }

    /** One conditional UpdateItem of the execution: true when it was applied, false when its condition failed. */
    private boolean updateIf(String id, java.util.function.Consumer<UpdateItemRequest.Builder> update) {
        try {
            ddb.updateItem(b -> update.accept(b.tableName(table).key(key(id))));
            return true;
        } catch (ConditionalCheckFailedException ex) {
            return false;
        } catch (SdkException ex) {
            throw storeFailure("DynamoDB UpdateItem on " + table, ex);
        }
    }

    static String queuedPk(String id) {
        return "QUEUED#" + Math.floorMod(id.hashCode(), RUNNING_SHARDS);
    }

    /** One Query per shard of the sparse {@code byQueued} index (keys only), oldest first. */
    @Override
    public List<String> unacknowledgedBefore(Instant cutoff, int limit) {
        int max = Math.max(1, Math.min(limit, MAX_QUERY_LIMIT));
        return shardedBefore(BY_QUEUED, "queuedPk", "queuedKey", "QUEUED#", cutoff, max).stream()
                .map(i -> Attr.str(i, "queuedKey")).sorted().limit(max).map(k -> k.substring(k.indexOf('#') + 1)).toList();
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

    // ---------------------------------------------------------------- reads

    /**
     * One Query of the sparse {@code byHeld} index (partition = the instance, sort = queuedKey,
     * ascending), keys and {@code expiresAt} only; more only if expired items were filtered out.
     */
    @Override
    public Page<String> listHeld(String instanceId, int limit, String cursor) {
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
        return new Page<>(found.stream().map(i -> Attr.str(i, "pk").substring(pk("").length())).toList(), next);
    }

    static String runningPk(String id) {
        return "RUNNING#" + Math.floorMod(id.hashCode(), RUNNING_SHARDS);
    }

    /**
     * The items of a sparse sharded index ({@code <prefix><shard>} partitions, time-ordered sort
     * keys) whose sort key is before {@code cutoff}: up to {@code max} per shard, one Query per page.
     */
    private List<Map<String, AttributeValue>> shardedBefore(String index, String pkName, String skName, String prefix,
                                                           Instant cutoff, int max) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        try {
            for (int shard = 0; shard < RUNNING_SHARDS; shard++) {
                String pk = prefix + shard;
                Map<String, AttributeValue> start = null;
                int read = 0;
                do {
                    Map<String, AttributeValue> from = start;
                    QueryResponse res = ddb.query(b -> b.tableName(table).indexName(index)
                            .keyConditionExpression(pkName + " = :p AND " + skName + " < :cut")
                            .expressionAttributeValues(Map.of(":p", Attr.s(pk), ":cut", Attr.s(Attr.keyTime(cutoff))))
                            .limit(max).exclusiveStartKey(from));
                    found.addAll(res.items());
                    read += res.count();
                    start = res.hasLastEvaluatedKey() && !res.lastEvaluatedKey().isEmpty() ? res.lastEvaluatedKey() : null;
                } while (start != null && read < max);
            }
        } catch (SdkException ex) {
            throw storeFailure("DynamoDB Query on " + table + "/" + index, ex);
        }
        return found;
    }

    @Override
    public List<Execution> runningStartedBefore(Instant cutoff, int limit) {
        int max = Math.max(1, Math.min(limit, MAX_QUERY_LIMIT));
        Instant now = clock.instant();
        List<Map<String, AttributeValue>> found = shardedBefore(BY_RUNNING, "runningPk", "runningKey", "RUNNING#", cutoff, max);
        return found.stream()
                .filter(i -> !expired(i, now) && ExecutionStatus.RUNNING.name().equals(Attr.str(i, "status")))
                .map(i -> decode(i).build())
                .filter(e -> e.startedAt() != null && e.startedAt().isBefore(cutoff))
                .sorted(java.util.Comparator.comparing(Execution::startedAt).thenComparing(Execution::id))
                .limit(max)
                .toList();
    }

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
        return Optional.of(decodeFull(item));
    }

    @Override
    public Page<Execution> list(ExecutionQuery q) {
        int size = ConfigTable.pageSize(q.limit());
        Instant now = clock.instant();
        Plan plan = plan(q, now);
        String hashName = plan.hashName();
        List<String> partitions = plan.partitions();

        Cursors.Decoded from = Cursors.decode(q.cursor(), "pk", "sk", hashName, "queuedKey");
        int first = 0;
        if (from != null) {
            first = partitions.indexOf(from.key().get(hashName).s());
            if (first < 0) throw Cursors.invalid();
        }

        List<Map<String, AttributeValue>> found = new ArrayList<>();
        Reading reading = new Reading(maxItemsRead);
        for (int p = first; p < partitions.size() && found.size() <= size && reading.stoppedAt == null; p++) {
            Map<String, AttributeValue> start = p == first && from != null ? from.key() : null;
            readPartition(plan, partitions.get(p), q, start, size + 1, found, now, reading);
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
        return new Page<>(found.stream().map(DynamoDbExecutionStore::decodeSummary).toList(), next);
    }

    /**
     * Which index serves a query, its hash key, and the partitions to read in order. The four list
     * indexes are keys only; {@code byUnresolved}, sparse and small, projects everything, so its
     * reads filter in the Query and need no BatchGetItem.
     */
    private record Plan(String index, String hashName, List<String> partitions, boolean keysOnly) {}

    private Plan plan(ExecutionQuery q, Instant now) {
        if (q.unresolved()) return new Plan(BY_UNRESOLVED, "unresolvedDay", days(q, now), false);
        if (q.flowConfigId() != null) return new Plan(BY_FLOW_CONFIG, "flowConfigId", List.of(q.flowConfigId()), true);
        if (q.instanceId() != null) return new Plan(BY_INSTANCE, "instanceId", List.of(q.instanceId()), true);
        if (q.customerId() != null) return new Plan(BY_CUSTOMER, "customerId", List.of(q.customerId()), true);
        return new Plan(BY_DAY, "queuedDay", days(q, now), true);
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
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#h", plan.hashName());
        values.put(":h", Attr.s(hashValue));
        String keyCondition = "#h = :h";
        if (q.since() != null || q.until() != null) {
            names.put("#qk", "queuedKey");
            if (q.since() != null) values.put(":since", Attr.s(Attr.keyTime(q.since())));
            // until is exclusive: "<until>" sorts before every "<until>#<id>".
            if (q.until() != null) values.put(":until", Attr.s(Attr.keyTime(q.until())));
            keyCondition += q.since() != null && q.until() != null ? " AND #qk BETWEEN :since AND :until"
                    : q.since() != null ? " AND #qk >= :since" : " AND #qk < :until";
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
            req.filterExpression(filter.expression).projectionExpression(summaryProjection(names));
        }
        req.expressionAttributeNames(names).expressionAttributeValues(values);
        // Read about as many entries as still needed; when conditions skip items, read more per call.
        long still = (long) want - found.size();
        long batch = selective(q, plan.index()) ? Math.max(50, 4 * still) : still;
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

    /** Adds {@link #SUMMARY_ATTRIBUTES} to {@code names} as #p0, #p1… and answers the projection expression. */
    private static String summaryProjection(Map<String, String> names) {
        StringBuilder projection = new StringBuilder();
        for (int i = 0; i < SUMMARY_ATTRIBUTES.size(); i++) {
            if (i > 0) projection.append(", ");
            projection.append("#p").append(i);
            names.put("#p" + i, SUMMARY_ATTRIBUTES.get(i));
        }
        return projection.toString();
    }

    /** The summary of each execution whose index entry is given, in the entries' order; a deleted one is left out. */
    private List<Map<String, AttributeValue>> summaries(List<Map<String, AttributeValue>> entries) {
        if (entries.isEmpty()) return List.of();
        Map<String, String> names = new HashMap<>();
        String projection = summaryProjection(names);
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
     * BatchGetItem of {@code keys}, 100 a call, unprocessed keys asked for again; the items by
     * {@code pk}. Keys still unprocessed after 10 rounds are a StoreException: a page must not drop
     * executions silently.
     */
    private Map<String, Map<String, AttributeValue>> batchGet(List<Map<String, AttributeValue>> keys, boolean consistent,
                                                             String projection, Map<String, String> names) {
        Map<String, Map<String, AttributeValue>> byPk = new HashMap<>();
        try {
            for (int from = 0; from < keys.size(); from += 100) {
                KeysAndAttributes.Builder ask = KeysAndAttributes.builder()
                        .keys(keys.subList(from, Math.min(from + 100, keys.size()))).consistentRead(consistent);
                if (projection != null) ask.projectionExpression(projection).expressionAttributeNames(names);
                Map<String, KeysAndAttributes> request = Map.of(table, ask.build());
                for (int round = 0; !request.isEmpty(); round++) {
                    if (round == 10) throw new StoreException("DynamoDB BatchGetItem on " + table
                            + " left keys unprocessed after 10 rounds; try again", null);
                    Map<String, KeysAndAttributes> current = request;
                    var res = ddb.batchGetItem(b -> b.requestItems(current));
                    for (Map<String, AttributeValue> item : res.responses().getOrDefault(table, List.of())) {
                        byPk.put(Attr.str(item, "pk"), item);
                    }
                    request = res.hasUnprocessedKeys() ? res.unprocessedKeys() : Map.of();
                }
            }
        } catch (SdkException ex) {
            throw storeFailure("DynamoDB BatchGetItem on " + table, ex);
        }
        return byPk;
    }

    /** Day partitions to walk, newest first: from {@code until} (or now) back to {@code since} (or now − retention). */
    private List<String> days(ExecutionQuery q, Instant now) {
        Instant newest = q.until() != null && q.until().isBefore(now.plus(Duration.ofDays(1))) ? q.until()
                : q.until() != null ? now.plus(Duration.ofDays(1)) : now;
        Instant floor = now.minus(Duration.ofDays(retentionDays + 1L));
        Instant oldest = q.since() != null && q.since().isAfter(floor) ? q.since()
                : q.since() != null ? floor : now.minus(Duration.ofDays(retentionDays));
        List<String> out = new ArrayList<>();
        LocalDate last = LocalDate.ofInstant(oldest, ZoneOffset.UTC);
        for (LocalDate d = LocalDate.ofInstant(newest, ZoneOffset.UTC); !d.isBefore(last); d = d.minusDays(1)) {
            out.add(Attr.DAY.format(d));
        }
        return out;
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
        if (q.instanceId() != null && !index.equals(BY_INSTANCE)) {
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

    /** Whether conditions beyond the index's own key may skip items (then a page reads more entries per call). */
    private static boolean selective(ExecutionQuery q, String index) {
        return q.status() != null || q.trigger() != null || q.originalsOnly() || q.unresolved()
                || q.instanceId() != null && !index.equals(BY_INSTANCE)
                || q.customerId() != null && !index.equals(BY_CUSTOMER)
                || q.flowConfigId() != null && !index.equals(BY_FLOW_CONFIG);
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

    private static boolean expired(Map<String, AttributeValue> item, Instant now) {
        Instant exp = Attr.instant(item, "expiresAtTime");
        if (exp == null) {
            Long secs = Attr.lng(item, "expiresAt");
            exp = secs == null ? null : Instant.ofEpochSecond(secs);
        }
        return exp != null && !now.isBefore(exp);
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
     * are written by BatchWriteItem, 25 a call (unprocessed items are sent again). Conditional puts
     * cannot be batched, so this relies on the job's lease: one writer per chunk at a time.
     */
    @Override
    public List<String> createReplays(List<Execution> replays) {
        java.util.Set<String> existing = new java.util.HashSet<>();
        List<String> ids = replays.stream().map(Execution::id).toList();
        try {
            for (int from = 0; from < ids.size(); from += 100) {
                List<Map<String, AttributeValue>> keys = ids.subList(from, Math.min(from + 100, ids.size())).stream()
                        .map(DynamoDbExecutionStore::key).toList();
                Map<String, KeysAndAttributes> ask = Map.of(table, KeysAndAttributes.builder().keys(keys)
                        .consistentRead(true).projectionExpression("id").build());
                for (int round = 0; ask != null && !ask.isEmpty() && round < 10; round++) {
                    Map<String, KeysAndAttributes> request = ask;
                    var res = ddb.batchGetItem(b -> b.requestItems(request));
                    res.responses().getOrDefault(table, List.of()).forEach(item -> existing.add(Attr.str(item, "id")));
                    ask = res.hasUnprocessedKeys() ? res.unprocessedKeys() : null;
                }
            }
        } catch (SdkException ex) {
            throw storeFailure("DynamoDB BatchGetItem on " + table, ex);
        }
        List<String> created = new ArrayList<>();
        List<WriteRequest> batch = new ArrayList<>();
        for (Execution r : replays) {
            if (existing.contains(r.id())) continue;
            Encoded enc = encode(r);
            enc.uploadBody(payloads);
            enc.uploadSteps(payloads);
            batch.add(WriteRequest.builder().putRequest(pr -> pr.item(enc.item)).build());
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
        Map<String, List<WriteRequest>> pending = Map.of(table, writes);
        try {
            for (int round = 0; !pending.isEmpty(); round++) {
                if (round == 8) throw new StoreException("DynamoDB BatchWriteItem on " + table + " left items unprocessed", null);
                Map<String, List<WriteRequest>> request = pending;
                var res = ddb.batchWriteItem(b -> b.requestItems(request));
                pending = res.hasUnprocessedItems() ? res.unprocessedItems() : Map.of();
            }
        } catch (SdkException ex) {
            throw storeFailure("DynamoDB BatchWriteItem on " + table, ex);
        }
    }

    /**
     * One Query of {@code byInstance} (keys only, up to {@code limit}, expired items too), one S3
     * DeleteObjects of both payload keys of every execution found (so a payload orphaned by a failed
     * write goes too), then BatchWriteItem deletes of 25. Payloads before items: a crash in between
     * leaves items that the next call finds and deletes, never payloads nothing points at. Every index
     * entry (held, running, unresolved) is an attribute of the item and goes with it. The cursor is
     * the index's LastEvaluatedKey (a deleted key is a valid ExclusiveStartKey).
     */
    @Override
    public Page<String> deleteForInstance(String instanceId, int limit, String cursor) {
        Cursors.Decoded from = Cursors.decode(cursor, "pk", "sk", "instanceId", "queuedKey");
        QueryResponse res;
        try {
            res = ddb.query(b -> {
                b.tableName(table).indexName(BY_INSTANCE)
                        .keyConditionExpression("instanceId = :i")
                        .expressionAttributeValues(Map.of(":i", Attr.s(instanceId)))
                        .projectionExpression("pk, sk, instanceId, queuedKey")
                        .limit(Math.max(1, Math.min(limit, MAX_QUERY_LIMIT)));
                if (from != null) b.exclusiveStartKey(from.key());
            });
        } catch (SdkException ex) {
            throw storeFailure("DynamoDB Query on " + table, ex);
        }
        List<String> ids = res.items().stream().map(i -> Attr.str(i, "pk").substring("EXECUTION#".length())).toList();
        List<String> keys = new ArrayList<>();
        for (String id : ids) {
            keys.add(bodyKey(id));
            keys.add(stepsKey(id));
        }
        if (!keys.isEmpty()) payloads.deleteAll(keys);
        List<WriteRequest> batch = new ArrayList<>();
        for (Map<String, AttributeValue> item : res.items()) {
            batch.add(WriteRequest.builder().deleteRequest(d -> d.key(Map.of("pk", item.get("pk"), "sk", item.get("sk")))).build());
            if (batch.size() == 25) {
                batchWrite(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) batchWrite(batch);
        String next = res.hasLastEvaluatedKey() && !res.lastEvaluatedKey().isEmpty()
                ? Cursors.encode(res.lastEvaluatedKey()) : null;
        return new Page<>(ids, next);
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

    /** BatchGetItem, 100 keys a call, consistent reads; unprocessed keys are asked for again. */
    @Override
    public List<Execution> getAll(java.util.Collection<String> ids) {
        List<String> all = List.copyOf(new java.util.LinkedHashSet<>(ids));
        Map<String, Map<String, AttributeValue>> byPk = batchGet(
                all.stream().map(DynamoDbExecutionStore::key).toList(), true, null, null);
        Instant now = clock.instant();
        List<Execution> out = new ArrayList<>();
        for (String id : all) {
            Map<String, AttributeValue> item = byPk.get(pk(id));
            if (item != null && !expired(item, now)) out.add(decodeFull(item));
        }
        return out;
    }

    /**
     * The number of executions {@link #list} would answer page after page: the same index, keys and
     * checks, without a page size or read budget.
     */
    @Override
    public long count(ExecutionQuery q) {
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

    // ---------------------------------------------------------------- encoding

    /** An item plus the payloads that go to S3 (null when inline). */
    private record Encoded(String id, Map<String, AttributeValue> item, byte[] bodyBytes, byte[] stepsBytes) {
        void uploadBody(S3PayloadStore s3) {
            if (bodyBytes != null) s3.put(bodyKey(id), bodyBytes);
        }

        void uploadSteps(S3PayloadStore s3) {
            if (stepsBytes != null) s3.put(stepsKey(id), stepsBytes, "application/json");
        }
    }

    /**
     * The item {@link #create} would put for an execution whose request body and steps fit inline —
     * for bulk loads with BatchWriteItem (benchmarks, migrations); larger payloads are refused.
     */
    public static Map<String, AttributeValue> itemOf(Execution e) {
        Encoded enc = encode(e);
        if (enc.bodyBytes != null || enc.stepsBytes != null) {
            throw new IllegalArgumentException("execution " + e.id() + " has payloads for S3: use create()");
        }
        return enc.item;
    }

    private static Encoded encode(Execution e) {
        if (e.id() == null || e.queuedAt() == null) throw new IllegalArgumentException("an execution needs an id and queuedAt");
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", Attr.s(pk(e.id())));
        item.put("sk", Attr.s(SK_EXECUTION));
        item.put("queuedKey", Attr.s(Attr.keyTime(e.queuedAt()) + "#" + e.id()));
        item.put("queuedDay", Attr.s(Attr.DAY.format(e.queuedAt())));
        item.put("id", Attr.s(e.id()));
        Attr.put(item, "instanceId", e.instanceId());
        Attr.put(item, "customerId", e.customerId());
        Attr.put(item, "flowConfigId", e.flowConfigId());
        Attr.put(item, "flow", e.flow());
        if (e.trigger() != null) item.put("trigger", Attr.s(e.trigger().name()));
        if (e.status() != null) item.put("status", Attr.s(e.status().name()));
        if (e.status() == ExecutionStatus.HELD && e.instanceId() != null) item.put("heldInstanceId", Attr.s(e.instanceId()));
        if (ExecutionStore.awaitsAcknowledgement(e)) item.put("queuedPk", Attr.s(queuedPk(e.id())));
        Attr.put(item, "queuedAt", e.queuedAt());
        Attr.put(item, "startedAt", e.startedAt());
        Attr.put(item, "endedAt", e.endedAt());
        Attr.put(item, "durationMs", e.durationMs());
        if (e.error() != null) item.put("error", Attr.s(writeError(e.error())));
        item.put("attempt", Attr.n(e.attempt()));
        Attr.put(item, "retryOf", e.retryOf());
        Attr.put(item, "nextRetryAt", e.nextRetryAt());
        Attr.put(item, "retriesRemaining", e.retriesRemaining());
        Attr.put(item, "replayOf", e.replayOf());
        item.put("replays", Attr.stringList(e.replays()));
        item.put("resolved", Attr.bool(e.resolved()));
        item.put("original", Attr.bool(e.original()));
        if (e.status() == ExecutionStatus.FAILED && !e.resolved()) item.put("unresolvedDay", Attr.s(Attr.DAY.format(e.queuedAt())));
        Attr.put(item, "replayJobId", e.replayJobId());
        Attr.put(item, "cancelledBy", e.cancelledBy());
        item.put("integrationVersion", Attr.n(e.integrationVersion()));
        if (e.status() == ExecutionStatus.RUNNING && e.startedAt() != null) {
            item.put("runningPk", Attr.s(runningPk(e.id())));
            item.put("runningKey", Attr.s(Attr.keyTime(e.startedAt()) + "#" + e.id()));
        }
        if (e.expiresAt() != null) {
            long secs = e.expiresAt().getEpochSecond() + (e.expiresAt().getNano() > 0 ? 1 : 0);
            item.put("expiresAt", Attr.n(secs));
            item.put("expiresAtTime", Attr.time(e.expiresAt()));
        }

        byte[] bodyOffloaded = null;
        ExecutionRequest r = e.request();
        item.put("hasRequest", Attr.bool(r != null));
        if (r != null) {
            Attr.put(item, "requestMethod", r.method());
            item.put("requestHeaders", Attr.stringMap(r.headers()));
            item.put("requestQuery", Attr.stringMap(r.query()));
            Attr.put(item, "requestContentType", r.contentType());
            item.put("requestBodySize", Attr.n(r.body().length));
            if (r.body().length > BODY_INLINE_MAX) {
                bodyOffloaded = r.body();
                item.put("requestBodyKey", Attr.s(bodyKey(e.id())));
                item.put("requestBodySha256", Attr.s(sha256(r.body())));
            } else if (r.body().length > 0) {
                item.put("requestBody", Attr.b(r.body()));
            }
        }

        byte[] stepsOffloaded = null;
        if (!e.steps().isEmpty()) {
            byte[] json = writeSteps(e.steps());
            if (json.length > STEPS_INLINE_MAX) {
                stepsOffloaded = json;
                item.put("stepsKey", Attr.s(stepsKey(e.id())));
            } else {
                item.put("steps", Attr.b(json));
            }
        }
        return new Encoded(e.id(), item, bodyOffloaded, stepsOffloaded);
    }

    private Execution decodeFull(Map<String, AttributeValue> item) {
        String id = Attr.str(item, "id");
        ExecutionRequest request = null;
        if (Attr.bool(item, "hasRequest")) {
            byte[] body;
            if (Attr.str(item, "requestBodyKey") != null) {
                body = payloads.get(Attr.str(item, "requestBodyKey")).orElseThrow(() -> missing(id, "request body"));
            } else {
                body = Attr.bytes(item, "requestBody");
            }
            request = new ExecutionRequest(Attr.str(item, "requestMethod"), body == null ? new byte[0] : body,
                    Attr.stringMap(item, "requestHeaders"), Attr.stringMap(item, "requestQuery"),
                    Attr.str(item, "requestContentType"));
        }
        List<StepResult> steps = List.of();
        if (Attr.str(item, "stepsKey") != null) {
            steps = readSteps(payloads.get(Attr.str(item, "stepsKey")).orElseThrow(() -> missing(id, "steps")));
        } else if (item.containsKey("steps")) {
            steps = readSteps(Attr.bytes(item, "steps"));
        }
        return decode(item).request(request).steps(steps).build();
    }

    private static Execution decodeSummary(Map<String, AttributeValue> item) {
        ExecutionRequest request = Attr.bool(item, "hasRequest")
                ? new ExecutionRequest(Attr.str(item, "requestMethod"), new byte[0], Attr.stringMap(item, "requestHeaders"),
                        Attr.stringMap(item, "requestQuery"), Attr.str(item, "requestContentType"))
                : null;
        return decode(item).request(request).steps(List.of()).build();
    }

    private static Execution.Builder decode(Map<String, AttributeValue> i) {
        String trigger = Attr.str(i, "trigger");
        String status = Attr.str(i, "status");
        String error = Attr.str(i, "error");
        Instant expires = Attr.instant(i, "expiresAtTime");
        if (expires == null && Attr.lng(i, "expiresAt") != null) expires = Instant.ofEpochSecond(Attr.lng(i, "expiresAt"));
        return Execution.builder()
                .id(Attr.str(i, "id"))
                .instanceId(Attr.str(i, "instanceId"))
                .customerId(Attr.str(i, "customerId"))
                .flowConfigId(Attr.str(i, "flowConfigId"))
                .flow(Attr.str(i, "flow"))
                .trigger(trigger == null ? null : Trigger.valueOf(trigger))
                .status(status == null ? null : ExecutionStatus.valueOf(status))
                .queuedAt(Attr.instant(i, "queuedAt"))
                .startedAt(Attr.instant(i, "startedAt"))
                .endedAt(Attr.instant(i, "endedAt"))
                .durationMs(Attr.lng(i, "durationMs"))
                .error(error == null ? null : Json.read(error, ExecutionError.class))
                .attempt(Attr.integer(i, "attempt", 1))
                .retryOf(Attr.str(i, "retryOf"))
                .nextRetryAt(Attr.instant(i, "nextRetryAt"))
                .retriesRemaining(Attr.integer(i, "retriesRemaining"))
                .replayOf(Attr.str(i, "replayOf"))
                .replays(Attr.stringList(i, "replays"))
                .resolved(Attr.bool(i, "resolved"))
                .cancelledBy(Attr.str(i, "cancelledBy"))
                .integrationVersion(Attr.integer(i, "integrationVersion", 0))
                .expiresAt(expires)
                .replayJobId(Attr.str(i, "replayJobId"));
    }

    private static StoreException missing(String id, String what) {
        return new StoreException("the " + what + " of execution '" + id + "' is missing from the payload bucket", null);
    }

    private static String writeError(ExecutionError error) {
        try {
            return ERROR_WRITER.writeValueAsString(error);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] writeSteps(List<StepResult> steps) {
        try {
            return STEPS_WRITER.writeValueAsBytes(steps);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<StepResult> readSteps(byte[] json) {
        try {
            return STEPS_READER.readValue(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

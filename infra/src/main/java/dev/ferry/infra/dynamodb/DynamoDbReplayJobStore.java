package dev.ferry.infra.dynamodb;

import static dev.ferry.infra.AwsFailures.storeFailure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.error.ConflictException;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.ExecutionQuery;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.Page;
import dev.ferry.core.model.ReplayJob;
import dev.ferry.core.model.ReplayJobKind;
import dev.ferry.core.model.ReplayJobStatus;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.port.ReplayJobStore;
import java.math.BigDecimal;
import java.time.Clock;
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
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Bulk jobs (replays and cancellations, {@code kind}) in the ExecutionsTable: {@code pk = REPLAYJOB#<id>,
 * sk = REPLAYJOB}, and for the listings one entry per job {@code pk = REPLAYJOBS#<kind>,
 * sk = <createdAt>#<id>} written with it in one transaction, read newest first; the filter as
 * JSON, the counts as numbers, {@code chunk}/{@code cursor} as the checkpoint, {@code expiresAt} as
 * the TTL, {@code leaseOwner}/{@code leaseUntil} (fixed-width times, comparable) for the one worker at
 * a time. A checkpoint is one UpdateItem conditional on {@code status = RUNNING AND chunk = :n} and the lease;
 * outcomes are atomic {@code ADD}s, so they never race with the checkpoints.
 */
public final class DynamoDbReplayJobStore implements ReplayJobStore {
    private static final String SK = "REPLAYJOB";
    /** The partition of one kind's listing entries: {@code REPLAYJOBS#<kind>}, sort key {@code <createdAt>#<id>}. */
    private static final String LIST_PK = "REPLAYJOBS#";
    private final DynamoDbClient ddb;
    private final String table;
    private final Clock clock;

    public DynamoDbReplayJobStore(DynamoDbClient ddb, String executionsTable, Clock clock) {
        this.ddb = ddb;
        this.table = executionsTable;
        this.clock = clock;
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("pk", Attr.s("REPLAYJOB#" + id), "sk", Attr.s(SK));
    }

    @Override
    public void create(ReplayJob job) {
        Map<String, AttributeValue> item = new HashMap<>(key(job.id()));
        item.put("id", Attr.s(job.id()));
        Attr.put(item, "name", job.name());
        item.put("filter", Attr.s(filterJson(job.filter())));
        if (job.ratePerSecond() != null) item.put("ratePerSecond", Attr.s(job.ratePerSecond().toPlainString()));
        item.put("status", Attr.s(job.status().name()));
        for (var e : Map.of("matched", job.matched(), "dispatched", job.dispatched(), "skipped", job.skipped(),
                "succeeded", job.succeeded(), "failed", job.failed(), "chunk", (long) job.chunk()).entrySet()) {
            item.put(e.getKey(), Attr.n(e.getValue()));
        }
        Attr.put(item, "cursor", job.cursor());
        item.put("kind", Attr.s(job.kind().name()));
        Attr.put(item, "createdBy", job.createdBy());
        Attr.put(item, "createdAt", job.createdAt());
        Attr.put(item, "updatedAt", job.updatedAt());
        if (job.expiresAt() != null) {
            item.put("expiresAt", Attr.n(job.expiresAt().getEpochSecond() + (job.expiresAt().getNano() > 0 ? 1 : 0)));
            item.put("expiresAtTime", Attr.time(job.expiresAt()));
        }
        // The listing entry: one item per job under its kind's partition, sorted by creation, expiring with it.
        Map<String, AttributeValue> entry = new HashMap<>();
        entry.put("pk", Attr.s(LIST_PK + job.kind().name()));
        entry.put("sk", Attr.s(Attr.keyTime(job.createdAt()) + "#" + job.id()));
        entry.put("id", Attr.s(job.id()));
        if (item.containsKey("expiresAt")) entry.put("expiresAt", item.get("expiresAt"));
        try {
            ddb.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                            .conditionExpression("attribute_not_exists(pk)").build()).build(),
                    TransactWriteItem.builder().put(Put.builder().tableName(table).item(entry).build()).build()));
        } catch (TransactionCanceledException e) {
            if (e.hasCancellationReasons() && !e.cancellationReasons().isEmpty()
                    && "ConditionalCheckFailed".equals(e.cancellationReasons().get(0).code())) {
                throw new ConflictException("replay job '" + job.id() + "' already exists");
            }
            throw storeFailure("DynamoDB TransactWriteItems on " + table, e);
        } catch (SdkException e) {
            throw storeFailure("DynamoDB PutItem on " + table, e);
        }
    }

    @Override
    public Optional<ReplayJob> get(String id) {
        try {
            var res = ddb.getItem(b -> b.tableName(table).key(key(id)).consistentRead(true));
            return res.hasItem() && !res.item().isEmpty() ? live(res.item()) : Optional.empty();
        } catch (SdkException e) {
            throw storeFailure("DynamoDB GetItem on " + table, e);
        }
    }

    @Override
    public boolean lease(String id, String owner, Instant until, Instant now) {
        try {
            ddb.updateItem(b -> b.tableName(table).key(key(id))
                    .updateExpression("SET leaseOwner = :o, leaseUntil = :u")
                    .conditionExpression("#st = :running AND (attribute_not_exists(leaseOwner) OR leaseOwner = :o"
                            + " OR leaseUntil <= :now)")
                    .expressionAttributeNames(Map.of("#st", "status"))
                    .expressionAttributeValues(Map.of(":o", Attr.s(owner), ":u", Attr.s(Attr.EXACT_TIME.format(until)),
                            ":now", Attr.s(Attr.EXACT_TIME.format(now)),
                            ":running", Attr.s(ReplayJobStatus.RUNNING.name()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw storeFailure("DynamoDB UpdateItem on " + table, e);
        }
    }

    @Override
    public boolean checkpoint(ReplayJob job, ReplayJob next, String owner) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":owner", Attr.s(owner));
        values.put(":running", Attr.s(ReplayJobStatus.RUNNING.name()));
        values.put(":expected", Attr.n(job.chunk()));
        values.put(":chunk", Attr.n(next.chunk()));
        values.put(":status", Attr.s(next.status().name()));
        values.put(":dispatched", Attr.n(next.dispatched()));
        values.put(":skipped", Attr.n(next.skipped()));
        values.put(":updated", Attr.time(next.updatedAt()));
        String update = "SET #st = :status, chunk = :chunk, dispatched = :dispatched, skipped = :skipped, updatedAt = :updated";
        if (next.cursor() != null) {
            values.put(":cursor", Attr.s(next.cursor()));
            update += ", #cur = :cursor";
        } else {
            update += " REMOVE #cur";
        }
        String expression = update;
        try {
            ddb.updateItem(b -> b.tableName(table).key(key(job.id()))
                    .updateExpression(expression)
                    .conditionExpression("#st = :running AND chunk = :expected AND leaseOwner = :owner")
                    .expressionAttributeNames(Map.of("#st", "status", "#cur", "cursor"))
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw storeFailure("DynamoDB UpdateItem on " + table, e);
        }
    }

    @Override
    public Optional<ReplayJob> cancel(String id, Instant at) {
        try {
            var res = ddb.updateItem(b -> b.tableName(table).key(key(id))
                    .updateExpression("SET #st = :cancelled, updatedAt = :at")
                    .conditionExpression("#st = :running")
                    .expressionAttributeNames(Map.of("#st", "status"))
                    .expressionAttributeValues(Map.of(":cancelled", Attr.s(ReplayJobStatus.CANCELLED.name()),
                            ":running", Attr.s(ReplayJobStatus.RUNNING.name()), ":at", Attr.time(at)))
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return live(res.attributes());
        } catch (ConditionalCheckFailedException e) {
            return e.hasItem() && !e.item().isEmpty() ? live(e.item()) : Optional.empty();
        } catch (SdkException e) {
            throw storeFailure("DynamoDB UpdateItem on " + table, e);
        }
    }

    @Override
    public void recordOutcome(String id, boolean succeeded) {
        try {
            ddb.updateItem(b -> b.tableName(table).key(key(id))
                    .updateExpression("ADD #n :one")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeNames(Map.of("#n", succeeded ? "succeeded" : "failed"))
                    .expressionAttributeValues(Map.of(":one", Attr.n(1))));
        } catch (ConditionalCheckFailedException e) {
            // the job is gone (expired): nothing to count
        } catch (SdkException e) {
            throw storeFailure("DynamoDB UpdateItem on " + table, e);
        }
    }

    @Override
    public Page<ReplayJob> list(ReplayJobKind kind, int limit, String cursor) {
        int size = Math.max(1, Math.min(limit, 100));
        Cursors.Decoded from = Cursors.decode(cursor, "pk", "sk");
        if (from != null && !(LIST_PK + kind.name()).equals(from.key().get("pk").s())) throw Cursors.invalid();
        List<String> ids = new ArrayList<>();
        Map<String, AttributeValue> last;
        try {
            var res = ddb.query(b -> {
                b.tableName(table).keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", Attr.s(LIST_PK + kind.name())))
                        .scanIndexForward(false).limit(size).consistentRead(true);
                if (from != null) b.exclusiveStartKey(from.key());
            });
            res.items().forEach(i -> ids.add(Attr.str(i, "id")));
            last = res.hasLastEvaluatedKey() && !res.lastEvaluatedKey().isEmpty() ? res.lastEvaluatedKey() : null;
        } catch (SdkException e) {
            throw storeFailure("DynamoDB Query on " + table, e);
        }
        List<ReplayJob> items = new ArrayList<>();
        for (String id : ids) get(id).ifPresent(items::add); // at most a page of jobs: a GetItem each
        return new Page<>(items, last == null ? null : Cursors.encode(last));
    }

    private Optional<ReplayJob> live(Map<String, AttributeValue> i) {
        Instant expires = Attr.instant(i, "expiresAtTime");
        if (expires != null && !clock.instant().isBefore(expires)) return Optional.empty();
        String rate = Attr.str(i, "ratePerSecond");
        return Optional.of(new ReplayJob(Attr.str(i, "id"), Attr.str(i, "name"), filter(Attr.str(i, "filter")),
                rate == null ? null : new BigDecimal(rate), ReplayJobStatus.valueOf(Attr.str(i, "status")),
                count(i, "matched"), count(i, "dispatched"), count(i, "skipped"), count(i, "succeeded"),
                count(i, "failed"), Attr.integer(i, "chunk", 0), Attr.str(i, "cursor"), Attr.instant(i, "createdAt"),
                Attr.instant(i, "updatedAt"), expires,
                Attr.str(i, "kind") == null ? ReplayJobKind.REPLAY : ReplayJobKind.valueOf(Attr.str(i, "kind")),
                Attr.str(i, "createdBy")));
    }

    private static long count(Map<String, AttributeValue> i, String name) {
        Long v = Attr.lng(i, name);
        return v == null ? 0 : v;
    }

    static String filterJson(ExecutionQuery f) {
        ObjectNode n = Json.object();
        if (f.instanceId() != null) n.put("instanceId", f.instanceId());
        if (f.customerId() != null) n.put("customerId", f.customerId());
        if (f.flowConfigId() != null) n.put("flowConfigId", f.flowConfigId());
        if (f.status() != null) n.put("status", f.status().name());
        if (f.trigger() != null) n.put("trigger", f.trigger().name());
        if (f.since() != null) n.put("since", f.since().toString());
        if (f.until() != null) n.put("until", f.until().toString());
        n.put("originalsOnly", f.originalsOnly());
        n.put("unresolved", f.unresolved());
        n.put("limit", f.limit());
        return Json.write(n);
    }

    static ExecutionQuery filter(String json) {
        JsonNode n = Json.tree(json);
        return new ExecutionQuery(text(n, "instanceId"), text(n, "customerId"), text(n, "flowConfigId"),
                n.hasNonNull("status") ? ExecutionStatus.valueOf(n.get("status").asText()) : null,
                n.hasNonNull("trigger") ? Trigger.valueOf(n.get("trigger").asText()) : null,
                n.hasNonNull("since") ? Instant.parse(n.get("since").asText()) : null,
                n.hasNonNull("until") ? Instant.parse(n.get("until").asText()) : null,
                n.path("originalsOnly").asBoolean(), n.path("unresolved").asBoolean(), n.path("limit").asInt(100), null);
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }
}

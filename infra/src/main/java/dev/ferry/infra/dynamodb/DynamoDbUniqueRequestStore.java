package dev.ferry.infra.dynamodb;

import static dev.ferry.infra.AwsFailures.storeFailure;

import dev.ferry.core.port.UniqueRequestStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Unique request holders in the ExecutionsTable, one item per flow config and value, a flow
 * config's holders in one partition (so deleting them is one Query, not a Scan):
 * {@code pk = UNIQUE#<flowConfigId>, sk = UNIQUE#<sha256 of the value>} with {@code originalId},
 * {@code order} ({@code <queuedAt, fixed-width nanoseconds>#<id>}), {@code pendingId} and the TTL.
 * A claim is one conditional PutItem ("absent or older"), marking a pending retry one conditional
 * UpdateItem ("still the holder"); both read the item they lost to from the failed condition.
 */
public final class DynamoDbUniqueRequestStore implements UniqueRequestStore {
    private final DynamoDbClient ddb;
    private final String table;
    private final dev.ferry.core.port.Sleeper sleeper;

    public DynamoDbUniqueRequestStore(DynamoDbClient ddb, String executionsTable) {
        this(ddb, executionsTable, dev.ferry.core.port.Sleeper.SYSTEM);
    }

    /** @param sleeper waits before a batch's unprocessed items are sent again */
    public DynamoDbUniqueRequestStore(DynamoDbClient ddb, String executionsTable, dev.ferry.core.port.Sleeper sleeper) {
        this.ddb = ddb;
        this.table = executionsTable;
        this.sleeper = sleeper;
    }

    static String pk(String flowConfigId) {
        return "UNIQUE#" + flowConfigId;
    }

    static String sk(String value) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return "UNIQUE#" + HexFormat.of().formatHex(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, AttributeValue> key(String flowConfigId, String value) {
        return Map.of("pk", Attr.s(pk(flowConfigId)), "sk", Attr.s(sk(value)));
    }

    @Override
    public Claim claim(String flowConfigId, String value, String executionId, Instant queuedAt, Instant expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>(key(flowConfigId, value));
        item.put("originalId", Attr.s(executionId));
        item.put("order", Attr.s(Attr.EXACT_TIME.format(queuedAt) + "#" + executionId));
        item.put("expiresAt", Attr.n(expiresAt.getEpochSecond() + 1));
        try {
            var res = ddb.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(pk) OR #o < :o")
                    .expressionAttributeNames(Map.of("#o", "order"))
                    .expressionAttributeValues(Map.of(":o", item.get("order")))
                    .returnValues(ReturnValue.ALL_OLD)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            Map<String, AttributeValue> old = res.hasAttributes() ? res.attributes() : Map.of();
            String oldOriginal = Attr.str(old, "originalId");
            return oldOriginal == null || oldOriginal.equals(executionId) ? new Claim(null, null, null)
                    : new Claim(null, oldOriginal, Attr.str(old, "pendingId"));
        } catch (ConditionalCheckFailedException e) {
            String holder = e.hasItem() ? Attr.str(e.item(), "originalId") : null;
            return holder == null || holder.equals(executionId) ? new Claim(null, null, null) : new Claim(holder, null, null);
        } catch (SdkException e) {
            throw storeFailure("DynamoDB PutItem on " + table, e);
        }
    }

    @Override
    public Optional<String> markPending(String flowConfigId, String value, String originalId, String pendingExecutionId) {
        try {
            ddb.updateItem(b -> b.tableName(table).key(key(flowConfigId, value))
                    .updateExpression("SET pendingId = :p")
                    .conditionExpression("originalId = :o")
                    .expressionAttributeValues(Map.of(":p", Attr.s(pendingExecutionId), ":o", Attr.s(originalId)))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return Optional.empty();
        } catch (ConditionalCheckFailedException e) {
            // No item: nothing was ever claimed for this value (or it expired), so nothing newer is known.
            return e.hasItem() ? Optional.ofNullable(Attr.str(e.item(), "originalId")) : Optional.empty();
        } catch (SdkException e) {
            throw storeFailure("DynamoDB UpdateItem on " + table, e);
        }
    }

    /** Query of the flow config's partition (keys only, every page), then BatchWriteItem deletes of 25. */
    @Override
    public void deleteForFlowConfig(String flowConfigId) {
        java.util.List<Map<String, AttributeValue>> keys = new java.util.ArrayList<>();
        Map<String, AttributeValue> start = null;
        try {
            do {
                Map<String, AttributeValue> from = start;
                var res = ddb.query(b -> {
                    b.tableName(table).keyConditionExpression("pk = :pk")
                            .expressionAttributeValues(Map.of(":pk", Attr.s(pk(flowConfigId))))
                            .projectionExpression("pk, sk").consistentRead(true);
                    if (from != null) b.exclusiveStartKey(from);
                });
                keys.addAll(res.items());
                start = res.hasLastEvaluatedKey() && !res.lastEvaluatedKey().isEmpty() ? res.lastEvaluatedKey() : null;
            } while (start != null);
        } catch (SdkException e) {
            throw storeFailure("DynamoDB Query on " + table, e);
        }
        new ConfigTable(ddb, table, sleeper).deleteAll(keys);
    }
}

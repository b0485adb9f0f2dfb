package dev.ferry.infra.dynamodb;

import static dev.ferry.infra.AwsFailures.storeFailure;

import dev.ferry.core.model.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The ConfigTable: {@code pk}/{@code sk} strings, one GSI {@code gsi1} ({@code gsi1pk}/{@code gsi1sk},
 * projection ALL). Item layouts are in infra/README.md. Shared by the customer, integration and
 * instance stores.
 */
final class ConfigTable {
    static final String PK = "pk";
    static final String SK = "sk";
    static final String GSI1 = "gsi1";
    static final String GSI1PK = "gsi1pk";
    static final String GSI1SK = "gsi1sk";
    static final int MAX_LIMIT = 1000;

    final DynamoDbClient ddb;
    final String table;
    final Batches batches;

    ConfigTable(DynamoDbClient ddb, String table) {
        this(ddb, table, dev.ferry.core.port.Sleeper.SYSTEM);
    }

    /** @param sleeper waits before a batch's unprocessed items are sent again ({@link Batches}) */
    ConfigTable(DynamoDbClient ddb, String table, dev.ferry.core.port.Sleeper sleeper) {
        this.ddb = ddb;
        this.table = table;
        this.batches = new Batches(ddb, sleeper);
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(PK, Attr.s(pk), SK, Attr.s(sk));
    }

    /** Page size a store uses for {@code limit}: at least 1, at most {@link #MAX_LIMIT}. */
    static int pageSize(int limit) {
        return Math.max(1, Math.min(limit, MAX_LIMIT));
    }

    Optional<Map<String, AttributeValue>> getItem(String pk, String sk) {
        try {
            var res = ddb.getItem(b -> b.tableName(table).key(key(pk, sk)).consistentRead(true));
            return res.hasItem() && !res.item().isEmpty() ? Optional.of(res.item()) : Optional.empty();
        } catch (SdkException e) {
            throw storeFailure("DynamoDB GetItem on " + table, e);
        }
    }

    /**
     * One page of a partition of {@code gsi1}, oldest first. Reads one item more than the page so
     * that the last page has no cursor; the cursor is the key of the page's last item.
     */
    <T> Page<T> listGsi1(String gsi1pk, int limit, String cursor, Function<Map<String, AttributeValue>, T> decode) {
        return listPartition(GSI1, GSI1PK, gsi1pk, null, limit, cursor, decode,
                PK, SK, GSI1PK, GSI1SK);
    }

    /** One page of a table or index partition, ascending, with an optional sort key prefix. */
    <T> Page<T> listPartition(String index, String hashName, String hashValue, String skPrefix, int limit,
                              String cursor, Function<Map<String, AttributeValue>, T> decode, String... keyNames) {
        int size = pageSize(limit);
        Cursors.Decoded from = Cursors.decode(cursor, keyNames);
        if (from != null && !hashValue.equals(from.key().get(hashName).s())) throw Cursors.invalid();
        String sortName = keyNames[keyNames.length - 1];
        QueryRequest.Builder q = QueryRequest.builder()
                .tableName(table)
                .limit(size + 1)
                .scanIndexForward(true);
        if (index != null) q.indexName(index);
        if (skPrefix == null) {
            q.keyConditionExpression("#h = :h")
                    .expressionAttributeNames(Map.of("#h", hashName))
                    .expressionAttributeValues(Map.of(":h", Attr.s(hashValue)));
        } else {
            q.keyConditionExpression("#h = :h AND begins_with(#s, :p)")
                    .expressionAttributeNames(Map.of("#h", hashName, "#s", sortName))
                    .expressionAttributeValues(Map.of(":h", Attr.s(hashValue), ":p", Attr.s(skPrefix)));
        }
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = from == null ? null : from.key();
        try {
            while (items.size() <= size) {
                if (start != null) q.exclusiveStartKey(start);
                QueryResponse res = ddb.query(q.limit(size + 1 - items.size()).build());
                items.addAll(res.items());
                start = res.hasLastEvaluatedKey() && !res.lastEvaluatedKey().isEmpty() ? res.lastEvaluatedKey() : null;
                if (start == null) break;
            }
        } catch (SdkException e) {
            throw storeFailure("DynamoDB Query on " + table + (index == null ? "" : "/" + index), e);
        }
        String next = null;
        if (items.size() > size) {
            items = items.subList(0, size);
            next = Cursors.encode(Attr.keyOf(items.get(size - 1), keyNames));
        }
        return new Page<>(items.stream().map(decode).toList(), next);
    }

    /** Whether a cancelled transaction failed on the condition of its action number {@code i}. */
    static boolean conditionFailed(TransactionCanceledException e, int i) {
        return e.hasCancellationReasons() && e.cancellationReasons().size() > i
                && "ConditionalCheckFailed".equals(e.cancellationReasons().get(i).code());
    }

    static boolean anyConditionFailed(TransactionCanceledException e) {
        return e.hasCancellationReasons() && e.cancellationReasons().stream()
                .anyMatch(r -> "ConditionalCheckFailed".equals(r.code()));
    }

    static boolean transactionConflict(TransactionCanceledException e) {
        return e.hasCancellationReasons() && e.cancellationReasons().stream()
                .anyMatch(r -> "TransactionConflict".equals(r.code()));
    }

    /** Deletes these keys in BatchWriteItem calls of 25, sending unprocessed ones again after a backoff (a failure if some stay). */
    void deleteAll(List<Map<String, AttributeValue>> keys) {
        try {
            for (int i = 0; i < keys.size(); i += 25) {
                List<software.amazon.awssdk.services.dynamodb.model.WriteRequest> batch = keys.subList(i, Math.min(keys.size(), i + 25))
                        .stream().map(k -> software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder()
                                .deleteRequest(d -> d.key(k)).build()).toList();
                batches.write(table, batch);
            }
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            throw storeFailure("DynamoDB BatchWriteItem on " + table, e);
        }
    }
}

package dev.ferry.infra.dynamodb;

import static dev.ferry.infra.AwsFailures.storeFailure;

import dev.ferry.core.port.QuotaCounters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Quota counters in the ExecutionsTable, under {@code pk = QUOTA#<key>}: {@code sk = WINDOW#<window>} with an
 * atomic {@code ADD uses :one} conditional on {@code uses < :limit}, and {@code sk = HOLD#<holder>} items
 * listed by one Query. Both carry {@code expiresAt} (the table's TTL) when given.
 */
public final class DynamoDbQuotaCounters implements QuotaCounters {
    private final DynamoDbClient ddb;
    private final String table;

    public DynamoDbQuotaCounters(DynamoDbClient ddb, String executionsTable) {
        this.ddb = ddb;
        this.table = executionsTable;
    }

    private static String pk(String key) {
        return "QUOTA#" + key;
    }

    @Override
    public boolean take(String key, Instant window, int limit, Instant expiresAt) {
        try {
            ddb.updateItem(u -> u.tableName(table)
                    .key(Map.of("pk", Attr.s(pk(key)), "sk", Attr.s("WINDOW#" + window)))
                    .updateExpression("ADD uses :one SET expiresAt = :exp")
                    .conditionExpression("attribute_not_exists(uses) OR uses < :limit")
                    .expressionAttributeValues(Map.of(":one", Attr.n(1), ":limit", Attr.n(limit),
                            ":exp", Attr.n(expiresAt.getEpochSecond()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw storeFailure("DynamoDB UpdateItem on " + table, e);
        }
    }

    @Override
    public List<String> holders(String key) {
        List<String> out = new ArrayList<>();
        QueryRequest.Builder q = QueryRequest.builder().tableName(table)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :p)")
                .expressionAttributeValues(Map.of(":pk", Attr.s(pk(key)), ":p", Attr.s("HOLD#")))
                .projectionExpression("sk")
                .consistentRead(true);
        try {
            Map<String, AttributeValue> start = null;
            do {
                if (start != null) q.exclusiveStartKey(start);
                QueryResponse res = ddb.query(q.build());
                res.items().forEach(i -> out.add(Attr.str(i, "sk").substring("HOLD#".length())));
                start = res.hasLastEvaluatedKey() && !res.lastEvaluatedKey().isEmpty() ? res.lastEvaluatedKey() : null;
            } while (start != null);
        } catch (SdkException e) {
            throw storeFailure("DynamoDB Query on " + table, e);
        }
        return out;
    }

    @Override
    public void hold(String key, String holder, Instant expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", Attr.s(pk(key)));
        item.put("sk", Attr.s("HOLD#" + holder));
        if (expiresAt != null) item.put("expiresAt", Attr.n(expiresAt.getEpochSecond()));
        try {
            ddb.putItem(p -> p.tableName(table).item(item));
        } catch (SdkException e) {
            throw storeFailure("DynamoDB PutItem on " + table, e);
        }
    }

    @Override
    public void release(String key, String holder) {
        try {
            ddb.deleteItem(d -> d.tableName(table).key(Map.of("pk", Attr.s(pk(key)), "sk", Attr.s("HOLD#" + holder))));
        } catch (SdkException e) {
            throw storeFailure("DynamoDB DeleteItem on " + table, e);
        }
    }
}

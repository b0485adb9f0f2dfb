package dev.ferry.infra.dynamodb;

import static dev.ferry.infra.AwsFailures.storeFailure;
import static dev.ferry.infra.dynamodb.ConfigTable.GSI1PK;
import static dev.ferry.infra.dynamodb.ConfigTable.GSI1SK;
import static dev.ferry.infra.dynamodb.ConfigTable.PK;
import static dev.ferry.infra.dynamodb.ConfigTable.SK;

import dev.ferry.core.error.ConflictException;
import dev.ferry.core.model.ApiKey;
import dev.ferry.core.model.Page;
import dev.ferry.core.port.ApiKeyStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * API keys in the ConfigTable, two items per key written and deleted together: the key item
 * {@code pk=APIKEY#<sha256 hex>, sk=APIKEY} (authentication is one GetItem of it; listed through
 * {@code gsi1pk=APIKEYS}) and the id item {@code pk=APIKEYID#<id>, sk=APIKEYID} (get and delete by
 * id; a customer key's id item is listed through {@code gsi1pk=APIKEYS#<customerId>}). Both carry
 * every field; neither holds the key itself.
 */
public final class DynamoDbApiKeyStore implements ApiKeyStore {
    static final String SK_KEY = "APIKEY";
    static final String SK_ID = "APIKEYID";
    static final String GSI1_ALL = "APIKEYS";

    private final ConfigTable t;

    public DynamoDbApiKeyStore(DynamoDbClient ddb, String configTable) {
        this.t = new ConfigTable(ddb, configTable);
    }

    static String hashPk(String keyHash) {
        return "APIKEY#" + keyHash;
    }

    static String idPk(String id) {
        return "APIKEYID#" + id;
    }

    static String customerPartition(String customerId) {
        return GSI1_ALL + "#" + customerId;
    }

    @Override
    public void create(ApiKey k) {
        String sortKey = Attr.keyTime(k.createdAt()) + "#" + k.id();
        Map<String, AttributeValue> byHash = fields(k);
        byHash.put(PK, Attr.s(hashPk(k.keyHash())));
        byHash.put(SK, Attr.s(SK_KEY));
        byHash.put(GSI1PK, Attr.s(GSI1_ALL));
        byHash.put(GSI1SK, Attr.s(sortKey));
        Map<String, AttributeValue> byId = fields(k);
        byId.put(PK, Attr.s(idPk(k.id())));
        byId.put(SK, Attr.s(SK_ID));
        if (k.customerId() != null) {
            byId.put(GSI1PK, Attr.s(customerPartition(k.customerId())));
            byId.put(GSI1SK, Attr.s(sortKey));
        }
        try {
            t.ddb.transactWriteItems(b -> b.transactItems(put(byHash), put(byId)));
        } catch (TransactionCanceledException e) {
            if (ConfigTable.anyConditionFailed(e) || ConfigTable.transactionConflict(e)) {
                throw new ConflictException("API key '" + k.id() + "' already exists");
            }
            throw storeFailure("DynamoDB TransactWriteItems on " + t.table, e);
        } catch (SdkException e) {
            throw storeFailure("DynamoDB TransactWriteItems on " + t.table, e);
        }
    }

    private TransactWriteItem put(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(Put.builder().tableName(t.table).item(item)
                .conditionExpression("attribute_not_exists(pk)").build()).build();
    }

    private static Map<String, AttributeValue> fields(ApiKey k) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", Attr.s(k.id()));
        Attr.put(item, "name", k.name());
        Attr.put(item, "customerId", k.customerId());
        item.put("keyHash", Attr.s(k.keyHash()));
        Attr.put(item, "createdAt", k.createdAt());
        return item;
    }

    @Override
    public Optional<ApiKey> byHash(String keyHash) {
        return t.getItem(hashPk(keyHash), SK_KEY).map(DynamoDbApiKeyStore::decode);
    }

    @Override
    public Optional<ApiKey> get(String id) {
        return t.getItem(idPk(id), SK_ID).map(DynamoDbApiKeyStore::decode);
    }

    @Override
    public Page<ApiKey> list(String customerId, int limit, String cursor) {
        return t.listGsi1(customerId == null ? GSI1_ALL : customerPartition(customerId), limit, cursor,
                DynamoDbApiKeyStore::decode);
    }

    /** One GetItem of the id item, then one TransactWriteItems deleting both items (the id item must still exist). */
    @Override
    public Optional<ApiKey> delete(String id) {
        Optional<ApiKey> found = get(id);
        if (found.isEmpty()) return Optional.empty();
        ApiKey k = found.get();
        try {
            t.ddb.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().delete(Delete.builder().tableName(t.table)
                            .key(ConfigTable.key(idPk(id), SK_ID)).conditionExpression("attribute_exists(pk)").build()).build(),
                    TransactWriteItem.builder().delete(Delete.builder().tableName(t.table)
                            .key(ConfigTable.key(hashPk(k.keyHash()), SK_KEY)).build()).build()));
            return found;
        } catch (TransactionCanceledException e) {
            if (ConfigTable.conditionFailed(e, 0)) return Optional.empty(); // deleted meanwhile
            throw storeFailure("DynamoDB TransactWriteItems on " + t.table, e);
        } catch (SdkException e) {
            throw storeFailure("DynamoDB TransactWriteItems on " + t.table, e);
        }
    }

    private static ApiKey decode(Map<String, AttributeValue> item) {
        return new ApiKey(Attr.str(item, "id"), Attr.str(item, "name"), Attr.str(item, "customerId"),
                Attr.str(item, "keyHash"), Attr.instant(item, "createdAt"));
    }
}

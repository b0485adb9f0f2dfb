package dev.ferry.infra.dynamodb;

import static dev.ferry.infra.AwsFailures.storeFailure;
import static dev.ferry.infra.dynamodb.ConfigTable.GSI1PK;
import static dev.ferry.infra.dynamodb.ConfigTable.GSI1SK;
import static dev.ferry.infra.dynamodb.ConfigTable.PK;
import static dev.ferry.infra.dynamodb.ConfigTable.SK;

import dev.ferry.core.error.ConflictException;
import dev.ferry.core.model.Customer;
import dev.ferry.core.model.Page;
import dev.ferry.core.port.CustomerStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Customers in the ConfigTable: {@code pk=CUSTOMER#<id>, sk=CUSTOMER}, listed through
 * {@code gsi1pk=CUSTOMERS, gsi1sk=<createdAt>#<id>}.
 */
public final class DynamoDbCustomerStore implements CustomerStore {
    static final String SK_CUSTOMER = "CUSTOMER";
    static final String GSI1_CUSTOMERS = "CUSTOMERS";

    private final ConfigTable t;

    public DynamoDbCustomerStore(DynamoDbClient ddb, String configTable) {
        this.t = new ConfigTable(ddb, configTable);
    }

    static String pk(String id) {
        return "CUSTOMER#" + id;
    }

    @Override
    public void create(Customer c) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, Attr.s(pk(c.id())));
        item.put(SK, Attr.s(SK_CUSTOMER));
        item.put(GSI1PK, Attr.s(GSI1_CUSTOMERS));
        item.put(GSI1SK, Attr.s(Attr.keyTime(c.createdAt()) + "#" + c.id()));
        item.put("id", Attr.s(c.id()));
        Attr.put(item, "name", c.name());
        Attr.put(item, "externalId", c.externalId());
        Attr.put(item, "createdAt", c.createdAt());
        try {
            t.ddb.putItem(b -> b.tableName(t.table).item(item).conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException e) {
            throw new ConflictException("customer '" + c.id() + "' already exists");
        } catch (SdkException e) {
            throw storeFailure("DynamoDB PutItem on " + t.table, e);
        }
    }

    @Override
    public Optional<Customer> get(String id) {
        return t.getItem(pk(id), SK_CUSTOMER).map(DynamoDbCustomerStore::decode);
    }

    @Override
    public Page<Customer> list(int limit, String cursor) {
        return t.listGsi1(GSI1_CUSTOMERS, limit, cursor, DynamoDbCustomerStore::decode);
    }

    private static Customer decode(Map<String, AttributeValue> item) {
        return new Customer(Attr.str(item, "id"), Attr.str(item, "name"), Attr.str(item, "externalId"),
                Attr.instant(item, "createdAt"));
    }
}

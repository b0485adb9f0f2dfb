package dev.ferry.infra.dynamodb;

import static dev.ferry.infra.AwsFailures.storeFailure;
import static dev.ferry.infra.dynamodb.ConfigTable.GSI1PK;
import static dev.ferry.infra.dynamodb.ConfigTable.GSI1SK;
import static dev.ferry.infra.dynamodb.ConfigTable.PK;
import static dev.ferry.infra.dynamodb.ConfigTable.SK;

import dev.ferry.core.error.ConflictException;
import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.model.Integration;
import dev.ferry.core.model.IntegrationVersion;
import dev.ferry.core.model.Page;
import dev.ferry.core.port.IntegrationStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Integrations in the ConfigTable: {@code pk=INTEGRATION#<id>} holds the integration item
 * ({@code sk=INTEGRATION}, listed through {@code gsi1pk=INTEGRATIONS}) and one item per version
 * ({@code sk=VERSION#000001}, the definition as JSON text). Versions are written together with the
 * integration's {@code latestVersion} in one transaction, conditional on the previous value.
 */
public final class DynamoDbIntegrationStore implements IntegrationStore {
    static final String SK_INTEGRATION = "INTEGRATION";
    static final String GSI1_INTEGRATIONS = "INTEGRATIONS";

    private final ConfigTable t;

    public DynamoDbIntegrationStore(DynamoDbClient ddb, String configTable) {
        this.t = new ConfigTable(ddb, configTable);
    }

    static String pk(String id) {
        return "INTEGRATION#" + id;
    }

    static String versionSk(int version) {
        return String.format("VERSION#%06d", version);
    }

    @Override
    public void create(Integration integration, IntegrationVersion first) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, Attr.s(pk(integration.id())));
        item.put(SK, Attr.s(SK_INTEGRATION));
        item.put(GSI1PK, Attr.s(GSI1_INTEGRATIONS));
        item.put(GSI1SK, Attr.s(Attr.keyTime(integration.createdAt()) + "#" + integration.id()));
        item.put("id", Attr.s(integration.id()));
        Attr.put(item, "name", integration.name());
        item.put("latestVersion", Attr.n(first.version()));
        Attr.put(item, "createdAt", integration.createdAt());
        Attr.put(item, "updatedAt", integration.updatedAt());
        try {
            t.ddb.transactWriteItems(b -> b.transactItems(
                    put(item, "attribute_not_exists(pk)"),
                    put(versionItem(first), "attribute_not_exists(pk)")));
        } catch (TransactionCanceledException e) {
            if (ConfigTable.anyConditionFailed(e) || ConfigTable.transactionConflict(e)) {
                throw new ConflictException("integration '" + integration.id() + "' already exists");
            }
            throw storeFailure("DynamoDB TransactWriteItems on " + t.table, e);
        } catch (SdkException e) {
            throw storeFailure("DynamoDB TransactWriteItems on " + t.table, e);
        }
    }

    @Override
    public void addVersion(IntegrationVersion next) {
        String id = next.integrationId();
        Update bump = Update.builder()
                .tableName(t.table)
                .key(ConfigTable.key(pk(id), SK_INTEGRATION))
                .updateExpression("SET latestVersion = :next, updatedAt = :at")
                .conditionExpression("attribute_exists(pk) AND latestVersion = :prev")
                .expressionAttributeValues(Map.of(
                        ":next", Attr.n(next.version()),
                        ":prev", Attr.n(next.version() - 1L),
                        ":at", Attr.time(next.createdAt())))
                .build();
        try {
            t.ddb.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().update(bump).build(),
                    put(versionItem(next), "attribute_not_exists(pk)")));
        } catch (TransactionCanceledException e) {
            if (!ConfigTable.anyConditionFailed(e) && !ConfigTable.transactionConflict(e)) {
                throw storeFailure("DynamoDB TransactWriteItems on " + t.table, e);
            }
            Integration current = get(id).orElseThrow(() -> new NotFoundException("integration", id));
            throw new ConflictException("integration '" + id + "' is at version " + current.latestVersion()
                    + "; version " + next.version() + " cannot be added");
        } catch (SdkException e) {
            throw storeFailure("DynamoDB TransactWriteItems on " + t.table, e);
        }
    }

    @Override
    public Optional<Integration> get(String id) {
        return t.getItem(pk(id), SK_INTEGRATION).map(DynamoDbIntegrationStore::decode);
    }

    @Override
    public Optional<IntegrationVersion> getVersion(String integrationId, int version) {
        return t.getItem(pk(integrationId), versionSk(version)).map(item -> new IntegrationVersion(
                Attr.str(item, "integrationId"),
                Attr.integer(item, "version", version),
                DefinitionJson.read(Attr.str(item, "definition")),
                Attr.instant(item, "createdAt")));
    }

    @Override
    public Page<Integration> list(int limit, String cursor) {
        return t.listGsi1(GSI1_INTEGRATIONS, limit, cursor, DynamoDbIntegrationStore::decode);
    }

    private Map<String, AttributeValue> versionItem(IntegrationVersion v) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, Attr.s(pk(v.integrationId())));
        item.put(SK, Attr.s(versionSk(v.version())));
        item.put("integrationId", Attr.s(v.integrationId()));
        item.put("version", Attr.n(v.version()));
        item.put("definition", Attr.s(DefinitionJson.write(v.definition())));
        Attr.put(item, "createdAt", v.createdAt());
        return item;
    }

    private TransactWriteItem put(Map<String, AttributeValue> item, String condition) {
        return TransactWriteItem.builder()
                .put(Put.builder().tableName(t.table).item(item).conditionExpression(condition).build())
                .build();
    }

    private static Integration decode(Map<String, AttributeValue> item) {
        return new Integration(Attr.str(item, "id"), Attr.str(item, "name"), Attr.integer(item, "latestVersion", 0),
                Attr.instant(item, "createdAt"), Attr.instant(item, "updatedAt"));
    }
}

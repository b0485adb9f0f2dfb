package dev.ferry.infra.dynamodb;

import dev.ferry.core.port.UniqueRequestStore;
import dev.ferry.core.port.UniqueRequestStoreContract;
import dev.ferry.infra.TestResources;
import org.junit.jupiter.api.BeforeAll;

class DynamoDbUniqueRequestStoreIT extends UniqueRequestStoreContract {
    private static String table;
    private final UniqueRequestStore store = new DynamoDbUniqueRequestStore(TestResources.clients().dynamoDb(), table);

    @BeforeAll
    static void resetEmulator() {
        TestResources.reset();
        table = TestResources.createExecutionsTable(TestResources.clients().dynamoDb());
    }

    @Override
    protected UniqueRequestStore store() {
        return store;
    }
}

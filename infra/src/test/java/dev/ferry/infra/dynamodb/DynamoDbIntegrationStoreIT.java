package dev.ferry.infra.dynamodb;

import dev.ferry.core.port.IntegrationStore;
import dev.ferry.core.port.IntegrationStoreContract;
import dev.ferry.infra.TestResources;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

class DynamoDbIntegrationStoreIT extends IntegrationStoreContract {
    private IntegrationStore store;

    @BeforeAll
    static void resetEmulator() {
        TestResources.reset();
    }

    @BeforeEach
    void freshTable() {
        var ddb = TestResources.clients().dynamoDb();
        store = new DynamoDbIntegrationStore(ddb, TestResources.createConfigTable(ddb));
    }

    @Override
    protected IntegrationStore store() {
        return store;
    }
}

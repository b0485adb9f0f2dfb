package dev.ferry.infra.dynamodb;

import dev.ferry.core.port.CustomerStore;
import dev.ferry.core.port.CustomerStoreContract;
import dev.ferry.infra.TestResources;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

class DynamoDbCustomerStoreIT extends CustomerStoreContract {
    private CustomerStore store;

    @BeforeAll
    static void resetEmulator() {
        TestResources.reset();
    }

    @BeforeEach
    void freshTable() {
        var ddb = TestResources.clients().dynamoDb();
        store = new DynamoDbCustomerStore(ddb, TestResources.createConfigTable(ddb));
    }

    @Override
    protected CustomerStore store() {
        return store;
    }
}

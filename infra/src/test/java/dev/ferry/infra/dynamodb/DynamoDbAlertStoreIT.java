package dev.ferry.infra.dynamodb;

import dev.ferry.core.port.AlertStore;
import dev.ferry.core.port.AlertStoreContract;
import dev.ferry.infra.TestResources;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

class DynamoDbAlertStoreIT extends AlertStoreContract {
    private AlertStore store;

    @BeforeAll
    static void resetEmulator() {
        TestResources.reset();
    }

    @BeforeEach
    void freshTable() {
        var ddb = TestResources.clients().dynamoDb();
        store = new DynamoDbAlertStore(ddb, TestResources.createMonitorsTable(ddb), clock);
    }

    @Override
    protected AlertStore store() {
        return store;
    }
}

package dev.ferry.infra.dynamodb;

import dev.ferry.core.port.MonitorStore;
import dev.ferry.core.port.MonitorStoreContract;
import dev.ferry.infra.TestResources;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

class DynamoDbMonitorStoreIT extends MonitorStoreContract {
    private MonitorStore store;

    @BeforeAll
    static void resetEmulator() {
        TestResources.reset();
    }

    @BeforeEach
    void freshTable() {
        var ddb = TestResources.clients().dynamoDb();
        store = new DynamoDbMonitorStore(ddb, TestResources.createMonitorsTable(ddb));
    }

    @Override
    protected MonitorStore store() {
        return store;
    }
}

package dev.ferry.infra.dynamodb;

import dev.ferry.core.port.ReplayJobStore;
import dev.ferry.core.port.ReplayJobStoreContract;
import dev.ferry.infra.TestResources;
import org.junit.jupiter.api.BeforeAll;

class DynamoDbReplayJobStoreIT extends ReplayJobStoreContract {
    private static String table;
    private final ReplayJobStore store = new DynamoDbReplayJobStore(TestResources.clients().dynamoDb(), table, clock);

    @BeforeAll
    static void resetEmulator() {
        TestResources.reset();
        table = TestResources.createExecutionsTable(TestResources.clients().dynamoDb());
    }

    @Override
    protected ReplayJobStore store() {
        return store;
    }
}

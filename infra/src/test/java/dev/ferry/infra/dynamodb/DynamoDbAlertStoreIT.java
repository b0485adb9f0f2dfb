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

    @org.junit.jupiter.api.Test
    void oneMonitorsAlertsSpreadOverSixteenPartitionsOfEachListingIndex() {
        var ddb = TestResources.clients().dynamoDb();
        String table = TestResources.createMonitorsTable(ddb);
        AlertStore spread = new DynamoDbAlertStore(ddb, table, clock);
        for (int n = 0; n < 64; n++) {
            spread.create(new dev.ferry.core.model.Alert(String.format("alr_spread_%03d", n), "mon_storm", "Storm",
                    "EXECUTION#exe_" + n, dev.ferry.core.model.MonitorTriggerType.EXECUTION_FAILED, "Execution failed",
                    "ins_1", "cus_1", "flc_1", "x", "exe_" + n, START.plusMillis(n), null, null, java.util.Map.of(),
                    java.util.List.of(), START.plus(java.time.Duration.ofDays(14))));
        }

        var items = ddb.scan(b -> b.tableName(table)).items().stream().filter(i -> i.containsKey("gsi1pk")).toList();
        org.assertj.core.api.Assertions.assertThat(items).hasSize(64);
        org.assertj.core.api.Assertions.assertThat(items.stream().map(i -> i.get("gsi1pk").s()).distinct().count())
                .as("all-alerts partitions written").isEqualTo(DynamoDbAlertStore.SHARDS);
        org.assertj.core.api.Assertions.assertThat(items.stream().map(i -> i.get("gsi2pk").s()).distinct().count())
                .as("the monitor's partitions written").isEqualTo(DynamoDbAlertStore.SHARDS);
    }
}

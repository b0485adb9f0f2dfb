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

    private String table;

    @BeforeEach
    void freshTable() {
        var ddb = TestResources.clients().dynamoDb();
        table = TestResources.createMonitorsTable(ddb);
        store = new DynamoDbMonitorStore(ddb, table);
    }

    @org.junit.jupiter.api.Test
    void oneMonitorsOutcomeCountsSpreadOverSixteenPartitionsAndAddUp() {
        var ddb = TestResources.clients().dynamoDb();
        java.time.Instant minute = java.time.Instant.parse("2026-12-06T10:00:00Z");
        for (int n = 0; n < 320; n++) store.countOutcome("mon_storm", minute, n % 4 == 0, minute.plusSeconds(86_400));

        org.assertj.core.api.Assertions.assertThat(store.outcomes("mon_storm", minute, minute))
                .isEqualTo(new MonitorStore.Outcomes(320, 80));
        var counters = ddb.scan(b -> b.tableName(table)).items().stream()
                .filter(i -> i.get("sk").s().startsWith("OUTCOMES#")).toList();
        org.assertj.core.api.Assertions.assertThat(counters.stream().map(i -> i.get("pk").s()).distinct().count())
                .as("partitions the counts were written to, in turn")
                .isEqualTo(DynamoDbMonitorStore.OUTCOME_SHARDS);
    }

    @Override
    protected MonitorStore store() {
        return store;
    }
}

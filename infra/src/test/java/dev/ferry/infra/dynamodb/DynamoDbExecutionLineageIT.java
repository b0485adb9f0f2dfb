package dev.ferry.infra.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionQuery;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.port.ExecutionLineageContract;
import dev.ferry.core.port.ExecutionStore;
import dev.ferry.infra.AwsClients;
import dev.ferry.infra.CallCounter;
import dev.ferry.infra.TestResources;
import dev.ferry.infra.s3.S3PayloadStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DynamoDbExecutionLineageIT extends ExecutionLineageContract {
    private static final CallCounter calls = new CallCounter();
    private static AwsClients counted;
    private static String bucket;
    private ExecutionStore store;

    @BeforeAll
    static void resetEmulator() {
        TestResources.reset();
        counted = AwsClients.fromEnv(TestResources.env(), List.of(calls));
        bucket = TestResources.createBucket(counted.s3());
    }

    @AfterAll
    static void close() {
        counted.close();
    }

    @BeforeEach
    void freshTable() {
        String table = TestResources.createExecutionsTable(counted.dynamoDb());
        store = new DynamoDbExecutionStore(counted.dynamoDb(), table, new S3PayloadStore(counted.s3(), bucket),
                this::flowConfigsOf, clock, 14);
        calls.reset();
    }

    @Override
    protected ExecutionStore store() {
        return store;
    }

    private Execution failed(int n) {
        return Execution.builder().id(id(n)).instanceId("ins_1").customerId("cus_1").flowConfigId("flc_1").flow("Push")
                .trigger(Trigger.WEBHOOK).status(ExecutionStatus.FAILED).queuedAt(START.minusSeconds(1000 - n)).attempt(1)
                .request(new ExecutionRequest("POST", "{}".getBytes(), Map.of(), Map.of(), "application/json"))
                .expiresAt(START.plus(Duration.ofDays(14))).build();
    }

    @Test
    void aHundredReplaysAreOneExistenceCheckAndFourBatchWritesAndAHundredFullReadsOneBatchGet() {
        List<Execution> replays = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int n = 1; n <= 100; n++) {
            store.create(failed(n));
            ids.add(id(n));
            if (n <= 100) {
                replays.add(failed(n).toBuilder().id(id(n) + "_rpj").trigger(Trigger.REPLAY).status(ExecutionStatus.QUEUED)
                        .replayOf(id(n)).queuedAt(START).build());
            }
        }
        calls.reset();

        assertThat(store.createReplays(replays)).hasSize(100);
        assertThat(calls.snapshot()).isEqualTo(Map.of("DynamoDb.BatchGetItem", 1L, "DynamoDb.BatchWriteItem", 4L));
        calls.reset();
        assertThat(store.getAll(ids)).hasSize(100);
        assertThat(calls.snapshot()).isEqualTo(Map.of("DynamoDb.BatchGetItem", 1L));
    }

    @Test
    void resolvingIsOneUpdateItem() {
        store.create(failed(1));
        calls.reset();

        store.markResolved(id(1));

        assertThat(calls.snapshot()).isEqualTo(Map.of("DynamoDb.UpdateItem", 1L));
    }

    @Test
    void unresolvedListingAcrossInstancesReadsOnlyTheSparseIndex() {
        for (int n = 1; n <= 60; n++) {
            store.create(n % 20 == 0 ? failed(n) : failed(n).toBuilder().status(ExecutionStatus.SUCCEEDED).build());
        }
        calls.reset();

        var page = store.list(new ExecutionQuery(null, null, null, null, null, START.minusSeconds(2000), null, true,
                true, 50, null));

        assertThat(page.items()).extracting(Execution::id).containsExactly(id(60), id(40), id(20));
        // One Query per shard of the sparse index, nothing else.
        assertThat(calls.snapshot()).isEqualTo(Map.of("DynamoDb.Query", (long) ExecutionItems.LIST_SHARDS));
    }
}

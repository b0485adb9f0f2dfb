package dev.ferry.infra.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.fakes.MutableClock;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionQuery;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.Page;
import dev.ferry.core.model.Trigger;
import dev.ferry.infra.AwsClients;
import dev.ferry.infra.CallCounter;
import dev.ferry.infra.TestResources;
import dev.ferry.infra.s3.S3PayloadStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What deleting an instance's executions costs per page of {@code InstanceDeletion}'s size (100):
 * AWS calls counted by an SDK interceptor, and the time on the emulator — the numbers behind the
 * request's 10 s budget (docs/benchmarks.md, "Instance deletion").
 */
class InstanceDeletionVolumeIT {
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private static final int EXECUTIONS = 1_000;
    private static final int PAGE = 100;
    private static final CallCounter CALLS = new CallCounter();
    private static AwsClients counted;

    @BeforeAll
    static void reset() {
        TestResources.reset();
        counted = AwsClients.fromEnv(TestResources.env(), List.of(CALLS));
    }

    @AfterAll
    static void close() {
        counted.close();
    }

    @Test
    void deletingAThousandExecutionsTakesSixCallsPerHundred() {
        String table = TestResources.createExecutionsTable(counted.dynamoDb());
        String bucket = TestResources.createBucket(counted.s3());
        DynamoDbExecutionStore store = new DynamoDbExecutionStore(counted.dynamoDb(), table,
                new S3PayloadStore(counted.s3(), bucket), instance -> List.of("flc_vol"), new MutableClock(NOW), 14);
        List<Execution> batch = new ArrayList<>();
        for (int i = 0; i < EXECUTIONS; i++) {
            batch.add(Execution.builder().id(String.format("exe_vol_%05d", i)).instanceId("ins_vol").customerId("cus_vol")
                    .flowConfigId("flc_vol").flow("f").trigger(Trigger.WEBHOOK).status(ExecutionStatus.FAILED)
                    .queuedAt(NOW.minusSeconds(EXECUTIONS - i)).attempt(1).integrationVersion(1)
                    .request(new ExecutionRequest("POST", ("{\"n\":" + i + "}").getBytes(), Map.of(), Map.of(), "application/json"))
                    .expiresAt(NOW.plus(Duration.ofDays(14))).build());
        }
        store.createReplays(batch); // BatchWriteItem: a bulk load
        CALLS.reset();

        long started = System.nanoTime();
        int pages = 0;
        long deleted = 0;
        String cursor = null;
        do {
            Page<String> page = store.deleteForInstance("ins_vol", PAGE, cursor);
            deleted += page.items().size();
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null);
        long ms = (System.nanoTime() - started) / 1_000_000;

        double perPage = (double) CALLS.total() / (EXECUTIONS / PAGE);
        assertThat(deleted).isEqualTo(EXECUTIONS);
        assertThat(store.count(ExecutionQuery.forInstance("ins_vol", 100))).isZero();
        System.out.printf("InstanceDeletionVolumeIT: %d executions deleted in %d pages, %d ms (%.1f ms per 100), "
                        + "%d AWS calls (%.2f per page of %d): %s%n", deleted, pages, ms, ms * 100.0 / EXECUTIONS,
                Math.round(perPage * (EXECUTIONS / PAGE)), perPage, PAGE, CALLS.snapshot());
        assertThat(perPage).isLessThanOrEqualTo(6.1);
    }
}

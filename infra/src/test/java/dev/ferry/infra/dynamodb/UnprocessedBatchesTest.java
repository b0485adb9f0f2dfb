package dev.ferry.infra.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.error.StoreException;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.Trigger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;

/**
 * What DynamoDB answers unprocessed (a partition over its throughput) is sent again only after a
 * wait that doubles, with jitter, through the injected sleeper; what stays unprocessed is a 503,
 * never dropped. A fake client answers; nothing leaves the process.
 */
class UnprocessedBatchesTest {
    private static final String TABLE = "executions";
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private final List<Duration> waits = new ArrayList<>();
    private final FakeDynamoDb ddb = new FakeDynamoDb();
    private final DynamoDbExecutionStore store = new DynamoDbExecutionStore(ddb, TABLE, null,
            instance -> "ins_1".equals(instance) ? List.of("flc_1") : List.of(), Clock.fixed(NOW, ZoneOffset.UTC), 14,
            DynamoDbExecutionStore.DEFAULT_MAX_ITEMS_READ, waits::add);

    @Test
    void unprocessedKeysAreAskedForAgainAfterWaitsThatDoubleWithJitter() {
        Execution e = execution("exe_1");
        ddb.unprocessedGets = 3;
        ddb.items = List.of(DynamoDbExecutionStore.itemOf(e));

        List<Execution> found = store.getAll(List.of("exe_1"));

        assertThat(found).extracting(Execution::id).containsExactly("exe_1");
        assertThat(ddb.gets).isEqualTo(4);
        assertThat(waits).hasSize(3);
        assertWaitBetween(waits.get(0), 25, 50);
        assertWaitBetween(waits.get(1), 50, 100);
        assertWaitBetween(waits.get(2), 100, 200);
    }

    @Test
    void unprocessedWritesAreSentAgainAfterWaitsThatDoubleWithJitter() {
        ddb.unprocessedWrites = 2;

        List<String> created = store.createReplays(List.of(execution("exe_1_rpj"), execution("exe_2_rpj")));

        assertThat(created).containsExactly("exe_1_rpj", "exe_2_rpj");
        assertThat(ddb.writes).isEqualTo(3);
        assertThat(waits).hasSize(2);
        assertWaitBetween(waits.get(0), 25, 50);
        assertWaitBetween(waits.get(1), 50, 100);
    }

    @Test
    void keysStillUnprocessedAfterTenCallsAreA503NotASilentDrop() {
        ddb.unprocessedGets = Integer.MAX_VALUE;

        // Replays whose existence could not be checked must not be written (they may exist already).
        assertThatThrownBy(() -> store.createReplays(List.of(execution("exe_1_rpj"))))
                .isInstanceOf(StoreException.class).hasMessageContaining("unprocessed after 10 calls");

        assertThat(ddb.gets).isEqualTo(10);
        assertThat(ddb.writes).isZero();
        assertThat(waits).hasSize(9);
        assertWaitBetween(waits.get(8), 1000, 2000); // capped at 2 s
    }

    @Test
    void eachWaitIsBetweenHalfAndAllOfItsCeiling() {
        assertThat(Batches.backoff(1, 0.0)).isEqualTo(Duration.ofMillis(25));
        assertThat(Batches.backoff(1, 1.0)).isEqualTo(Duration.ofMillis(50));
        assertThat(Batches.backoff(4, 0.5)).isEqualTo(Duration.ofMillis(300));
        assertThat(Batches.backoff(30, 1.0)).isEqualTo(Duration.ofSeconds(2));
    }

    private static void assertWaitBetween(Duration wait, long fromMs, long toMs) {
        assertThat(wait.toMillis()).isBetween(fromMs, toMs);
    }

    private static Execution execution(String id) {
        return Execution.builder().id(id).instanceId("ins_1").customerId("cus_1").flowConfigId("flc_1").flow("f")
                .trigger(Trigger.REPLAY).status(ExecutionStatus.QUEUED).queuedAt(NOW.minusSeconds(60)).attempt(1)
                .request(new ExecutionRequest("POST", "{}".getBytes(), Map.of(), Map.of(), "application/json"))
                .expiresAt(NOW.plus(Duration.ofDays(14))).build();
    }

    /** Answers BatchGetItem and BatchWriteItem, leaving everything unprocessed the first few times. */
    private static final class FakeDynamoDb implements DynamoDbClient {
        int unprocessedGets;
        int unprocessedWrites;
        int gets;
        int writes;
        List<Map<String, AttributeValue>> items = List.of();

        @Override
        public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
            gets++;
            if (gets <= unprocessedGets) return BatchGetItemResponse.builder().responses(Map.of())
                    .unprocessedKeys(request.requestItems()).build();
            return BatchGetItemResponse.builder().responses(Map.of(TABLE, items)).unprocessedKeys(Map.of()).build();
        }

        @Override
        public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
            writes++;
            if (writes <= unprocessedWrites) return BatchWriteItemResponse.builder()
                    .unprocessedItems(request.requestItems()).build();
            return BatchWriteItemResponse.builder().unprocessedItems(Map.of()).build();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {}
    }
}

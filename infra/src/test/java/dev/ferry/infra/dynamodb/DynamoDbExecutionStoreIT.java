package dev.ferry.infra.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.error.StoreException;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.port.ExecutionStore;
import dev.ferry.core.port.ExecutionStoreContract;
import dev.ferry.infra.AwsClients;
import dev.ferry.infra.CallCounter;
import dev.ferry.infra.TestResources;
import dev.ferry.infra.s3.S3PayloadStore;
import dev.ferry.core.model.ExecutionQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DynamoDbExecutionStoreIT extends ExecutionStoreContract {
    private static final CallCounter calls = new CallCounter();
    private static AwsClients counted;
    private static String bucket;
    private ExecutionStore store;
    private String table;

    /**
     * moto's server answers requests on parallel threads and takes no lock on an item, so two
     * conditional updates racing it can both pass (seen: 2 winners of 8 racing claims). DynamoDB
     * makes each conditional write atomic; against it or LocalStack run with
     * {@code -Dferry.aws.atomicWrites=true} to race the claims for real.
     */
    @Override
    protected boolean atomicConditionalWrites() {
        return Boolean.getBoolean("ferry.aws.atomicWrites");
    }

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
        table = TestResources.createExecutionsTable(counted.dynamoDb());
        store = new DynamoDbExecutionStore(counted.dynamoDb(), table, new S3PayloadStore(counted.s3(), bucket),
                this::flowConfigs, clock, 14);
        calls.reset();
    }

    /** The contract's instances, and this class's own: {@code ins_1} with the flow config {@code flc_1}. */
    private List<String> flowConfigs(String instance) {
        return "ins_1".equals(instance) ? List.of("flc_1") : flowConfigsOf(instance);
    }

    @Override
    protected ExecutionStore store() {
        return store;
    }

    private Execution small() {
        return Execution.builder().id(id(1)).instanceId("ins_1").customerId("cus_1").flowConfigId("flc_1")
                .trigger(Trigger.WEBHOOK).queuedAt(START)
                .request(new ExecutionRequest("POST", "{}".getBytes(), Map.of(), Map.of(), "application/json"))
                .build();
    }

    @Test
    void smallExecutionIsOnePutAndClaimIsOneUpdate() {
        store.create(small());
        assertThat(calls.snapshot()).isEqualTo(Map.of("DynamoDb.PutItem", 1L));

        calls.reset();
        assertThat(store.claim(id(1), START)).isPresent();
        assertThat(calls.snapshot()).isEqualTo(Map.of("DynamoDb.UpdateItem", 1L));

        calls.reset();
        assertThat(store.claim(id(1), START)).isEmpty();
        assertThat(calls.snapshot()).isEqualTo(Map.of("DynamoDb.UpdateItem", 1L));
    }

    private Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> rawItem(String id) {
        return counted.dynamoDb().getItem(b -> b.tableName(table).key(ExecutionItems.key(id)).consistentRead(true)).item();
    }

    @Test
    void aWebhookExecutionClaimedSoonAndEndedNeverEntersTheWatchedIndex() {
        Execution e = small().toBuilder().queuedAt(START.minusSeconds(5)).build();
        store.create(e);
        assertThat(rawItem(e.id())).as("accepted: awaits acknowledgement, not watched").containsKey("awaitsAck")
                .doesNotContainKey("queuedPk");

        calls.reset();
        Execution running = store.claim(e.id(), START, "msg-1#a", null).orElseThrow();
        assertThat(calls.snapshot()).as("one UpdateItem").isEqualTo(Map.of("DynamoDb.UpdateItem", 1L));
        assertThat(rawItem(e.id())).doesNotContainKey("queuedPk");

        store.save(running.toBuilder().end(ExecutionStatus.SUCCEEDED, START.plusSeconds(1)).build());
        assertThat(store.watchUnfinished(START.plusSeconds(2))).isEqualTo(new ExecutionStore.Watched(1, 0));
        assertThat(rawItem(e.id())).doesNotContainKey("queuedPk");
    }

    @Test
    void aClaimLateAfterTheQueueTimeEntersTheWatchedIndexItself() {
        Execution e = small().toBuilder().queuedAt(START.minus(ExecutionStore.LATE_CLAIM).minusMillis(1)).build();
        store.create(e);

        calls.reset();
        assertThat(store.claim(e.id(), START, "msg-1#a", null)).isPresent();

        assertThat(calls.snapshot()).as("the soon claim's condition fails, the late one applies")
                .isEqualTo(Map.of("DynamoDb.UpdateItem", 2L));
        assertThat(rawItem(e.id())).containsEntry("queuedPk",
                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(ExecutionItems.queuedPk(e.id())));
        assertThat(store.claim(e.id(), START, "msg-2#a", null)).as("a duplicate is still refused").isEmpty();
    }

    @Test
    void theSweepsWatchReadsEachShardOnceAndEntersOnlyRunningAndLastLookUnacknowledgedOnes() {
        for (int n = 1; n <= 6; n++) store.create(small().toBuilder().id(id(n)).queuedAt(START.minusSeconds(100 - n)).build());
        store.claim(id(1), START.minusSeconds(98), "msg-1#a", null); // running
        store.claim(id(2), START.minusSeconds(97), "msg-2#a", null).ifPresent(r ->
                store.save(r.toBuilder().end(ExecutionStatus.SUCCEEDED, START.minusSeconds(96)).build())); // ended
        store.create(small().toBuilder().id(id(7)).queuedAt(START.minusSeconds(10)).build()); // unclaimed, looked at again later
        calls.reset();

        ExecutionStore.Watched w = store.watchUnfinished(START);

        assertThat(w.read()).isEqualTo(7);
        assertThat(w.entered()).as("1 running, 4 unclaimed past their last look (3 to 6)").isEqualTo(5);
        assertThat(calls.snapshot()).containsEntry("DynamoDb.Query", 16L).containsEntry("DynamoDb.GetItem", 1L)
                .containsEntry("DynamoDb.PutItem", 1L).containsEntry("DynamoDb.UpdateItem", 5L);
        assertThat(rawItem(id(7))).doesNotContainKey("queuedPk");
        assertThat(store.unacknowledgedBefore(START, 10)).containsExactly(id(3), id(4), id(5), id(6));

        calls.reset();
        assertThat(store.watchUnfinished(START.plusSeconds(60))).as("the next minute: id 7 at its last look")
                .isEqualTo(new ExecutionStore.Watched(1, 1));
        assertThat(store.unacknowledgedBefore(START.plusSeconds(60), 10)).containsExactly(id(3), id(4), id(5), id(6), id(7));
    }

    @Test
    void savingAnUnchangedLargeBodyDoesNotUploadItAgain() {
        Execution e = small().toBuilder()
                .request(new ExecutionRequest("POST", new byte[DynamoDbExecutionStore.BODY_INLINE_MAX + 1], Map.of(),
                        Map.of(), "application/octet-stream"))
                .build();
        store.create(e);
        assertThat(calls.snapshot()).isEqualTo(Map.of("DynamoDb.PutItem", 1L, "S3.PutObject", 1L));
        Execution running = store.claim(e.id(), START).orElseThrow();

        calls.reset();
        store.save(running.toBuilder().end(ExecutionStatus.SUCCEEDED, START.plusSeconds(1)).build());

        assertThat(calls.snapshot()).isEqualTo(Map.of("DynamoDb.PutItem", 1L));
        assertThat(store.get(e.id()).orElseThrow().request()).isEqualTo(e.request());
    }

    @Test
    void getOfAnInlineExecutionIsOneGetItem() {
        store.create(small());
        calls.reset();

        assertThat(store.get(id(1))).isPresent();

        assertThat(calls.snapshot()).isEqualTo(Map.of("DynamoDb.GetItem", 1L));
    }

    @Test
    void aSelectiveListStopsAfterItsReadBudgetAndTheCursorGoesOnFromThere() {
        String table = TestResources.createExecutionsTable(counted.dynamoDb());
        DynamoDbExecutionStore tight = new DynamoDbExecutionStore(counted.dynamoDb(), table,
                new S3PayloadStore(counted.s3(), bucket), this::flowConfigs, clock, 14, 5);
        List<String> failedNewestFirst = new java.util.ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            ExecutionStatus status = i % 9 == 0 ? ExecutionStatus.FAILED : ExecutionStatus.SUCCEEDED;
            tight.create(small().toBuilder().id(id(i)).status(status).queuedAt(START.minusSeconds(100 - i)).build());
            if (status == ExecutionStatus.FAILED) failedNewestFirst.addFirst(id(i));
        }
        dev.ferry.core.model.ExecutionQuery q = new dev.ferry.core.model.ExecutionQuery("ins_1", null, null,
                ExecutionStatus.FAILED, null, null, null, false, false, 2, null);

        List<String> seen = new java.util.ArrayList<>();
        int pages = 0;
        String cursor = null;
        do {
            calls.reset();
            var page = tight.list(q.withCursor(cursor));
            assertThat(calls.snapshot().get("DynamoDb.Query")).as("queries per page").isLessThanOrEqualTo(5L);
            page.items().forEach(e -> seen.add(e.id()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null && pages < 100);

        assertThat(seen).containsExactlyElementsOf(failedNewestFirst);
        assertThat(pages).isGreaterThan(2);
    }

    /** Pages of a listing, each page's Query count checked, until no cursor is left; the ids in order. */
    private List<String> walk(ExecutionStore on, ExecutionQuery q, long maxQueriesPerPage) {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            calls.reset();
            var page = on.list(q.withCursor(cursor));
            assertThat(calls.snapshot().getOrDefault("DynamoDb.Query", 0L)).as("queries per page").isLessThanOrEqualTo(maxQueriesPerPage);
            page.items().forEach(e -> seen.add(e.id()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null && pages < 200);
        assertThat(cursor).as("the walk ended").isNull();
        return seen;
    }

    /** A deployment-wide page: a Query per shard, and a few more of the shards the merge needs further. */
    private static final long PER_PAGE = ExecutionItems.LIST_SHARDS + 10;

    private static ExecutionQuery everything(ExecutionStatus status, boolean unresolved, int limit) {
        return new ExecutionQuery(null, null, null, status, null, null, null, false, unresolved, limit, null);
    }

    @Test
    void aDaysExecutionsAreSpreadOverItsShardsAndTheDeploymentWideListMergesThemNewestFirst() {
        List<String> newestFirst = new ArrayList<>();
        // 90 executions of 7 instances over about 10 minutes, the first page's day and the one before.
        Instant last = Instant.parse("2025-06-02T00:04:00Z");
        for (int i = 1; i <= 90; i++) {
            store.create(small().toBuilder().id(id(i)).instanceId("ins_" + i % 7)
                    .queuedAt(last.minusSeconds(7L * (90 - i))).build());
            newestFirst.addFirst(id(i));
        }
        Map<String, Long> perPartition = counted.dynamoDb().scan(b -> b.tableName(table)).items().stream()
                .collect(Collectors.groupingBy(i -> i.get("queuedDay").s(), Collectors.counting()));
        assertThat(perPartition.keySet()).as("every entry in a shard, none in a day's partition")
                .allMatch(p -> p.matches("ALL#([0-9]|1[0-5])")).hasSizeGreaterThan(12);
        assertThat(perPartition.values()).as("no shard holds most of them").allMatch(n -> n < 20);

        clock.set(last.plusSeconds(60));
        assertThat(walk(store, everything(null, false, 7), PER_PAGE))
                .containsExactlyElementsOf(newestFirst);
        assertThat(walk(store, everything(null, false, 100), 100)).containsExactlyElementsOf(newestFirst);
    }

    @Test
    void aSelectiveDeploymentWideListStopsAtItsReadBudgetAndGoesOnAcrossTheShards() {
        String table = TestResources.createExecutionsTable(counted.dynamoDb());
        DynamoDbExecutionStore tight = new DynamoDbExecutionStore(counted.dynamoDb(), table,
                new S3PayloadStore(counted.s3(), bucket), this::flowConfigs, clock, 14, 30);
        List<String> failedNewestFirst = new ArrayList<>();
        for (int i = 1; i <= 120; i++) {
            ExecutionStatus status = i % 9 == 0 ? ExecutionStatus.FAILED : ExecutionStatus.SUCCEEDED;
            tight.create(small().toBuilder().id(id(i)).status(status).queuedAt(START.minusSeconds(200 - i)).build());
            if (status == ExecutionStatus.FAILED) failedNewestFirst.addFirst(id(i));
        }

        assertThat(walk(tight, everything(ExecutionStatus.FAILED, false, 2), PER_PAGE)).containsExactlyElementsOf(failedNewestFirst);
        assertThat(walk(tight, everything(null, true, 2), PER_PAGE)).as("unresolved failures, sharded alike")
                .containsExactlyElementsOf(failedNewestFirst);
        assertThat(tight.count(everything(null, true, 2))).isEqualTo(failedNewestFirst.size());
    }

    @Test
    void aShardRefusedByDynamoDbFailsTheListAsAStoreFailure() {
        DynamoDbExecutionStore absent = new DynamoDbExecutionStore(counted.dynamoDb(), "ferry-no-such-table",
                new S3PayloadStore(counted.s3(), bucket), this::flowConfigs, clock, 14);

        assertThatThrownBy(() -> absent.list(everything(null, false, 10)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("DynamoDB Query on ferry-no-such-table/byDay");
    }

    @Test
    void aPageOfAnInstancesExecutionsIsOneQueryOfKeysAndOneBatchGetItemOfThePage() {
        for (int n = 1; n <= 30; n++) {
            store.create(small().toBuilder().id(id(n)).queuedAt(START.minusSeconds(100 - n)).build());
        }
        calls.reset();

        var page = store.list(new dev.ferry.core.model.ExecutionQuery("ins_1", null, null, null, null, null, null,
                false, false, 10, null));

        assertThat(page.items()).extracting(Execution::id)
                .containsExactly(id(30), id(29), id(28), id(27), id(26), id(25), id(24), id(23), id(22), id(21));
        assertThat(page.items().getFirst().status()).isEqualTo(ExecutionStatus.QUEUED);
        assertThat(calls.snapshot()).isEqualTo(Map.of("DynamoDb.Query", 1L, "DynamoDb.BatchGetItem", 1L));
        var entry = counted.dynamoDb().query(b -> b.tableName(table).indexName(DynamoDbExecutionStore.BY_FLOW_CONFIG)
                .keyConditionExpression("flowConfigId = :f").limit(1)
                .expressionAttributeValues(Map.of(":f", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("flc_1"))))
                .items().getFirst();
        assertThat(entry).as("an index entry holds keys only").containsOnlyKeys("pk", "sk", "flowConfigId", "queuedKey");
    }

    @Test
    void aPageOfAnInstanceWithSeveralFlowsIsAQueryOfEachFlowConfigSentAtOnceAndOneBatchGetItem() {
        List<String> flows = List.of("flc_a", "flc_b", "flc_c");
        DynamoDbExecutionStore three = new DynamoDbExecutionStore(counted.dynamoDb(), table,
                new S3PayloadStore(counted.s3(), bucket), instance -> "ins_3".equals(instance) ? flows : List.of(), clock, 14);
        List<String> newestFirst = new ArrayList<>();
        for (int n = 1; n <= 60; n++) {
            three.create(small().toBuilder().id(id(n)).instanceId("ins_3").flowConfigId(flows.get(n % 3))
                    .queuedAt(START.minusSeconds(100 - n)).build());
            newestFirst.addFirst(id(n));
        }
        ExecutionQuery q = new ExecutionQuery("ins_3", null, null, null, null, null, null, false, false, 10, null);
        calls.reset();

        var page = three.list(q);

        assertThat(page.items()).extracting(Execution::id).containsExactlyElementsOf(newestFirst.subList(0, 10));
        assertThat(calls.snapshot()).isEqualTo(Map.of("DynamoDb.Query", 3L, "DynamoDb.BatchGetItem", 1L));
        assertThat(walk(three, q, 3)).containsExactlyElementsOf(newestFirst);
        assertThat(three.count(q)).isEqualTo(60);
        assertThat(new DynamoDbExecutionStore(counted.dynamoDb(), table, new S3PayloadStore(counted.s3(), bucket),
                instance -> List.of(), clock, 14).list(q).items()).as("an instance whose flow configs are gone").isEmpty();
    }

    @Test
    void listingAnInstancesHeldExecutionsIsOneQueryThatReadsOnlyHeldOnes() {
        for (int n = 1; n <= 30; n++) {
            Execution e = small().toBuilder().id(id(n)).queuedAt(START.minusSeconds(100 - n))
                    .status(n % 10 == 0 ? ExecutionStatus.HELD : ExecutionStatus.SUCCEEDED).build();
            store.create(e);
        }
        calls.reset();

        var page = store.listHeld("ins_1", 100, null);

        assertThat(page.items()).containsExactly(id(10), id(20), id(30));
        assertThat(calls.snapshot()).isEqualTo(Map.of("DynamoDb.Query", 1L));
        var scanned = counted.dynamoDb().query(b -> b.tableName(table).indexName(DynamoDbExecutionStore.BY_HELD)
                .keyConditionExpression("heldInstanceId = :i")
                .expressionAttributeValues(Map.of(":i", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("ins_1"))));
        assertThat(scanned.scannedCount()).as("items the index holds for the instance").isEqualTo(3);
        calls.reset();
        assertThat(store.release(id(10))).isTrue();
        assertThat(calls.snapshot()).isEqualTo(Map.of("DynamoDb.UpdateItem", 1L));
    }
}

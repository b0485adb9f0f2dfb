package dev.ferry.infra.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.fakes.MutableClock;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionQuery;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.StepResult;
import dev.ferry.core.model.Trigger;
import dev.ferry.infra.TestResources;
import dev.ferry.infra.dynamodb.DynamoDbExecutionStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Bodies and step results too big for a DynamoDB item go to S3 and come back whole. */
class ExecutionPayloadsIT {
    private static final Instant NOW = Instant.parse("2025-06-02T10:00:00Z");
    private static String bucket;
    private final DynamoDbClient ddb = TestResources.clients().dynamoDb();
    private final S3PayloadStore payloads = new S3PayloadStore(TestResources.clients().s3(), bucket);
    private String table;
    private DynamoDbExecutionStore store;

    @BeforeAll
    static void resetEmulator() {
        TestResources.reset();
        bucket = TestResources.createBucket(TestResources.clients().s3());
    }

    @BeforeEach
    void freshTable() {
        table = TestResources.createExecutionsTable(ddb);
        // Each instance of these tests has one flow config (a flow config belongs to one instance).
        store = new DynamoDbExecutionStore(ddb, table, payloads,
                instance -> List.of(Map.of("ins_1", "flc_1", "ins_del", "flc_del", "ins_kept", "flc_kept")
                        .getOrDefault(instance, "flc_none")), new MutableClock(NOW), 14);
    }

    private static Execution.Builder execution(String id) {
        return Execution.builder().id(id).instanceId("ins_1").customerId("cus_1").flowConfigId("flc_1").flow("f")
                .trigger(Trigger.WEBHOOK).queuedAt(NOW.minusSeconds(10)).integrationVersion(1);
    }

    private int storedItemBytes(String id) {
        var item = ddb.getItem(b -> b.tableName(table).key(Map.of(
                "pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("EXECUTION#" + id),
                "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("EXECUTION")))).item();
        int size = 0;
        for (var e : item.entrySet()) {
            var v = e.getValue();
            size += e.getKey().length();
            if (v.s() != null) size += v.s().length();
            if (v.b() != null) size += v.b().asByteArray().length;
        }
        return size;
    }

    @Test
    void fiveMegabyteStepOutputRoundTripsThroughS3() {
        ObjectNode output = JsonNodeFactory.instance.objectNode();
        String chunk = "0123456789abcdef".repeat(64); // 1 KiB
        for (int i = 0; i < 5 * 1024; i++) output.put("k" + i, chunk);
        Execution e = execution("exe_big_steps").status(ExecutionStatus.RUNNING)
                .request(new ExecutionRequest("POST", "{}".getBytes(), Map.of(), Map.of(), "application/json"))
                .build();
        store.create(e);
        Execution done = e.toBuilder()
                .steps(List.of(new StepResult("fetch", "http", StepResult.SUCCEEDED, NOW, NOW, 0, output, null)))
                .end(ExecutionStatus.SUCCEEDED, NOW)
                .build();

        store.save(done);

        assertThat(store.get(e.id())).contains(done);
        assertThat(payloads.get(DynamoDbExecutionStore.stepsKey(e.id())).orElseThrow().length).isGreaterThan(5 * 1024 * 1024);
        assertThat(storedItemBytes(e.id())).isLessThan(10_000);
        assertThat(store.list(ExecutionQuery.forInstance("ins_1", 10)).items()).extracting(Execution::steps)
                .containsExactly(List.of());
    }

    @Test
    void requestBodyOverOneMebibyteRoundTripsByteForByte() {
        byte[] body = new byte[1024 * 1024 + 17];
        new Random(42).nextBytes(body);
        Execution e = execution("exe_big_body")
                .request(new ExecutionRequest("POST", body, Map.of("content-type", "application/octet-stream"),
                        Map.of("a", "b"), "application/octet-stream"))
                .build();

        store.create(e);

        Execution read = store.get(e.id()).orElseThrow();
        assertThat(read).isEqualTo(e);
        assertThat(read.request().body()).isEqualTo(body);
        assertThat(payloads.get(DynamoDbExecutionStore.bodyKey(e.id())).orElseThrow()).isEqualTo(body);
        assertThat(storedItemBytes(e.id())).isLessThan(10_000);
        assertThat(store.claim(e.id(), NOW).orElseThrow().request().body()).isEqualTo(body);
    }

    @Test
    void smallPayloadsStayInTheItem() {
        Execution e = execution("exe_small")
                .request(new ExecutionRequest("POST", new byte[DynamoDbExecutionStore.BODY_INLINE_MAX], Map.of(), Map.of(), null))
                .build();

        store.create(e);

        assertThat(payloads.get(DynamoDbExecutionStore.bodyKey(e.id()))).isEmpty();
        assertThat(store.get(e.id())).contains(e);
    }

    @Test
    void payloadStoreKeepsBytesByKey() {
        byte[] bytes = {1, 2, 3};
        payloads.put("x/y", bytes);
        assertThat(payloads.get("x/y")).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes));
        payloads.delete("x/y");
        assertThat(payloads.get("x/y")).isEmpty();
        payloads.delete("x/y");
    }

    @Test
    void deletingAnInstancesExecutionsDeletesTheirS3PayloadsToo() {
        byte[] body = new byte[200_000];
        new Random(7).nextBytes(body);
        ObjectNode output = JsonNodeFactory.instance.objectNode();
        output.put("big", "x".repeat(200_000));
        Execution big = execution("exe_del_big").status(ExecutionStatus.SUCCEEDED).instanceId("ins_del").flowConfigId("flc_del")
                .request(new ExecutionRequest("POST", body, Map.of(), Map.of(), "application/octet-stream"))
                .steps(List.of(new StepResult("s", "transform", StepResult.SUCCEEDED, NOW, NOW, 0, output, null)))
                .build();
        Execution kept = execution("exe_del_kept").status(ExecutionStatus.QUEUED).instanceId("ins_kept").flowConfigId("flc_kept")
                .request(new ExecutionRequest("POST", body, Map.of(), Map.of(), "application/octet-stream")).build();
        store.create(big);
        store.create(kept);
        assertThat(keysUnder("executions/exe_del_big/")).hasSize(2);

        var page = store.deleteForInstance("ins_del", 100, null);

        assertThat(page.items()).containsExactly("exe_del_big");
        assertThat(keysUnder("executions/exe_del_big/")).isEmpty();
        assertThat(store.get("exe_del_big")).isEmpty();
        assertThat(keysUnder("executions/exe_del_kept/")).hasSize(1);
        assertThat(store.get("exe_del_kept").orElseThrow().request().body()).isEqualTo(body);
    }

    private List<String> keysUnder(String prefix) {
        return TestResources.clients().s3().listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(o -> o.key()).toList();
    }
}

package dev.ferry.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.error.StoreException;
import dev.ferry.core.fakes.MutableClock;
import dev.ferry.core.model.Customer;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionQuery;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.LogLine;
import dev.ferry.core.model.PauseMode;
import dev.ferry.core.model.Severity;
import dev.ferry.core.model.Trigger;
import dev.ferry.infra.dynamodb.DynamoDbCustomerStore;
import dev.ferry.infra.dynamodb.DynamoDbExecutionStore;
import dev.ferry.infra.dynamodb.DynamoDbInstanceStore;
import dev.ferry.infra.dynamodb.DynamoDbIntegrationStore;
import dev.ferry.infra.logs.CloudWatchLogsLogStore;
import dev.ferry.infra.s3.S3PayloadStore;
import dev.ferry.infra.sqs.SqsExecutionQueue;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every adapter turns an unreachable or silent AWS endpoint into StoreException (HTTP 503), quickly. */
class StoreUnavailableIT {
    private static AwsClients closed;
    private static int closedPort;

    @BeforeAll
    static void clientsForAClosedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        closed = AwsClients.fromEnv(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:" + closedPort,
                "FERRY_AWS_API_CALL_TIMEOUT_MS", "2000", "FERRY_AWS_CONNECT_TIMEOUT_MS", "500"));
    }

    @AfterAll
    static void close() {
        closed.close();
    }

    private static void unavailable(ThrowingCallable call) {
        long start = System.nanoTime();
        assertThatThrownBy(call).isInstanceOf(StoreException.class).hasMessageContaining("failed");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void configStoresAnswerUnavailable() {
        var customers = new DynamoDbCustomerStore(closed.dynamoDb(), "config");
        var integrations = new DynamoDbIntegrationStore(closed.dynamoDb(), "config");
        var instances = new DynamoDbInstanceStore(closed.dynamoDb(), "config");
        Instance i = new Instance("ins_1", "n", "cus_1", "int_1", 1, true, PauseMode.REJECT, Map.of(), Instant.EPOCH, null);

        unavailable(() -> customers.create(new Customer("cus_1", "n", null, Instant.EPOCH)));
        unavailable(() -> customers.get("cus_1"));
        unavailable(() -> customers.list(10, null));
        unavailable(() -> integrations.get("int_1"));
        unavailable(() -> instances.create(i, List.of()));
        unavailable(() -> instances.findRoute("tok"));
        unavailable(() -> instances.update(i));
        unavailable(() -> instances.touchLastExecuted("ins_1", Instant.EPOCH));
        unavailable(() -> instances.list("cus_1", 10, null));
        unavailable(() -> instances.listFlowConfigs("ins_1"));
    }

    @Test
    void executionStoreQueueBucketAndLogsAnswerUnavailable() {
        var payloads = new S3PayloadStore(closed.s3(), "bucket");
        var executions = new DynamoDbExecutionStore(closed.dynamoDb(), "executions", payloads,
                instance -> List.of("flc_1"), new MutableClock(Instant.parse("2025-06-02T10:00:00Z")), 14);
        var queue = new SqsExecutionQueue(closed.sqs(), "http://127.0.0.1:" + closedPort + "/000000000000/q");
        var logs = new CloudWatchLogsLogStore(closed.logs());
        Execution e = Execution.builder().id("exe_1").instanceId("ins_1").trigger(Trigger.WEBHOOK)
                .queuedAt(Instant.parse("2025-06-02T09:00:00Z")).build();

        unavailable(() -> executions.create(e));
        unavailable(() -> executions.get("exe_1"));
        unavailable(() -> executions.claim("exe_1", Instant.EPOCH));
        unavailable(() -> executions.save(e));
        unavailable(() -> executions.list(ExecutionQuery.forInstance("ins_1", 10)));
        unavailable(() -> payloads.put("k", new byte[1]));
        unavailable(() -> payloads.get("k"));
        unavailable(() -> queue.enqueue("exe_1"));
        unavailable(() -> logs.ensureGroup("cus_1"));
        unavailable(() -> logs.append("cus_1", "ins_1", "exe_1",
                List.of(new LogLine(Instant.now(), Severity.INFO, "m", "ins_1", "exe_1", null, null, 1))));
        unavailable(() -> logs.read("cus_1", "ins_1", "exe_1"));
    }

    @Test
    void silentEndpointTimesOutIntoUnavailable() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) accepted.add(silent.accept()); // accept, never answer
                } catch (IOException ignored) {
                    // closed at the end of the test
                }
            });
            try (AwsClients slow = AwsClients.fromEnv(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:" + silent.getLocalPort(),
                    "FERRY_AWS_API_CALL_TIMEOUT_MS", "800"))) {
                var customers = new DynamoDbCustomerStore(slow.dynamoDb(), "config");
                unavailable(() -> customers.get("cus_1"));
            } finally {
                silent.close();
                acceptor.join(2000);
                for (Socket s : accepted) s.close();
            }
        }
    }
}

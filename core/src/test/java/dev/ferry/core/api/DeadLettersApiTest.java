package dev.ferry.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.Ferry;
import dev.ferry.core.error.StoreException;
import dev.ferry.core.model.DeadLetterQueue;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.port.IntegrationStore;
import dev.ferry.core.testkit.FerryTestKit;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** GET /dead-letters and POST /dead-letters/redrive: a poison message seen, fixed, run once. */
class DeadLettersApiTest {
    private final FerryTestKit kit = new FerryTestKit();

    private JsonNode ok(String method, String path, Map<String, String> query, String body) {
        ApiResponse r = kit.api(method, path, query, body);
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        return FerryTestKit.json(r);
    }

    @Test
    void aPoisonExecutionMessageIsListedAndAfterTheFixARedriveRunsItOnce() {
        FerryTestKit.Demo demo = kit.seedDemo();
        AtomicBoolean broken = new AtomicBoolean(true);
        IntegrationStore real = kit.integrations;
        IntegrationStore flaky = (IntegrationStore) Proxy.newProxyInstance(IntegrationStore.class.getClassLoader(),
                new Class<?>[] {IntegrationStore.class}, (p, m, args) -> {
                    if (m.getName().equals("getVersion") && broken.get()) throw new StoreException("version unreadable", null);
                    try {
                        return m.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Ferry function = new Ferry(kit.ferry.ports().toBuilder().integrations(flaky).build(), kit.ferry.settings());
        Execution accepted = kit.ferry.webhooks().accept(demo.token(), new ExecutionRequest("POST",
                "{\"id\": 5}".getBytes(StandardCharsets.UTF_8), Map.of(), Map.of(), "application/json"));
        String body = "{\"executionId\":\"" + accepted.id() + "\"}";
        assertThat(kit.queue.drain()).containsExactly(accepted.id());
        for (int receive = 1; receive <= 5; receive++) { // SQS's maxReceiveCount, then the dead-letter queue
            assertThatThrownBy(() -> function.runner().run(accepted.id(), "msg-poison")).isInstanceOf(StoreException.class);
            assertThat(kit.executions.get(accepted.id()).orElseThrow().status()).as("given back, not stuck RUNNING")
                    .isEqualTo(ExecutionStatus.QUEUED);
        }
        String messageId = kit.deadLetters.put(DeadLetterQueue.EXECUTION, body, 5);

        JsonNode listed = ok("GET", "/dead-letters", Map.of("queue", "execution"), null);
        assertThat(listed.get("queue").asText()).isEqualTo("execution");
        assertThat(listed.get("items")).singleElement().satisfies(d -> {
            assertThat(d.get("id").asText()).isEqualTo(messageId);
            assertThat(d.get("summary").asText()).isEqualTo("executionId " + accepted.id());
            assertThat(d.get("body").asText()).isEqualTo(body);
            assertThat(d.get("receiveCount").asInt()).isEqualTo(6);
            assertThat(d.get("sentAt").asText()).isNotBlank();
        });

        broken.set(false); // the fix
        JsonNode redriven = ok("POST", "/dead-letters/redrive", Map.of(),
                "{\"queue\": \"execution\", \"messageIds\": [\"" + messageId + "\"]}");
        assertThat(redriven.get("moved")).extracting(JsonNode::asText).containsExactly(messageId);
        assertThat(redriven.get("notFound")).isEmpty();
        kit.drainQueue();

        assertThat(kit.executions.all()).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo(accepted.id());
            assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        });
        assertThat(kit.httpRequests).hasSize(1);
        assertThat(ok("GET", "/dead-letters", Map.of("queue", "execution"), null).get("items")).isEmpty();
    }

    @Test
    void redriveWithoutIdsMovesEveryDeadLetterOfTheQueue() {
        kit.deadLetters.put(DeadLetterQueue.REPLAY_JOB, "{\"replayJobId\":\"rpj_1\"}", 5);
        kit.deadLetters.put(DeadLetterQueue.REPLAY_JOB, "{\"replayJobId\":\"rpj_2\"}", 5);

        JsonNode r = ok("POST", "/dead-letters/redrive", Map.of(), "{\"queue\": \"replay-job\"}");

        assertThat(r.get("moved")).hasSize(2);
        assertThat(kit.replayJobQueue.drain()).containsExactly("rpj_1", "rpj_2");
    }

    @Test
    void badInputIsA400NamingTheField() {
        assertThat(kit.api("GET", "/dead-letters", Map.of(), null).bodyText()).contains("queue").contains("required");
        ApiResponse unknown = kit.api("GET", "/dead-letters", Map.of("queue", "orders"), null);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.bodyText()).contains("execution, retry, monitor, replay-job");
        assertThat(kit.api("GET", "/dead-letters", Map.of("queue", "retry", "limit", "0"), null).status()).isEqualTo(400);
        assertThat(kit.api("GET", "/dead-letters", Map.of("queue", "retry", "page", "2"), null).status()).isEqualTo(400);
        ApiResponse ids = kit.api("POST", "/dead-letters/redrive", Map.of(), "{\"queue\": \"retry\", \"messageIds\": \"m1\"}");
        assertThat(ids.status()).isEqualTo(400);
        assertThat(ids.bodyText()).contains("messageIds");
        assertThat(kit.api("POST", "/dead-letters/redrive", Map.of(), "{\"queue\": \"retry\", \"messageIds\": []}").status())
                .isEqualTo(400);
        assertThat(kit.api("POST", "/dead-letters/redrive", Map.of(), "{\"queue\": \"retry\", \"extra\": 1}").status())
                .isEqualTo(400);
        assertThat(kit.api("POST", "/dead-letters/redrive", Map.of(), "not json").status()).isEqualTo(400);
    }

    @Test
    void withoutTheAdminKeyTheRoutesAnswer401() {
        ApiResponse r = kit.ferry.api().handle(new ApiRequest("GET", "/dead-letters", Map.of("queue", "execution"), Map.of(),
                null, "https://api.example.test"));
        assertThat(r.status()).isEqualTo(401);
    }
}

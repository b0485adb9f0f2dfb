package dev.ferry.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.HttpCallResult;
import dev.ferry.core.testkit.FerryTestKit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the application counts for CloudWatch, recorded by the metrics port as it happens: each
 * ended execution (status, trigger, duration, a scheduled retry), replays made, alert deliveries
 * that ended — and nothing for a test run.
 */
class MetricsTest {
    static final String FLOWS = """
            {"name": "Retrying", "configVariables": [{"key": "apiBase"}, {"key": "apiKey", "secret": true}],
             "flows": [{"name": "Sync", "trigger": {"type": "webhook"},
              "retry": {"maxAttempts": 2, "delaySeconds": 60},
              "steps": [{"name": "call", "type": "http", "method": "GET", "url": "https://api.example.test/x"}]}]}
            """;
    final FerryTestKit kit = new FerryTestKit();
    FerryTestKit.Demo demo;

    @BeforeEach
    void seed() {
        demo = kit.seed(FLOWS);
    }

    String webhook() {
        String id = kit.ferry.webhooks().accept(demo.token(), new ExecutionRequest("POST",
                "{}".getBytes(StandardCharsets.UTF_8), Map.of(), Map.of(), "application/json")).id();
        kit.drainQueue();
        return id;
    }

    @Test
    void aFailureItsScheduledRetryTheRetryAndAReplayAreCounted() {
        kit.httpAnswer = new HttpCallResult(503, Map.of(), new byte[0]);
        kit.httpHandler = request -> {
            kit.clock.advance(Duration.ofMillis(250));
            return kit.httpAnswer;
        };
        String original = webhook();
        kit.httpAnswer = new HttpCallResult(200, Map.of(), "{}".getBytes(StandardCharsets.UTF_8));
        kit.clock.set(kit.retryQueue.nextDelivery());
        kit.dispatchRetries();
        kit.drainQueue();
        assertThat(kit.api("POST", "/executions/" + original + "/replay", null).status()).isEqualTo(202);
        kit.drainQueue();

        assertThat(kit.metrics.recorded()).containsExactly(
                "execution FAILED WEBHOOK 250ms retry",
                "execution SUCCEEDED RETRY 250ms",
                "replays 1 single",
                "execution SUCCEEDED REPLAY 250ms");
    }

    @Test
    void aTestRunIsNotCounted() {
        kit.ferry.runner().runTest(demo.flowConfigId(), new ExecutionRequest("POST",
                "{}".getBytes(StandardCharsets.UTF_8), Map.of(), Map.of(), "application/json"));

        assertThat(kit.metrics.recorded()).isEmpty();
    }

    @Test
    void anAlertDeliveryIsCountedWhenItEndsSentOrFailed() {
        kit.httpHandler = request -> new HttpCallResult(request.url().contains("slack") ? 200
                : request.url().contains("gone") ? 404 : 503, Map.of(), new byte[0]);
        assertThat(kit.api("POST", "/monitors", "{\"name\":\"m\",\"triggers\":[{\"type\":\"EXECUTION_FAILED_RETRY_PENDING\"}],"
                + "\"channels\":[{\"type\":\"slack\",\"url\":\"https://hooks.slack.example.test/services/T/B/x\"},"
                + "{\"url\":\"https://hooks.example.test/gone\"},{\"url\":\"https://hooks.example.test/down\"}]}")
                .status()).isEqualTo(201);

        webhook();
        kit.drainMonitorEvents();

        assertThat(kit.metrics.recorded()).as("the 503 is retried: not counted yet")
                .containsExactlyInAnyOrder("execution FAILED WEBHOOK 0ms retry", "alert slack sent", "alert webhook failed");
        for (int i = 0; i < 5; i++) {
            kit.clock.advance(Duration.ofMinutes(16));
            kit.drainMonitorEvents();
        }
        assertThat(kit.metrics.recorded()).filteredOn(l -> l.startsWith("alert"))
                .containsExactlyInAnyOrder("alert slack sent", "alert webhook failed", "alert webhook failed");
    }
}

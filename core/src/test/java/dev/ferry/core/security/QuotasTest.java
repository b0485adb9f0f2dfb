package dev.ferry.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.api.ApiResponse;
import dev.ferry.core.service.QuotaLimits;
import dev.ferry.core.service.Settings;
import dev.ferry.core.testkit.FerryTestKit;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Per-customer quotas: a customer key past a count quota is 409, past a rate quota 429 with Retry-After;
 * the answer names the quota and its limit, and nothing is written. Admin keys are not limited.
 */
class QuotasTest {
    static final QuotaLimits LIMITS = new QuotaLimits(2, 2, 2, 2, 1, 3);

    final FerryTestKit kit = new FerryTestKit(Settings.defaults().withQuotas(LIMITS));
    FerryTestKit.Demo demo;
    String key;

    @BeforeEach
    void seed() {
        demo = kit.seedDemo();
        key = kit.createApiKey("acme", demo.customerId());
    }

    ApiResponse as(String method, String path, String body) {
        return kit.apiAs(key, method, path, Map.of(), body);
    }

    static void assertQuota(ApiResponse r, int status, String quota, int limit) {
        assertThat(r.status()).as(r.bodyText()).isEqualTo(status);
        JsonNode error = FerryTestKit.json(r).get("error");
        assertThat(error.get("code").asText()).isEqualTo("quota_exceeded");
        assertThat(error.get("message").asText()).contains("quota " + quota + " exceeded", "at most " + limit + " ");
    }

    String instanceBody() {
        return "{\"name\":\"More\",\"customerId\":\"" + demo.customerId() + "\",\"integrationId\":\"" + demo.integrationId()
                + "\",\"configVariables\":{\"apiBase\":\"https://api.example.test\"}}";
    }

    String monitorBody(int channels) {
        StringBuilder c = new StringBuilder();
        for (int i = 0; i < channels; i++) {
            if (i > 0) c.append(',');
            c.append("{\"url\":\"https://alerts.example.test/").append(i).append("\"}");
        }
        return "{\"name\":\"Failures\",\"triggers\":[{\"type\":\"EXECUTION_FAILED\"}],\"scope\":{\"instanceId\":\""
                + demo.instanceId() + "\"},\"channels\":[" + c + "]}";
    }

    int instancesOfTheCustomer() {
        return kit.instances.list(demo.customerId(), 100, null).items().size();
    }

    @Test
    void instancesPastTheQuotaAre409AndNothingIsWritten() {
        assertThat(as("POST", "/instances", instanceBody()).status()).isEqualTo(201);
        String before = kit.stateSnapshot();

        assertQuota(as("POST", "/instances", instanceBody()), 409, "instances", 2);

        assertThat(kit.stateSnapshot()).isEqualTo(before);
        assertThat(instancesOfTheCustomer()).isEqualTo(2);
        assertThat(kit.api("POST", "/instances", instanceBody()).status()).as("an admin key is not limited").isEqualTo(201);
    }

    @Test
    void monitorsPastTheQuotaAre409UntilOneIsDeleted() {
        String first = FerryTestKit.json(as("POST", "/monitors", monitorBody(1))).get("id").asText();
        assertThat(as("POST", "/monitors", monitorBody(1)).status()).isEqualTo(201);
        int stored = kit.monitors.list(100, null).items().size();

        assertQuota(as("POST", "/monitors", monitorBody(1)), 409, "monitors", 2);
        assertThat(kit.monitors.list(100, null).items()).hasSize(stored);

        assertThat(as("DELETE", "/monitors/" + first, null).status()).isEqualTo(204);
        assertThat(as("POST", "/monitors", monitorBody(1)).status()).isEqualTo(201);
        assertThat(kit.api("POST", "/monitors", monitorBody(1)).status()).as("an admin key is not limited").isEqualTo(201);
    }

    @Test
    void aMonitorWithMoreChannelsThanTheQuotaIs409AndNothingIsWritten() {
        assertQuota(as("POST", "/monitors", monitorBody(3)), 409, "channelsPerMonitor", 2);

        assertThat(kit.monitors.list(100, null).items()).isEmpty();
        assertThat(as("POST", "/monitors", monitorBody(2)).status()).isEqualTo(201);
    }

    @Test
    void apiKeysPastTheQuotaAre409AndNothingIsWritten() {
        assertThat(as("POST", "/api-keys", "{\"name\":\"second\",\"customerId\":\"" + demo.customerId() + "\"}").status())
                .isEqualTo(201);

        assertQuota(as("POST", "/api-keys", "{\"name\":\"third\",\"customerId\":\"" + demo.customerId() + "\"}"),
                409, "apiKeys", 2);

        assertThat(kit.apiKeys.list(demo.customerId(), 100, null).items()).hasSize(2);
    }

    @Test
    void aSecondBulkJobWhileOneRunsIs409AndStartsOnceItEnded() {
        kit.httpAnswer = new dev.ferry.core.model.HttpCallResult(500, Map.of(), new byte[0]);
        kit.ferry.webhooks().accept(demo.token(), new dev.ferry.core.model.ExecutionRequest("POST",
                "{\"id\": 1}".getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of(), Map.of(), "application/json"));
        kit.drainQueue();
        kit.clock.advance(Duration.ofSeconds(1));
        String job = "{\"filter\":{\"customerId\":\"" + demo.customerId() + "\",\"status\":\"FAILED\"}}";
        ApiResponse first = as("POST", "/replays", job);
        assertThat(first.status()).as(first.bodyText()).isEqualTo(202);
        assertThat(FerryTestKit.json(first).get("status").asText()).isEqualTo("RUNNING");

        String before = kit.stateSnapshot();
        assertQuota(as("POST", "/replays", job), 409, "bulkJobsRunning", 1);
        assertThat(kit.replayJobs.all()).hasSize(1);
        assertThat(kit.replayJobQueue.pending()).hasSize(1);
        assertThat(kit.stateSnapshot()).isEqualTo(before);
        assertThat(as("POST", "/replays", job.replace("}}", "},\"dryRun\":true}")).status())
                .as("a dry run starts nothing and is not limited").isEqualTo(200);

        kit.drainReplayJobs();
        assertThat(as("POST", "/replays", job).status()).isEqualTo(202);
    }

    @Test
    void logSearchesPastTheRateAre429WithRetryAfterUntilTheNextMinute() {
        kit.clock.set(java.time.Instant.parse("2026-11-26T10:00:15Z"));
        String path = "/instances/" + demo.instanceId() + "/logs";
        for (int i = 0; i < 3; i++) assertThat(as("GET", path, null).status()).isEqualTo(200);

        ApiResponse refused = as("GET", path, null);

        assertQuota(refused, 429, "logSearchesPerMinute", 3);
        assertThat(refused.headers()).containsEntry("retry-after", "45");
        assertQuota(as("GET", "/customers/" + demo.customerId() + "/logs", null), 429, "logSearchesPerMinute", 3);
        assertThat(kit.api("GET", path, null).status()).as("an admin key is not limited").isEqualTo(200);
        kit.clock.advance(Duration.ofSeconds(45));
        assertThat(as("GET", path, null).status()).isEqualTo(200);
    }
}

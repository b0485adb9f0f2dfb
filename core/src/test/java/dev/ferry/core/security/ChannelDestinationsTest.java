package dev.ferry.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.api.ApiResponse;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.HttpCallResult;
import dev.ferry.core.testkit.FerryTestKit;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where an operator's alerts go (a Slack or PagerDuty URL is a credential) is shown only to admin keys and
 * to the customer whose key created the monitor: a customer reading an admin's monitor about its instance,
 * or the alerts it raised, sees that a delivery happened (status, time) but not its URL, headers or secret.
 */
class ChannelDestinationsTest {
    static final String ADMIN_HOOK = "https://events.pagerduty.example.test/integration/R0UTINGKEY42/enqueue";
    static final String ADMIN_SLACK = "https://hooks.slack.example.test/services/T0/B0/SLACKSECRET";
    static final String CUSTOMER_HOOK = "https://acme.example.test/ferry-alerts";
    static final String FLOWS = """
            {"name": "Order sync",
             "configVariables": [{"key": "apiBase", "required": true}, {"key": "apiKey", "secret": true}],
             "flows": [{"name": "Sync", "trigger": {"type": "webhook"},
               "steps": [{"name": "guard", "type": "fail", "message": "rejected"}]}]}
            """;

    final FerryTestKit kit = new FerryTestKit();
    FerryTestKit.Demo demo;
    String customerKey;

    @BeforeEach
    void seed() {
        demo = kit.seed(FLOWS);
        kit.httpHandler = request -> new HttpCallResult(200, Map.of(), new byte[0]);
        customerKey = kit.createApiKey("acme", demo.customerId());
    }

    String monitor(String key, String channels) {
        ApiResponse r = kit.apiAs(key, "POST", "/monitors", Map.of(), "{\"name\":\"Failures\",\"triggers\":"
                + "[{\"type\":\"EXECUTION_FAILED\"}],\"scope\":{\"instanceId\":\"" + demo.instanceId() + "\"},"
                + "\"channels\":[" + channels + "]}");
        assertThat(r.status()).as(r.bodyText()).isEqualTo(201);
        return FerryTestKit.json(r).get("id").asText();
    }

    void failOnce() {
        kit.ferry.webhooks().accept(demo.token(), new ExecutionRequest("POST",
                "{}".getBytes(StandardCharsets.UTF_8), Map.of(), Map.of(), "application/json"));
        kit.drainQueue();
        kit.drainMonitorEvents();
    }

    String adminChannels() {
        return "{\"type\":\"webhook\",\"url\":\"" + ADMIN_HOOK + "\",\"headers\":{\"X-Routing\":\"team-7\"},"
                + "\"secret\":\"adminsecret\"},{\"type\":\"slack\",\"url\":\"" + ADMIN_SLACK + "\"}";
    }

    static void assertNoDestination(ApiResponse r) {
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        assertThat(r.bodyText()).doesNotContain("pagerduty", "R0UTINGKEY42", "team-7", "X-Routing", "slack.example",
                "hooks.slack", "********");
    }

    @Test
    void aCustomerReadingAnAdminsAlertSeesTheDeliveryButNotWhere() {
        String id = monitor(FerryTestKit.ADMIN_KEY, adminChannels());
        failOnce();

        ApiResponse r = kit.apiAs(customerKey, "GET", "/alerts", Map.of(), null);

        assertNoDestination(r);
        JsonNode alert = FerryTestKit.json(r).get("items").get(0);
        assertThat(alert.get("monitorId").asText()).isEqualTo(id);
        JsonNode deliveries = alert.get("deliveries");
        assertThat(deliveries).hasSize(2);
        for (JsonNode d : deliveries) {
            assertThat(d.get("delivered").asBoolean()).isTrue();
            assertThat(d.get("status").asInt()).isEqualTo(200);
            assertThat(d.get("at").isNull()).isFalse();
            assertThat(d.get("url").isNull()).isTrue();
            assertThat(d.get("error").isNull()).isTrue();
            assertThat(d.get("hidden").asBoolean()).isTrue();
        }
        assertNoDestination(kit.apiAs(customerKey, "GET", "/alerts", Map.of("monitorId", id), null));
    }

    @Test
    void aCustomerReadingAnAdminsMonitorSeesOnlyItsChannelTypes() {
        String id = monitor(FerryTestKit.ADMIN_KEY, adminChannels());

        ApiResponse one = kit.apiAs(customerKey, "GET", "/monitors/" + id, Map.of(), null);
        ApiResponse list = kit.apiAs(customerKey, "GET", "/monitors", Map.of(), null);

        assertNoDestination(one);
        assertNoDestination(list);
        JsonNode channels = FerryTestKit.json(one).get("channels");
        assertThat(channels).hasSize(2);
        assertThat(channels.get(0).get("type").asText()).isEqualTo("webhook");
        assertThat(channels.get(1).get("type").asText()).isEqualTo("slack");
        assertThat(channels.get(0).get("hidden").asBoolean()).isTrue();
        assertThat(channels.get(0).has("secret")).isFalse();
        assertThat(FerryTestKit.json(list).get("items").get(0).get("channels").get(0).has("url")).isFalse();
    }

    @Test
    void theAdminStillSeesItsOwnDestinations() {
        String id = monitor(FerryTestKit.ADMIN_KEY, adminChannels());
        failOnce();

        assertThat(kit.api("GET", "/monitors/" + id, null).bodyText()).contains(ADMIN_HOOK, "team-7");
        assertThat(kit.api("GET", "/alerts", null).bodyText()).contains(ADMIN_HOOK);
    }

    @Test
    void aCustomerSeesWhereItsOwnMonitorsAlertsWent() {
        String id = monitor(customerKey, "{\"type\":\"webhook\",\"url\":\"" + CUSTOMER_HOOK + "\"}");
        failOnce();

        assertThat(kit.apiAs(customerKey, "GET", "/monitors/" + id, Map.of(), null).bodyText()).contains(CUSTOMER_HOOK);
        JsonNode d = FerryTestKit.json(kit.apiAs(customerKey, "GET", "/alerts", Map.of("monitorId", id), null))
                .get("items").get(0).get("deliveries").get(0);
        assertThat(d.get("url").asText()).isEqualTo(CUSTOMER_HOOK);
        assertThat(d.has("hidden")).isFalse();
    }
}

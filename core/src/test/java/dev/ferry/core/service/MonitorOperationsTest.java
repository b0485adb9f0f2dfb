package dev.ferry.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.api.ApiResponse;
import dev.ferry.core.model.Alert;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.HttpCallRequest;
import dev.ferry.core.model.HttpCallResult;
import dev.ferry.core.testkit.FerryTestKit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an operator does with monitors during an incident: change one, mute it until a time, list
 * those watching an instance or a customer, acknowledge an alert, and pause an instance on purpose
 * without paging anyone. On the in-memory application with the kit's clock; alerts go to a recorded
 * outbound HTTP.
 */
class MonitorOperationsTest {
    static final String ALERTS = "https://alerts.example.test/hook";
    static final String FAILING = """
            {"name": "Order sync",
             "configVariables": [{"key": "apiBase", "required": true}, {"key": "apiKey", "secret": true}],
             "flows": [{"name": "Sync", "trigger": {"type": "webhook"},
               "steps": [{"name": "guard", "type": "fail", "if": "{% $trigger.body.fail = true %}", "message": "rejected"}]}]}
            """;

    final FerryTestKit kit = new FerryTestKit();
    FerryTestKit.Demo demo;

    @BeforeEach
    void seed() {
        demo = kit.seed(FAILING);
        kit.httpHandler = request -> request.url().startsWith(ALERTS)
                ? new HttpCallResult(200, Map.of(), new byte[0]) : kit.httpAnswer;
    }

    String monitor(String trigger, String scope) {
        ApiResponse r = kit.api("POST", "/monitors", "{\"name\":\"Ops\",\"triggers\":[{\"type\":\"" + trigger + "\"}],"
                + "\"scope\":" + scope + ",\"channels\":[{\"type\":\"webhook\",\"url\":\"" + ALERTS + "\"}]}");
        assertThat(r.status()).as(r.bodyText()).isEqualTo(201);
        return FerryTestKit.json(r).get("id").asText();
    }

    String instanceScope() {
        return "{\"instanceId\":\"" + demo.instanceId() + "\"}";
    }

    void fail() {
        kit.ferry.webhooks().accept(demo.token(), new ExecutionRequest("POST",
                "{\"fail\": true}".getBytes(StandardCharsets.UTF_8), Map.of("content-type", "application/json"), Map.of(),
                "application/json"));
        kit.drainQueue();
        kit.drainMonitorEvents();
    }

    List<HttpCallRequest> delivered() {
        synchronized (kit.httpRequests) {
            return kit.httpRequests.stream().filter(r -> r.url().startsWith(ALERTS)).toList();
        }
    }

    List<Alert> alertsOf(String monitorId) {
        return kit.alerts.all().stream().filter(a -> a.monitorId().equals(monitorId)).toList();
    }

    static List<String> fields(ApiResponse r) {
        List<String> out = new ArrayList<>();
        FerryTestKit.json(r).get("error").get("details").forEach(d -> out.add(d.get("field").asText()));
        return out;
    }

    ApiResponse patch(String id, String body) {
        return kit.api("PATCH", "/monitors/" + id, body);
    }

    // ------------------------------------------------------------------ update

    @Test
    void patchChangesNameTriggersAndChannelsAndKeepsWhatItDoesNotName() {
        String id = monitor("EXECUTION_FAILED", instanceScope());

        ApiResponse r = patch(id, """
                {"name": "Renamed", "triggers": [{"type": "EXECUTION_DURATION_EXCEEDED", "durationSeconds": 30},
                 {"type": "EXECUTION_FAILED"}],
                 "channels": [{"type": "slack", "url": "https://hooks.slack.com/services/T0/B0/secretpart"}]}
                """);

        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        JsonNode m = FerryTestKit.json(r);
        assertThat(m.get("name").asText()).isEqualTo("Renamed");
        assertThat(m.get("triggers")).hasSize(2);
        assertThat(m.get("channels").get(0).get("type").asText()).isEqualTo("slack");
        assertThat(m.get("channels").get(0).get("url").asText()).doesNotContain("secretpart");
        assertThat(m.get("scope").get("instanceId").asText()).isEqualTo(demo.instanceId());
        assertThat(m.get("updatedAt").asText()).isEqualTo(kit.clock.instant().toString());
        assertThat(FerryTestKit.json(kit.api("GET", "/monitors/" + id, null))).isEqualTo(m);
    }

    @Test
    void everyBadFieldOfAPatchIsNamedInOne400AndNothingIsWritten() {
        String id = monitor("EXECUTION_FAILED", instanceScope());
        String before = kit.stateSnapshot();

        ApiResponse r = patch(id, """
                {"name": "", "triggers": [], "channels": [{"type": "pager"}], "mutedUntil": "tomorrow", "colour": 1}
                """);

        assertThat(r.status()).isEqualTo(400);
        assertThat(fields(r)).contains("name", "triggers", "channels[0].type", "mutedUntil", "colour");
        assertThat(kit.stateSnapshot()).isEqualTo(before);
        assertThat(patch(id, "{}").status()).as("nothing to change").isEqualTo(400);
        assertThat(patch(id, "{\"scope\":{\"instanceId\":\"ins_nope\"}}").status()).isEqualTo(400);
        assertThat(kit.stateSnapshot()).isEqualTo(before);
        assertThat(patch("mon_nope", "{\"name\":\"x\"}").status()).isEqualTo(404);
    }

    // ------------------------------------------------------------------ mute

    @Test
    void aMutedMonitorRecordsItsAlertsMutedAndDeliversNoneUntilUnmuted() {
        String id = monitor("EXECUTION_FAILED", instanceScope());
        String until = kit.clock.instant().plus(Duration.ofHours(2)).toString();

        ApiResponse muted = patch(id, "{\"mutedUntil\":\"" + until + "\"}");
        fail();

        assertThat(muted.status()).as(muted.bodyText()).isEqualTo(200);
        assertThat(FerryTestKit.json(muted).get("mutedUntil").asText()).isEqualTo(until);
        assertThat(delivered()).as("nothing sent while muted").isEmpty();
        assertThat(alertsOf(id)).singleElement().satisfies(a -> {
            assertThat(a.muted()).isTrue();
            assertThat(a.mutedReason()).contains("monitor muted until " + until);
            assertThat(a.deliveries()).isEmpty();
        });
        JsonNode listed = FerryTestKit.json(kit.api("GET", "/alerts", null)).get("items").get(0);
        assertThat(listed.get("muted").asBoolean()).isTrue();

        ApiResponse unmuted = patch(id, "{\"mutedUntil\":null}");
        fail();

        assertThat(FerryTestKit.json(unmuted).get("mutedUntil").isNull()).isTrue();
        assertThat(delivered()).hasSize(1);
        assertThat(alertsOf(id)).filteredOn(a -> !a.muted()).singleElement()
                .satisfies(a -> assertThat(a.deliveries()).singleElement().satisfies(d -> assertThat(d.delivered()).isTrue()));
    }

    @Test
    void aMuteEndsAtItsTime() {
        String id = monitor("EXECUTION_FAILED", instanceScope());
        patch(id, "{\"mutedUntil\":\"" + kit.clock.instant().plus(Duration.ofMinutes(30)) + "\"}");

        kit.clock.advance(Duration.ofMinutes(30));
        fail();

        assertThat(delivered()).hasSize(1);
        assertThat(alertsOf(id)).singleElement().extracting(Alert::muted).isEqualTo(false);
    }

    @Test
    void aMuteInThePastOrBeyondNinetyDaysIs400() {
        String id = monitor("EXECUTION_FAILED", instanceScope());
        String before = kit.stateSnapshot();

        ApiResponse past = patch(id, "{\"mutedUntil\":\"" + kit.clock.instant().minusSeconds(1) + "\"}");
        ApiResponse far = patch(id, "{\"mutedUntil\":\"" + kit.clock.instant().plus(Duration.ofDays(90)).plusSeconds(1) + "\"}");

        assertThat(past.status()).isEqualTo(400);
        assertThat(far.status()).isEqualTo(400);
        assertThat(far.bodyText()).contains("at most 90 days ahead");
        assertThat(fields(past)).containsExactly("mutedUntil");
        assertThat(kit.stateSnapshot()).isEqualTo(before);
        ApiResponse ninety = patch(id, "{\"mutedUntil\":\"" + kit.clock.instant().plus(Duration.ofDays(90)) + "\"}");
        assertThat(ninety.status()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ lists

    @Test
    void monitorsAreListedByTheInstanceTheyWatchOrByCustomer() {
        String onInstance = monitor("EXECUTION_FAILED", instanceScope());
        String onCustomer = monitor("EXECUTION_FAILED", "{\"customerId\":\"" + demo.customerId() + "\"}");
        String everything = monitor("EXECUTION_FAILED", "{}");
        FerryTestKit.Demo other = kit.seed(FAILING);
        String elsewhere = monitor("EXECUTION_FAILED", "{\"instanceId\":\"" + other.instanceId() + "\"}");

        List<String> watching = ids(kit.api("GET", "/monitors", Map.of("instanceId", demo.instanceId()), null));
        List<String> ofCustomer = ids(kit.api("GET", "/monitors", Map.of("customerId", demo.customerId()), null));

        assertThat(watching).containsExactlyInAnyOrder(onInstance, onCustomer, everything);
        assertThat(ofCustomer).containsExactlyInAnyOrder(onInstance, onCustomer);
        assertThat(ids(kit.api("GET", "/monitors", Map.of("instanceId", other.instanceId()), null))).contains(elsewhere)
                .doesNotContain(onInstance);
        assertThat(kit.api("GET", "/monitors", Map.of("instanceId", "ins_nope"), null).status()).isEqualTo(404);
    }

    static List<String> ids(ApiResponse r) {
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        FerryTestKit.json(r).get("items").forEach(i -> out.add(i.get("id").asText()));
        return out;
    }

    // ------------------------------------------------------------------ acknowledge

    @Test
    void anAcknowledgedAlertShowsWhoAndWhenOnceAndLeavesTheUnacknowledgedList() {
        monitor("EXECUTION_FAILED", instanceScope());
        fail();
        String alertId = FerryTestKit.json(kit.api("GET", "/alerts", null)).get("items").get(0).get("id").asText();
        String key = kit.createApiKey("oncall", demo.customerId());
        assertThat(ids(kit.api("GET", "/alerts", Map.of("acknowledged", "false"), null))).containsExactly(alertId);

        ApiResponse first = kit.apiAs(key, "POST", "/alerts/" + alertId + "/acknowledge", Map.of(), null);
        kit.clock.advance(Duration.ofMinutes(5));
        ApiResponse again = kit.api("POST", "/alerts/" + alertId + "/acknowledge", null);

        assertThat(first.status()).as(first.bodyText()).isEqualTo(200);
        JsonNode a = FerryTestKit.json(first);
        assertThat(a.get("acknowledgedBy").asText()).startsWith("oncall (");
        assertThat(a.get("acknowledgedAt").asText()).isEqualTo(kit.clock.instant().minus(Duration.ofMinutes(5)).toString());
        assertThat(again.status()).isEqualTo(200);
        JsonNode b = FerryTestKit.json(again);
        assertThat(b.get("acknowledgedBy")).as("idempotent: the first acknowledgement stays").isEqualTo(a.get("acknowledgedBy"));
        assertThat(b.get("acknowledgedAt")).isEqualTo(a.get("acknowledgedAt"));
        assertThat(a.get("deliveries").get(0).get("url").isNull()).as("the admin's channel, hidden from the customer").isTrue();
        assertThat(ids(kit.api("GET", "/alerts", Map.of("acknowledged", "false"), null))).isEmpty();
        assertThat(ids(kit.api("GET", "/alerts", Map.of("acknowledged", "true"), null))).containsExactly(alertId);
        assertThat(kit.api("GET", "/alerts", Map.of("acknowledged", "maybe"), null).status()).isEqualTo(400);
        assertThat(kit.api("POST", "/alerts/alr_nope/acknowledge", null).status()).isEqualTo(404);
    }

    // ------------------------------------------------------------------ a deliberate pause

    @Test
    void aPauseThroughTheApiRecordsWhoAndWhyAndItsDisabledAlertIsMuted() {
        String id = monitor("INSTANCE_DISABLED", instanceScope());

        ApiResponse paused = kit.api("POST", "/instances/" + demo.instanceId() + "/pause",
                "{\"reason\":\"Deploying v2\"}");
        kit.ferry.monitors().sweep();

        assertThat(paused.status()).as(paused.bodyText()).isEqualTo(200);
        JsonNode i = FerryTestKit.json(paused);
        assertThat(i.get("pausedBy").asText()).isEqualTo("admin");
        assertThat(i.get("pauseReason").asText()).isEqualTo("Deploying v2");
        assertThat(i.get("pausedAt").asText()).isEqualTo(kit.clock.instant().toString());
        assertThat(delivered()).as("a deliberate pause pages no one").isEmpty();
        assertThat(alertsOf(id)).singleElement().satisfies(a -> {
            assertThat(a.muted()).isTrue();
            assertThat(a.mutedReason()).isEqualTo("paused on purpose by admin: Deploying v2");
        });

        ApiResponse unpaused = kit.api("POST", "/instances/" + demo.instanceId() + "/unpause", null);
        assertThat(FerryTestKit.json(unpaused).get("pausedBy").isNull()).isTrue();
    }

    @Test
    void anInstanceDisabledByNoPersonStillAlerts() {
        String id = monitor("INSTANCE_DISABLED", instanceScope());
        kit.instances.update(kit.instances.get(demo.instanceId()).orElseThrow().withEnabled(false));

        kit.ferry.monitors().sweep();

        assertThat(delivered()).hasSize(1);
        assertThat(alertsOf(id)).singleElement().extracting(Alert::muted).isEqualTo(false);
    }

    @Test
    void aPauseReasonMustBeShortTextAndNothingElseIsTaken() {
        String before = kit.stateSnapshot();

        ApiResponse tooLong = kit.api("POST", "/instances/" + demo.instanceId() + "/pause",
                "{\"reason\":\"" + "x".repeat(501) + "\"}");
        ApiResponse unknown = kit.api("POST", "/instances/" + demo.instanceId() + "/pause", "{\"why\":\"x\"}");
        ApiResponse notText = kit.api("POST", "/instances/" + demo.instanceId() + "/pause", "{\"reason\":5}");

        assertThat(List.of(tooLong.status(), unknown.status(), notText.status())).containsOnly(400);
        assertThat(kit.stateSnapshot()).isEqualTo(before);
    }

    // ------------------------------------------------------------------ tenancy of a change

    @Test
    void aCustomerKeyMayMoveItsMonitorOnlyWithinItsCustomer() {
        String id = monitor("EXECUTION_FAILED", instanceScope());
        String key = kit.createApiKey("ops", demo.customerId());
        FerryTestKit.Demo other = kit.seed(FAILING);
        String before = kit.stateSnapshot();

        ApiResponse everything = kit.apiAs(key, "PATCH", "/monitors/" + id, Map.of(), "{\"scope\":{}}");
        ApiResponse theirs = kit.apiAs(key, "PATCH", "/monitors/" + id, Map.of(),
                "{\"scope\":{\"instanceId\":\"" + other.instanceId() + "\"}}");
        assertThat(everything.status()).isEqualTo(403);
        assertThat(theirs.status()).isEqualTo(400);
        assertThat(kit.stateSnapshot()).isEqualTo(before);

        ApiResponse own = kit.apiAs(key, "PATCH", "/monitors/" + id, Map.of(),
                "{\"scope\":{\"customerId\":\"" + demo.customerId() + "\"}}");
        assertThat(own.status()).as(own.bodyText()).isEqualTo(200);
    }
}

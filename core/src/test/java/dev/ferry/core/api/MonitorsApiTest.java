package dev.ferry.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.testkit.FerryTestKit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /monitors} and {@code /alerts}: shapes, input checks (a clear 400, nothing written), secrets masked. */
class MonitorsApiTest {
    final FerryTestKit kit = new FerryTestKit();
    FerryTestKit.Demo demo;

    @BeforeEach
    void seed() {
        demo = kit.seedDemo();
    }

    ApiResponse create(String body) {
        return kit.api("POST", "/monitors", body);
    }

    static List<String> fields(ApiResponse r) {
        List<String> out = new ArrayList<>();
        FerryTestKit.json(r).get("error").get("details").forEach(d -> out.add(d.get("field").asText()));
        return out;
    }

    @Test
    void createdMonitorIsShownWithItsScopeTriggersAndChannelsButNotItsSecret() {
        ApiResponse r = create("""
                {"name": "Slow orders",
                 "triggers": [{"type": "EXECUTION_DURATION_EXCEEDED", "durationSeconds": 300},
                              {"type": "failure_rate", "percent": 12.5, "windowMinutes": 60}],
                 "scope": {"instanceId": "%s", "flowConfigId": "%s"},
                 "channels": [{"type": "webhook", "url": "https://hooks.example.com/a",
                               "headers": {"X-Team": "ops", "Authorization": "Bearer abc"},
                               "template": "{\\"text\\": \\"$SUBJECT\\"}", "secret": "whsec-123"}]}
                """.formatted(demo.instanceId(), demo.flowConfigId()));

        assertThat(r.status()).as(r.bodyText()).isEqualTo(201);
        JsonNode m = FerryTestKit.json(r);
        assertThat(m.get("id").asText()).startsWith("mon_");
        assertThat(m.get("name").asText()).isEqualTo("Slow orders");
        assertThat(m.get("scope").get("instanceId").asText()).isEqualTo(demo.instanceId());
        assertThat(m.get("scope").get("flowConfigId").asText()).isEqualTo(demo.flowConfigId());
        assertThat(m.get("triggers").get(0).get("type").asText()).isEqualTo("EXECUTION_DURATION_EXCEEDED");
        assertThat(m.get("triggers").get(0).get("durationSeconds").asInt()).isEqualTo(300);
        assertThat(m.get("triggers").get(1).get("type").asText()).isEqualTo("FAILURE_RATE");
        assertThat(m.get("triggers").get(1).get("percent").asDouble()).isEqualTo(12.5);
        JsonNode c = m.get("channels").get(0);
        assertThat(c.get("url").asText()).isEqualTo("https://hooks.example.com/a");
        assertThat(c.get("headers").get("X-Team").asText()).isEqualTo("ops");
        assertThat(c.get("headers").get("Authorization").asText()).isEqualTo(Views.REDACTED);
        assertThat(c.get("secret").asText()).isEqualTo(Views.REDACTED);
        assertThat(c.get("template").asText()).isEqualTo("{\"text\": \"$SUBJECT\"}");

        String id = m.get("id").asText();
        ApiResponse got = kit.api("GET", "/monitors/" + id, null);
        assertThat(FerryTestKit.json(got)).isEqualTo(m);
        assertThat(got.bodyText()).doesNotContain("whsec-123").doesNotContain("Bearer abc");
        assertThat(kit.api("GET", "/monitors", null).bodyText()).doesNotContain("whsec-123").contains(id);
    }

    @Test
    void customerAndEverythingScopes() {
        ApiResponse customer = create("{\"name\":\"c\",\"triggers\":[{\"type\":\"EXECUTION_FAILED\"}],\"scope\":{\"customerId\":\""
                + demo.customerId() + "\"}}");
        ApiResponse everything = create("{\"name\":\"e\",\"triggers\":[{\"type\":\"EXECUTION_FAILED\"}],\"scope\":{},\"channels\":[]}");
        ApiResponse noScope = create("{\"name\":\"n\",\"triggers\":[{\"type\":\"INSTANCE_REMOVED\"}]}");

        assertThat(customer.status()).isEqualTo(201);
        assertThat(FerryTestKit.json(customer).get("scope").get("customerId").asText()).isEqualTo(demo.customerId());
        assertThat(everything.status()).isEqualTo(201);
        assertThat(noScope.status()).isEqualTo(201);
        assertThat(FerryTestKit.json(noScope).get("scope").get("instanceId").isNull()).isTrue();
    }

    @Test
    void everyBadFieldIsNamedAndNothingIsWritten() {
        ApiResponse r = create("""
                {"name": "", "extra": 1,
                 "triggers": [{"type": "EXECUTION_DURATION_EXCEEDED"},
                              {"type": "NOPE"},
                              {"type": "FAILURE_RATE", "percent": 0, "windowMinutes": 5000},
                              {"type": "LOG_LEVEL_MATCHED", "logSeverity": "INFO"},
                              {"type": "EXECUTION_FAILED", "durationSeconds": 3},
                              {"type": "EXECUTION_OVERDUE", "overdueMinutes": "ten"}],
                 "scope": {"customerId": "cus_1", "instanceId": "ins_1"},
                 "channels": [{"type": "pager", "url": "ftp://x", "headers": {"Host": "x", "bad name": "y", "X-A": 3}},
                              {"url": "https://ok.example.test", "secret": ""}]}
                """);

        assertThat(r.status()).isEqualTo(400);
        assertThat(fields(r)).contains("name", "extra", "triggers[0].durationSeconds", "triggers[1].type",
                "triggers[2].percent", "triggers[2].windowMinutes", "triggers[3].logSeverity", "triggers[4].durationSeconds",
                "triggers[5].overdueMinutes", "scope", "channels[0].type", "channels[0].url", "channels[0].headers.Host",
                "channels[0].headers.bad name", "channels[0].headers.X-A", "channels[1].secret");
        assertThat(kit.monitors.list(10, null).items()).isEmpty();
    }

    @Test
    void missingTriggersAndDuplicatesAreRejected() {
        assertThat(fields(create("{\"name\":\"x\"}"))).containsExactly("triggers");
        assertThat(fields(create("{\"name\":\"x\",\"triggers\":[]}"))).containsExactly("triggers");
        assertThat(fields(create("{\"name\":\"x\",\"triggers\":[{\"type\":\"EXECUTION_FAILED\"},{\"type\":\"EXECUTION_FAILED\"}]}")))
                .containsExactly("triggers[1].type");
        assertThat(fields(create("{\"name\":\"x\",\"triggers\":[{}]}"))).containsExactly("triggers[0].type");
    }

    @Test
    void aScopeNamingSomethingThatDoesNotExistIs400() {
        String t = "\"triggers\":[{\"type\":\"EXECUTION_FAILED\"}]";
        assertThat(fields(create("{\"name\":\"x\"," + t + ",\"scope\":{\"instanceId\":\"ins_nope\"}}"))).containsExactly("scope.instanceId");
        assertThat(fields(create("{\"name\":\"x\"," + t + ",\"scope\":{\"customerId\":\"cus_nope\"}}"))).containsExactly("scope.customerId");
        assertThat(fields(create("{\"name\":\"x\"," + t + ",\"scope\":{\"flowConfigId\":\"flc_nope\"}}"))).containsExactly("scope.flowConfigId");
        String other = FerryTestKit.json(kit.api("POST", "/instances", "{\"name\":\"Other\",\"customerId\":\"" + demo.customerId()
                + "\",\"integrationId\":\"" + demo.integrationId() + "\",\"configVariables\":{\"apiBase\":\"https://x\"}}")).get("id").asText();
        assertThat(fields(create("{\"name\":\"x\"," + t + ",\"scope\":{\"instanceId\":\"" + other + "\",\"flowConfigId\":\""
                + demo.flowConfigId() + "\"}}"))).containsExactly("scope.flowConfigId");
        assertThat(kit.monitors.list(10, null).items()).isEmpty();
    }

    @Test
    void deleteAnswers204ThenTheMonitorIsGone() {
        String id = FerryTestKit.json(create("{\"name\":\"x\",\"triggers\":[{\"type\":\"EXECUTION_FAILED\"}]}")).get("id").asText();

        assertThat(kit.api("DELETE", "/monitors/" + id, null).status()).isEqualTo(204);
        assertThat(kit.api("GET", "/monitors/" + id, null).status()).isEqualTo(404);
        assertThat(kit.api("DELETE", "/monitors/" + id, null).status()).isEqualTo(404);
    }

    @Test
    void alertListingChecksItsParameters() {
        ApiResponse bad = kit.api("GET", "/alerts", Map.of("since", "yesterday", "limit", "500", "foo", "1"), null);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(fields(bad)).containsExactlyInAnyOrder("since", "limit", "foo");

        ApiResponse ok = kit.api("GET", "/alerts", Map.of("since", "2026-01-01T00:00:00Z"), null);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(FerryTestKit.json(ok).get("items")).isEmpty();
    }

    @Test
    void monitorRoutesNeedTheApiKey() {
        ApiResponse r = kit.ferry.api().handle(new ApiRequest("GET", "/monitors", Map.of(), Map.of(), null, null));
        assertThat(r.status()).isEqualTo(401);
    }
}

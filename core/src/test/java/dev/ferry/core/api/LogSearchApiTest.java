package dev.ferry.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.testkit.FerryTestKit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /instances/{id}/logs} and {@code GET /customers/{id}/logs} (docs/views.md, "Log search"). */
class LogSearchApiTest {
    private final FerryTestKit kit = new FerryTestKit();
    private final FerryTestKit.Demo acme = kit.seedDemo();
    private final FerryTestKit.Demo other = kit.seedDemo();

    private static JsonNode json(ApiResponse r) {
        return FerryTestKit.json(r);
    }

    private String run(String token, String body) {
        Map<String, String> h = new HashMap<>();
        h.put("content-type", "application/json");
        String id = kit.ferry.webhooks().accept(token, new ExecutionRequest("POST", body.getBytes(StandardCharsets.UTF_8),
                h, Map.of(), "application/json")).id();
        kit.drainQueue();
        kit.clock.advance(Duration.ofSeconds(1));
        return id;
    }

    private JsonNode search(String path, Map<String, String> query) {
        ApiResponse r = kit.api("GET", path, query, null);
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        return json(r);
    }

    private static List<String> messages(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("items").forEach(l -> out.add(l.get("message").asText()));
        return out;
    }

    /** A second instance of acme's customer, returning its webhook token. */
    private String secondAcmeInstance() {
        JsonNode created = json(kit.api("POST", "/instances", "{\"name\":\"Acme returns\",\"customerId\":\""
                + acme.customerId() + "\",\"integrationId\":\"" + acme.integrationId()
                + "\",\"configVariables\":{\"apiBase\":\"https://api.example.test\",\"apiKey\":\"" + FerryTestKit.SECRET + "\"}}"));
        String url = created.get("flowConfigs").get(0).get("webhookUrl").asText();
        return url.substring(url.lastIndexOf('/') + 1);
    }

    @Test
    void instanceSearchFindsTheFlowsAndTheEnginesLinesByText() {
        String first = run(acme.token(), "{\"id\": 41}");
        run(acme.token(), "{\"id\": 42}");
        run(other.token(), "{\"id\": 42}");

        JsonNode page = search("/instances/" + acme.instanceId() + "/logs", Map.of("q", "ORDER 42 KEY"));

        assertThat(messages(page)).containsExactly("order 42 key ********");
        JsonNode line = page.get("items").get(0);
        assertThat(line.get("severity").asText()).isEqualTo("INFO");
        assertThat(line.get("step").asText()).isEqualTo("log");
        assertThat(line.get("instanceId").asText()).isEqualTo(acme.instanceId());
        assertThat(line.get("flowConfigId").asText()).isEqualTo(acme.flowConfigId());
        assertThat(line.get("attempt").asInt()).isEqualTo(1);
        assertThat(search("/instances/" + acme.instanceId() + "/logs", Map.of("q", first)).get("items"))
                .hasSize(kit.logs.read(acme.instanceId(), first).size())
                .allMatch(l -> l.get("executionId").asText().equals(first));
        assertThat(messages(search("/instances/" + acme.instanceId() + "/logs", Map.of("q", "\"execution succeeded\""))))
                .hasSize(2);
        assertThat(page.toString()).doesNotContain(FerryTestKit.SECRET);
        assertThat(search("/instances/" + acme.instanceId() + "/logs", Map.of("q", FerryTestKit.SECRET)).get("items")).isEmpty();
    }

    @Test
    void severityIsAMinimumLevel() {
        run(acme.token(), "{\"id\": 1}");
        kit.httpAnswer = new dev.ferry.core.model.HttpCallResult(404, Map.of(), "{}".getBytes(StandardCharsets.UTF_8));
        run(acme.token(), "{\"id\": 2}");
        String path = "/instances/" + acme.instanceId() + "/logs";

        JsonNode errors = search(path, Map.of("severity", "error"));
        JsonNode all = search(path, Map.of());
        JsonNode warnings = search(path, Map.of("severity", "WARN"));

        assertThat(errors.get("items")).isNotEmpty().allMatch(l -> l.get("severity").asText().equals("ERROR"));
        assertThat(warnings.get("items")).allMatch(l -> List.of("WARN", "ERROR").contains(l.get("severity").asText()));
        assertThat(warnings.get("items").size()).isGreaterThanOrEqualTo(errors.get("items").size());
        assertThat(all.get("items").size()).isGreaterThan(warnings.get("items").size());
    }

    @Test
    void sinceAndUntilBoundTheLinesAndPagesFollowEachOtherOldestFirst() {
        Instant before = kit.clock.instant();
        for (int i = 0; i < 5; i++) run(acme.token(), "{\"id\": " + i + "}");
        Instant middle = kit.clock.instant();
        for (int i = 5; i < 8; i++) run(acme.token(), "{\"id\": " + i + "}");
        String path = "/instances/" + acme.instanceId() + "/logs";

        assertThat(messages(search(path, Map.of("q", "order key", "until", middle.toString()))))
                .containsExactly("order 0 key ********", "order 1 key ********", "order 2 key ********",
                        "order 3 key ********", "order 4 key ********");
        assertThat(messages(search(path, Map.of("q", "order key", "since", middle.toString())))).hasSize(3);
        assertThat(messages(search(path, Map.of("q", "order key", "since", before.toString(), "until", before.toString()))))
                .isEmpty();

        List<String> paged = new ArrayList<>();
        Map<String, String> q = new HashMap<>(Map.of("q", "order key", "limit", "3"));
        int pages = 0;
        while (true) {
            JsonNode page = search(path, q);
            pages++;
            paged.addAll(messages(page));
            if (page.get("nextCursor").isNull()) break;
            q.put("cursor", page.get("nextCursor").asText());
        }
        assertThat(paged).hasSize(8).startsWith("order 0 key ********").endsWith("order 7 key ********");
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void customerSearchCoversAllItsInstancesAndNoOneElses() {
        String returns = secondAcmeInstance();
        run(acme.token(), "{\"id\": 1}");
        run(returns, "{\"id\": 2}");
        run(other.token(), "{\"id\": 3}");

        JsonNode page = search("/customers/" + acme.customerId() + "/logs", Map.of("q", "order key"));

        assertThat(messages(page)).containsExactly("order 1 key ********", "order 2 key ********");
        assertThat(page.get("items")).extracting(l -> l.get("instanceId").asText()).doesNotContain(other.instanceId());
        assertThat(messages(search("/customers/" + other.customerId() + "/logs", Map.of("q", "order key"))))
                .containsExactly("order 3 key ********");
    }

    @Test
    void linesPastRetentionAreNotReturned() {
        run(acme.token(), "{\"id\": 1}");
        kit.clock.advance(Duration.ofDays(13));
        run(acme.token(), "{\"id\": 2}");
        kit.clock.advance(Duration.ofDays(1));

        assertThat(messages(search("/instances/" + acme.instanceId() + "/logs", Map.of("q", "order key"))))
                .containsExactly("order 2 key ********");
        assertThat(messages(search("/instances/" + acme.instanceId() + "/logs",
                Map.of("q", "order key", "since", "2000-01-01T00:00:00Z")))).containsExactly("order 2 key ********");
    }

    @Test
    void unknownInstanceOrCustomerIs404() {
        assertThat(kit.api("GET", "/instances/ins_nobody/logs", null).status()).isEqualTo(404);
        assertThat(kit.api("GET", "/customers/cus_nobody/logs", null).status()).isEqualTo(404);
    }

    @Test
    void badSearchParametersAre400NamingEachField() {
        ApiResponse r = kit.api("GET", "/instances/" + acme.instanceId() + "/logs", Map.of("severity", "LOUD",
                "since", "soon", "limit", "101", "q", "x".repeat(501), "level", "x"), null);

        assertThat(r.status()).isEqualTo(400);
        assertThat(json(r).get("error").get("details")).extracting(d -> d.get("field").asText())
                .containsExactlyInAnyOrder("severity", "since", "limit", "q", "level");
        ApiResponse cursor = kit.api("GET", "/customers/" + acme.customerId() + "/logs", Map.of("cursor", "nope!"), null);
        assertThat(cursor.status()).isEqualTo(400);
        ApiResponse reversed = kit.api("GET", "/instances/" + acme.instanceId() + "/logs",
                Map.of("since", "2026-11-26T10:00:00Z", "until", "2026-11-26T09:00:00Z"), null);
        assertThat(reversed.status()).isEqualTo(400);
    }
}

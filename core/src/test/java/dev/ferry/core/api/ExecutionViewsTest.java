package dev.ferry.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.testkit.FerryTestKit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Executions views of the management API (docs/views.md): every filter, paging, scoping, detail, retention. */
class ExecutionViewsTest {
    private final FerryTestKit kit = new FerryTestKit();
    private final FerryTestKit.Demo acme = kit.seedDemo();
    private final FerryTestKit.Demo other = kit.seedDemo();

    private static JsonNode json(ApiResponse r) {
        return FerryTestKit.json(r);
    }

    private JsonNode get(String path, Map<String, String> query) {
        ApiResponse r = kit.api("GET", path, query, null);
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        return json(r);
    }

    private List<String> ids(String path, Map<String, String> query) {
        List<String> out = new ArrayList<>();
        get(path, query).get("items").forEach(n -> out.add(n.get("id").asText()));
        return out;
    }

    /** Stores an execution of the demo's flow config queued {@code minutesAgo} before now. */
    private String stored(FerryTestKit.Demo d, int minutesAgo, ExecutionStatus status, Trigger trigger, String retryOf) {
        Instant queued = kit.clock.instant().minus(Duration.ofMinutes(minutesAgo));
        String id = kit.ids.newId("exe");
        kit.executions.create(Execution.builder().id(id).instanceId(d.instanceId()).customerId(d.customerId())
                .flowConfigId(d.flowConfigId()).flow("On new order").trigger(trigger).status(status).queuedAt(queued)
                .attempt(retryOf == null ? 1 : 2).retryOf(trigger == Trigger.RETRY ? retryOf : null)
                .replayOf(trigger == Trigger.REPLAY ? retryOf : null).integrationVersion(1)
                .expiresAt(queued.plus(Duration.ofDays(14))).build());
        return id;
    }

    private static ExecutionRequest request(byte[] body, String contentType) {
        Map<String, String> h = new HashMap<>();
        h.put("content-type", contentType);
        h.put("x-request-id", "req-7");
        return new ExecutionRequest("PUT", body, h, Map.of("source", "shop", "page", "2"), contentType);
    }

    @Test
    void integrationVersionIsNullUntilTheRunRecordsTheVersionItRanOn() {
        String webhook = kit.ferry.webhooks().accept(acme.token(), request("{\"id\": 1}".getBytes(StandardCharsets.UTF_8),
                "application/json")).id();
        kit.api("POST", "/instances/" + acme.instanceId() + "/pause", null);
        String replay = json(kit.api("POST", "/executions/" + webhook + "/replay", "{}")).get("executionId").asText();

        JsonNode queued = get("/executions/" + webhook, Map.of());
        assertThat(queued.get("status").asText()).isEqualTo("QUEUED");
        assertThat(queued.has("integrationVersion")).isTrue();
        assertThat(queued.get("integrationVersion").isNull()).as("queued: not run yet").isTrue();
        JsonNode held = get("/executions/" + replay, Map.of());
        assertThat(held.get("status").asText()).isEqualTo("HELD");
        assertThat(held.get("integrationVersion").isNull()).as("held: not run yet").isTrue();
        assertThat(get("/executions", Map.of("instanceId", acme.instanceId())).get("items"))
                .allSatisfy(e -> assertThat(e.get("integrationVersion").isNull()).isTrue());

        kit.api("POST", "/instances/" + acme.instanceId() + "/unpause", null);
        kit.drainQueue();
        assertThat(get("/executions/" + webhook, Map.of()).get("integrationVersion").asInt()).isEqualTo(1);
        assertThat(get("/executions/" + replay, Map.of()).get("integrationVersion").asInt()).isEqualTo(1);
    }

    @Test
    void everyFilterNarrowsTheListNewestFirst() {
        String a = stored(acme, 50, ExecutionStatus.SUCCEEDED, Trigger.WEBHOOK, null);
        String b = stored(acme, 40, ExecutionStatus.FAILED, Trigger.SCHEDULE, null);
        String c = stored(acme, 30, ExecutionStatus.FAILED, Trigger.RETRY, b);
        String d = stored(acme, 20, ExecutionStatus.SUCCEEDED, Trigger.REPLAY, b);
        String e = stored(acme, 10, ExecutionStatus.HELD, Trigger.TEST, null);
        String x = stored(other, 5, ExecutionStatus.FAILED, Trigger.WEBHOOK, null);
        String at40 = kit.clock.instant().minus(Duration.ofMinutes(40)).toString();
        String at20 = kit.clock.instant().minus(Duration.ofMinutes(20)).toString();

        assertThat(ids("/executions", Map.of())).containsExactly(x, e, d, c, b, a);
        assertThat(ids("/executions", Map.of("instanceId", acme.instanceId()))).containsExactly(e, d, c, b, a);
        assertThat(ids("/executions", Map.of("customerId", other.customerId()))).containsExactly(x);
        assertThat(ids("/executions", Map.of("flowConfigId", acme.flowConfigId()))).containsExactly(e, d, c, b, a);
        assertThat(ids("/executions", Map.of("status", "failed"))).containsExactly(x, c, b);
        assertThat(ids("/executions", Map.of("trigger", "SCHEDULE"))).containsExactly(b);
        assertThat(ids("/executions", Map.of("instanceId", acme.instanceId(), "since", at40))).containsExactly(e, d, c, b);
        assertThat(ids("/executions", Map.of("instanceId", acme.instanceId(), "until", at20))).containsExactly(c, b, a);
        assertThat(ids("/executions", Map.of("since", at40, "until", at20))).containsExactly(c, b);
        assertThat(ids("/executions", Map.of("instanceId", acme.instanceId(), "originalsOnly", "true")))
                .containsExactly(e, b, a);
        assertThat(ids("/executions", Map.of("instanceId", acme.instanceId(), "status", "FAILED", "originalsOnly", "true",
                "trigger", "SCHEDULE"))).containsExactly(b);
    }

    @Test
    void paginationCrossesPagesWithEveryExecutionOnce() {
        List<String> newestFirst = new ArrayList<>();
        for (int i = 0; i < 11; i++) newestFirst.addFirst(stored(acme, 60 - i, ExecutionStatus.SUCCEEDED, Trigger.WEBHOOK, null));

        for (String path : List.of("/executions", "/customers/" + acme.customerId() + "/executions")) {
            List<String> seen = new ArrayList<>();
            Map<String, String> query = new HashMap<>(Map.of("limit", "4"));
            int pages = 0;
            while (true) {
                JsonNode page = get(path, query);
                pages++;
                page.get("items").forEach(n -> seen.add(n.get("id").asText()));
                if (page.get("nextCursor").isNull()) break;
                assertThat(page.get("items")).hasSize(4);
                query.put("cursor", page.get("nextCursor").asText());
            }
            assertThat(seen).as(path).containsExactlyElementsOf(newestFirst);
            assertThat(pages).isEqualTo(3);
        }
    }

    @Test
    void customerViewNeverShowsAnotherCustomersExecutions() {
        String mine = stored(acme, 30, ExecutionStatus.SUCCEEDED, Trigger.WEBHOOK, null);
        String theirs = stored(other, 20, ExecutionStatus.FAILED, Trigger.WEBHOOK, null);
        String path = "/customers/" + acme.customerId() + "/executions";

        assertThat(ids(path, Map.of())).containsExactly(mine);
        assertThat(ids(path, Map.of("instanceId", other.instanceId()))).isEmpty();
        assertThat(ids(path, Map.of("flowConfigId", other.flowConfigId()))).isEmpty();
        assertThat(ids(path, Map.of("status", "FAILED"))).isEmpty();
        assertThat(ids("/customers/" + other.customerId() + "/executions", Map.of())).containsExactly(theirs);

        ApiResponse override = kit.api("GET", path, Map.of("customerId", other.customerId()), null);
        assertThat(override.status()).isEqualTo(400);
        assertThat(json(override).get("error").get("details").get(0).get("field").asText()).isEqualTo("customerId");
    }

    @Test
    void aCursorOfAnotherListingIsRejected() {
        for (int i = 0; i < 3; i++) stored(other, 30 - i, ExecutionStatus.SUCCEEDED, Trigger.WEBHOOK, null);
        String theirCursor = get("/customers/" + other.customerId() + "/executions", Map.of("limit", "1"))
                .get("nextCursor").asText();

        ApiResponse r = kit.api("GET", "/customers/" + acme.customerId() + "/executions",
                Map.of("cursor", theirCursor + "x!"), null);

        assertThat(r.status()).isEqualTo(400);
    }

    @Test
    void unknownCustomerIs404() {
        assertThat(kit.api("GET", "/customers/cus_nobody/executions", null).status()).isEqualTo(404);
    }

    @Test
    void badFiltersAre400NamingEachField() {
        ApiResponse r = kit.api("GET", "/executions", Map.of("trigger", "CRON", "since", "yesterday",
                "originalsOnly", "maybe", "limit", "0", "colour", "red"), null);

        assertThat(r.status()).isEqualTo(400);
        assertThat(json(r).get("error").get("details")).extracting(d -> d.get("field").asText())
                .containsExactlyInAnyOrder("trigger", "since", "originalsOnly", "limit", "colour");
        ApiResponse reversed = kit.api("GET", "/executions", Map.of("since", "2026-11-26T10:00:00Z",
                "until", "2026-11-26T09:00:00Z"), null);
        assertThat(reversed.status()).isEqualTo(400);
    }

    @Test
    void detailHasTheRequestByteExactWithStepOutputs() {
        byte[] body = {0x00, (byte) 0xff, 'h', 'i', (byte) 0x80, '\n'};
        String id = kit.ferry.webhooks().accept(acme.token(), request(body, "application/octet-stream")).id();
        kit.drainQueue();

        JsonNode e = get("/executions/" + id, Map.of());

        JsonNode r = e.get("request");
        assertThat(r.get("method").asText()).isEqualTo("PUT");
        assertThat(r.get("bodyEncoding").asText()).isEqualTo("base64");
        assertThat(Base64.getDecoder().decode(r.get("body").asText())).containsExactly(body);
        assertThat(r.get("headers").get("x-request-id").asText()).isEqualTo("req-7");
        assertThat(r.get("query").get("source").asText()).isEqualTo("shop");
        assertThat(r.get("contentType").asText()).isEqualTo("application/octet-stream");
        assertThat(e.get("steps")).extracting(s -> s.get("name").asText()).containsExactly("log", "fetch", "shape");
        assertThat(e.get("steps").get(1).get("output").get("status").asInt()).isEqualTo(200);
        assertThat(e.get("steps").get(1).get("output").get("body").get("ok").asBoolean()).isTrue();
        assertThat(e.toString()).doesNotContain(FerryTestKit.SECRET);
    }

    @Test
    void failedExecutionNamesTheFailingStepAndReplaysAreLinkedBothWays() {
        FerryTestKit.Demo failing = kit.seed("""
                {"name": "Strict", "configVariables": [{"key": "apiBase"}, {"key": "apiKey", "secret": true}],
                 "flows": [{"name": "On new order", "trigger": {"type": "webhook"}, "steps": [
                   {"name": "shape", "type": "transform", "output": {"id": "{% $trigger.body.id %}"}},
                   {"name": "guard", "type": "fail", "if": "{% $steps.shape.id = null %}", "message": "no id", "retryable": false}
                 ]}]}
                """);
        String id = kit.ferry.webhooks().accept(failing.token(), request("{}".getBytes(StandardCharsets.UTF_8),
                "application/json")).id();
        kit.drainQueue();
        String replay = json(kit.api("POST", "/executions/" + id + "/replay", "{\"body\": {\"id\": 9}}"))
                .get("executionId").asText();
        kit.drainQueue();

        JsonNode original = get("/executions/" + id, Map.of());
        assertThat(original.get("status").asText()).isEqualTo("FAILED");
        assertThat(original.get("error").get("step").asText()).isEqualTo("guard");
        assertThat(original.get("error").get("message").asText()).isEqualTo("no id");
        assertThat(original.get("error").get("retryable").asBoolean()).isFalse();
        assertThat(original.get("steps").get(1).get("status").asText()).isEqualTo("FAILED");
        assertThat(original.get("replays")).extracting(JsonNode::asText).containsExactly(replay);
        assertThat(original.get("resolved").asBoolean()).isTrue();
        JsonNode again = get("/executions/" + replay, Map.of());
        assertThat(again.get("replayOf").asText()).isEqualTo(id);
        assertThat(again.get("trigger").asText()).isEqualTo("REPLAY");
        for (String field : List.of("retryOf", "nextRetryAt", "retriesRemaining", "cancelledBy", "attempt", "integrationVersion")) {
            assertThat(again.has(field)).as(field).isTrue();
        }
    }

    @Test
    void anExecutionPastRetentionIsNotReturnedAnywhere() {
        String id = kit.ferry.webhooks().accept(acme.token(), request("{\"id\": 1}".getBytes(StandardCharsets.UTF_8),
                "application/json")).id();
        kit.drainQueue();
        assertThat(kit.api("GET", "/executions/" + id, null).status()).isEqualTo(200);

        kit.clock.advance(Duration.ofDays(14));

        assertThat(kit.executions.all()).extracting(Execution::id).contains(id); // still stored: TTL deletes late
        assertThat(kit.api("GET", "/executions/" + id, null).status()).isEqualTo(404);
        assertThat(kit.api("GET", "/executions/" + id + "/logs", null).status()).isEqualTo(404);
        assertThat(ids("/executions", Map.of())).doesNotContain(id);
        assertThat(ids("/executions", Map.of("instanceId", acme.instanceId()))).doesNotContain(id);
        assertThat(ids("/customers/" + acme.customerId() + "/executions", Map.of())).doesNotContain(id);
        assertThat(get("/instances/" + acme.instanceId() + "/logs", Map.of()).get("items")).isEmpty();
        assertThat(kit.api("POST", "/executions/" + id + "/replay", "{}").status()).isEqualTo(404);
    }
}

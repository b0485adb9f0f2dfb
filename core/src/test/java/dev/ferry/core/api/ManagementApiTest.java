package dev.ferry.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.testkit.FerryTestKit;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManagementApiTest {
    private final FerryTestKit kit = new FerryTestKit();

    private static JsonNode json(ApiResponse r) {
        return FerryTestKit.json(r);
    }

    private static JsonNode firstDetail(ApiResponse r) {
        return json(r).get("error").get("details").get(0);
    }

    @Test
    void requestWithoutApiKeyIs401AndWrongKeyToo() {
        ApiResponse none = kit.ferry.api().handle(new ApiRequest("GET", "/customers", null, null, null, ""));
        ApiResponse wrong = kit.ferry.api().handle(new ApiRequest("GET", "/customers", null,
                Map.of("authorization", "Bearer nope"), null, ""));
        assertThat(none.status()).isEqualTo(401);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(json(none).get("error").get("code").asText()).isEqualTo("unauthorized");
    }

    @Test
    void malformedJsonIs400NamingTheBodyAndWritesNothing() {
        ApiResponse r = kit.api("POST", "/customers", "{\"name\": ");
        assertThat(r.status()).isEqualTo(400);
        assertThat(firstDetail(r).get("field").asText()).isEqualTo("body");
        assertThat(kit.customers.list(100, null).items()).isEmpty();
    }

    @Test
    void unknownRouteAndUnknownIdAre404() {
        assertThat(kit.api("GET", "/nothing-here", null).status()).isEqualTo(404);
        assertThat(kit.api("GET", "/instances/ins_missing", null).status()).isEqualTo(404);
        assertThat(kit.api("GET", "/executions/exe_missing", null).status()).isEqualTo(404);
    }

    @Test
    void definitionWithABadExpressionIs400NamingTheStepFieldAndWritesNothing() {
        String bad = FerryTestKit.DEMO_DEFINITION.replace("{% $trigger.body.id %}", "{% $trigger.body.id + %}");
        ApiResponse r = kit.api("POST", "/integrations", bad);
        assertThat(r.status()).isEqualTo(400);
        assertThat(firstDetail(r).get("field").asText()).startsWith("flows[0].steps[2].output");
        assertThat(kit.integrations.list(100, null).items()).isEmpty();
    }

    @Test
    void definitionWithAnUnknownStepTypeIs400() {
        String bad = FerryTestKit.DEMO_DEFINITION.replace("\"type\": \"transform\"", "\"type\": \"teleport\"");
        ApiResponse r = kit.api("POST", "/integrations", bad);
        assertThat(r.status()).isEqualTo(400);
        assertThat(firstDetail(r).get("field").asText()).startsWith("flows[0].steps[2]");
    }

    @Test
    void missingRequiredConfigVariableIs400AndCreatesNoInstance() {
        String customer = json(kit.api("POST", "/customers", "{\"name\":\"A\"}")).get("id").asText();
        String integration = json(kit.api("POST", "/integrations", FerryTestKit.DEMO_DEFINITION)).get("id").asText();
        ApiResponse r = kit.api("POST", "/instances", "{\"name\":\"x\",\"customerId\":\"" + customer
                + "\",\"integrationId\":\"" + integration + "\",\"configVariables\":{}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(firstDetail(r).get("field").asText()).isEqualTo("configVariables.apiBase");
        assertThat(kit.instances.list(null, 100, null).items()).isEmpty();
    }

    @Test
    void instanceWithAnUnknownCustomerIs400NamingCustomerId() {
        String integration = json(kit.api("POST", "/integrations", FerryTestKit.DEMO_DEFINITION)).get("id").asText();
        ApiResponse r = kit.api("POST", "/instances", "{\"name\":\"x\",\"customerId\":\"cus_nope\",\"integrationId\":\""
                + integration + "\",\"configVariables\":{\"apiBase\":\"https://x\"}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(firstDetail(r).get("field").asText()).isEqualTo("customerId");
    }

    @Test
    void secretConfigValueIsRedactedInInstanceAnswers() {
        FerryTestKit.Demo demo = kit.seedDemo();
        ApiResponse one = kit.api("GET", "/instances/" + demo.instanceId(), null);
        ApiResponse list = kit.api("GET", "/instances", null);
        assertThat(one.bodyText()).doesNotContain(FerryTestKit.SECRET).contains(Views.REDACTED);
        assertThat(list.bodyText()).doesNotContain(FerryTestKit.SECRET);
        assertThat(json(one).get("configVariables").get("apiBase").asText()).isEqualTo("https://api.example.test");
    }

    @Test
    void flowConfigsCarryAnUnguessableWebhookUrl() {
        FerryTestKit.Demo demo = kit.seedDemo();
        JsonNode fc = json(kit.api("GET", "/instances/" + demo.instanceId() + "/flow-configs", null)).get("items").get(0);
        assertThat(fc.get("flow").asText()).isEqualTo("On new order");
        assertThat(fc.get("trigger").asText()).isEqualTo("webhook");
        assertThat(fc.get("webhookUrl").asText()).isEqualTo("https://hooks.example.test/webhooks/" + demo.token());
    }

    @Test
    void testRouteRunsTheFlowNowAndAnswersTheFinishedExecution() {
        FerryTestKit.Demo demo = kit.seedDemo();
        ApiResponse r = kit.api("POST", "/flow-configs/" + demo.flowConfigId() + "/test",
                "{\"body\": \"{\\\"id\\\": 77}\", \"headers\": {\"x-request-id\": \"t-1\"}}");
        assertThat(r.status()).isEqualTo(200);
        JsonNode e = json(r);
        assertThat(e.get("trigger").asText()).isEqualTo("TEST");
        assertThat(e.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(e.get("request").get("body").asText()).isEqualTo("{\"id\": 77}");
        assertThat(e.get("request").get("headers").get("x-request-id").asText()).isEqualTo("t-1");
        assertThat(e.get("steps").get(2).get("output").get("id").asInt()).isEqualTo(77);
        assertThat(r.bodyText()).doesNotContain(FerryTestKit.SECRET);
    }

    @Test
    void executionsAreListedNewestFirstAndShownWithRequestStepsAndLogs() {
        FerryTestKit.Demo demo = kit.seedDemo();
        String first = kit.ferry.webhooks().accept(demo.token(), request("{\"id\": 1}")).id();
        kit.clock.advance(java.time.Duration.ofSeconds(1));
        String second = kit.ferry.webhooks().accept(demo.token(), request("{\"id\": 2}")).id();
        kit.drainQueue();

        JsonNode list = json(kit.api("GET", "/executions", Map.of("instanceId", demo.instanceId()), null));
        assertThat(list.get("items")).extracting(n -> n.get("id").asText()).containsExactly(second, first);
        assertThat(list.get("items").get(0).has("request")).isFalse();

        JsonNode detail = json(kit.api("GET", "/executions/" + first, null));
        assertThat(detail.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(detail.get("request").get("body").asText()).isEqualTo("{\"id\": 1}");
        assertThat(detail.get("steps")).hasSize(3);

        JsonNode logs = json(kit.api("GET", "/executions/" + first + "/logs", null));
        assertThat(logs.get("items")).isNotEmpty();
        assertThat(logs.toString()).doesNotContain(FerryTestKit.SECRET);

        JsonNode byCustomer = json(kit.api("GET", "/customers/" + demo.customerId() + "/executions", null));
        assertThat(byCustomer.get("items")).hasSize(2);
    }

    @Test
    void badListFiltersAre400WithTheirField() {
        ApiResponse r = kit.api("GET", "/executions", Map.of("status", "DONE", "limit", "500"), null);
        assertThat(r.status()).isEqualTo(400);
        assertThat(json(r).get("error").get("details")).extracting(d -> d.get("field").asText())
                .contains("status", "limit");
    }

    @Test
    void replayAnswers202WithTheNewExecutionLinkedToTheOriginal() {
        FerryTestKit.Demo demo = kit.seedDemo();
        String original = kit.ferry.webhooks().accept(demo.token(), request("{\"id\": 3}")).id();
        kit.drainQueue();

        ApiResponse r = kit.api("POST", "/executions/" + original + "/replay", "{}");
        assertThat(r.status()).isEqualTo(202);
        String replay = json(r).get("executionId").asText();
        kit.drainQueue();

        JsonNode e = json(kit.api("GET", "/executions/" + replay, null));
        assertThat(e.get("trigger").asText()).isEqualTo("REPLAY");
        assertThat(e.get("replayOf").asText()).isEqualTo(original);
        assertThat(e.get("status").asText()).isEqualTo("SUCCEEDED");
    }

    private static dev.ferry.core.model.ExecutionRequest request(String body) {
        Map<String, String> h = new HashMap<>();
        h.put("content-type", "application/json");
        return new dev.ferry.core.model.ExecutionRequest("POST", body.getBytes(StandardCharsets.UTF_8), h, Map.of(),
                "application/json");
    }
}

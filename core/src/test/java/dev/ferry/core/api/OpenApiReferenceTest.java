package dev.ferry.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.testkit.FerryTestKit;
import dev.ferry.core.testkit.OpenApiReference;
import dev.ferry.core.testkit.OpenApiReference.Answer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The API reference (openapi.yaml) against the code: it is a valid OpenAPI 3.1 document, it lists
 * exactly the router's routes, its examples conform to its own schemas, and the answers of a tour of
 * every route through the in-memory application conform to it. The end-to-end answers are checked
 * the same way by the local stack's ITs.
 */
class OpenApiReferenceTest {
    private static final OpenApiReference REFERENCE = OpenApiReference.load();
    /** The webhook route: template.yaml's {@code ANY /webhooks/{token}}, served by WebhookEndpoint, not the router. */
    private static final String WEBHOOK_PATH = "/webhooks/{}";
    private static final Set<String> HTTP_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    /** The router's id pattern, as it appears in its route table. */
    private static final Pattern ROUTER_ID = Pattern.compile("\\(\\[A-Za-z0-9_-]\\{1,100}\\)");

    @Test
    void theReferenceIsAValidOpenApi31Document() {
        assertThat(REFERENCE.document().path("openapi").asText()).startsWith("3.1.");
        assertThat(REFERENCE.metaSchemaErrors()).isEmpty();
    }

    @Test
    void theMetaSchemaCheckRefusesABrokenDocument() {
        ObjectNode broken = (ObjectNode) REFERENCE.document();
        broken.remove("info");
        ((ObjectNode) broken.at("/paths/~1customers/get/responses/200")).remove("description");
        ((ObjectNode) broken.at("/paths/~1customers/get")).put("parameters", "not a list");

        assertThat(OpenApiReference.metaSchemaErrors(broken.toString())).isNotEmpty();
    }

    @Test
    void theReferenceIsServedAsJsonToAnyoneAndIsValid() {
        FerryTestKit kit = new FerryTestKit();
        for (String key : new String[] {null, "fry_thisKeyWasNeverIssuedToAnyone0000000", FerryTestKit.ADMIN_KEY}) {
            ApiResponse r = kit.apiAs(key, "GET", "/openapi.json", Map.of(), null);

            assertThat(r.status()).as("with key " + key).isEqualTo(200);
            assertThat(r.headers().get("content-type")).isEqualTo("application/json");
            assertThat(FerryTestKit.json(r)).as("the YAML document, as JSON").isEqualTo(REFERENCE.document());
            assertThat(OpenApiReference.metaSchemaErrors(r.bodyText())).isEmpty();
        }
        JsonNode security = REFERENCE.document().at("/paths/~1openapi.json/get/security");
        assertThat(security.isArray() && security.isEmpty()).as("the operation says it needs no key").isTrue();
    }

    /** The router's routes, as {@code "GET /instances/{}"}: the one place to change when the route table moves. */
    static Set<String> routerRoutes() {
        return new FerryTestKit().ferry.api().routes().stream()
                .map(r -> r.method() + " " + ROUTER_ID.matcher(r.path()).replaceAll("{}"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyRouteOfTheRouterIsInTheReferenceAndNothingElse() {
        Set<String> router = routerRoutes();
        assertThat(router).as("the router's route table").isNotEmpty().allMatch(r -> !r.contains("("));
        Set<String> documented = new TreeSet<>(REFERENCE.operations());
        Set<String> webhook = documented.stream().filter(o -> o.endsWith(" " + WEBHOOK_PATH))
                .collect(Collectors.toCollection(TreeSet::new));
        documented.removeAll(webhook);

        assertThat(documented).as("operations of openapi.yaml, besides the webhook route").isEqualTo(router);
        assertThat(webhook).as("the webhook route's methods (it takes any)").contains("POST " + WEBHOOK_PATH)
                .allMatch(o -> HTTP_METHODS.contains(o.substring(0, o.indexOf(' '))));
    }

    @Test
    void answersAreHeldToTheirOperationAndStatus() {
        String customer = "{\"id\":\"cus_1\",\"name\":\"Acme\",\"externalId\":null,\"createdAt\":\"2026-01-31T12:00:00Z\"}";
        assertThat(REFERENCE.check(new Answer("POST", "/customers", 201, "application/json", customer))).isEmpty();
        assertThat(REFERENCE.check(new Answer("GET", "/customers/cus_1", 200, "application/json; charset=utf-8", customer)))
                .isEmpty();
        assertThat(REFERENCE.check(new Answer("DELETE", "/monitors/mon_1", 204, null, ""))).isEmpty();

        assertThat(REFERENCE.check(new Answer("GET", "/customers/cus_1", 200, "application/json",
                customer.replace("}", ",\"vip\":true}")))).as("a field the reference does not name").isNotEmpty();
        assertThat(REFERENCE.check(new Answer("GET", "/customers/cus_1", 200, "application/json",
                customer.replace("\"Acme\"", "42")))).as("a field of the wrong type").isNotEmpty();
        assertThat(REFERENCE.check(new Answer("GET", "/customers/cus_1", 200, "application/json", "{}")))
                .as("required fields missing").isNotEmpty();
        assertThat(REFERENCE.check(new Answer("GET", "/customers/cus_1", 418, "application/json", customer)))
                .as("a status the operation does not declare").singleElement().asString().contains("no response 418");
        assertThat(REFERENCE.check(new Answer("PUT", "/customers/cus_1", 200, "application/json", customer)))
                .as("a method the path does not have").singleElement().asString().contains("no operation");
        assertThat(REFERENCE.check(new Answer("GET", "/nowhere", 200, "application/json", "{}")))
                .as("a path the reference does not have").singleElement().asString().contains("no path");
        assertThat(REFERENCE.check(new Answer("GET", "/customers/cus_1", 200, "text/html", "<p>")))
                .as("a content type the response does not have").isNotEmpty();
        assertThat(REFERENCE.check(new Answer("DELETE", "/monitors/mon_1", 204, "application/json", "{}")))
                .as("a body where the reference describes none").isNotEmpty();
        assertThat(REFERENCE.check(new Answer("GET", "/customers/cus_1", 404, "application/json",
                "{\"error\":{\"code\":\"not_found\",\"message\":\"customer 'cus_1' not found\",\"details\":[]}}"))).isEmpty();
    }

    @Test
    void theReferencesResponseExamplesConformToItsSchemas() {
        JsonNode doc = REFERENCE.document();
        List<String> problems = new ArrayList<>();
        doc.path("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(op -> {
            if (!op.getValue().has("responses")) return;
            op.getValue().path("responses").fields().forEachRemaining(r -> {
                JsonNode response = r.getValue().has("$ref") ? doc.at(r.getValue().get("$ref").asText().substring(1)) : r.getValue();
                response.path("content").fields().forEachRemaining(mt -> {
                    if (!mt.getValue().has("example")) return;
                    String path = p.getKey().replaceAll("\\{[^}]+}", "x_1");
                    problems.addAll(REFERENCE.check(new Answer(op.getKey().toUpperCase(), path, Integer.parseInt(r.getKey()),
                            mt.getKey(), mt.getValue().get("example").toString())));
                });
            });
        }));
        assertThat(problems).isEmpty();
    }

    // ------------------------------------------------------------------ a tour of every route, in memory

    private final FerryTestKit kit = new FerryTestKit();
    private final List<Answer> answers = new ArrayList<>();

    private JsonNode call(String method, String path, String body) {
        return call(method, path, Map.of(), body);
    }

    private JsonNode call(String method, String path, Map<String, String> query, String body) {
        return callAs(FerryTestKit.ADMIN_KEY, method, path, query, body);
    }

    private JsonNode callAs(String key, String method, String path, Map<String, String> query, String body) {
        ApiResponse r = kit.apiAs(key, method, path, query, body);
        answers.add(new Answer(method, path, r.status(), r.headers().get("content-type"), r.bodyText()));
        return r.body().length == 0 ? null : FerryTestKit.json(r);
    }

    @Test
    void everyRouteAnswersAsTheReferenceSays() {
        FerryTestKit.Demo demo = kit.seedDemo();
        String instance = "/instances/" + demo.instanceId();
        callAs(null, "GET", "/openapi.json", Map.of(), null);
        JsonNode beta = call("POST", "/customers", "{\"name\":\"Beta\"}");
        call("POST", "/instances", "{\"name\":\"Beta orders\",\"customerId\":\"" + beta.get("id").asText() + "\",\"integrationId\":\""
                + demo.integrationId() + "\",\"configVariables\":{\"apiBase\":\"https://b.example.test\"},\"enabled\":false}");
        call("POST", "/instances", "{\"name\":\"Beta orders\",\"integrationId\":\"nope\"}");
        call("POST", "/customers", "{\"name\":\"\",\"vip\":true}");
        call("GET", "/customers", Map.of("limit", "1"), null);
        call("GET", "/customers/" + demo.customerId(), null);
        call("GET", "/customers/cus_nobody", null);
        call("POST", "/integrations", FerryTestKit.DEMO_DEFINITION);
        call("POST", "/integrations", "{\"name\":\"x\",\"flows\":[]}");
        call("GET", "/integrations", null);
        call("GET", "/integrations/" + demo.integrationId(), Map.of("version", "1"), null);
        call("POST", "/integrations/" + demo.integrationId() + "/versions", FAILING_ON_REQUEST);
        call("GET", "/instances", Map.of("customerId", demo.customerId()), null);
        call("GET", "/instances", Map.of("namePrefix", "acme", "state", "running", "integrationId", demo.integrationId(), "limit", "1"), null);
        call("GET", "/instances", Map.of("state", "asleep"), null);
        call("GET", "/whoami", null);
        call("GET", "/whoami", Map.of("x", "1"), null);
        call("GET", instance, null);
        call("PATCH", instance, "{\"integrationVersion\":2,\"pauseMode\":\"HOLD\",\"configVariables\":{\"apiBase\":\"https://b.example.test\"}}");
        call("GET", instance + "/flow-configs", null);
        call("POST", instance + "/pause", "{\"reason\":\"Deploying v2\"}");
        webhook(demo.token(), "{\"id\":7}");
        call("POST", instance + "/unpause", "{}");
        kit.drainQueue();
        JsonNode tested = call("POST", "/flow-configs/" + demo.flowConfigId() + "/test",
                "{\"body\":{\"id\":1,\"total\":2},\"headers\":{\"x-request-id\":\"1\"}}");
        String execution = tested.get("id").asText();
        String failed = webhook(demo.token(), "{\"id\":8,\"fail\":true}");
        kit.drainQueue();
        call("GET", "/executions", Map.of("instanceId", demo.instanceId(), "status", "FAILED"), null);
        call("GET", "/executions", Map.of("limit", "0"), null);
        call("GET", "/customers/" + demo.customerId() + "/executions", Map.of("unresolved", "true"), null);
        call("GET", "/executions/" + execution, null);
        call("GET", "/executions/" + failed, null);
        call("GET", "/executions/" + execution + "/logs", null);
        call("GET", instance + "/activity", Map.of("bucketMinutes", "30"), null);
        call("GET", instance + "/activity", Map.of("bucketMinutes", "0"), null);
        call("GET", "/instances/ins_nope/activity", null);
        call("POST", "/executions/" + failed + "/replay", "{}");
        call("GET", instance + "/logs", Map.of("q", "order", "severity", "INFO"), null);
        call("GET", "/customers/" + demo.customerId() + "/logs", null);
        call("GET", "/logs", Map.of("q", "order", "limit", "5"), null);
        call("GET", "/logs", Map.of("severity", "LOUD"), null);
        call("POST", "/replays", "{\"filter\":{\"instanceId\":\"" + demo.instanceId() + "\"},\"dryRun\":true}");
        JsonNode job = call("POST", "/replays", "{\"filter\":{\"instanceId\":\"" + demo.instanceId() + "\",\"unresolved\":true},\"ratePerSecond\":5}");
        call("GET", "/replays/" + job.get("id").asText(), null);
        call("POST", "/replays/" + job.get("id").asText() + "/cancel", null);
        call("GET", "/replays", Map.of("limit", "5"), null);
        call("POST", "/executions/" + failed + "/cancel", null);
        String queued = webhook(demo.token(), "{\"id\":9}");
        call("POST", "/executions/" + queued + "/cancel", "{}");
        call("POST", "/executions/" + queued + "/cancel", "{\"why\":1}");
        call("POST", "/cancellations", "{\"filter\":{\"instanceId\":\"" + demo.instanceId() + "\",\"status\":\"HELD\"},\"dryRun\":true}");
        JsonNode cancellation = call("POST", "/cancellations", "{\"filter\":{\"instanceId\":\"" + demo.instanceId() + "\"}}");
        call("GET", "/cancellations", null);
        call("GET", "/cancellations/" + cancellation.get("id").asText(), null);
        call("POST", "/cancellations/" + cancellation.get("id").asText() + "/cancel", null);
        JsonNode monitor = call("POST", "/monitors", "{\"name\":\"m\",\"scope\":{\"instanceId\":\"" + demo.instanceId() + "\"},"
                + "\"triggers\":[{\"type\":\"EXECUTION_FAILED\"},{\"type\":\"FAILURE_RATE\",\"percent\":50,\"windowMinutes\":10},"
                + "{\"type\":\"LOG_LEVEL_MATCHED\",\"logSeverity\":\"WARN\"}],"
                + "\"channels\":[{\"url\":\"https://hooks.example.test/x\",\"headers\":{\"authorization\":\"t\"},\"secret\":\"s\","
                + "\"standardWebhooksSecret\":\"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"},"
                + "{\"type\":\"slack\",\"url\":\"https://hooks.slack.example.test/services/T0/B0/XYZ\"},"
                + "{\"type\":\"email\",\"to\":[\"ops@example.test\"]}]}");
        call("POST", "/monitors", "{\"name\":\"m\",\"triggers\":[{\"type\":\"EXECUTION_FAILED\"}],"
                + "\"channels\":[{\"type\":\"email\",\"to\":[\"not an address\"]},{\"type\":\"pager\"}]}");
        webhook(demo.token(), "{\"id\":9,\"fail\":true}");
        kit.drainQueue();
        kit.drainMonitorEvents();
        call("GET", "/monitors", null);
        call("GET", "/monitors", Map.of("instanceId", demo.instanceId()), null);
        call("GET", "/monitors/" + monitor.get("id").asText(), null);
        call("PATCH", "/monitors/" + monitor.get("id").asText(), "{\"name\":\"renamed\",\"mutedUntil\":\""
                + kit.clock.instant().plusSeconds(7200) + "\"}");
        call("PATCH", "/monitors/" + monitor.get("id").asText(), "{\"mutedUntil\":\"next week\"}");
        JsonNode alerts = call("GET", "/alerts", Map.of("instanceId", demo.instanceId()), null);
        call("POST", "/alerts/" + alerts.get("items").get(0).get("id").asText() + "/acknowledge", null);
        call("POST", "/alerts/alr_nope/acknowledge", null);
        call("GET", "/alerts", Map.of("acknowledged", "false"), null);
        call("DELETE", "/monitors/" + monitor.get("id").asText(), null);
        JsonNode key = call("POST", "/api-keys", "{\"name\":\"portal\",\"customerId\":\"" + demo.customerId() + "\"}");
        callAs(key.get("key").asText(), "POST", "/customers", Map.of(), "{\"name\":\"nope\"}");
        callAs("fry_wrong", "GET", "/customers", Map.of(), null);
        call("GET", "/api-keys", null);
        call("DELETE", "/api-keys/" + key.get("id").asText(), null);
        call("GET", "/dead-letters", Map.of("queue", "execution"), null);
        call("POST", "/dead-letters/redrive", "{\"queue\":\"execution\"}");
        call("DELETE", instance, Map.of("confirm", "wrong"), null);
        call("DELETE", instance, Map.of("confirm", "Acme orders"), null);
        webhook(demo.token(), "{}");

        assertThat(REFERENCE.failures(answers)).isEmpty();
        Set<String> answered = new TreeSet<>();
        for (Answer a : answers) answered.add(a.method() + " " + template(a.path()));
        assertThat(answered).as("the tour answered every route").containsAll(routerRoutes());
    }

    /** The demo's flow, failing when the request says {@code "fail": true}. */
    private static final String FAILING_ON_REQUEST = FerryTestKit.DEMO_DEFINITION.replace("\"steps\": [",
            "\"steps\": [{\"name\": \"guard\", \"type\": \"fail\", \"if\": \"{% $trigger.body.fail = true %}\", \"message\": \"asked to fail\"},");

    private String webhook(String token, String body) {
        ApiResponse r = new WebhookEndpoint(kit.ferry.webhooks()).handle(token, new ExecutionRequest("POST",
                body.getBytes(StandardCharsets.UTF_8), new LinkedHashMap<>(Map.of("content-type", "application/json")),
                Map.of(), "application/json"));
        answers.add(new Answer("POST", "/webhooks/" + token, r.status(), r.headers().get("content-type"), r.bodyText()));
        return r.status() == 202 ? FerryTestKit.json(r).get("executionId").asText() : null;
    }

    /** The route a concrete path took, by the reference's templates. */
    private static String template(String path) {
        for (String op : REFERENCE.operations()) {
            String t = op.substring(op.indexOf(' ') + 1);
            if (Pattern.compile(Pattern.quote(t).replace("{}", "\\E[^/]+\\Q")).matcher(path).matches()) return t;
        }
        return path;
    }
}

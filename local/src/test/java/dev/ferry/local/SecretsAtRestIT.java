package dev.ferry.local;

import static dev.ferry.local.StackFixture.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.core.Ferry;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.service.InstanceService;
import dev.ferry.core.testkit.LogCapture;
import dev.ferry.functions.Wiring;
import dev.ferry.infra.AwsClients;
import dev.ferry.infra.CallCounter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Secret config values at rest on the local stack, whose KMS key the emulator holds as template.yaml
 * declares it: the raw ConfigTable item of an instance holds its secret only sealed (and no table or
 * payload object holds it plain), the flow's http step still sends it, the API masks it; a value
 * stored plain before runs and is sealed by the instance's next PATCH; a sealed value altered or
 * copied to another instance fails the execution closed, with an error naming the variable and no
 * sealed text in any log; and the KMS calls: one GenerateDataKey per write, no Decrypt per execution
 * in a warm container.
 */
class SecretsAtRestIT {
    static final String API_KEY = "sk_live_LOCAL_at_rest_9191";
    static final String DEFINITION = """
            {"name": "Sealed orders",
             "configVariables": [{"key": "apiBase", "required": true}, {"key": "apiKey", "secret": true, "required": true}],
             "flows": [{"name": "Call", "trigger": {"type": "webhook"}, "retry": {"maxAttempts": 1, "delaySeconds": 60},
               "steps": [{"name": "fetch", "type": "http", "url": "{% $config.apiBase & '/orders' %}",
                          "headers": {"Authorization": "{% 'Bearer ' & $config.apiKey %}"}}]}]}
            """;
    private static final List<String> SENT = new CopyOnWriteArrayList<>();
    private static StackFixture local;
    private static HttpServer api;
    private static AwsClients aws;
    private static String integrationId;
    private static String customerId;

    @BeforeAll
    static void start() throws IOException {
        local = StackFixture.start("secrets-at-rest-it", b -> b.demo(true));
        // The flow's API: a server on this machine that records the Authorization it is sent.
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/", ex -> {
            SENT.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            ex.getRequestBody().readAllBytes();
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("content-type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        api.start();
        aws = AwsClients.fromEnv(local.stack.adminEnvironment());
        customerId = local.stack.demo().orElseThrow().customerId();
        integrationId = local.call("POST", "/integrations", DEFINITION, 201).path("id").asText();
    }

    @AfterAll
    static void stop() {
        if (local != null) local.close();
        if (api != null) api.stop(0);
        if (aws != null) aws.close();
    }

    private static Map<String, String> env(String function) {
        return new HashMap<>(local.stack.functions().find(function).orElseThrow().spec().environment());
    }

    private static JsonNode createInstance(String name) {
        return local.call("POST", "/instances", "{\"name\":\"" + name + "\",\"customerId\":\"" + customerId
                + "\",\"integrationId\":\"" + integrationId + "\",\"configVariables\":{\"apiBase\":\"http://127.0.0.1:"
                + api.getAddress().getPort() + "\",\"apiKey\":\"" + API_KEY + "\"}}", 201);
    }

    private static Map<String, AttributeValue> instanceItem(String instanceId) {
        return aws.dynamoDb().getItem(b -> b.tableName(env("ManagementApiFunction").get("FERRY_CONFIG_TABLE"))
                .key(Map.of("pk", AttributeValue.fromS("INSTANCE#" + instanceId), "sk", AttributeValue.fromS("INSTANCE"))))
                .item();
    }

    private static String storedApiKey(String instanceId) {
        return instanceItem(instanceId).get("configVariables").m().get("apiKey").s();
    }

    private static void storeApiKey(String instanceId, String value) {
        aws.dynamoDb().updateItem(b -> b.tableName(env("ManagementApiFunction").get("FERRY_CONFIG_TABLE"))
                .key(Map.of("pk", AttributeValue.fromS("INSTANCE#" + instanceId), "sk", AttributeValue.fromS("INSTANCE")))
                .updateExpression("SET configVariables.apiKey = :v")
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(value))));
    }

    /** Every item of the table, every attribute, as text. */
    private static String scan(String table) {
        return aws.dynamoDb().scanPaginator(b -> b.tableName(table)).items().stream().map(Object::toString).toList().toString();
    }

    /** Every object of the payload bucket, as text. */
    private static String payloads() {
        String bucket = env("FlowExecutionFunction").get("FERRY_PAYLOAD_BUCKET");
        List<String> out = new ArrayList<>();
        aws.s3().listObjectsV2Paginator(b -> b.bucket(bucket)).contents().forEach(o -> out.add(
                aws.s3().getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asUtf8String()));
        return out.toString();
    }

    private static JsonNode run(JsonNode instance) throws Exception {
        URI webhook = URI.create(instance.path("flowConfigs").get(0).path("webhookUrl").asText());
        HttpResponse<String> r = local.send(HttpRequest.newBuilder(webhook).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\": 1}")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return local.awaitEnd(JSON.readTree(r.body()).path("executionId").asText());
    }

    @Test
    void theStoredItemHoldsTheSecretOnlySealedTheFlowSendsItAndTheApiMasksIt() throws Exception {
        JsonNode instance = createInstance("Sealed");
        String id = instance.path("id").asText();

        assertThat(storedApiKey(id)).startsWith("ferry:v1:").doesNotContain(API_KEY);
        assertThat(instanceItem(id).toString()).doesNotContain(API_KEY);
        assertThat(instanceItem(id).get("configVariables").m().get("apiBase").s()).startsWith("http://127.0.0.1:");

        SENT.clear();
        JsonNode done = run(instance);
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(SENT).containsExactly("Bearer " + API_KEY);

        assertThat(local.call("GET", "/instances/" + id, null, 200).path("configVariables").path("apiKey").asText())
                .isEqualTo("********");
        Map<String, String> tables = env("FlowExecutionFunction");
        assertThat(scan(tables.get("FERRY_CONFIG_TABLE"))).doesNotContain(API_KEY);
        assertThat(scan(tables.get("FERRY_EXECUTIONS_TABLE"))).doesNotContain(API_KEY);
        assertThat(scan(tables.get("FERRY_MONITORS_TABLE"))).doesNotContain(API_KEY);
        assertThat(payloads()).doesNotContain(API_KEY);
        assertThat(local.answers).noneMatch(a -> a.contains(API_KEY));
    }

    @Test
    void aValueStoredPlainBeforeStillRunsAndIsSealedByTheInstancesNextPatch() throws Exception {
        JsonNode instance = createInstance("Plain before");
        String id = instance.path("id").asText();
        storeApiKey(id, API_KEY); // as items were written before values were sealed

        SENT.clear();
        assertThat(run(instance).path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(SENT).containsExactly("Bearer " + API_KEY);

        local.call("PATCH", "/instances/" + id, "{\"name\":\"Plain before, renamed\"}", 200);

        assertThat(storedApiKey(id)).startsWith("ferry:v1:");
        assertThat(instanceItem(id).toString()).doesNotContain(API_KEY);
        assertThat(run(instance).path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(SENT).containsExactly("Bearer " + API_KEY, "Bearer " + API_KEY);
    }

    @Test
    void anAlteredOrMovedSealedValueFailsTheExecutionClosedWithNoSealedTextInAnyLog() throws Exception {
        JsonNode altered = createInstance("Altered");
        JsonNode moved = createInstance("Moved");
        String sealed = storedApiKey(altered.path("id").asText());
        String[] parts = sealed.split(":");
        char last = parts[4].charAt(parts[4].length() - 1);
        parts[4] = parts[4].substring(0, parts[4].length() - 1) + (last == 'A' ? 'B' : 'A');
        String alteredText = String.join(":", parts);
        storeApiKey(altered.path("id").asText(), alteredText);
        storeApiKey(moved.path("id").asText(), sealed);

        SENT.clear();
        List<JsonNode> ended = new ArrayList<>();
        String functionLog;
        try (LogCapture log = LogCapture.start()) {
            ended.add(run(altered));
            ended.add(run(moved));
            functionLog = String.join("\n", log.text());
        }

        for (JsonNode e : ended) {
            assertThat(e.path("status").asText()).as(e.toString()).isEqualTo("FAILED");
            assertThat(e.path("error").path("message").asText()).contains("'apiKey'").contains("cannot be opened")
                    .doesNotContain(sealed).doesNotContain(alteredText);
            String logs = local.call("GET", "/executions/" + e.path("id").asText() + "/logs", null, 200).toString();
            assertThat(logs).contains("cannot be opened").doesNotContain(sealed).doesNotContain(alteredText);
        }
        assertThat(SENT).as("no step ran").isEmpty();
        assertThat(functionLog).contains("secret config value cannot be opened").doesNotContain(sealed)
                .doesNotContain(alteredText).doesNotContain(API_KEY);
    }

    @Test
    void theTemplatesKeyIsInTheEmulatorAndOnlyTheFunctionsThatSealOrOpenHoldIt() {
        String arn = env("ManagementApiFunction").get("FERRY_SECRETS_KEY_ARN");

        assertThat(aws.kms().describeKey(b -> b.keyId(arn)).keyMetadata().arn()).isEqualTo(arn);
        // The monitor evaluation function opens alert channels (ChannelsAtRestIT), never a config secret.
        for (String f : List.of("WebhookFunction", "FlowExecutionFunction", "MonitorEvaluationFunction")) {
            assertThat(env(f).get("FERRY_SECRETS_KEY_ARN")).as(f).isEqualTo(arn);
        }
        for (String f : List.of("ScheduledTriggerFunction", "RetryDispatchFunction", "ReplayFunction")) {
            assertThat(env(f)).as(f).doesNotContainKey("FERRY_SECRETS_KEY_ARN");
        }
    }

    /** The KMS calls of a write and of executions, counted on the functions' own client factory (docs/benchmarks.md). */
    @Test
    void aWriteTakesOneDataKeyAndAWarmContainerRunsExecutionsWithNoKmsCall() {
        JsonNode instance = createInstance("Counted");
        String id = instance.path("id").asText();
        String flowConfigId = instance.path("flowConfigs").get(0).path("id").asText();
        CallCounter counter = new CallCounter();

        Map<String, String> managementEnv = env("ManagementApiFunction");
        Ferry management = Wiring.fromEnv(managementEnv, AwsClients.fromEnv(managementEnv, List.of(counter)));
        counter.reset();
        management.instances().update(management.instances().get(id), new InstanceService.Change(null, null,
                JSON.createObjectNode().put("apiKey", API_KEY), null, null, null));
        Map<String, Long> write = counter.snapshot();

        Map<String, String> flowEnv = env("FlowExecutionFunction");
        Ferry flows = Wiring.fromEnv(flowEnv, AwsClients.fromEnv(flowEnv, List.of(counter)));
        ExecutionRequest request = new ExecutionRequest("POST", "{}".getBytes(StandardCharsets.UTF_8), Map.of(), Map.of(),
                "application/json");
        counter.reset();
        assertThat(flows.runner().runTest(flowConfigId, request).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        Map<String, Long> cold = counter.snapshot();
        counter.reset();
        int warmRuns = 20;
        for (int i = 0; i < warmRuns; i++) {
            assertThat(flows.runner().runTest(flowConfigId, request).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        }
        Map<String, Long> warm = counter.snapshot();
        System.out.println("secrets KMS calls: instance write " + kms(write) + "; first execution in a container "
                + kms(cold) + "; next " + warmRuns + " executions " + kms(warm));

        assertThat(kms(write)).containsExactly(Map.entry("Kms.GenerateDataKey", 1L));
        assertThat(kms(cold)).containsExactly(Map.entry("Kms.Decrypt", 1L));
        assertThat(kms(warm)).as("0 KMS calls per execution in a warm container").isEmpty();
    }

    private static Map<String, Long> kms(Map<String, Long> calls) {
        Map<String, Long> out = new java.util.TreeMap<>();
        calls.forEach((k, v) -> {
            if (k.startsWith("Kms.")) out.put(k, v);
        });
        return out;
    }
}

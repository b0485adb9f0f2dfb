package dev.ferry.local;

import static dev.ferry.local.StackFixture.JSON;
import static dev.ferry.local.StackFixture.poll;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.core.Ferry;
import dev.ferry.core.api.ApiRequest;
import dev.ferry.core.api.ApiResponse;
import dev.ferry.core.message.MonitorEvent;
import dev.ferry.core.model.AlertChannel;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionError;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.Monitor;
import dev.ferry.core.model.MonitorScope;
import dev.ferry.core.model.MonitorTrigger;
import dev.ferry.core.model.MonitorTriggerType;
import dev.ferry.core.model.Trigger;
import dev.ferry.functions.Wiring;
import dev.ferry.infra.AwsClients;
import dev.ferry.infra.CallCounter;
import dev.ferry.infra.dynamodb.DynamoDbMonitorStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kms.model.DecryptRequest;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyRequest;

/**
 * Alert channels at rest on the local stack, whose KMS key the emulator holds as template.yaml
 * declares it: the raw MonitorsTable items of a monitor hold none of its channel URLs, header values
 * or signing secrets (and no table holds them after an alert), its owner still reads them through
 * {@code GET}, an alert reaches a receiver on 127.0.0.1 with the right URL, headers and signature, and
 * a customer never sees an admin's channel; a monitor stored plain before is delivered and sealed by
 * its next {@code PATCH}; and the KMS calls, with their encryption contexts: one GenerateDataKey per
 * monitor write, one Decrypt in a cold MonitorEvaluationFunction container, none for 20 deliveries in
 * a warm one — all under {@code ferry:monitor}.
 */
class ChannelsAtRestIT {
    static final String ROUTING_KEY = "R0UTING_KEY_at_rest_31";
    static final String HEADER_TOKEN = "HEADER_TOKEN_at_rest_32";
    static final String TEAM = "TEAM_VALUE_at_rest_33";
    static final String SIGNING = "SIGNING_SECRET_at_rest_34";
    static final String SLACK_TOKEN = "SLACK_TOKEN_at_rest_35";
    static final List<String> CREDENTIALS = List.of(ROUTING_KEY, HEADER_TOKEN, TEAM, SIGNING, SLACK_TOKEN);
    /**
     * The monitor stored plain has credentials of its own: the alerts it sent before its next write
     * recorded its URL plain, as they always did (they expire with the retention), and must not be
     * taken for a leak of the sealed monitors'.
     */
    static final String PLAIN_KEY = "PLAIN_KEY_at_rest_41";
    static final String PLAIN_TOKEN = "PLAIN_TOKEN_at_rest_42";
    static final String PLAIN_TEAM = "PLAIN_TEAM_at_rest_43";
    static final String PLAIN_SIGNING = "PLAIN_SIGNING_at_rest_44";
    static final String FLOW = """
            {"name": "Rejecting sync",
             "flows": [{"name": "Sync", "trigger": {"type": "webhook"},
               "steps": [{"name": "reject", "type": "fail", "message": "rejected", "retryable": false}]}]}
            """;

    /** A request the receiver got, its header names lower-cased. */
    record Received(String path, Map<String, String> headers, byte[] body) {}

    private static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    private static StackFixture local;
    private static HttpServer receiver;
    private static AwsClients aws;
    private static String customerId;
    private static String customerKey;
    private static String integrationId;

    @BeforeAll
    static void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                Map<String, String> headers = new LinkedHashMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
                RECEIVED.add(new Received(exchange.getRequestURI().getPath(), headers, in.readAllBytes()));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        local = StackFixture.start("channels-at-rest-it", b -> {});
        aws = AwsClients.fromEnv(local.stack.adminEnvironment()); // the stack enforces IAM: the test reads as its admin user
        customerId = local.call("POST", "/customers", "{\"name\":\"Acme\"}", 201).path("id").asText();
        customerKey = local.call("POST", "/api-keys", "{\"name\":\"Acme portal\",\"customerId\":\"" + customerId + "\"}", 201)
                .path("key").asText();
        integrationId = local.call("POST", "/integrations", FLOW, 201).path("id").asText();
    }

    /** An instance of its own per test, so the monitors one test makes never alert about another's executions. */
    private static JsonNode newInstance(String name) {
        return local.call("POST", "/instances", "{\"name\":\"" + name + "\",\"customerId\":\"" + customerId
                + "\",\"integrationId\":\"" + integrationId + "\"}", 201);
    }

    @AfterAll
    static void stop() {
        if (local != null) local.close();
        if (receiver != null) receiver.stop(0);
        if (aws != null) aws.close();
    }

    private static String base() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort();
    }

    private static Map<String, String> env(String function) {
        return new HashMap<>(local.stack.functions().find(function).orElseThrow().spec().environment());
    }

    private static String monitorsTable() {
        return env("MonitorEvaluationFunction").get("FERRY_MONITORS_TABLE");
    }

    /** A webhook channel at {@code path} with a credential in its URL, two headers and a signing secret, and a Slack channel. */
    private static String channels(String path) {
        return "[{\"type\":\"webhook\",\"url\":\"" + base() + path + "/" + ROUTING_KEY + "\",\"headers\":{\"Authorization\":"
                + "\"Bearer " + HEADER_TOKEN + "\",\"X-Team\":\"" + TEAM + "\"},\"secret\":\"" + SIGNING + "\"},"
                + "{\"type\":\"slack\",\"url\":\"" + base() + path + "/services/T1/B1/" + SLACK_TOKEN + "\"}]";
    }

    private static String createMonitor(JsonNode instance, String path) {
        return local.call("POST", "/monitors", "{\"name\":\"Failures " + path + "\",\"triggers\":[{\"type\":\"EXECUTION_FAILED\"}],"
                + "\"scope\":{\"instanceId\":\"" + instance.path("id").asText() + "\"},\"channels\":" + channels(path) + "}", 201)
                .path("id").asText();
    }

    /** The {@code monitor} attribute of every item the table keeps for this monitor (by id, by scope, for the sweep). */
    private static List<String> rawMonitorItems(String monitorId) {
        List<String> out = new ArrayList<>();
        aws.dynamoDb().scanPaginator(b -> b.tableName(monitorsTable())).items().forEach(item -> {
            AttributeValue m = item.get("monitor");
            if (m != null && m.s() != null && m.s().contains("\"id\":\"" + monitorId + "\"")) out.add(m.s());
        });
        return out;
    }

    /** Every item of the table, every attribute, as text. */
    private static String scan(String table) {
        return aws.dynamoDb().scanPaginator(b -> b.tableName(table)).items().stream().map(Object::toString).toList().toString();
    }

    private static void failOnce(JsonNode instance) {
        local.webhook(instance.path("flowConfigs").get(0).path("webhookUrl").asText(), "{\"id\": 1}");
    }

    private static List<Received> receivedAt(String path) {
        return RECEIVED.stream().filter(r -> r.path().equals(path)).toList();
    }

    private static HttpResponse<String> asCustomer(String path) {
        return local.send(HttpRequest.newBuilder(local.stack.apiUrl().resolve(path)).header("authorization",
                "Bearer " + customerKey).GET());
    }

    static String hmac(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    private static void assertDeliveredWithItsCredentials(Received hook) throws Exception {
        assertDelivered(hook, HEADER_TOKEN, TEAM, SIGNING);
    }

    private static void assertDelivered(Received hook, String token, String team, String signing) throws Exception {
        assertThat(hook.headers()).containsEntry("authorization", "Bearer " + token).containsEntry("x-team", team)
                .containsEntry("x-ferry-signature", hmac(signing, hook.body()));
    }

    @Test
    void theRawItemsHoldNoChannelCredentialTheOwnerReadsThemAndTheAlertArrivesWithThem() throws Exception {
        JsonNode instance = newInstance("Owner's view");
        String id = createMonitor(instance, "/owner");
        String hookUrl = base() + "/owner/" + ROUTING_KEY;

        List<String> raw = rawMonitorItems(id);
        assertThat(raw).as("the monitor by id and its copy under its scope").hasSizeGreaterThanOrEqualTo(2);
        for (String item : raw) {
            assertThat(item).doesNotContain(base()).doesNotContain(CREDENTIALS);
            JsonNode webhook = JSON.readTree(item).path("channels").get(0);
            assertThat(webhook.path("url").asText()).startsWith("ferry:v1:");
            assertThat(webhook.path("headers").path("X-Team").asText()).startsWith("ferry:v1:");
            assertThat(webhook.path("secret").asText()).startsWith("ferry:v1:");
        }

        JsonNode shown = local.call("GET", "/monitors/" + id, null, 200).path("channels");
        assertThat(shown.get(0).path("url").asText()).isEqualTo(hookUrl);
        assertThat(shown.get(0).path("headers").path("X-Team").asText()).isEqualTo(TEAM);
        assertThat(shown.get(0).path("headers").path("Authorization").asText()).isEqualTo("********");
        assertThat(shown.get(1).path("url").asText()).isEqualTo(base() + "/owner/services/T1/B1/********");

        failOnce(instance);

        Received hook = poll(() -> receivedAt("/owner/" + ROUTING_KEY), r -> !r.isEmpty(), "the alert at the receiver").get(0);
        assertDeliveredWithItsCredentials(hook);
        poll(() -> receivedAt("/owner/services/T1/B1/" + SLACK_TOKEN), r -> !r.isEmpty(), "the Slack message");
        JsonNode alert = poll(() -> local.call("GET", "/alerts?monitorId=" + id, null, 200).path("items"),
                items -> items.size() == 1 && items.get(0).path("deliveries").size() == 2, "both deliveries recorded").get(0);
        List<String> urls = new ArrayList<>();
        alert.path("deliveries").forEach(d -> urls.add(d.path("url").asText()));
        assertThat(urls).containsExactlyInAnyOrder(hookUrl, base() + "/owner/services/T1/B1/********");

        Map<String, String> tables = env("FlowExecutionFunction");
        for (String table : List.of(tables.get("FERRY_MONITORS_TABLE"), tables.get("FERRY_CONFIG_TABLE"),
                tables.get("FERRY_EXECUTIONS_TABLE"))) {
            assertThat(scan(table)).as(table).doesNotContain(CREDENTIALS).doesNotContain(hookUrl);
        }

        // A customer, whose instance the admin's monitor watches, sees that alerts went out, never where.
        for (String path : List.of("/monitors/" + id, "/monitors", "/monitors?instanceId=" + instance.path("id").asText(),
                "/alerts?monitorId=" + id)) {
            HttpResponse<String> r = asCustomer(path);
            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
            assertThat(r.body()).as(path).doesNotContain(base()).doesNotContain(CREDENTIALS).doesNotContain("ferry:v1:");
        }
        assertThat(asCustomer("/monitors/" + id).body()).contains("\"hidden\":true");
    }

    @Test
    void aMonitorStoredPlainBeforeIsDeliveredAsBeforeAndSealedByItsNextPatch() throws Exception {
        JsonNode instance = newInstance("Plain before");
        String id = "mon_plain_before_1";
        String hookUrl = base() + "/plain/" + PLAIN_KEY;
        // Written as monitors were before their channels were sealed: the store itself seals nothing.
        new DynamoDbMonitorStore(aws.dynamoDb(), monitorsTable()).create(new Monitor(id, "Plain before",
                MonitorScope.instance(instance.path("id").asText()), List.of(MonitorTrigger.of(MonitorTriggerType.EXECUTION_FAILED)),
                List.of(new AlertChannel(AlertChannel.WEBHOOK, hookUrl, Map.of("Authorization", "Bearer " + PLAIN_TOKEN,
                        "X-Team", PLAIN_TEAM), null, PLAIN_SIGNING)), Instant.now()));
        assertThat(String.join("\n", rawMonitorItems(id))).contains(hookUrl);

        failOnce(instance);
        assertDelivered(poll(() -> receivedAt("/plain/" + PLAIN_KEY), r -> r.size() == 1,
                "the alert of the plain monitor").get(0), PLAIN_TOKEN, PLAIN_TEAM, PLAIN_SIGNING);
        assertThat(local.call("GET", "/monitors/" + id, null, 200).path("channels").get(0).path("url").asText())
                .isEqualTo(hookUrl);

        local.call("PATCH", "/monitors/" + id, "{\"name\":\"Plain before, renamed\"}", 200);

        for (String item : rawMonitorItems(id)) {
            assertThat(item).doesNotContain(base()).doesNotContain(PLAIN_KEY, PLAIN_TOKEN, PLAIN_TEAM, PLAIN_SIGNING);
        }
        failOnce(instance);
        assertDelivered(poll(() -> receivedAt("/plain/" + PLAIN_KEY), r -> r.size() == 2,
                "the alert after the PATCH").get(1), PLAIN_TOKEN, PLAIN_TEAM, PLAIN_SIGNING);
        assertThat(local.call("GET", "/monitors/" + id, null, 200).path("channels").get(0).path("url").asText())
                .isEqualTo(hookUrl);
    }

    /** Records each KMS call with its encryption context, as CloudTrail would show it. */
    static final class KmsContexts implements ExecutionInterceptor {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof GenerateDataKeyRequest g) {
                calls.add("GenerateDataKey " + new TreeMap<>(g.encryptionContext()));
            } else if (context.request() instanceof DecryptRequest d) {
                calls.add("Decrypt " + new TreeMap<>(d.encryptionContext()));
            }
        }
    }

    private static ApiResponse api(Ferry ferry, String method, String path, String body) {
        return ferry.api().handle(new ApiRequest(method, path, Map.of(),
                Map.of("authorization", "Bearer " + local.stack.adminApiKey(), "content-type", "application/json"),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), local.stack.apiUrl().toString()));
    }

    private static MonitorEvent failed(JsonNode instance, String executionId) {
        Instant t = Instant.now();
        Execution e = Execution.builder().id(executionId).instanceId(instance.path("id").asText()).customerId(customerId)
                .flowConfigId(instance.path("flowConfigs").get(0).path("id").asText()).flow("Sync").trigger(Trigger.WEBHOOK)
                .status(ExecutionStatus.RUNNING).queuedAt(t).startedAt(t).attempt(1).integrationVersion(1)
                .error(new ExecutionError("rejected", "reject", false)).end(ExecutionStatus.FAILED, t.plusMillis(40)).build();
        return MonitorEvent.executionEnded(e, List.of(), t.plusMillis(40));
    }

    /** The KMS calls of a monitor's write, its owner's view and its deliveries, counted on the functions' own clients (docs/benchmarks.md). */
    @Test
    void aWriteTakesOneDataKeyAndAWarmContainerDeliversWithNoKmsCallAllUnderTheMonitorsContext() throws Exception {
        JsonNode instance = newInstance("Counted");
        CallCounter counter = new CallCounter();
        KmsContexts contexts = new KmsContexts();

        Map<String, String> managementEnv = env("ManagementApiFunction");
        Ferry management = Wiring.fromEnv(managementEnv, AwsClients.fromEnv(managementEnv, List.of(counter, contexts)));
        ApiResponse created = api(management, "POST", "/monitors", "{\"name\":\"Counted\",\"triggers\":"
                + "[{\"type\":\"EXECUTION_FAILED\"}],\"scope\":{\"instanceId\":\"" + instance.path("id").asText() + "\"},"
                + "\"channels\":" + channels("/counted") + "}");
        assertThat(created.status()).as(created.bodyText()).isEqualTo(201);
        String id = JSON.readTree(created.body()).path("id").asText();
        Map<String, Long> write = kms(counter.snapshot());
        counter.reset();
        assertThat(api(management, "GET", "/monitors/" + id, null).bodyText()).contains(base() + "/counted/" + ROUTING_KEY);
        Map<String, Long> firstView = kms(counter.snapshot());
        counter.reset();
        assertThat(api(management, "GET", "/monitors/" + id, null).bodyText()).contains(base() + "/counted/" + ROUTING_KEY);
        Map<String, Long> nextView = kms(counter.snapshot());
        List<String> managementCalls = List.copyOf(contexts.calls);
        contexts.calls.clear();

        Map<String, String> evaluationEnv = env("MonitorEvaluationFunction");
        Ferry evaluation = Wiring.fromEnv(evaluationEnv, AwsClients.fromEnv(evaluationEnv, List.of(counter, contexts)));
        counter.reset();
        evaluation.monitors().handle(failed(instance, "exe_counted_cold"));
        Map<String, Long> cold = kms(counter.snapshot());
        counter.reset();
        int warmDeliveries = 20;
        for (int i = 0; i < warmDeliveries; i++) evaluation.monitors().handle(failed(instance, "exe_counted_warm_" + i));
        Map<String, Long> warm = kms(counter.snapshot());
        System.out.println("channel KMS calls: monitor write " + write + "; owner's first view " + firstView + ", next "
                + nextView + "; first alert in a MonitorEvaluationFunction container (2 channels) " + cold + "; next "
                + warmDeliveries + " alerts " + warm);

        List<Received> hooks = receivedAt("/counted/" + ROUTING_KEY);
        assertThat(hooks).hasSize(1 + warmDeliveries);
        for (Received hook : hooks) assertDeliveredWithItsCredentials(hook);
        assertThat(receivedAt("/counted/services/T1/B1/" + SLACK_TOKEN)).hasSize(1 + warmDeliveries);

        assertThat(write).containsExactly(Map.entry("Kms.GenerateDataKey", 1L));
        assertThat(firstView).containsExactly(Map.entry("Kms.Decrypt", 1L));
        assertThat(nextView).isEmpty();
        assertThat(cold).containsExactly(Map.entry("Kms.Decrypt", 1L));
        assertThat(warm).as("0 KMS calls per delivery in a warm container").isEmpty();
        String context = "{ferry:monitor=" + id + "}";
        assertThat(managementCalls).containsExactly("GenerateDataKey " + context, "Decrypt " + context);
        assertThat(contexts.calls).containsExactly("Decrypt " + context);
    }

    private static Map<String, Long> kms(Map<String, Long> calls) {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach((k, v) -> {
            if (k.startsWith("Kms.")) out.put(k, v);
        });
        return out;
    }
}

package dev.ferry.local;

import static dev.ferry.local.StackFixture.JSON;
import static dev.ferry.local.StackFixture.poll;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.infra.AwsClients;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The outbound destination policy end to end on the local stack: an http step and an alert channel
 * aimed at the stack's own emulator, HTTP API and Lambda API are refused — directly, spelled
 * {@code localhost}, and through a redirect from an allowed local server — with a clear error and
 * nothing written where they were aimed. All traffic stays on 127.0.0.1.
 */
class OutboundRefusalIT {
    private static final String FLOW = """
            {"name": "Outbound probe",
             "flows": [{"name": "Probe", "trigger": {"type": "webhook"},
               "steps": [{"name": "call", "type": "http", "method": "POST", "url": "{% $trigger.body.url %}",
                          "headers": "{% $trigger.body.headers %}", "body": "{% $trigger.body.payload %}",
                          "timeoutSeconds": 10}]}]}
            """;
    private static final AtomicInteger TRIED = new AtomicInteger();
    private static final AtomicInteger REFUSED = new AtomicInteger();
    private static final AtomicInteger WRITTEN = new AtomicInteger();
    private static final List<String> REDIRECTED = new CopyOnWriteArrayList<>();

    private static StackFixture local;
    private static HttpServer redirector;
    private static String flowConfigId;
    private static String instanceId;
    private static String customerId;

    @BeforeAll
    static void start() throws IOException {
        local = StackFixture.start("outbound-it", b -> b.demo(true));
        // An allowed local server (a developer's mock) that sends every request on to where ?to= says.
        redirector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        redirector.createContext("/", ex -> {
            String to = java.net.URLDecoder.decode(ex.getRequestURI().getRawQuery().substring(3), java.nio.charset.StandardCharsets.UTF_8);
            REDIRECTED.add(to);
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().set("Location", to);
            ex.sendResponseHeaders(307, -1);
            ex.close();
        });
        redirector.start();
        Demo demo = local.stack.demo().orElseThrow();
        customerId = demo.customerId();
        String integrationId = local.call("POST", "/integrations", FLOW, 201).path("id").asText();
        JsonNode instance = local.call("POST", "/instances", "{\"name\": \"Probe\", \"customerId\": \"" + customerId
                + "\", \"integrationId\": \"" + integrationId + "\"}", 201);
        instanceId = instance.path("id").asText();
        flowConfigId = instance.path("flowConfigs").get(0).path("id").asText();
    }

    @AfterAll
    static void stop() {
        if (local != null) local.close();
        if (redirector != null) redirector.stop(0);
        System.out.println("OutboundRefusalIT: cases tried " + TRIED + ", refused " + REFUSED + ", anything written " + WRITTEN);
    }

    private static int port(URI uri) {
        return uri.getPort();
    }

    private static String redirect(String to) {
        return "http://127.0.0.1:" + redirector.getAddress().getPort() + "/go?to="
                + java.net.URLEncoder.encode(to, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Runs the probe flow as a test run against {@code url}; asserts it failed as refused, without a retry. */
    private static void assertStepRefused(String url, Map<String, String> headers, JsonNode payload, String reason) {
        TRIED.incrementAndGet();
        ObjectNode body = JSON.createObjectNode();
        body.put("url", url);
        body.set("headers", JSON.valueToTree(headers));
        body.set("payload", payload);
        ObjectNode test = JSON.createObjectNode();
        test.set("body", body);
        JsonNode execution = local.call("POST", "/flow-configs/" + flowConfigId + "/test", test.toString(), 200);
        assertThat(execution.path("status").asText()).as(execution.toString()).isEqualTo("FAILED");
        String error = execution.path("error").path("message").asText();
        assertThat(error).as(execution.toString()).contains("refused").contains(reason);
        assertThat(execution.path("error").path("retryable").asBoolean(true)).isFalse();
        REFUSED.incrementAndGet();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertQueueAbsent(String name) {
        AwsClients aws = AwsClients.fromEnv(local.stack.adminEnvironment());
        List<String> urls = aws.sqs().listQueues(b -> b.queueNamePrefix(name)).queueUrls();
        if (!urls.isEmpty()) WRITTEN.incrementAndGet();
        assertThat(urls).as("queues named " + name).isEmpty();
    }

    private static void assertNoCustomer(String name) {
        String customers = local.get("/customers").body();
        if (customers.contains(name)) WRITTEN.incrementAndGet();
        assertThat(customers).doesNotContain(name);
    }

    @Test
    void anHttpStepAimedAtTheEmulatorIsRefusedAndCreatesNothing() {
        String emulator = TestEmulator.endpoint().toString().replaceAll("/+$", "");
        assertStepRefused(emulator + "/?Action=CreateQueue&QueueName=ferry-ssrf-direct", Map.of(), JSON.nullNode(),
                "AWS emulator");
        assertStepRefused("http://localhost:" + port(TestEmulator.endpoint()) + "/?Action=CreateQueue&QueueName=ferry-ssrf-localhost",
                Map.of(), JSON.nullNode(), "AWS emulator");
        assertStepRefused("http://[::ffff:127.0.0.1]:" + port(TestEmulator.endpoint())
                + "/?Action=CreateQueue&QueueName=ferry-ssrf-mapped", Map.of(), JSON.nullNode(), "AWS emulator");
        assertQueueAbsent("ferry-ssrf-");
    }

    @Test
    void anHttpStepAimedAtTheHttpApiIsRefusedAndCreatesNothing() {
        assertStepRefused(local.stack.apiUrl() + "/customers", Map.of("Authorization", "Bearer " + local.stack.adminApiKey(),
                "Content-Type", "application/json"), json("{\"name\": \"ssrf-probe-customer\"}"), "HTTP API");
        assertNoCustomer("ssrf-probe-customer");
    }

    @Test
    void anHttpStepAimedAtTheLambdaApiIsRefusedAndReplaysNothing() {
        String original = local.call("GET", "/executions?instanceId=" + local.stack.demo().orElseThrow().instanceId(), null, 200)
                .path("items").path(0).path("id").asText("exe_none");
        assertStepRefused(local.stack.lambdaUrl() + "/2015-03-31/functions/ReplayFunction/invocations", Map.of(),
                json("{\"executionId\": \"" + original + "\"}"), "Lambda API");
        String replays = local.get("/executions?instanceId=" + local.stack.demo().orElseThrow().instanceId() + "&trigger=REPLAY").body();
        if (json(replays).path("items").size() > 0) WRITTEN.incrementAndGet();
        assertThat(json(replays).path("items")).isEmpty();
    }

    @Test
    void aRedirectFromAnAllowedLocalServerToTheEmulatorIsRefused() {
        String emulator = TestEmulator.endpoint().toString().replaceAll("/+$", "");
        int before = REDIRECTED.size();
        assertStepRefused(redirect(emulator + "/?Action=CreateQueue&QueueName=ferry-ssrf-redirected"), Map.of(),
                JSON.nullNode(), "AWS emulator");
        assertThat(REDIRECTED).hasSize(before + 1);
        assertQueueAbsent("ferry-ssrf-redirected");
    }

    @Test
    void anAlertChannelAimedAtTheStackIsA400AndNoMonitorIsCreated() {
        String emulator = TestEmulator.endpoint().toString();
        for (String url : List.of(emulator, "http://localhost:" + port(TestEmulator.endpoint()) + "/",
                local.stack.apiUrl() + "/customers", local.stack.lambdaUrl() + "/2015-03-31/functions/ReplayFunction/invocations",
                "http://169.254.169.254/latest/meta-data/")) {
            TRIED.incrementAndGet();
            String monitor = "{\"name\": \"probe\", \"triggers\": [{\"type\": \"EXECUTION_FAILED\"}], \"scope\": {\"instanceId\": \""
                    + instanceId + "\"}, \"channels\": [{\"type\": \"webhook\", \"url\": \"" + url + "\"}]}";
            JsonNode answer = local.call("POST", "/monitors", monitor, 400);
            assertThat(answer.toString()).contains("channels[0].url").contains("refused");
            REFUSED.incrementAndGet();
        }
        JsonNode monitors = local.call("GET", "/monitors", null, 200).path("items");
        if (monitors.toString().contains("\"probe\"")) WRITTEN.incrementAndGet();
        assertThat(monitors.toString()).doesNotContain("\"probe\"");
    }

    @Test
    void anAlertRedirectedToTheHttpApiIsNotDeliveredThere() throws Exception {
        String target = local.stack.apiUrl() + "/customers";
        String monitor = "{\"name\": \"redirected alerts\", \"triggers\": [{\"type\": \"EXECUTION_FAILED\"}], \"scope\": {\"instanceId\": \""
                + instanceId + "\"}, \"channels\": [{\"type\": \"webhook\", \"url\": \"" + redirect(target)
                + "\", \"headers\": {\"Authorization\": \"Bearer " + local.stack.adminApiKey() + "\"},"
                + " \"template\": \"{\\\"name\\\": \\\"ssrf-alert-customer\\\"}\"}]}";
        String monitorId = local.call("POST", "/monitors", monitor, 201).path("id").asText();
        TRIED.incrementAndGet();
        String webhookUrl = local.call("GET", "/instances/" + instanceId, null, 200).path("flowConfigs").get(0)
                .path("webhookUrl").asText();
        local.webhook(webhookUrl, "{\"url\": \"http://169.254.169.254/latest/meta-data/\"}");

        JsonNode alert = poll(() -> local.call("GET", "/alerts?monitorId=" + monitorId, null, 200).path("items"),
                items -> items.size() > 0 && items.get(0).path("deliveries").size() > 0, "the alert's first delivery");
        JsonNode delivery = alert.get(0).path("deliveries").get(0);
        assertThat(delivery.path("delivered").asBoolean()).as(delivery.toString()).isFalse();
        assertThat(delivery.path("error").asText()).as(delivery.toString()).contains("refused").contains("HTTP API");
        REFUSED.incrementAndGet();
        assertNoCustomer("ssrf-alert-customer");
    }
}

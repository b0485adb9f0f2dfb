package dev.ferry.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.api.ApiResponse;
import dev.ferry.core.api.Views;
import dev.ferry.core.api.WebhookEndpoint;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.HttpCallRequest;
import dev.ferry.core.model.HttpCallResult;
import dev.ferry.core.model.LogLine;
import dev.ferry.core.testkit.FerryTestKit;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Secrets (docs/flow-language.md, "Secrets"): secret config values used everywhere a flow can put them (http step
 * headers and URL, log steps, transform outputs, fail messages, the webhook's HMAC secret, an
 * inbound API key) and an alert channel's signing secret never appear in any API answer (every GET
 * route, and the answers of the writes), any stored execution or step output, any log line, any
 * monitor event, alert, alert delivery or the function log — after success, failure, retry,
 * replay, a test run and alerts.
 */
class SecretsNeverLeakTest {
    static final String API_KEY = "sk_live_SECRET_api_key_4242";
    static final String WEBHOOK_SECRET = "whsec_SECRET_hmac_7777";
    static final String INBOUND_KEY = "ik_SECRET_inbound_5151";
    static final String CHANNEL_SECRET = "chsec_SECRET_alert_3131";
    static final String ALERTS = "https://alerts.example.test/hook";

    static final String DEFINITION = """
            {"name": "Leaky",
             "configVariables": [{"key": "apiBase", "required": true}, {"key": "apiKey", "secret": true},
                                 {"key": "webhookSecret", "secret": true, "required": true},
                                 {"key": "inboundKey", "secret": true, "required": true}],
             "flows": [
              {"name": "Signed", "trigger": {"type": "webhook", "security":
                 {"type": "hmac-sha256", "header": "x-signature", "secret": "{% $config.webhookSecret %}"}},
               "retry": {"maxAttempts": 1, "delaySeconds": 60},
               "steps": [
                {"name": "say", "type": "log", "severity": "WARN", "message": "{% 'calling with ' & $config.apiKey & ' and ' & $config.webhookSecret %}"},
                {"name": "fetch", "type": "http", "url": "{% $config.apiBase & '/orders?key=' & $config.apiKey %}",
                 "headers": {"Authorization": "{% 'Bearer ' & $config.apiKey %}", "x-sig": "{% $config.webhookSecret %}"}},
                {"name": "shape", "type": "transform", "output": {"echo": "{% $config.apiKey %}", "sig": "{% $config.webhookSecret %}",
                 "seen": "{% $steps.fetch.body %}", "key": "{% $config.inboundKey %}"}},
                {"name": "boom", "type": "fail", "if": "{% $trigger.body.fail = true %}",
                 "message": "{% 'failed using ' & $config.apiKey & ' / ' & $config.webhookSecret & ' / ' & $config.inboundKey %}"}
               ]},
              {"name": "Keyed", "trigger": {"type": "webhook", "security":
                 {"type": "api-key", "header": "x-api-key", "key": "{% $config.inboundKey %}"}},
               "steps": [{"name": "headers", "type": "transform", "output": "{% $trigger.headers %}"},
                         {"name": "say", "type": "log", "message": "{% $string($trigger.headers) %}"}]}
             ]}
            """;

    private final FerryTestKit kit = new FerryTestKit();
    private final List<String> leaks = new ArrayList<>();

    @Test
    void noAnswerOutputLogAlertOrStoredExecutionCarriesASecretValue() {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream functionLog = new ByteArrayOutputStream();
        System.setErr(new PrintStream(functionLog, true, StandardCharsets.UTF_8));
        List<ApiResponse> answers = new ArrayList<>();
        try {
            answers.addAll(scenario());
        } finally {
            System.setErr(originalErr);
        }

        for (ApiResponse a : answers) scan("a write's answer", a.bodyText());
        for (String path : getRoutes()) scan("GET " + path, get(path));
        for (Execution e : kit.executions.all()) {
            scan("stored execution " + e.id(), e.toString());
            scan("execution view " + e.id(), Json.write(Views.execution(e, true)));
            for (var s : e.steps()) scan("step output " + e.id() + "/" + s.name(), String.valueOf(s.output()) + s.error());
        }
        for (String group : kit.logs.instancesWithLogs()) {
            for (LogLine l : kit.logs.linesOf(group)) scan("log line of " + group, l.toString());
        }
        scan("monitor events", kit.monitorEvents.pending().toString());
        kit.alerts.all().forEach(a -> scan("alert " + a.id(), a.toString()));
        scan("retry queue", kit.retryQueue.sent().toString());
        for (HttpCallRequest r : kit.httpRequests) {
            if (!r.url().startsWith(ALERTS)) continue;
            Map<String, String> headers = new LinkedHashMap<>(r.headers());
            headers.remove("x-token"); // the channel's own header: sent where the operator asked, masked in every answer
            scan("alert delivery", headers + new String(r.body(), StandardCharsets.UTF_8));
        }
        scan("function log (stderr)", functionLog.toString(StandardCharsets.UTF_8));

        assertThat(leaks).isEmpty();
    }

    /** Success, failure with a retry, the retry, a replay, a test run, a 401, alerts; returns the answers of the writes. */
    private List<ApiResponse> scenario() {
        List<ApiResponse> answers = new ArrayList<>();
        kit.httpHandler = r -> new HttpCallResult(200, Map.of("content-type", "application/json"),
                Json.writeBytes(Map.of("auth", r.headers().getOrDefault("Authorization", ""), "url", r.url())));
        String customerId = FerryTestKit.json(kit.api("POST", "/customers", "{\"name\":\"Acme\"}")).get("id").asText();
        ApiResponse integration = kit.api("POST", "/integrations", DEFINITION);
        assertThat(integration.status()).as(integration.bodyText()).isEqualTo(201);
        String integrationId = FerryTestKit.json(integration).get("id").asText();
        ApiResponse instance = kit.api("POST", "/instances", "{\"name\":\"Acme\",\"customerId\":\"" + customerId
                + "\",\"integrationId\":\"" + integrationId + "\",\"configVariables\":{\"apiBase\":\"https://api.example.test\","
                + "\"apiKey\":\"" + API_KEY + "\",\"webhookSecret\":\"" + WEBHOOK_SECRET + "\",\"inboundKey\":\"" + INBOUND_KEY + "\"}}");
        assertThat(instance.status()).as(instance.bodyText()).isEqualTo(201);
        answers.add(instance);
        JsonNode node = FerryTestKit.json(instance);
        String instanceId = node.get("id").asText();
        String signedToken = token(node.get("flowConfigs").get(0));
        String keyedToken = token(node.get("flowConfigs").get(1));
        String signedFlowConfig = node.get("flowConfigs").get(0).get("id").asText();
        answers.add(kit.api("POST", "/monitors", "{\"name\":\"Ops\",\"triggers\":[{\"type\":\"EXECUTION_FAILED\"},"
                + "{\"type\":\"EXECUTION_FAILED_RETRY_PENDING\"},{\"type\":\"LOG_LEVEL_MATCHED\",\"logSeverity\":\"WARN\"},"
                + "{\"type\":\"EXECUTION_COMPLETED\"}],\"scope\":{\"instanceId\":\"" + instanceId + "\"},\"channels\":["
                + "{\"type\":\"webhook\",\"url\":\"" + ALERTS + "\",\"secret\":\"" + CHANNEL_SECRET + "\",\"headers\":{\"x-token\":\""
                + CHANNEL_SECRET + "\"},\"template\":\"{\\\"text\\\":\\\"$SUBJECT\\\",\\\"step\\\":\\\"$STEP\\\"}\"},"
                + "{\"type\":\"webhook\",\"url\":\"" + ALERTS + "/default\"}]}"));

        WebhookEndpoint endpoint = new WebhookEndpoint(kit.ferry.webhooks());
        answers.add(signed(endpoint, signedToken, "{\"id\": 1}", WEBHOOK_SECRET));
        answers.add(signed(endpoint, signedToken, "{\"id\": 2, \"fail\": true}", WEBHOOK_SECRET));
        answers.add(signed(endpoint, signedToken, "{\"id\": 3}", "wrong-secret"));
        answers.add(endpoint.handle(keyedToken, new ExecutionRequest("POST", "{}".getBytes(StandardCharsets.UTF_8),
                Map.of("x-api-key", INBOUND_KEY, "content-type", "application/json"), Map.of(), "application/json")));
        answers.add(endpoint.handle(keyedToken, new ExecutionRequest("POST", "{}".getBytes(StandardCharsets.UTF_8),
                Map.of("x-api-key", INBOUND_KEY + "x"), Map.of(), "application/json")));
        kit.drainQueue();
        kit.drainMonitorEvents();
        kit.clock.advance(Duration.ofMinutes(2));
        kit.dispatchRetries();
        kit.drainQueue();
        kit.drainMonitorEvents();

        Execution failed = kit.executions.all().stream().filter(e -> e.status() == ExecutionStatus.FAILED).findFirst().orElseThrow();
        answers.add(kit.api("POST", "/executions/" + failed.id() + "/replay", null));
        answers.add(kit.api("POST", "/replays", "{\"filter\":{\"instanceId\":\"" + instanceId + "\",\"status\":\"FAILED\"}}"));
        kit.drainReplayJobs();
        kit.drainQueue();
        answers.add(kit.api("POST", "/flow-configs/" + signedFlowConfig + "/test", "{\"body\":{\"fail\":true}}"));
        answers.add(kit.api("PATCH", "/instances/" + instanceId, "{\"name\":\"Acme 2\"}"));
        answers.add(kit.api("POST", "/instances/" + instanceId + "/pause", null));
        answers.add(kit.api("POST", "/instances/" + instanceId + "/unpause", null));
        kit.drainMonitorEvents();
        kit.clock.advance(Duration.ofHours(1));
        kit.ferry.monitors().sweep();
        kit.drainMonitorEvents();

        assertThat(kit.executions.all()).extracting(Execution::status)
                .contains(ExecutionStatus.SUCCEEDED, ExecutionStatus.FAILED);
        assertThat(kit.alerts.all()).isNotEmpty();
        assertThat(kit.httpRequests.stream().filter(r -> r.url().startsWith(ALERTS))).isNotEmpty();
        return answers;
    }

    private ApiResponse signed(WebhookEndpoint endpoint, String token, String body, String secret) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("x-signature", "sha256=" + WebhookSecurityTest.sign(secret, bytes));
        return endpoint.handle(token, new ExecutionRequest("POST", bytes, headers, Map.of(), "application/json"));
    }

    private static String token(JsonNode flowConfig) {
        String url = flowConfig.get("webhookUrl").asText();
        return url.substring(url.lastIndexOf('/') + 1);
    }

    /** Every GET route of the management API, for every id the scenario made. */
    private List<String> getRoutes() {
        List<String> paths = new ArrayList<>(List.of("/customers", "/integrations", "/instances", "/executions",
                "/monitors", "/alerts"));
        JsonNode customers = FerryTestKit.json(kit.api("GET", "/customers", null)).get("items");
        for (JsonNode c : customers) {
            String id = c.get("id").asText();
            paths.addAll(List.of("/customers/" + id, "/customers/" + id + "/executions", "/customers/" + id + "/logs"));
        }
        for (JsonNode i : FerryTestKit.json(kit.api("GET", "/integrations", null)).get("items")) {
            paths.add("/integrations/" + i.get("id").asText());
        }
        for (JsonNode i : FerryTestKit.json(kit.api("GET", "/instances", null)).get("items")) {
            String id = i.get("id").asText();
            paths.addAll(List.of("/instances/" + id, "/instances/" + id + "/flow-configs", "/instances/" + id + "/logs"));
        }
        for (Execution e : kit.executions.all()) {
            paths.addAll(List.of("/executions/" + e.id(), "/executions/" + e.id() + "/logs"));
        }
        for (JsonNode m : FerryTestKit.json(kit.api("GET", "/monitors", null)).get("items")) {
            paths.add("/monitors/" + m.get("id").asText());
        }
        return paths;
    }

    private String get(String path) {
        ApiResponse r = kit.api("GET", path, null);
        assertThat(r.status()).as(path + " " + r.bodyText()).isEqualTo(200);
        return r.bodyText();
    }

    private void scan(String where, String text) {
        for (String secret : List.of(API_KEY, WEBHOOK_SECRET, INBOUND_KEY, CHANNEL_SECRET)) {
            if (text != null && text.contains(secret)) {
                int at = text.indexOf(secret);
                leaks.add(where + " carries " + secret + ": …" + text.substring(Math.max(0, at - 120), Math.min(text.length(), at + 60)) + "…");
            }
        }
    }
}

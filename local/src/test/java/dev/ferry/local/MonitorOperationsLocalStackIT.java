package dev.ferry.local;

import static dev.ferry.local.StackFixture.JSON;
import static dev.ferry.local.StackFixture.poll;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.local.StackFixture.Cli;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an operator does with monitors during an incident, end to end on the local stack through
 * the CLI: a pause with a reason whose INSTANCE_DISABLED alert is recorded muted and reaches no one,
 * a monitor muted and unmuted, an alert acknowledged; then an instance that keeps no step outputs
 * and no logs, and every customer's logs searched with the admin key. Alerts go to a receiver on
 * 127.0.0.1 (the JDK's server); every answer of the stack is held to the API reference on close.
 */
class MonitorOperationsLocalStackIT {
    private static final String FLOW = """
            {"name": "Order sync",
             "flows": [{"name": "Sync", "trigger": {"type": "webhook"},
               "steps": [
                 {"name": "note", "type": "log", "severity": "INFO", "message": "{% 'order ' & $trigger.body.id & ' seen' %}"},
                 {"name": "shape", "type": "transform", "output": {"id": "{% $trigger.body.id %}"}},
                 {"name": "guard", "type": "fail", "if": "{% $trigger.body.fail = true %}", "message": "rejected",
                  "retryable": false}
               ]}]}
            """;

    private static final LinkedBlockingQueue<String> RECEIVED = new LinkedBlockingQueue<>();
    private static StackFixture local;
    private static HttpServer receiver;

    @BeforeAll
    static void startStackAndReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                RECEIVED.add(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        local = StackFixture.start("monitor-operations-it", b -> b.demo(true));
    }

    @AfterAll
    static void stop() {
        if (local != null) local.close();
        if (receiver != null) receiver.stop(0);
    }

    private static JsonNode instance(String name, String extra) {
        Demo demo = local.stack.demo().orElseThrow();
        String integrationId = local.call("POST", "/integrations", FLOW, 201).path("id").asText();
        return local.call("POST", "/instances", "{\"name\":\"" + name + "\",\"customerId\":\"" + demo.customerId()
                + "\",\"integrationId\":\"" + integrationId + "\"" + extra + "}", 201);
    }

    private static void sweep() throws Exception {
        HttpResponse<String> r = local.send(StackFixture.sigV4(HttpRequest.newBuilder(local.stack.lambdaUrl()
                        .resolve("/2015-03-31/functions/MonitorEvaluationFunction/invocations"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"sweep\": true}"))));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static JsonNode alertsOf(String monitorId) {
        return local.call("GET", "/alerts?monitorId=" + monitorId, null, 200).path("items");
    }

    private static List<String> drained() {
        List<String> out = new ArrayList<>();
        RECEIVED.drainTo(out);
        return out;
    }

    @Test
    void aDeliberatePauseAMuteAndAnAcknowledgementThroughTheCli() throws Exception {
        JsonNode instance = instance("Acme incident", "");
        String instanceId = instance.path("id").asText();
        String webhookUrl = instance.path("flowConfigs").get(0).path("webhookUrl").asText();
        Cli created = local.cli("alerts:monitors:create", "--name", "Acme ops", "--trigger", "INSTANCE_DISABLED",
                "--instance", instanceId, "--output", "json");
        assertThat(created.status()).as(created.err()).isZero();
        String monitorId = JSON.readTree(created.out()).path("id").asText();
        Cli updated = local.cli("alerts:monitors:update", monitorId, "--trigger", "INSTANCE_DISABLED",
                "--trigger", "EXECUTION_FAILED", "--webhook-url",
                "http://127.0.0.1:" + receiver.getAddress().getPort() + "/ops", "--output", "json");
        assertThat(updated.status()).as(updated.err()).isZero();
        assertThat(JSON.readTree(updated.out()).path("triggers")).hasSize(2);
        drained();

        // A pause on purpose: recorded with who and why; the sweep records its alert muted and sends nothing.
        Cli paused = local.cli("instances:pause", instanceId, "--reason", "Deploying v2", "--output", "json");
        assertThat(paused.status()).as(paused.err()).isZero();
        JsonNode pausedView = JSON.readTree(paused.out());
        assertThat(pausedView.path("pausedBy").asText()).isEqualTo("admin");
        assertThat(pausedView.path("pauseReason").asText()).isEqualTo("Deploying v2");
        sweep();
        JsonNode disabled = alertsOf(monitorId).get(0);
        assertThat(disabled.path("trigger").asText()).isEqualTo("INSTANCE_DISABLED");
        assertThat(disabled.path("muted").asBoolean()).isTrue();
        assertThat(disabled.path("mutedReason").asText()).isEqualTo("paused on purpose by admin: Deploying v2");
        assertThat(disabled.path("deliveries")).isEmpty();
        assertThat(drained()).as("a deliberate pause pages no one").isEmpty();
        assertThat(local.cli("instances:unpause", instanceId).status()).isZero();

        // Muted for 2 hours: a failure is recorded muted and not sent.
        Cli muted = local.cli("alerts:monitors:mute", monitorId, "--until", "2h", "--output", "json");
        assertThat(muted.status()).as(muted.err()).isZero();
        assertThat(JSON.readTree(muted.out()).path("mutedUntil").isNull()).isFalse();
        String first = local.webhook(webhookUrl, "{\"id\": 1, \"fail\": true}");
        JsonNode mutedFailure = poll(() -> alertsOf(monitorId), a -> hasAlertFor(a, first), "the muted failure alert")
                .get(0);
        assertThat(mutedFailure.path("executionId").asText()).isEqualTo(first);
        assertThat(mutedFailure.path("muted").asBoolean()).isTrue();
        assertThat(mutedFailure.path("deliveries")).isEmpty();
        Cli table = local.cli("alerts:events:list", "--monitor", monitorId);
        assertThat(table.out()).contains("MUTED").contains("muted");

        // Acknowledged through the CLI: gone from the unacknowledged list.
        String alertId = mutedFailure.path("id").asText();
        Cli ack = local.cli("alerts:events:ack", alertId);
        assertThat(ack.status()).as(ack.err()).isZero();
        assertThat(ack.out()).contains("Acknowledged alert " + alertId + " (by admin at ");
        Cli open = local.cli("alerts:events:list", "--monitor", monitorId, "--unacknowledged", "--output", "json");
        assertThat(open.out()).doesNotContain(alertId);

        // Unmuted: the next failure reaches the receiver.
        assertThat(local.cli("alerts:monitors:unmute", monitorId).status()).isZero();
        String second = local.webhook(webhookUrl, "{\"id\": 2, \"fail\": true}");
        String body = RECEIVED.poll(60, TimeUnit.SECONDS);
        assertThat(body).as("the unmuted failure alert within 60 s").isNotNull().contains(second);
        JsonNode delivered = poll(() -> alertsOf(monitorId), a -> hasAlertFor(a, second)
                && !a.get(0).path("deliveries").isEmpty(), "the delivery recorded").get(0);
        assertThat(delivered.path("muted").asBoolean()).isFalse();
        Cli watching = local.cli("alerts:monitors:list", "--instance", instanceId);
        assertThat(watching.out()).contains(monitorId);
    }

    @Test
    void anInstanceThatKeepsNothingAndEveryCustomersLogsForTheAdmin() throws Exception {
        JsonNode secret = instance("Acme private", ",\"storeStepOutputs\":false,\"storeLogs\":false");
        JsonNode open = instance("Acme open", "");
        assertThat(secret.path("storeStepOutputs").asBoolean()).isFalse();

        String hidden = local.webhook(secret.path("flowConfigs").get(0).path("webhookUrl").asText(), "{\"id\": 4711}");
        String shown = local.webhook(open.path("flowConfigs").get(0).path("webhookUrl").asText(), "{\"id\": 4712}");
        JsonNode kept = local.awaitEnd(hidden);
        local.awaitEnd(shown);

        assertThat(kept.path("status").asText()).isEqualTo("SUCCEEDED");
        JsonNode detail = local.call("GET", "/executions/" + hidden, null, 200);
        assertThat(detail.path("outputsStored").asBoolean()).isFalse();
        assertThat(detail.path("logsStored").asBoolean()).isFalse();
        assertThat(detail.path("steps")).isNotEmpty().allSatisfy(s -> assertThat(s.path("output").isNull()).isTrue());
        assertThat(local.call("GET", "/executions/" + hidden + "/logs", null, 200).path("items")).isEmpty();

        Cli all = local.cli("logs:search", "--all-customers", "--query", "order", "--all", "--output", "json");
        assertThat(all.status()).as(all.err()).isZero();
        // The lines' messages, not the whole answer: a timestamp's digits (…12:16:51.477471141Z) may hold "4711".
        List<String> messages = JSON.readTree(all.out()).path("items").findValuesAsText("message");
        assertThat(messages).contains("order 4712 seen").noneMatch(m -> m.contains("4711"));
        String key = JSON.readTree(local.cli("api-keys:create", "--name", "portal", "--customer",
                local.stack.demo().orElseThrow().customerId(), "--output", "json").out()).path("key").asText();
        Cli refused = local.cli(java.util.Map.of("FERRY_API_KEY", key), "logs:search", "--all-customers");
        assertThat(refused.status()).isNotZero();
        assertThat(refused.err()).contains("admin");
    }

    private static boolean hasAlertFor(JsonNode alerts, String executionId) {
        return alerts.size() > 0 && alerts.get(0).path("executionId").asText().equals(executionId);
    }
}

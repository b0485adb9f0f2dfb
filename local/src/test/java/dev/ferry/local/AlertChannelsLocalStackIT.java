package dev.ferry.local;

import static dev.ferry.local.StackFixture.JSON;
import static dev.ferry.local.StackFixture.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The alert channels end to end on the local stack: one failing execution alerts a monitor with an
 * email channel, a Slack channel and a webhook signed the Standard Webhooks way. The email is sent
 * through the emulator's SES (read back from moto's {@code /moto-api/data.json}); the Slack message
 * and the signed webhook reach a receiver on 127.0.0.1, which verifies the signature with the
 * Standard Webhooks library.
 */
class AlertChannelsLocalStackIT {
    /** A secret made as the API reference suggests: whsec_ and the base64 of 32 random bytes. */
    private static final String WHSEC = "whsec_" + java.util.Base64.getEncoder().encodeToString(
            "ferry-alert-channels-it-32-bytes".getBytes(StandardCharsets.US_ASCII));
    private static final String SLACK_TOKEN = "sLaCkT0kEn1234567890";
    private static final String FLOW = """
            {"name": "Rejecting sync",
             "flows": [{"name": "Sync", "trigger": {"type": "webhook"},
               "steps": [
                 {"name": "reject", "type": "fail", "message": "{% 'order ' & $trigger.body.id & ' rejected' %}", "retryable": false}
               ]}]}
            """;

    /** A request the receiver got, its header names lower-cased. */
    record Received(String path, Map<String, List<String>> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            List<String> v = headers.get(name);
            return v == null ? null : v.get(0);
        }
    }

    private static final Map<String, Received> RECEIVED = new ConcurrentHashMap<>();
    private static StackFixture local;
    private static HttpServer receiver;

    @BeforeAll
    static void startStackAndReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                Map<String, List<String>> headers = new LinkedHashMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
                RECEIVED.putIfAbsent(exchange.getRequestURI().getPath(),
                        new Received(exchange.getRequestURI().getPath(), headers, in.readAllBytes()));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        local = StackFixture.start("channels-it", b -> {});
    }

    @AfterAll
    static void stop() {
        if (local != null) local.close();
        if (receiver != null) receiver.stop(0);
    }

    @Test
    void oneFailureIsEmailedThroughSesPostedToSlackAndSentAsAStandardWebhook() throws Exception {
        String customerId = local.call("POST", "/customers", "{\"name\":\"Acme\",\"externalId\":\"acme-7\"}", 201)
                .path("id").asText();
        String integrationId = local.call("POST", "/integrations", FLOW, 201).path("id").asText();
        JsonNode instance = local.call("POST", "/instances", "{\"name\":\"Acme orders\",\"customerId\":\"" + customerId
                + "\",\"integrationId\":\"" + integrationId + "\"}", 201);
        String instanceId = instance.path("id").asText();
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort();
        String slackUrl = hook + "/services/T0001/B0001/" + SLACK_TOKEN;

        JsonNode monitor = local.call("POST", "/monitors", "{\"name\":\"Order failures\","
                + "\"triggers\":[{\"type\":\"EXECUTION_FAILED\"}],\"scope\":{\"instanceId\":\"" + instanceId + "\"},"
                + "\"channels\":[{\"type\":\"email\",\"to\":[\"ops@example.test\"]},"
                + "{\"type\":\"slack\",\"url\":\"" + slackUrl + "\"},"
                + "{\"type\":\"webhook\",\"url\":\"" + hook + "/signed\",\"standardWebhooksSecret\":\"" + WHSEC + "\"}]}", 201);
        String monitorId = monitor.path("id").asText();
        assertThat(monitor.toString()).doesNotContain(SLACK_TOKEN).doesNotContain(WHSEC.substring(6));

        String executionId = local.webhook(instance.path("flowConfigs").get(0).path("webhookUrl").asText(), "{\"id\": 7}");
        String subject = "Execution failed: flow 'Sync' of Acme orders at step 'reject': order 7 rejected";

        // The email, as the emulator's SES kept it.
        JsonNode email = poll(() -> local.sentEmails().stream()
                        .filter(m -> m.path("destinations").path("ToAddresses").toString().contains("ops@example.test"))
                        .findFirst().orElse(null),
                m -> m != null, "the alert email in the emulator's SES");
        assertThat(email.path("source").asText()).isEqualTo(LocalStack.LOCAL_EMAIL_SENDER);
        assertThat(email.path("subject").asText()).isEqualTo("[Ferry] " + subject);
        assertThat(email.path("body").asText()).startsWith(subject + "\n")
                .contains("Instance:  Acme orders (" + instanceId + ")")
                .contains("Customer:  Acme (acme-7)")
                .contains("Error:     order 7 rejected")
                .contains(local.stack.apiUrl() + "/console/executions/" + executionId);

        Received slack = poll(() -> RECEIVED.get("/services/T0001/B0001/" + SLACK_TOKEN), r -> r != null,
                "the Slack message at the receiver");
        assertThat(slack.header("content-type")).isEqualTo("application/json");
        JsonNode message = JSON.readTree(slack.body());
        assertThat(message.path("text").asText()).isEqualTo(subject);
        assertThat(message.path("blocks").get(0).path("type").asText()).isEqualTo("header");
        List<String> fields = new ArrayList<>();
        message.path("blocks").get(2).path("fields").forEach(f -> fields.add(f.path("text").asText()));
        assertThat(fields).contains("*Customer*\nAcme (acme-7)", "*Status*\nFAILED", "*Step*\nreject");
        assertThat(message.toString()).contains("|Open in Ferry>");

        Received signed = poll(() -> RECEIVED.get("/signed"), r -> r != null, "the signed webhook at the receiver");
        new Webhook(WHSEC).verify(signed.text(), signed.headers());
        assertThat(JSON.readTree(signed.body()).path("executionId").asText()).isEqualTo(executionId);
        assertThatThrownBy(() -> new Webhook(WHSEC).verify(signed.text().replace("7", "8"), signed.headers()))
                .as("a changed body does not verify").isInstanceOf(WebhookVerificationException.class);

        // Each channel's attempt is recorded on the alert, the Slack URL masked, the email as mailto:.
        JsonNode alert = poll(() -> local.call("GET", "/alerts?monitorId=" + monitorId, null, 200).path("items").get(0),
                a -> a != null && a.path("deliveries").size() == 3, "the three deliveries recorded");
        List<String> targets = new ArrayList<>();
        alert.path("deliveries").forEach(d -> {
            assertThat(d.path("delivered").asBoolean()).as(d.toString()).isTrue();
            targets.add(d.path("url").asText());
        });
        assertThat(targets).containsExactlyInAnyOrder("mailto:ops@example.test",
                hook + "/services/T0001/B0001/********", hook + "/signed");
        assertThat(alert.toString()).doesNotContain(SLACK_TOKEN);
    }
}

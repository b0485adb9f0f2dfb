package dev.ferry.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import dev.ferry.core.Ferry;
import dev.ferry.core.api.ApiRequest;
import dev.ferry.core.api.ApiResponse;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.Alert;
import dev.ferry.core.model.AlertDelivery;
import dev.ferry.core.model.Email;
import dev.ferry.core.model.EmailResult;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.HttpCallRequest;
import dev.ferry.core.model.HttpCallResult;
import dev.ferry.core.testkit.FerryTestKit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The alert channels besides a plain webhook, on the in-memory application: Slack messages, emails
 * through the email port, and webhooks signed the Standard Webhooks way — each retried and recorded
 * as webhooks are.
 */
class AlertChannelsTest {
    static final String SLACK = "https://hooks.slack.example.test/services/T0001/B0001/s3cr3tSlackToken";
    static final String HOOK = "https://alerts.example.test/hook";
    /** The Standard Webhooks specification's example secret. */
    static final String WHSEC = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    final FerryTestKit kit = new FerryTestKit();
    FerryTestKit.Demo demo;
    volatile int status = 200;

    static final String FLOWS = """
            {"name": "Order sync",
             "configVariables": [{"key": "apiBase", "required": true}, {"key": "apiKey", "secret": true}],
             "flows": [{"name": "Sync", "trigger": {"type": "webhook"},
               "steps": [
                 {"name": "guard", "type": "fail", "if": "{% $trigger.body.fail = true %}",
                  "message": "{% 'order <' & $trigger.body.id & '> & co rejected by ' & $config.apiKey %}"}
               ]}]}
            """;

    @BeforeEach
    void seed() {
        demo = kit.seed(FLOWS);
        kit.httpHandler = request -> request.url().startsWith(SLACK) || request.url().startsWith(HOOK)
                ? new HttpCallResult(status, Map.of(), new byte[0]) : kit.httpAnswer;
    }

    String monitor(String channels) {
        ApiResponse r = kit.api("POST", "/monitors", "{\"name\":\"Ops <team>\",\"triggers\":[{\"type\":\"EXECUTION_FAILED\"}],"
                + "\"scope\":{\"instanceId\":\"" + demo.instanceId() + "\"},\"channels\":[" + channels + "]}");
        assertThat(r.status()).as(r.bodyText()).isEqualTo(201);
        return FerryTestKit.json(r).get("id").asText();
    }

    Execution fail() {
        Execution accepted = kit.ferry.webhooks().accept(demo.token(), new ExecutionRequest("POST",
                "{\"fail\": true, \"id\": 42}".getBytes(StandardCharsets.UTF_8), Map.of("content-type", "application/json"),
                Map.of(), "application/json"));
        kit.drainQueue();
        kit.drainMonitorEvents();
        return kit.executions.get(accepted.id()).orElseThrow();
    }

    List<HttpCallRequest> sentTo(String url) {
        synchronized (kit.httpRequests) {
            return kit.httpRequests.stream().filter(r -> r.url().equals(url)).toList();
        }
    }

    Alert alertOf(String monitorId) {
        return kit.alerts.all().stream().filter(a -> a.monitorId().equals(monitorId)).findFirst().orElseThrow();
    }

    ApiResponse create(String channel) {
        return kit.api("POST", "/monitors", "{\"name\":\"m\",\"triggers\":[{\"type\":\"EXECUTION_FAILED\"}],"
                + "\"channels\":[" + channel + "]}");
    }

    // ------------------------------------------------------------------ Slack

    @Test
    void aSlackChannelGetsABlockKitMessageWithTheSubjectDetailsErrorAndLink() {
        monitor("{\"type\":\"slack\",\"url\":\"" + SLACK + "\"}");

        Execution e = fail();

        HttpCallRequest r = sentTo(SLACK).get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.headers()).containsEntry("content-type", "application/json");
        JsonNode m = Json.tree(r.body());
        assertThat(m.get("text").asText()).as("the notification's text")
                .startsWith("Execution failed: flow 'Sync' of Acme orders at step 'guard': order <42> & co rejected by ");
        JsonNode blocks = m.get("blocks");
        assertThat(blocks.get(0).get("type").asText()).isEqualTo("header");
        assertThat(blocks.get(0).at("/text/text").asText()).isEqualTo("Execution failed · Ops <team>");
        assertThat(blocks.get(1).at("/text/type").asText()).isEqualTo("mrkdwn");
        assertThat(blocks.get(1).at("/text/text").asText()).as("mrkdwn escaped: no link or mention can be made")
                .contains("order &lt;42&gt; &amp; co rejected");
        List<String> fields = new ArrayList<>();
        blocks.get(2).get("fields").forEach(f -> fields.add(f.get("text").asText()));
        assertThat(fields).containsExactly(
                "*Instance*\nAcme orders `" + demo.instanceId() + "`",
                "*Customer*\nAcme (acme-1)",
                "*Flow*\nSync",
                "*Status*\nFAILED",
                "*Step*\nguard",
                "*Execution*\n`" + e.id() + "`");
        assertThat(blocks.get(3).at("/text/text").asText()).startsWith("*Error*\n```order &lt;42&gt; &amp; co rejected by ");
        String context = blocks.get(4).at("/elements/0/text").asText();
        assertThat(context).startsWith("Monitor *Ops &lt;team&gt;* · EXECUTION_FAILED · ")
                .endsWith(" · <https://hooks.example.test/console/executions/" + e.id() + "|Open in Ferry>");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).doesNotContain(FerryTestKit.SECRET);
    }

    @Test
    void aSlackUrlIsItsCredentialSoTheApiShowsItMasked() {
        String id = monitor("{\"type\":\"slack\",\"url\":\"" + SLACK + "\"}");
        fail();

        String masked = "https://hooks.slack.example.test/services/T0001/B0001/********";
        JsonNode shown = FerryTestKit.json(kit.api("GET", "/monitors/" + id, null)).get("channels").get(0);
        assertThat(shown.get("type").asText()).isEqualTo("slack");
        assertThat(shown.get("url").asText()).isEqualTo(masked);
        assertThat(shown.fieldNames()).toIterable().containsExactly("type", "url", "template");
        JsonNode delivery = FerryTestKit.json(kit.api("GET", "/alerts", Map.of("monitorId", id), null))
                .at("/items/0/deliveries/0");
        assertThat(delivery.get("url").asText()).isEqualTo(masked);
        assertThat(delivery.get("delivered").asBoolean()).isTrue();
        assertThat(kit.api("GET", "/monitors", null).bodyText()).doesNotContain("s3cr3tSlackToken");
    }

    @Test
    void aSlackTextTemplateIsSentAsEscapedTextAndAJsonTemplateAsTheWholeMessage() {
        monitor("{\"type\":\"slack\",\"url\":\"" + SLACK + "\",\"template\":\":rotating_light: *$NAME*: $ERROR\"}");
        String json = SLACK + "/json";
        monitor("{\"type\":\"slack\",\"url\":\"" + json + "\",\"template\":"
                + Json.write("{\"channel\": \"#ops\", \"text\": \"$SUBJECT\"}") + "}");
        kit.httpHandler = request -> new HttpCallResult(200, Map.of(), new byte[0]);

        fail();

        JsonNode text = Json.tree(sentTo(SLACK).get(0).body());
        assertThat(text.fieldNames()).toIterable().containsExactly("text");
        assertThat(text.get("text").asText()).startsWith(":rotating_light: *Ops &lt;team&gt;*: order &lt;42&gt; &amp; co");
        JsonNode whole = Json.tree(sentTo(json).get(0).body());
        assertThat(whole.get("channel").asText()).isEqualTo("#ops");
        assertThat(whole.get("text").asText()).startsWith("Execution failed: flow 'Sync' of Acme orders at step 'guard': order <42>");
    }

    @Test
    void aFailingSlackDeliveryIsRetriedAndRecordedLikeAWebhook() {
        status = 503;
        String id = monitor("{\"type\":\"slack\",\"url\":\"" + SLACK + "\"}");

        fail();
        kit.clock.advance(Duration.ofSeconds(30));
        status = 200;
        kit.drainMonitorEvents();

        List<AlertDelivery> d = alertOf(id).deliveries();
        assertThat(d).extracting(AlertDelivery::attempt).containsExactly(1, 2);
        assertThat(d).extracting(AlertDelivery::status).containsExactly(503, 200);
        assertThat(d).extracting(AlertDelivery::delivered).containsExactly(false, true);
        assertThat(sentTo(SLACK)).hasSize(2);
        assertThat(sentTo(SLACK).get(1).headers()).containsEntry("x-ferry-delivery-attempt", "2");
    }

    @Test
    void aSlackAnswerThatIsNotRetryableEndsTheDelivery() {
        status = 404;
        String id = monitor("{\"type\":\"slack\",\"url\":\"" + SLACK + "\"}");

        fail();

        AlertDelivery d = alertOf(id).deliveries().get(0);
        assertThat(d.error()).isEqualTo("answered HTTP 404");
        assertThat(d.nextAttemptAt()).as("Slack's 404 no_service will not change").isNull();
        assertThat(kit.monitorEvents.pending()).isEmpty();
    }

    // ------------------------------------------------------------------ email

    @Test
    void anEmailChannelSendsAPlainTextEmailFromTheDeploymentsSender() {
        String id = monitor("{\"type\":\"email\",\"to\":[\"ops@example.test\",\"oncall@example.test\",\"OPS@example.test\"]}");

        Execution e = fail();

        assertThat(kit.emails).hasSize(1);
        Email sent = kit.emails.get(0);
        assertThat(sent.from()).isEqualTo(FerryTestKit.EMAIL_FROM);
        assertThat(sent.to()).as("each address once").containsExactly("ops@example.test", "oncall@example.test");
        assertThat(sent.subject()).startsWith("[Ferry] Execution failed: flow 'Sync' of Acme orders at step 'guard': order <42>");
        assertThat(sent.text()).startsWith("Execution failed: flow 'Sync' of Acme orders at step 'guard'")
                .contains("\nMonitor:   Ops <team> (EXECUTION_FAILED)\n")
                .contains("\nInstance:  Acme orders (" + demo.instanceId() + ")\n")
                .contains("\nCustomer:  Acme (acme-1)\n")
                .contains("\nFlow:      Sync\n")
                .contains("\nExecution: " + e.id() + "\n")
                .contains("\nStatus:    FAILED\n")
                .contains("\nStep:      guard\n")
                .contains("\nError:     order <42> & co rejected by ")
                .contains("\nOpen: https://hooks.example.test/console/executions/" + e.id() + "\n")
                .doesNotContain(FerryTestKit.SECRET);
        AlertDelivery d = alertOf(id).deliveries().get(0);
        assertThat(d.url()).isEqualTo("mailto:ops@example.test,oncall@example.test");
        assertThat(d.status()).isEqualTo(200);
        assertThat(d.delivered()).isTrue();
        JsonNode shown = FerryTestKit.json(kit.api("GET", "/monitors/" + id, null)).get("channels").get(0);
        assertThat(shown.fieldNames()).toIterable().containsExactly("type", "to", "template");
    }

    @Test
    void anEmailTemplateIsTheText() {
        monitor("{\"type\":\"email\",\"to\":[\"ops@example.test\"],\"template\":\"$INSTANCE: $STATUS at $STEP\\n$URL\"}");

        Execution e = fail();

        assertThat(kit.emails.get(0).text()).isEqualTo("Acme orders: FAILED at guard\nhttps://hooks.example.test/console/executions/" + e.id());
    }

    @Test
    void aThrottledOrUnreachableEmailServiceIsRetriedAndARefusalIsFinal() {
        List<Object> answers = new ArrayList<>(List.of(new EmailResult(429, null, "TooManyRequestsException: Maximum sending rate exceeded."),
                new IOException("connect timed out"), new EmailResult(200, "m-1", null)));
        kit.emailHandler = email -> {
            Object next = answers.remove(0);
            if (next instanceof IOException io) throw io;
            return (EmailResult) next;
        };
        String id = monitor("{\"type\":\"email\",\"to\":[\"ops@example.test\"]}");

        fail();
        kit.clock.advance(Duration.ofSeconds(30));
        kit.drainMonitorEvents();
        kit.clock.advance(Duration.ofMinutes(2));
        kit.drainMonitorEvents();

        List<AlertDelivery> d = alertOf(id).deliveries();
        assertThat(d).extracting(AlertDelivery::status).containsExactly(429, null, 200);
        assertThat(d).extracting(AlertDelivery::delivered).containsExactly(false, false, true);
        assertThat(d.get(0).error()).isEqualTo("refused by the email service: TooManyRequestsException: Maximum sending rate exceeded.");
        assertThat(d.get(1).error()).isEqualTo("not delivered: connect timed out");

        kit.emailHandler = email -> new EmailResult(400, null, "MessageRejected: Email address is not verified.");
        String refused = monitor("{\"type\":\"email\",\"to\":[\"ops@example.test\"]}");
        fail();
        AlertDelivery r = alertOf(refused).deliveries().get(0);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.error()).isEqualTo("refused by the email service: MessageRejected: Email address is not verified.");
        assertThat(r.nextAttemptAt()).isNull();
    }

    @Test
    void emailChannelsAreRefusedWhereTheDeploymentHasNoSender() {
        Ferry noSender = new Ferry(kit.ferry.ports(), kit.ferry.settings().withAlertEmailFrom(null));
        String before = kit.stateSnapshot();

        ApiResponse r = noSender.api().handle(new ApiRequest("POST", "/monitors", Map.of(),
                Map.of("authorization", "Bearer " + FerryTestKit.ADMIN_KEY, "content-type", "application/json"),
                "{\"name\":\"m\",\"triggers\":[{\"type\":\"EXECUTION_FAILED\"}],\"channels\":[{\"type\":\"email\",\"to\":[\"ops@example.test\"]}]}"
                        .getBytes(StandardCharsets.UTF_8), "https://api.example.test"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.bodyText()).contains("channels[0].type").contains("AlertEmailSender");
        assertThat(kit.stateSnapshot()).isEqualTo(before);
    }

    // ------------------------------------------------------------------ Standard Webhooks

    @Test
    void aStandardWebhooksSecretSignsTheDeliveryAsTheStandardsLibraryDoesBesideFerrysOwnSignature() throws Exception {
        String id = monitor("{\"type\":\"webhook\",\"url\":\"" + HOOK + "\",\"secret\":\"ferry-key\","
                + "\"standardWebhooksSecret\":\"" + WHSEC + "\"}");

        fail();

        HttpCallRequest r = sentTo(HOOK).get(0);
        String alertId = alertOf(id).id();
        long timestamp = kit.clock.instant().getEpochSecond();
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(r.headers()).containsEntry("webhook-id", alertId)
                .containsEntry("webhook-timestamp", Long.toString(timestamp))
                .containsEntry("webhook-signature", new Webhook(WHSEC).sign(alertId, timestamp, body))
                .containsEntry("x-ferry-signature", AlertMessages.signature("ferry-key", r.body()));
        JsonNode shown = FerryTestKit.json(kit.api("GET", "/monitors/" + id, null)).get("channels").get(0);
        assertThat(shown.get("standardWebhooksSecret").asText()).isEqualTo("********");
        assertThat(kit.api("GET", "/monitors/" + id, null).bodyText()).doesNotContain(WHSEC.substring(6));
    }

    @Test
    void theStandardWebhooksSignatureMatchesTheSpecificationsExample() {
        // The example of the Standard Webhooks specification (its libraries' test vector).
        String body = "{\"test\": 2432232314}";
        assertThat(AlertMessages.standardSignature(WHSEC, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L,
                body.getBytes(StandardCharsets.UTF_8))).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void aRetriedStandardWebhooksDeliveryKeepsItsIdAndSignsItsNewTimestamp() throws Exception {
        status = 500;
        String id = monitor("{\"type\":\"webhook\",\"url\":\"" + HOOK + "\",\"standardWebhooksSecret\":\"" + WHSEC + "\"}");

        fail();
        kit.clock.advance(Duration.ofSeconds(30));
        status = 200;
        kit.drainMonitorEvents();

        List<HttpCallRequest> sent = sentTo(HOOK);
        assertThat(sent).hasSize(2);
        assertThat(sent).extracting(s -> s.headers().get("webhook-id")).containsOnly(alertOf(id).id());
        HttpCallRequest second = sent.get(1);
        long t = Long.parseLong(second.headers().get("webhook-timestamp"));
        assertThat(t).isEqualTo(kit.clock.instant().getEpochSecond());
        assertThat(second.headers().get("webhook-signature")).isEqualTo(new Webhook(WHSEC).sign(alertOf(id).id(), t,
                new String(second.body(), StandardCharsets.UTF_8)));
        assertThat(sent.get(0).headers()).doesNotContainKey("x-ferry-signature");
    }

    // ------------------------------------------------------------------ input

    @Test
    void badChannelsAreRefusedWithTheFieldAndNothingIsWritten() {
        String before = kit.stateSnapshot();
        Map<String, String> cases = Map.ofEntries(
                Map.entry("{\"type\":\"pager\",\"url\":\"https://x.example.test\"}", "channels[0].type"),
                Map.entry("{\"type\":\"slack\"}", "channels[0].url"),
                Map.entry("{\"type\":\"slack\",\"url\":\"ftp://x.example.test/a\"}", "channels[0].url"),
                Map.entry("{\"type\":\"slack\",\"url\":\"https://x.example.test/a\",\"secret\":\"s\"}", "channels[0].secret"),
                Map.entry("{\"type\":\"email\"}", "channels[0].to"),
                Map.entry("{\"type\":\"email\",\"to\":[]}", "channels[0].to"),
                Map.entry("{\"type\":\"email\",\"to\":\"ops@example.test\"}", "channels[0].to"),
                Map.entry("{\"type\":\"email\",\"to\":[\"Ops <ops@example.test>\"]}", "channels[0].to[0]"),
                Map.entry("{\"type\":\"email\",\"to\":[\"ops@example.test\",\"a@b, c@d.example\"]}", "channels[0].to[1]"),
                Map.entry("{\"type\":\"email\",\"to\":[\"ops@localhost\"]}", "channels[0].to[0]"),
                Map.entry("{\"type\":\"email\",\"to\":[\"ops@example.test\"],\"url\":\"https://x.example.test\"}", "channels[0].url"),
                Map.entry("{\"url\":\"https://x.example.test\",\"standardWebhooksSecret\":\"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"}",
                        "channels[0].standardWebhooksSecret"),
                Map.entry("{\"url\":\"https://x.example.test\",\"standardWebhooksSecret\":\"whsec_c2hvcnQ=\"}",
                        "channels[0].standardWebhooksSecret"),
                Map.entry("{\"url\":\"https://x.example.test\",\"standardWebhooksSecret\":\"whsec_not base64!\"}",
                        "channels[0].standardWebhooksSecret"),
                Map.entry("{\"url\":\"https://x.example.test\",\"headers\":{\"webhook-signature\":\"v1,x\"}}",
                        "channels[0].headers.webhook-signature"));
        cases.forEach((channel, field) -> {
            ApiResponse r = create(channel);
            assertThat(r.status()).as(channel).isEqualTo(400);
            assertThat(FerryTestKit.json(r).at("/error/details").toString()).as(channel).contains("\"" + field + "\"");
        });
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 51; i++) many.append(i == 0 ? "" : ",").append("\"a").append(i).append("@example.test\"");
        assertThat(create("{\"type\":\"email\",\"to\":[" + many + "]}").status()).isEqualTo(400);
        assertThat(kit.stateSnapshot()).isEqualTo(before);
    }
}

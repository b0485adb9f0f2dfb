package dev.ferry.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import dev.ferry.core.api.ApiResponse;
import dev.ferry.core.message.AlertDeliveryRetry;
import dev.ferry.core.model.Alert;
import dev.ferry.core.model.AlertChannel;
import dev.ferry.core.model.AlertDelivery;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.HttpCallRequest;
import dev.ferry.core.model.HttpCallResult;
import dev.ferry.core.model.Monitor;
import dev.ferry.core.model.SecretOwner;
import dev.ferry.core.port.SecretCipher;
import dev.ferry.core.testkit.FerryTestKit;
import dev.ferry.core.testkit.LogCapture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Alert channels' credentials at rest: a monitor is stored with every channel URL, header value and
 * signing secret sealed (one data key per write, bound to the monitor), an alert still reaches each
 * channel with the plain URL, headers and signatures, and its delivery record holds a webhook's URL
 * only sealed; the owner sees the channels as before, a customer sees no destination and has nothing
 * opened for it; channels stored plain before are delivered as before and sealed by the monitor's next
 * write; a value altered or copied from another monitor fails its channel's delivery for good, naming
 * it; and each function opens only the kind of sealed value its role may decrypt.
 */
class ChannelsAtRestTest {
    static final String HOOK = "https://events.pagerduty.example.test/integration/R0UTINGKEY42/enqueue";
    static final String SLACK = "https://hooks.slack.example.test/services/T0/B0/SLACKSECRET";
    static final String AUTHORIZATION = "Token token=PDAPIKEY77";
    static final String TEAM = "team-7-routing";
    static final String SIGNING = "signing-secret-88";
    /** The Standard Webhooks specification's example secret. */
    static final String WHSEC = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    /** What no stored monitor may hold, and no stored alert but a Slack URL's masked form. */
    static final List<String> CREDENTIALS = List.of("R0UTINGKEY42", "SLACKSECRET", "PDAPIKEY77", TEAM, SIGNING,
            WHSEC.substring("whsec_".length()));
    static final String FLOWS = """
            {"name": "Order sync",
             "configVariables": [{"key": "apiBase", "required": true}, {"key": "apiKey", "secret": true}],
             "flows": [{"name": "Sync", "trigger": {"type": "webhook"},
               "steps": [{"name": "guard", "type": "fail", "message": "rejected", "retryable": false}]}]}
            """;

    final FerryTestKit kit = new FerryTestKit();
    FerryTestKit.Demo demo;
    String customerKey;

    @BeforeEach
    void seed() {
        demo = kit.seed(FLOWS);
        kit.httpHandler = request -> new HttpCallResult(200, Map.of(), new byte[0]);
        customerKey = kit.createApiKey("acme", demo.customerId());
    }

    static String channels(String hook) {
        return "[{\"type\":\"webhook\",\"url\":\"" + hook + "\",\"headers\":{\"Authorization\":\"" + AUTHORIZATION
                + "\",\"X-Team\":\"" + TEAM + "\"},\"secret\":\"" + SIGNING + "\",\"standardWebhooksSecret\":\"" + WHSEC
                + "\",\"template\":\"{\\\"summary\\\": \\\"$SUBJECT\\\"}\"},"
                + "{\"type\":\"slack\",\"url\":\"" + SLACK + "\"},"
                + "{\"type\":\"email\",\"to\":[\"ops@example.test\"]}]";
    }

    JsonNode createMonitor() {
        ApiResponse r = kit.api("POST", "/monitors", "{\"name\":\"Failures\",\"triggers\":[{\"type\":\"EXECUTION_FAILED\"},"
                + "{\"type\":\"INSTANCE_REMOVED\"}],\"scope\":{\"instanceId\":\"" + demo.instanceId() + "\"},"
                + "\"channels\":" + channels(HOOK) + "}");
        assertThat(r.status()).as(r.bodyText()).isEqualTo(201);
        return FerryTestKit.json(r);
    }

    void accept() {
        kit.ferry.webhooks().accept(demo.token(), new ExecutionRequest("POST", "{}".getBytes(StandardCharsets.UTF_8),
                Map.of(), Map.of(), "application/json"));
    }

    void failOnce() {
        accept();
        kit.drainQueue();
        kit.drainMonitorEvents();
    }

    List<HttpCallRequest> sentTo(String url) {
        synchronized (kit.httpRequests) {
            return kit.httpRequests.stream().filter(r -> r.url().equals(url)).toList();
        }
    }

    Monitor stored(String id) {
        return kit.monitors.get(id).orElseThrow();
    }

    Alert alertOf(String monitorId) {
        return kit.alerts.all().stream().filter(a -> a.monitorId().equals(monitorId)).findFirst().orElseThrow();
    }

    static String hmac(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    /** The monitor with its first channel's URL replaced by {@code url}, written as an item is changed in the table. */
    void storeUrl(Monitor m, String url) {
        List<AlertChannel> channels = new ArrayList<>(m.channels());
        AlertChannel c = channels.get(0);
        channels.set(0, new AlertChannel(c.type(), url, c.headers(), c.template(), c.secret(), c.standardWebhooksSecret(),
                c.to()));
        kit.monitors.update(new Monitor(m.id(), m.name(), m.scope(), m.triggers(), channels, m.createdAt(),
                m.creatorCustomerId(), m.mutedUntil(), m.updatedAt()));
    }

    @Test
    void theStoredMonitorHoldsEveryChannelCredentialSealedWithOneDataKeyAndTheAnswerShowsThemAsBefore() {
        JsonNode created = createMonitor();
        String id = created.get("id").asText();

        JsonNode webhook = created.get("channels").get(0);
        assertThat(webhook.get("url").asText()).isEqualTo(HOOK);
        assertThat(webhook.get("headers").get("X-Team").asText()).isEqualTo(TEAM);
        assertThat(webhook.get("headers").get("Authorization").asText()).isEqualTo("********");
        assertThat(webhook.get("secret").asText()).isEqualTo("********");
        assertThat(created.get("channels").get(1).get("url").asText()).isEqualTo("https://hooks.slack.example.test/services/T0/B0/********");

        Monitor m = stored(id);
        AlertChannel w = m.channels().get(0);
        assertThat(List.of(w.url(), w.headers().get("Authorization"), w.headers().get("X-Team"), w.secret(),
                w.standardWebhooksSecret(), m.channels().get(1).url())).allSatisfy(v -> assertThat(v).startsWith(SecretCipher.PREFIX));
        assertThat(w.headers().keySet()).as("header names stay readable").containsExactlyInAnyOrder("Authorization", "X-Team");
        assertThat(w.template()).isEqualTo("{\"summary\": \"$SUBJECT\"}");
        assertThat(m.channels().get(2).to()).containsExactly("ops@example.test");
        assertThat(m.toString()).doesNotContain(CREDENTIALS).doesNotContain(HOOK).doesNotContain("hooks.slack");
        assertThat(kit.secrets.monitorDataKeys.get()).as("one data key for the write's six values").isEqualTo(1);
        assertThat(kit.secrets.monitorOpens.get()).as("the creator's answer is made from what it sent").isZero();

        JsonNode shown = FerryTestKit.json(kit.api("GET", "/monitors/" + id, null));
        assertThat(shown.get("channels")).isEqualTo(created.get("channels"));
    }

    @Test
    void anAlertReachesEachChannelInPlainAndItsRecordHoldsTheWebhookUrlOnlySealed() throws Exception {
        String id = createMonitor().get("id").asText();

        failOnce();

        HttpCallRequest sent = sentTo(HOOK).get(0);
        assertThat(sent.headers()).containsEntry("authorization", AUTHORIZATION).containsEntry("x-team", TEAM)
                .containsEntry("x-ferry-signature", hmac(SIGNING, sent.body()));
        long timestamp = Long.parseLong(sent.headers().get("webhook-timestamp"));
        assertThat(sent.headers().get("webhook-signature")).isEqualTo(new Webhook(WHSEC).sign(
                sent.headers().get("webhook-id"), timestamp, new String(sent.body(), StandardCharsets.UTF_8)));
        assertThat(sentTo(SLACK)).hasSize(1);
        assertThat(kit.emails).hasSize(1);

        Alert alert = alertOf(id);
        assertThat(alert.deliveries()).hasSize(3).allMatch(AlertDelivery::delivered);
        AlertDelivery toHook = alert.deliveries().stream().filter(d -> d.channel() == 0).findFirst().orElseThrow();
        assertThat(toHook.url()).startsWith(SecretCipher.PREFIX).isEqualTo(stored(id).channels().get(0).url());
        assertThat(kit.alerts.all().toString()).doesNotContain(CREDENTIALS).doesNotContain(HOOK);

        JsonNode deliveries = FerryTestKit.json(kit.api("GET", "/alerts", Map.of("monitorId", id), null))
                .get("items").get(0).get("deliveries");
        List<String> urls = new ArrayList<>();
        deliveries.forEach(d -> urls.add(d.get("url").asText()));
        assertThat(urls).containsExactlyInAnyOrder(HOOK, "https://hooks.slack.example.test/services/T0/B0/********",
                "mailto:ops@example.test");
    }

    @Test
    void aCustomerSeesNoDestinationOfAnAdminsMonitorAndNothingIsOpenedForIt() {
        String id = createMonitor().get("id").asText();
        failOnce();
        int opened = kit.secrets.monitorOpens.get();

        List<ApiResponse> answers = List.of(
                kit.apiAs(customerKey, "GET", "/monitors/" + id, Map.of(), null),
                kit.apiAs(customerKey, "GET", "/monitors", Map.of(), null),
                kit.apiAs(customerKey, "GET", "/monitors", Map.of("instanceId", demo.instanceId()), null),
                kit.apiAs(customerKey, "GET", "/alerts", Map.of(), null),
                kit.apiAs(customerKey, "PATCH", "/monitors/" + id, Map.of(), "{\"name\":\"Renamed by the customer\"}"));

        for (ApiResponse r : answers) {
            assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
            assertThat(r.bodyText()).doesNotContain(CREDENTIALS).doesNotContain("pagerduty", "hooks.slack", "X-Team")
                    .doesNotContain(SecretCipher.PREFIX);
        }
        assertThat(kit.secrets.monitorOpens.get()).as("nothing opened for a caller who may not see it").isEqualTo(opened);
    }

    @Test
    void aPatchThatSetsNoChannelsKeepsTheSealedValuesAndOneThatSetsThemSealsThemAnew() {
        String id = createMonitor().get("id").asText();
        Monitor before = stored(id);

        ApiResponse muted = kit.api("PATCH", "/monitors/" + id, "{\"mutedUntil\":\"2026-11-27T10:00:00Z\"}");

        assertThat(muted.status()).as(muted.bodyText()).isEqualTo(200);
        assertThat(stored(id).channels()).isEqualTo(before.channels());
        assertThat(kit.secrets.monitorDataKeys.get()).as("nothing to seal, no data key").isEqualTo(1);
        assertThat(FerryTestKit.json(muted).get("channels").get(0).get("url").asText()).as("the owner's answer, opened")
                .isEqualTo(HOOK);

        String other = "https://alerts.example.test/hooks/NEWTOKEN55";
        ApiResponse changed = kit.api("PATCH", "/monitors/" + id, "{\"channels\":" + channels(other) + "}");

        assertThat(changed.status()).as(changed.bodyText()).isEqualTo(200);
        assertThat(FerryTestKit.json(changed).get("channels").get(0).get("url").asText()).isEqualTo(other);
        Monitor after = stored(id);
        assertThat(after.channels().get(0).url()).startsWith(SecretCipher.PREFIX).isNotEqualTo(before.channels().get(0).url());
        assertThat(after.toString()).doesNotContain("NEWTOKEN55").doesNotContain(CREDENTIALS);
        assertThat(kit.secrets.monitorDataKeys.get()).isEqualTo(2);
    }

    @Test
    void channelsStoredPlainBeforeAreDeliveredAsBeforeAndSealedByTheMonitorsNextWrite() {
        String id = createMonitor().get("id").asText();
        Monitor sealed = stored(id);
        List<AlertChannel> plain = List.of(
                new AlertChannel(AlertChannel.WEBHOOK, HOOK, Map.of("Authorization", AUTHORIZATION, "X-Team", TEAM),
                        null, SIGNING, WHSEC, null),
                AlertChannel.slack(SLACK, null));
        kit.monitors.update(new Monitor(id, sealed.name(), sealed.scope(), sealed.triggers(), plain, sealed.createdAt(),
                null, null, null)); // as stored before channels were sealed

        failOnce();

        assertThat(sentTo(HOOK)).hasSize(1);
        assertThat(sentTo(HOOK).get(0).headers()).containsEntry("authorization", AUTHORIZATION).containsEntry("x-team", TEAM);
        assertThat(sentTo(SLACK)).hasSize(1);
        assertThat(FerryTestKit.json(kit.api("GET", "/monitors/" + id, null)).get("channels").get(0).get("url").asText())
                .isEqualTo(HOOK);

        assertThat(kit.api("PATCH", "/monitors/" + id, "{\"name\":\"Renamed\"}").status()).isEqualTo(200);

        Monitor now = stored(id);
        assertThat(now.channels().get(0).url()).startsWith(SecretCipher.PREFIX);
        assertThat(now.channels().get(0).headers().values()).allSatisfy(v -> assertThat(v).startsWith(SecretCipher.PREFIX));
        assertThat(now.toString()).doesNotContain(CREDENTIALS).doesNotContain(HOOK);
        failOnce();
        assertThat(sentTo(HOOK)).hasSize(2);
        assertThat(sentTo(HOOK).get(1).headers()).containsEntry("authorization", AUTHORIZATION).containsEntry("x-team", TEAM);
    }

    @Test
    void aValueAlteredOrCopiedFromAnotherMonitorFailsItsChannelForGoodNamingItWhileTheOthersGetTheAlert() {
        String id = createMonitor().get("id").asText();
        Monitor m = stored(id);
        String url = m.channels().get(0).url();
        String altered = url.substring(0, url.length() - 2) + "xx";
        storeUrl(m, altered);

        List<String> log;
        try (LogCapture capture = LogCapture.start()) {
            failOnce();
            log = capture.text();
        }

        assertThat(sentTo(HOOK)).isEmpty();
        assertThat(sentTo(SLACK)).hasSize(1);
        AlertDelivery failed = alertOf(id).deliveries().stream().filter(d -> d.channel() == 0).findFirst().orElseThrow();
        assertThat(failed.delivered()).isFalse();
        assertThat(failed.nextAttemptAt()).as("not retried").isNull();
        assertThat(failed.error()).contains("'channels[0].url'").contains(id).contains("cannot be opened")
                .contains("PATCH the monitor").doesNotContain(altered);
        assertThat(kit.monitorEvents.pending()).noneMatch(s -> s.message() instanceof AlertDeliveryRetry);
        assertThat(String.join("\n", log)).contains("alert not delivered").doesNotContain(altered).doesNotContain(url)
                .doesNotContain(HOOK);
        JsonNode shown = FerryTestKit.json(kit.api("GET", "/monitors/" + id, null)).get("channels").get(0);
        assertThat(shown.get("url").asText()).as("shown masked, the rest still opened").isEqualTo("********");
        assertThat(shown.get("headers").get("X-Team").asText()).isEqualTo(TEAM);

        // The same sealed value copied to another monitor does not open there either.
        String second = createMonitor().get("id").asText();
        storeUrl(stored(second), url);
        failOnce();
        assertThat(sentTo(HOOK)).isEmpty();
        assertThat(alertOf(second).deliveries().stream().filter(d -> d.channel() == 0).findFirst().orElseThrow().error())
                .contains("'channels[0].url'").contains(second).contains("cannot be opened");
    }

    @Test
    void aKeyServiceThatCannotAnswerIsADeliveryFailureRetriedThroughTheMonitorQueue() {
        String id = createMonitor().get("id").asText();
        accept();
        kit.drainQueue();
        kit.secrets.unavailable = true;

        kit.drainMonitorEvents();

        assertThat(sentTo(HOOK)).isEmpty();
        AlertDelivery first = alertOf(id).deliveries().stream().filter(d -> d.channel() == 0).findFirst().orElseThrow();
        assertThat(first.delivered()).isFalse();
        assertThat(first.error()).startsWith("not delivered: ");
        assertThat(first.nextAttemptAt()).isNotNull();

        kit.secrets.unavailable = false;
        kit.clock.advance(Duration.ofSeconds(30));
        kit.drainMonitorEvents();

        assertThat(sentTo(HOOK)).hasSize(1);
        assertThat(sentTo(HOOK).get(0).headers()).containsEntry("authorization", AUTHORIZATION);
    }

    /**
     * The grants of template.yaml, played on the in-memory application: the webhook and flow execution
     * functions may decrypt only instances' data keys, the monitor evaluation and management functions
     * only monitors'. Every path of each — a failing run, the deletion's continuation, evaluation and
     * delivery, the owner's views, an instance's deletion with its inline alert — does its work without
     * asking for a key its function may not have.
     */
    @Test
    void eachFunctionOpensOnlyTheKindOfValueItsRoleMayDecrypt() {
        String id = createMonitor().get("id").asText();

        kit.secrets.denied = SecretOwner.Kind.MONITOR; // WebhookFunction, FlowExecutionFunction
        accept();
        kit.drainQueue();
        assertThat(sentTo(HOOK)).as("no alert delivered where flows run").isEmpty();

        kit.secrets.denied = SecretOwner.Kind.INSTANCE; // MonitorEvaluationFunction
        kit.drainMonitorEvents();
        assertThat(sentTo(HOOK)).hasSize(1);

        kit.secrets.denied = SecretOwner.Kind.INSTANCE; // ManagementApiFunction
        assertThat(kit.api("GET", "/monitors/" + id, null).bodyText()).contains(HOOK);
        assertThat(kit.api("GET", "/alerts", null).bodyText()).contains(HOOK);
        ApiResponse deleted = kit.api("DELETE", "/instances/" + demo.instanceId(), Map.of("confirm", "Acme orders"), null);
        assertThat(deleted.status()).as(deleted.bodyText()).isEqualTo(204);
        assertThat(sentTo(HOOK)).as("INSTANCE_REMOVED, delivered in the request").hasSize(2);

        kit.secrets.denied = SecretOwner.Kind.MONITOR; // FlowExecutionFunction: a deletion's continuation
        kit.drainQueue();
        kit.secrets.denied = SecretOwner.Kind.INSTANCE; // MonitorEvaluationFunction: the queued INSTANCE_REMOVED
        kit.drainMonitorEvents();

        assertThat(kit.secrets.deniedOpens.get()).as("no function asked for a key its role may not use").isZero();
        assertThat(kit.alerts.all().stream().flatMap(a -> a.deliveries().stream())).allMatch(AlertDelivery::delivered);
    }
}

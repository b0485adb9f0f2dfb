package dev.ferry.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.standardwebhooks.Webhook;
import dev.ferry.core.api.ApiResponse;
import dev.ferry.core.api.WebhookEndpoint;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.testkit.FerryTestKit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Signed webhooks with a time inside the signed text: an HMAC check with a {@code timestampHeader}, and the
 * Standard Webhooks scheme (signatures made by the com.standardwebhooks library). A request signed longer
 * ago than the tolerance — a captured request sent again — is 401 and nothing is stored.
 */
class SignedWebhookReplayTest {
    static final String HMAC_SECRET = "hmac-secret-5f4e3d2c1b";
    /** whsec_ and the base64 of 32 bytes, as Standard Webhooks senders issue. */
    static final String WHSEC = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String BODY = "{\"order\": 42}";

    final FerryTestKit kit = new FerryTestKit();

    static String definition(String security) {
        return """
                {"name": "Signed",
                 "configVariables": [{"key": "webhookSecret", "secret": true, "required": true}],
                 "flows": [{"name": "Hook", "trigger": {"type": "webhook", "security": %s},
                            "steps": [{"name": "echo", "type": "transform", "output": {"ok": true}}]}]}
                """.formatted(security);
    }

    String seed(String security, String secret) {
        String customerId = FerryTestKit.json(kit.api("POST", "/customers", "{\"name\":\"Acme\"}")).get("id").asText();
        ApiResponse integration = kit.api("POST", "/integrations", definition(security));
        assertThat(integration.status()).as(integration.bodyText()).isEqualTo(201);
        ApiResponse instance = kit.api("POST", "/instances", "{\"name\":\"Acme\",\"customerId\":\"" + customerId
                + "\",\"integrationId\":\"" + FerryTestKit.json(integration).get("id").asText()
                + "\",\"configVariables\":{\"webhookSecret\":\"" + secret + "\"}}");
        assertThat(instance.status()).as(instance.bodyText()).isEqualTo(201);
        String url = FerryTestKit.json(instance).get("flowConfigs").get(0).get("webhookUrl").asText();
        return url.substring(url.lastIndexOf('/') + 1);
    }

    ApiResponse send(String token, Map<String, String> headers) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("content-type", "application/json");
        return new WebhookEndpoint(kit.ferry.webhooks()).handle(token,
                new ExecutionRequest("POST", BODY.getBytes(StandardCharsets.UTF_8), h, Map.of(), "application/json"));
    }

    static String hmacHex(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    long now() {
        return kit.clock.instant().getEpochSecond();
    }

    void assertRefusedAndNothingStored(ApiResponse r, String before) {
        assertThat(r.status()).as(r.bodyText()).isEqualTo(401);
        assertThat(kit.executions.all()).isEmpty();
        assertThat(kit.stateSnapshot()).isEqualTo(before);
    }

    // ------------------------------------------------------------------ hmac-sha256 with a timestamp header

    static final String TIMED_HMAC = "{\"type\": \"hmac-sha256\", \"header\": \"x-signature\", \"timestampHeader\": \"x-timestamp\","
            + " \"secret\": \"{% $config.webhookSecret %}\"}";

    @Test
    void anHmacSignedWithItsTimeIsAcceptedWithinTheDefaultFiveMinutes() {
        String token = seed(TIMED_HMAC, HMAC_SECRET);
        long t = now() - 299;

        ApiResponse r = send(token, Map.of("x-timestamp", Long.toString(t), "x-signature", hmacHex(HMAC_SECRET, t + "." + BODY)));

        assertThat(r.status()).as(r.bodyText()).isEqualTo(202);
        assertThat(kit.executions.all()).hasSize(1);
    }

    @Test
    void theSameSignedRequestReplayedOutsideTheWindowIs401AndNothingIsStored() {
        String token = seed(TIMED_HMAC, HMAC_SECRET);
        long t = now();
        Map<String, String> captured = Map.of("x-timestamp", Long.toString(t), "x-signature", hmacHex(HMAC_SECRET, t + "." + BODY));
        kit.clock.advance(Duration.ofSeconds(301));
        String before = kit.stateSnapshot();

        ApiResponse r = send(token, captured);

        assertRefusedAndNothingStored(r, before);
        assertThat(FerryTestKit.json(r).get("error").get("message").asText()).contains("x-timestamp", "300 s");
    }

    @Test
    void aTimeFromTheFutureAMissingTimeOrABodyOnlySignatureIs401() {
        String token = seed(TIMED_HMAC, HMAC_SECRET);
        String before = kit.stateSnapshot();
        long future = now() + 301;

        assertRefusedAndNothingStored(send(token, Map.of("x-timestamp", Long.toString(future),
                "x-signature", hmacHex(HMAC_SECRET, future + "." + BODY))), before);
        assertRefusedAndNothingStored(send(token, Map.of("x-signature", hmacHex(HMAC_SECRET, BODY))), before);
        assertRefusedAndNothingStored(send(token, Map.of("x-timestamp", Long.toString(now()),
                "x-signature", hmacHex(HMAC_SECRET, BODY))), before);
        assertRefusedAndNothingStored(send(token, Map.of("x-timestamp", "yesterday",
                "x-signature", hmacHex(HMAC_SECRET, "yesterday." + BODY))), before);
    }

    @Test
    void aToleranceCanBeSetAndNeedsATimestampHeader() {
        String token = seed(TIMED_HMAC.substring(0, TIMED_HMAC.length() - 1) + ", \"toleranceSeconds\": 30}", HMAC_SECRET);
        long t = now() - 31;
        String before = kit.stateSnapshot();
        assertRefusedAndNothingStored(send(token, Map.of("x-timestamp", Long.toString(t),
                "x-signature", hmacHex(HMAC_SECRET, t + "." + BODY))), before);

        ApiResponse refused = kit.api("POST", "/integrations", definition("{\"type\": \"hmac-sha256\", \"header\": \"x-signature\","
                + " \"toleranceSeconds\": 30, \"secret\": \"{% $config.webhookSecret %}\"}"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.bodyText()).contains("toleranceSeconds", "timestampHeader");
    }

    // ------------------------------------------------------------------ Standard Webhooks

    static final String STANDARD = "{\"type\": \"standard-webhooks\", \"secret\": \"{% $config.webhookSecret %}\"}";

    Map<String, String> standardHeaders(String id, long t) throws Exception {
        return Map.of("webhook-id", id, "webhook-timestamp", Long.toString(t),
                "webhook-signature", new Webhook(WHSEC).sign(id, t, BODY));
    }

    @Test
    void aStandardWebhooksSignatureMadeByTheLibraryIsAccepted() throws Exception {
        String token = seed(STANDARD, WHSEC);

        ApiResponse r = send(token, standardHeaders("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", now()));

        assertThat(r.status()).as(r.bodyText()).isEqualTo(202);
        assertThat(kit.executions.all()).hasSize(1);
    }

    @Test
    void aStandardWebhookReplayedOutsideTheWindowIs401AndNothingIsStored() throws Exception {
        String token = seed(STANDARD, WHSEC);
        Map<String, String> captured = standardHeaders("msg_1", now());
        kit.clock.advance(Duration.ofMinutes(6));
        String before = kit.stateSnapshot();

        assertRefusedAndNothingStored(send(token, captured), before);
    }

    @Test
    void aStandardWebhookWithAnotherIdAWrongSecretOrNoIdIs401() throws Exception {
        String token = seed(STANDARD, WHSEC);
        String before = kit.stateSnapshot();
        long t = now();
        Map<String, String> otherId = new LinkedHashMap<>(standardHeaders("msg_1", t));
        otherId.put("webhook-id", "msg_2");
        Map<String, String> noId = new LinkedHashMap<>(standardHeaders("msg_1", t));
        noId.remove("webhook-id");
        Map<String, String> wrongSecret = Map.of("webhook-id", "msg_1", "webhook-timestamp", Long.toString(t),
                "webhook-signature", new Webhook("whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]))
                        .sign("msg_1", t, BODY));

        assertRefusedAndNothingStored(send(token, otherId), before);
        assertRefusedAndNothingStored(send(token, noId), before);
        assertRefusedAndNothingStored(send(token, wrongSecret), before);
    }
}

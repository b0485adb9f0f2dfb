package dev.ferry.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.api.ApiResponse;
import dev.ferry.core.api.WebhookEndpoint;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.testkit.FerryTestKit;
import dev.ferry.core.testkit.LogCapture;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Webhook security (docs/flow-language.md): a flow config's webhook API-key or HMAC-SHA256 check; a failed check is 401 and stores nothing. */
class WebhookSecurityTest {
    static final String HMAC_SECRET = "whsec-0123456789-abcdef";
    static final String INBOUND_KEY = "inbound-key-9f8e7d6c5b4a";

    static String definition(String security) {
        return """
                {"name": "Secured",
                 "configVariables": [{"key": "apiBase", "required": true}, {"key": "apiKey", "secret": true},
                                     {"key": "webhookSecret", "secret": true, "required": true}],
                 "flows": [{"name": "Hook", "trigger": {"type": "webhook", "security": %s},
                            "steps": [{"name": "echo", "type": "transform", "output": {"headers": "{%% $trigger.headers %%}"}}]}]}
                """.formatted(security);
    }

    static final String HMAC = "{\"type\": \"hmac-sha256\", \"header\": \"X-Signature\", \"secret\": \"{% $config.webhookSecret %}\"}";
    static final String API_KEY = "{\"type\": \"api-key\", \"header\": \"x-api-key\", \"key\": \"{% $config.webhookSecret %}\"}";

    private final FerryTestKit kit = new FerryTestKit();

    private FerryTestKit.Demo seed(String security, String secret) {
        String customerId = FerryTestKit.json(kit.api("POST", "/customers", "{\"name\":\"Acme\"}")).get("id").asText();
        ApiResponse integration = kit.api("POST", "/integrations", definition(security));
        assertThat(integration.status()).as(integration.bodyText()).isEqualTo(201);
        String integrationId = FerryTestKit.json(integration).get("id").asText();
        ApiResponse instance = kit.api("POST", "/instances", "{\"name\":\"Acme\",\"customerId\":\"" + customerId
                + "\",\"integrationId\":\"" + integrationId + "\",\"configVariables\":{\"apiBase\":\"https://x.test\",\"webhookSecret\":\""
                + secret + "\"}}");
        assertThat(instance.status()).as(instance.bodyText()).isEqualTo(201);
        JsonNode node = FerryTestKit.json(instance);
        JsonNode fc = node.get("flowConfigs").get(0);
        String url = fc.get("webhookUrl").asText();
        return new FerryTestKit.Demo(customerId, integrationId, node.get("id").asText(), fc.get("id").asText(),
                url.substring(url.lastIndexOf('/') + 1));
    }

    static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private ApiResponse send(String token, byte[] body, Map<String, String> extra) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.putAll(extra);
        return new WebhookEndpoint(kit.ferry.webhooks()).handle(token,
                new ExecutionRequest("POST", body, headers, Map.of(), "application/json"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void correctlySignedWebhookIsAcceptedAsHexOrSha256Prefixed() {
        FerryTestKit.Demo d = seed(HMAC, HMAC_SECRET);
        byte[] body = bytes("{\"id\": 1}");

        assertThat(send(d.token(), body, Map.of("x-signature", sign(HMAC_SECRET, body))).status()).isEqualTo(202);
        assertThat(send(d.token(), body, Map.of("x-signature", "sha256=" + sign(HMAC_SECRET, body).toUpperCase())).status())
                .isEqualTo(202);
        assertThat(kit.executions.all()).hasSize(2);
    }

    @Test
    void badMissingOrMalformedSignatureIs401AndStoresAndEnqueuesNothing() {
        FerryTestKit.Demo d = seed(HMAC, HMAC_SECRET);
        byte[] body = bytes("{\"id\": 1}");
        String good = sign(HMAC_SECRET, body);

        for (Map<String, String> headers : java.util.List.of(
                Map.<String, String>of(),
                Map.of("x-signature", ""),
                Map.of("x-signature", sign("other-secret", body)),
                Map.of("x-signature", good.substring(0, 63)),
                Map.of("x-signature", "sha1=" + good),
                Map.of("x-signature", "zz" + good.substring(2)),
                Map.of("x-signature", sign(HMAC_SECRET, bytes("{\"id\": 2}"))),
                Map.of("x-other", good))) {
            ApiResponse r = send(d.token(), body, headers);
            assertThat(r.status()).as(headers.toString()).isEqualTo(401);
            assertThat(Json.tree(r.body()).at("/error/code").asText()).isEqualTo("unauthorized");
            assertThat(r.bodyText()).doesNotContain(HMAC_SECRET).doesNotContain(good);
        }
        assertThat(kit.executions.all()).isEmpty();
        assertThat(kit.queue.pending()).isEmpty();
    }

    @Test
    void theSignatureCoversTheRawBytesNotTheParsedJson() {
        FerryTestKit.Demo d = seed(HMAC, HMAC_SECRET);
        byte[] signed = bytes("{\"id\":1}");

        ApiResponse r = send(d.token(), bytes("{\"id\": 1}"), Map.of("x-signature", sign(HMAC_SECRET, signed)));

        assertThat(r.status()).isEqualTo(401);
    }

    @Test
    void synchronousAndPausedRequestsAreCheckedBeforeAnythingIsStored() {
        FerryTestKit.Demo d = seed(HMAC, HMAC_SECRET);
        byte[] body = bytes("{}");
        assertThat(send(d.token(), body, Map.of("x-ferry-synchronous", "true", "x-signature", sign("nope", body))).status())
                .isEqualTo(401);
        kit.api("PATCH", "/instances/" + d.instanceId(), "{\"pauseMode\":\"HOLD\"}");
        kit.api("POST", "/instances/" + d.instanceId() + "/pause", null);
        kit.ferry.webhooks().invalidateRoutes();

        assertThat(send(d.token(), body, Map.of("x-signature", sign("nope", body))).status()).isEqualTo(401);
        assertThat(kit.executions.all()).isEmpty();

        ApiResponse held = send(d.token(), body, Map.of("x-signature", sign(HMAC_SECRET, body)));
        assertThat(held.status()).isEqualTo(202);
        assertThat(kit.executions.all()).singleElement().extracting(e -> e.status()).isEqualTo(ExecutionStatus.HELD);
    }

    @Test
    void apiKeyHeaderMustMatchAndItsValueIsNeverStored() {
        FerryTestKit.Demo d = seed(API_KEY, INBOUND_KEY);
        byte[] body = bytes("{\"id\": 5}");

        assertThat(send(d.token(), body, Map.of("x-api-key", "wrong")).status()).isEqualTo(401);
        assertThat(send(d.token(), body, Map.of()).status()).isEqualTo(401);
        assertThat(kit.executions.all()).isEmpty();

        ApiResponse ok = send(d.token(), body, Map.of("X-Api-Key", INBOUND_KEY));
        assertThat(ok.status()).isEqualTo(202);
        kit.drainQueue();
        String id = Json.tree(ok.body()).get("executionId").asText();
        String shown = kit.api("GET", "/executions/" + id, null).bodyText();
        assertThat(shown).contains("SUCCEEDED").contains("********").doesNotContain(INBOUND_KEY);
    }

    @Test
    void rotatingTheSecretTakesEffectAndTheOldOneIsRefused() {
        FerryTestKit.Demo d = seed(HMAC, HMAC_SECRET);
        byte[] body = bytes("{}");
        kit.api("PATCH", "/instances/" + d.instanceId(), "{\"configVariables\":{\"webhookSecret\":\"rotated-secret-2\"}}");

        assertThat(send(d.token(), body, Map.of("x-signature", sign(HMAC_SECRET, body))).status()).isEqualTo(401);
        assertThat(send(d.token(), body, Map.of("x-signature", sign("rotated-secret-2", body))).status()).isEqualTo(202);
    }

    @Test
    void aFailedCheckLogsAWarningWithoutTheSecretOrTheSignature() {
        FerryTestKit.Demo d = seed(HMAC, HMAC_SECRET);
        byte[] body = bytes("{}");
        String sent = sign("guess", body);
        String log;
        try (LogCapture captured = LogCapture.start()) {
            send(d.token(), body, Map.of("x-signature", sent));
            log = String.join("\n", captured.text());
            assertThat(captured.withMessage("webhook rejected (401): wrong signature in header x-signature")).singleElement()
                    .satisfies(l -> assertThat(l.get("flowConfigId").asText()).isEqualTo(d.flowConfigId()));
        }
        assertThat(log).contains("\"level\":\"WARN\"").contains(d.flowConfigId()).contains("wrong signature in header x-signature")
                .doesNotContain(HMAC_SECRET).doesNotContain(sent);
    }

    @Test
    void flowConfigsShowTheSecurityTypeHeaderAndVariableButNeverTheSecret() {
        FerryTestKit.Demo d = seed(HMAC, HMAC_SECRET);

        JsonNode item = FerryTestKit.json(kit.api("GET", "/instances/" + d.instanceId() + "/flow-configs", null)).get("items").get(0);

        assertThat(item.get("security").get("type").asText()).isEqualTo("hmac-sha256");
        assertThat(item.get("security").get("header").asText()).isEqualTo("x-signature");
        assertThat(item.get("security").get("secretVariable").asText()).isEqualTo("webhookSecret");
        assertThat(item.toString()).doesNotContain(HMAC_SECRET);
    }

    @Test
    void aFlowWithoutSecurityShowsNoneAndAcceptsAnyRequest() {
        FerryTestKit.Demo d = kit.seedDemo();
        JsonNode item = FerryTestKit.json(kit.api("GET", "/instances/" + d.instanceId() + "/flow-configs", null)).get("items").get(0);
        assertThat(item.get("security").get("type").asText()).isEqualTo("none");
        assertThat(send(d.token(), bytes("{}"), Map.of()).status()).isEqualTo(202);
    }

    @Test
    void invalidSecurityDeclarationsAre400WithTheFieldPath() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"type\": \"basic\"}", "flows[0].trigger.security.type");
        cases.put("{\"type\": \"hmac-sha256\", \"secret\": \"{% $config.webhookSecret %}\"}", "flows[0].trigger.security.header");
        cases.put("{\"type\": \"hmac-sha256\", \"header\": \"bad header\", \"secret\": \"{% $config.webhookSecret %}\"}",
                "flows[0].trigger.security.header");
        cases.put("{\"type\": \"hmac-sha256\", \"header\": \"x-ferry-synchronous\", \"secret\": \"{% $config.webhookSecret %}\"}",
                "flows[0].trigger.security.header");
        cases.put("{\"type\": \"hmac-sha256\", \"header\": \"x-sig\", \"secret\": \"literal-secret\"}", "flows[0].trigger.security.secret");
        cases.put("{\"type\": \"hmac-sha256\", \"header\": \"x-sig\", \"secret\": \"{% $config.apiBase %}\"}", "flows[0].trigger.security.secret");
        cases.put("{\"type\": \"hmac-sha256\", \"header\": \"x-sig\", \"secret\": \"{% $config.apiKey %}\"}", "flows[0].trigger.security.secret");
        cases.put("{\"type\": \"hmac-sha256\", \"header\": \"x-sig\", \"secret\": \"{% $config.nope %}\"}", "flows[0].trigger.security.secret");
        cases.put("{\"type\": \"api-key\", \"header\": \"x-sig\", \"secret\": \"{% $config.webhookSecret %}\"}", "flows[0].trigger.security.secret");
        cases.put("\"hmac\"", "flows[0].trigger.security");
        cases.forEach((security, field) -> {
            ApiResponse r = kit.api("POST", "/integrations", definition(security));
            assertThat(r.status()).as(security).isEqualTo(400);
            assertThat(r.bodyText()).as(security).contains("\"field\":\"" + field + "\"");
        });
        assertThat(kit.integrations.list(100, null).items()).isEmpty();
    }

    @Test
    void theSecurityDeclarationSurvivesTheStoredDefinition() {
        FerryTestKit.Demo d = seed(HMAC, HMAC_SECRET);
        JsonNode def = FerryTestKit.json(kit.api("GET", "/integrations/" + d.integrationId(), null));
        assertThat(def.toString()).contains("hmac-sha256").contains("$config.webhookSecret");
    }
}

package dev.ferry.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.api.ApiResponse;
import dev.ferry.core.error.StoreException;
import dev.ferry.core.error.UnauthorizedException;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.Instance;
import dev.ferry.core.port.SecretCipher;
import dev.ferry.core.testkit.FerryTestKit;
import dev.ferry.core.testkit.LogCapture;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Secret config values at rest: stored sealed (one data key per write of an instance's config),
 * opened only where a flow or a webhook check needs them, masked by the API; a value stored in plain
 * text before still runs and is sealed on its instance's next write; a sealed value altered or moved
 * to another instance fails closed with a clear error that carries neither the value nor the sealed text.
 */
class SecretsAtRestTest {
    static final String API_KEY = "sk_live_AT_REST_4242";
    static final String INBOUND_KEY = "ik_AT_REST_5151";
    static final String DEFINITION = """
            {"name": "Sealed",
             "configVariables": [{"key": "apiBase", "required": true}, {"key": "apiKey", "secret": true},
                                 {"key": "inboundKey", "secret": true, "required": true}],
             "flows": [
              {"name": "Call", "trigger": {"type": "webhook"}, "retry": {"maxAttempts": 3, "delaySeconds": 60},
               "steps": [{"name": "fetch", "type": "http", "url": "{% $config.apiBase & '/orders' %}",
                          "headers": {"Authorization": "{% 'Bearer ' & $config.apiKey %}"}}]},
              {"name": "Keyed", "trigger": {"type": "webhook", "security":
                 {"type": "api-key", "header": "x-api-key", "key": "{% $config.inboundKey %}"}},
               "steps": [{"name": "ok", "type": "transform", "output": 1}]}
             ]}
            """;

    final FerryTestKit kit = new FerryTestKit();
    String customerId;
    String integrationId;

    private JsonNode createInstance() {
        if (customerId == null) {
            customerId = FerryTestKit.json(kit.api("POST", "/customers", "{\"name\":\"Acme\"}")).get("id").asText();
            ApiResponse integration = kit.api("POST", "/integrations", DEFINITION);
            assertThat(integration.status()).as(integration.bodyText()).isEqualTo(201);
            integrationId = FerryTestKit.json(integration).get("id").asText();
        }
        ApiResponse r = kit.api("POST", "/instances", "{\"name\":\"Acme\",\"customerId\":\"" + customerId
                + "\",\"integrationId\":\"" + integrationId + "\",\"configVariables\":{\"apiBase\":\"https://api.example.test\","
                + "\"apiKey\":\"" + API_KEY + "\",\"inboundKey\":\"" + INBOUND_KEY + "\"}}");
        assertThat(r.status()).as(r.bodyText()).isEqualTo(201);
        return FerryTestKit.json(r);
    }

    private static String token(JsonNode instance, String flow) {
        for (JsonNode fc : instance.get("flowConfigs")) {
            if (fc.get("flow").asText().equals(flow)) {
                String url = fc.get("webhookUrl").asText();
                return url.substring(url.lastIndexOf('/') + 1);
            }
        }
        throw new IllegalArgumentException(flow);
    }

    private Execution send(String token, Map<String, String> headers) {
        Execution e = kit.ferry.webhooks().accept(token, new ExecutionRequest("POST",
                "{}".getBytes(StandardCharsets.UTF_8), headers, Map.of(), "application/json"));
        kit.drainQueue();
        return kit.executions.get(e.id()).orElseThrow();
    }

    private Map<String, String> stored(String instanceId) {
        return kit.instances.get(instanceId).orElseThrow().configVariables();
    }

    @Test
    void secretValuesAreStoredSealedWithOneDataKeyForTheWriteAndTheApiOpensNone() {
        String id = createInstance().get("id").asText();

        Map<String, String> stored = stored(id);
        assertThat(stored.get("apiKey")).startsWith(SecretCipher.PREFIX).doesNotContain(API_KEY);
        assertThat(stored.get("inboundKey")).startsWith(SecretCipher.PREFIX).doesNotContain(INBOUND_KEY);
        assertThat(stored.get("apiBase")).as("a value not declared secret stays readable").isEqualTo("https://api.example.test");
        assertThat(stored.toString()).doesNotContain(API_KEY).doesNotContain(INBOUND_KEY);
        assertThat(kit.secrets.dataKeys.get()).as("one data key for the write's two secrets").isEqualTo(1);

        JsonNode shown = FerryTestKit.json(kit.api("GET", "/instances/" + id, null));
        assertThat(shown.get("configVariables").get("apiKey").asText()).isEqualTo("********");
        assertThat(shown.get("configVariables").get("apiBase").asText()).isEqualTo("https://api.example.test");
        assertThat(kit.secrets.opens.get()).as("the management API opens no secret").isZero();
    }

    @Test
    void theFlowRunsWithThePlainValue() {
        JsonNode instance = createInstance();

        Execution e = send(token(instance, "Call"), Map.of());

        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(kit.httpRequests.get(0).headers().get("Authorization")).isEqualTo("Bearer " + API_KEY);
        assertThat(kit.executions.all().toString()).doesNotContain(API_KEY);
    }

    @Test
    void aWebhookCheckOpensItsSecret() {
        JsonNode instance = createInstance();

        assertThat(send(token(instance, "Keyed"), Map.of("x-api-key", INBOUND_KEY)).status())
                .isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThatThrownBy(() -> send(token(instance, "Keyed"), Map.of("x-api-key", "wrong")))
                .isInstanceOf(UnauthorizedException.class);
    }

    @Test
    void aPatchSealsWhatItSetsWithANewDataKeyAndKeepsTheSealedValuesItDoesNotSet() {
        String id = createInstance().get("id").asText();
        String sealedKey = stored(id).get("apiKey");

        assertThat(kit.api("PATCH", "/instances/" + id, "{\"configVariables\":{\"apiBase\":\"https://b.example.test\"}}")
                .status()).isEqualTo(200);
        assertThat(stored(id).get("apiKey")).isEqualTo(sealedKey);
        assertThat(kit.secrets.dataKeys.get()).as("nothing to seal, no data key").isEqualTo(1);

        assertThat(kit.api("PATCH", "/instances/" + id, "{\"configVariables\":{\"apiKey\":\"sk_live_NEW_1\"}}").status())
                .isEqualTo(200);
        assertThat(stored(id).get("apiKey")).startsWith(SecretCipher.PREFIX).isNotEqualTo(sealedKey)
                .doesNotContain("sk_live_NEW_1");
        assertThat(stored(id).get("inboundKey")).startsWith(SecretCipher.PREFIX);
        assertThat(kit.secrets.dataKeys.get()).isEqualTo(2);
        assertThat(kit.secrets.opens.get()).isZero();
    }

    @Test
    void aValueStoredPlainBeforeStillRunsAndIsSealedOnTheInstancesNextWrite() {
        JsonNode created = createInstance();
        String id = created.get("id").asText();
        Instance instance = kit.instances.get(id).orElseThrow();
        Map<String, String> plain = new TreeMap<>(instance.configVariables());
        plain.put("apiKey", API_KEY);
        plain.put("inboundKey", INBOUND_KEY);
        kit.instances.update(instance.withConfigVariables(plain)); // as stored before values were sealed

        assertThat(send(token(created, "Call"), Map.of()).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(kit.httpRequests.get(0).headers().get("Authorization")).isEqualTo("Bearer " + API_KEY);

        assertThat(kit.api("PATCH", "/instances/" + id, "{\"name\":\"Renamed\"}").status()).isEqualTo(200);

        assertThat(stored(id).get("apiKey")).startsWith(SecretCipher.PREFIX);
        assertThat(stored(id).get("inboundKey")).startsWith(SecretCipher.PREFIX);
        assertThat(stored(id).toString()).doesNotContain(API_KEY).doesNotContain(INBOUND_KEY);
        assertThat(send(token(created, "Call"), Map.of()).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(kit.httpRequests.get(1).headers().get("Authorization")).isEqualTo("Bearer " + API_KEY);
    }

    @Test
    void anAlteredSealedValueFailsTheExecutionWithoutRetryNamingTheVariableNotTheValue() {
        JsonNode created = createInstance();
        String id = created.get("id").asText();
        Instance instance = kit.instances.get(id).orElseThrow();
        Map<String, String> config = new TreeMap<>(instance.configVariables());
        String altered = config.get("apiKey").substring(0, config.get("apiKey").length() - 2) + "xx";
        config.put("apiKey", altered);
        kit.instances.update(instance.withConfigVariables(config));

        Execution e;
        try (LogCapture log = LogCapture.start()) {
            e = send(token(created, "Call"), Map.of());
            assertThat(String.join("\n", log.text())).doesNotContain(altered).doesNotContain(API_KEY)
                    .contains("cannot be opened");
        }

        assertThat(e.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(e.error().message()).contains("'apiKey'").contains(id).contains("cannot be opened")
                .doesNotContain(altered);
        assertThat(e.error().retryable()).isFalse();
        assertThat(kit.retryQueue.sent()).as("no retry").isEmpty();
        assertThat(kit.httpRequests).as("no step ran").isEmpty();
    }

    @Test
    void aSealedValueCopiedToAnotherInstanceCannotBeOpenedThere() {
        JsonNode first = createInstance();
        JsonNode second = createInstance();
        String secondId = second.get("id").asText();
        Instance target = kit.instances.get(secondId).orElseThrow();
        Map<String, String> config = new TreeMap<>(target.configVariables());
        config.put("apiKey", stored(first.get("id").asText()).get("apiKey"));
        config.put("inboundKey", stored(first.get("id").asText()).get("inboundKey"));
        kit.instances.update(target.withConfigVariables(config));

        assertThat(send(token(second, "Call"), Map.of()).status()).isEqualTo(ExecutionStatus.FAILED);
        assertThatThrownBy(() -> send(token(second, "Keyed"), Map.of("x-api-key", INBOUND_KEY)))
                .as("a webhook check whose secret cannot be opened refuses every request")
                .isInstanceOf(UnauthorizedException.class);
        assertThat(kit.httpRequests).isEmpty();
    }

    @Test
    void aKeyServiceThatCannotAnswerGivesTheClaimBackForTheMessagesNextDelivery() {
        JsonNode created = createInstance();
        Execution queued = kit.ferry.webhooks().accept(token(created, "Call"), new ExecutionRequest("POST",
                "{}".getBytes(StandardCharsets.UTF_8), Map.of(), Map.of(), "application/json"));
        kit.secrets.unavailable = true;

        assertThatThrownBy(() -> kit.ferry.runner().run(queued.id(), "msg-1")).isInstanceOf(StoreException.class);
        assertThat(kit.executions.get(queued.id()).orElseThrow().status()).isEqualTo(ExecutionStatus.QUEUED);

        kit.secrets.unavailable = false;
        assertThat(kit.ferry.runner().run(queued.id(), "msg-1b").orElseThrow().status())
                .isEqualTo(ExecutionStatus.SUCCEEDED);
    }
}

package dev.ferry.local;

import static dev.ferry.local.StackFixture.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.Ferry;
import dev.ferry.core.error.UnauthorizedException;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.functions.Wiring;
import dev.ferry.infra.AwsClients;
import dev.ferry.infra.CallCounter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Webhook security (docs/flow-language.md, "Webhook security") end to end on the local stack over HTTP: an HMAC-protected flow config accepts a
 * correctly signed webhook (202, and the execution runs) and answers a bad or missing signature
 * 401 with no execution listed for the flow config; and the webhook path's AWS calls with a check.
 */
class WebhookSecurityIT {
    private static final String SECRET = "whsec-local-e2e-4711";
    private static final String DEFINITION = """
            {"name": "Signed orders",
             "configVariables": [{"key": "webhookSecret", "secret": true, "required": true}],
             "flows": [{"name": "Orders", "trigger": {"type": "webhook", "security":
                 {"type": "hmac-sha256", "header": "x-signature", "secret": "{% $config.webhookSecret %}"}},
               "steps": [{"name": "shape", "type": "transform", "output": {"id": "{% $trigger.body.id %}"}}]}]}
            """;
    private static StackFixture local;

    @BeforeAll
    static void start() throws Exception {
        local = StackFixture.start("webhook-security-it", b -> b.demo(true));
    }

    @AfterAll
    static void stop() {
        if (local != null) local.close();
    }

    /** An instance of the signed integration; its (only) flow config as the API lists it. */
    private static JsonNode signedFlowConfig(String name) {
        Demo demo = local.stack.demo().orElseThrow();
        String integrationId = local.call("POST", "/integrations", DEFINITION, 201).path("id").asText();
        JsonNode instance = local.call("POST", "/instances", "{\"name\":\"" + name + "\",\"customerId\":\"" + demo.customerId()
                + "\",\"integrationId\":\"" + integrationId + "\",\"configVariables\":{\"webhookSecret\":\"" + SECRET + "\"}}", 201);
        return local.call("GET", "/instances/" + instance.path("id").asText() + "/flow-configs", null, 200).path("items").get(0);
    }

    @Test
    void signedWebhookIsAcceptedAndABadSignatureIs401WithNoExecution() throws Exception {
        JsonNode flowConfig = signedFlowConfig("Signed");
        String flowConfigId = flowConfig.path("id").asText();
        URI webhook = URI.create(flowConfig.path("webhookUrl").asText());
        byte[] body = "{\"id\": 42}".getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> bad = post(webhook, body, "sha256=" + hmac("not-the-secret", body));
        HttpResponse<String> missing = post(webhook, body, null);
        assertThat(bad.statusCode()).as(bad.body()).isEqualTo(401);
        assertThat(missing.statusCode()).as(missing.body()).isEqualTo(401);
        assertThat(bad.body()).contains("\"unauthorized\"").doesNotContain(SECRET);
        assertThat(executions(flowConfigId)).isEmpty();

        HttpResponse<String> good = post(webhook, body, "sha256=" + hmac(SECRET, body));
        assertThat(good.statusCode()).as(good.body()).isEqualTo(202);
        JsonNode done = local.awaitEnd(JSON.readTree(good.body()).path("executionId").asText());
        assertThat(done.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(executions(flowConfigId)).hasSize(1);
        assertThat(flowConfig.path("security").path("type").asText()).isEqualTo("hmac-sha256");
        assertThat(flowConfig.path("security").path("header").asText()).isEqualTo("x-signature");
        assertThat(local.answers).noneMatch(a -> a.contains(SECRET));
    }

    /** The webhook path's AWS calls, counted on the functions' own client factory (docs/benchmarks.md). */
    @Test
    void aSignedWebhookCostsTwoAwsCallsInAWarmContainer() throws Exception {
        String url = signedFlowConfig("Counted").path("webhookUrl").asText();
        String token = url.substring(url.lastIndexOf('/') + 1);
        String demoUrl = local.stack.demo().orElseThrow().webhookUrl();
        String demoToken = demoUrl.substring(demoUrl.lastIndexOf('/') + 1);
        Map<String, String> env = new HashMap<>(local.stack.functions().find("WebhookFunction").orElseThrow().spec().environment());
        CallCounter counter = new CallCounter();
        Ferry ferry = Wiring.fromEnv(env, AwsClients.fromEnv(env, List.of(counter)));
        byte[] body = "{\"id\": 7}".getBytes(StandardCharsets.UTF_8);
        ExecutionRequest signed = new ExecutionRequest("POST", body, Map.of("content-type", "application/json",
                "x-signature", "sha256=" + hmac(SECRET, body)), Map.of(), "application/json");
        ExecutionRequest unsigned = new ExecutionRequest("POST", body, Map.of("content-type", "application/json"), Map.of(),
                "application/json");

        counter.reset();
        ferry.webhooks().accept(demoToken, unsigned);
        Map<String, Long> unsecuredCold = counter.snapshot();
        counter.reset();
        ferry.webhooks().accept(token, signed);
        Map<String, Long> signedCold = counter.snapshot();
        counter.reset();
        ferry.webhooks().accept(token, signed);
        Map<String, Long> signedWarm = counter.snapshot();
        counter.reset();
        assertThatThrownBy(() -> ferry.webhooks().accept(token, unsigned)).isInstanceOf(UnauthorizedException.class);
        Map<String, Long> rejectedWarm = counter.snapshot();
        System.out.println("webhook AWS calls: unsecured cold " + unsecuredCold + "; signed cold " + signedCold
                + "; signed warm " + signedWarm + "; rejected warm " + rejectedWarm);

        assertThat(unsecuredCold).containsOnly(Map.entry("DynamoDb.GetItem", 2L), Map.entry("DynamoDb.PutItem", 1L),
                Map.entry("Sqs.SendMessage", 1L));
        // The secret is stored sealed: the container's first check has KMS decrypt its data key.
        assertThat(signedCold).containsOnly(Map.entry("DynamoDb.GetItem", 3L), Map.entry("DynamoDb.PutItem", 1L),
                Map.entry("Sqs.SendMessage", 1L), Map.entry("Kms.Decrypt", 1L));
        assertThat(signedWarm).containsOnly(Map.entry("DynamoDb.PutItem", 1L), Map.entry("Sqs.SendMessage", 1L));
        assertThat(rejectedWarm).isEmpty();
    }

    private static JsonNode executions(String flowConfigId) {
        return local.call("GET", "/executions?flowConfigId=" + flowConfigId, null, 200).path("items");
    }

    private static HttpResponse<String> post(URI uri, byte[] body, String signature) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) b.header("x-signature", signature);
        return local.send(b);
    }

    private static String hmac(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }
}

package dev.ferry.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.service.Ferry;
import dev.ferry.functions.Wiring;
import dev.ferry.infra.AwsClients;
import dev.ferry.infra.CallCounter;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CONTRACT §5 end to end on the local stack over HTTP: an HMAC-protected flow config accepts a
 * correctly signed webhook (202, and the execution runs) and answers a bad or missing signature
 * 401 with no execution listed for the flow config.
 */
class WebhookSecurityIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String SECRET = "whsec-local-e2e-4711";
    private static final String DEFINITION = """
            {"name": "Signed orders",
             "configVariables": [{"key": "webhookSecret", "secret": true, "required": true}],
             "flows": [{"name": "Orders", "trigger": {"type": "webhook", "security":
                 {"type": "hmac-sha256", "header": "x-signature", "secret": "{% $config.webhookSecret %}"}},
               "steps": [{"name": "shape", "type": "transform", "output": {"id": "{% $trigger.body.id %}"}}]}]}
            """;
    private static LocalStack stack;

    @BeforeAll
    static void start() throws IOException {
        TestEmulator.reset();
        Path stateDir = Files.createTempDirectory("ferry-webhook-security-it");
        stack = LocalStack.builder()
                .template(TestEmulator.template())
                .awsEndpoint(TestEmulator.endpoint())
                .httpPort(0)
                .lambdaPort(0)
                .demo(true)
                .stateDir(stateDir)
                .out(new PrintStream(new ByteArrayOutputStream()))
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        if (stack != null) stack.close();
    }

    @Test
    void signedWebhookIsAcceptedAndABadSignatureIs401WithNoExecution() throws Exception {
        Demo demo = stack.demo().orElseThrow();
        String integrationId = call("POST", "/integrations", DEFINITION, 201).path("id").asText();
        JsonNode instance = call("POST", "/instances", "{\"name\":\"Signed\",\"customerId\":\"" + demo.customerId()
                + "\",\"integrationId\":\"" + integrationId + "\",\"configVariables\":{\"webhookSecret\":\"" + SECRET + "\"}}", 201);
        JsonNode flowConfig = instance.path("flowConfigs").get(0);
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
        String executionId = JSON.readTree(good.body()).path("executionId").asText();
        Instant deadline = Instant.now().plusSeconds(30);
        JsonNode e = call("GET", "/executions/" + executionId, null, 200);
        while (!e.path("status").asText().equals("SUCCEEDED") && Instant.now().isBefore(deadline)) {
            Thread.sleep(100); // poll interval, bounded by the deadline
            e = call("GET", "/executions/" + executionId, null, 200);
        }
        assertThat(e.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(executions(flowConfigId)).hasSize(1);
        JsonNode listed = call("GET", "/instances/" + instance.path("id").asText() + "/flow-configs", null, 200);
        assertThat(listed.toString()).contains("hmac-sha256").contains("x-signature").doesNotContain(SECRET);
    }

    /** The webhook path's AWS calls with a security check, counted on the functions' own client factory. */
    @Test
    void aSignedWebhookCostsTwoAwsCallsInAWarmContainer() throws Exception {
        Demo demo = stack.demo().orElseThrow();
        String integrationId = call("POST", "/integrations", DEFINITION, 201).path("id").asText();
        JsonNode instance = call("POST", "/instances", "{\"name\":\"Counted\",\"customerId\":\"" + demo.customerId()
                + "\",\"integrationId\":\"" + integrationId + "\",\"configVariables\":{\"webhookSecret\":\"" + SECRET + "\"}}", 201);
        String url = instance.path("flowConfigs").get(0).path("webhookUrl").asText();
        String token = url.substring(url.lastIndexOf('/') + 1);
        String demoToken = demo.webhookUrl().substring(demo.webhookUrl().lastIndexOf('/') + 1);
        Map<String, String> env = new HashMap<>(stack.functions().find("WebhookFunction").orElseThrow().spec().environment());
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
        Map<String, Long> securedCold = counter.snapshot();
        counter.reset();
        ferry.webhooks().accept(token, signed);
        Map<String, Long> securedWarm = counter.snapshot();
        counter.reset();
        try {
            ferry.webhooks().accept(token, unsigned);
        } catch (dev.ferry.core.error.UnauthorizedException expected) {
            // 401
        }
        Map<String, Long> rejectedWarm = counter.snapshot();
        System.out.println("webhook AWS calls: unsecured cold " + unsecuredCold + "; signed cold " + securedCold
                + "; signed warm " + securedWarm + "; rejected warm " + rejectedWarm);

        assertThat(unsecuredCold).containsOnly(Map.entry("DynamoDb.GetItem", 2L), Map.entry("DynamoDb.PutItem", 1L),
                Map.entry("Sqs.SendMessage", 1L));
        assertThat(securedCold).containsOnly(Map.entry("DynamoDb.GetItem", 3L), Map.entry("DynamoDb.PutItem", 1L),
                Map.entry("Sqs.SendMessage", 1L));
        assertThat(securedWarm).containsOnly(Map.entry("DynamoDb.PutItem", 1L), Map.entry("Sqs.SendMessage", 1L));
        assertThat(rejectedWarm).isEmpty();
    }

    private static JsonNode executions(String flowConfigId) throws Exception {
        return call("GET", "/executions?flowConfigId=" + flowConfigId, null, 200).path("items");
    }

    private static HttpResponse<String> post(URI uri, byte[] body, String signature) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) b.header("x-signature", signature);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String hmac(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    private static JsonNode call(String method, String path, String body, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(stack.apiUrl().resolve(path)).timeout(Duration.ofSeconds(30))
                .header("authorization", "Bearer " + stack.adminApiKey()).header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(expected);
        return JSON.readTree(r.body());
    }
}

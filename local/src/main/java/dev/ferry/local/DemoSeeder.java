package dev.ferry.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Seeds the {@link Demo} as a user would, through the HTTP API with the admin key. Against an
 * emulator that kept an earlier run's state, the existing demo customer and instance are reused.
 */
final class DemoSeeder {
    static final String CUSTOMER_NAME = "Demo Customer";
    static final String CUSTOMER_EXTERNAL_ID = "demo";
    static final String INTEGRATION_NAME = "Demo order sync";
    static final String INSTANCE_NAME = "Demo instance";

    /** The demo integration: one webhook flow that logs the order id and reshapes the order. */
    static final String DEFINITION = """
            {
              "name": "Demo order sync",
              "description": "Logs each order it receives and answers a reshaped copy.",
              "configVariables": [
                {"key": "apiKey", "secret": true, "description": "sent as a bearer token; never shown"}
              ],
              "flows": [{
                "name": "On new order",
                "trigger": {"type": "webhook"},
                "steps": [
                  {"name": "log", "type": "log", "severity": "INFO",
                   "message": "{% 'order ' & $trigger.body.id & ' received' %}"},
                  {"name": "shape", "type": "transform", "output": {
                    "orderId": "{% $trigger.body.id %}",
                    "total": "{% $trigger.body.total %}",
                    "method": "{% $trigger.method %}",
                    "authorization": "{% 'Bearer ' & $config.apiKey %}"
                  }}
                ]
              }]
            }
            """;

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI api;
    private final String adminKey;

    DemoSeeder(URI api, String adminKey) {
        this.api = api;
        this.adminKey = adminKey;
    }

    Demo seed() {
        JsonNode customer = find("/customers", c -> CUSTOMER_EXTERNAL_ID.equals(c.path("externalId").asText(null)));
        if (customer == null) {
            ObjectNode body = JSON.createObjectNode().put("name", CUSTOMER_NAME).put("externalId", CUSTOMER_EXTERNAL_ID);
            customer = call("POST", "/customers", body, 201);
        }
        String customerId = customer.path("id").asText();
        JsonNode instance = find("/instances?customerId=" + enc(customerId),
                i -> INSTANCE_NAME.equals(i.path("name").asText()));
        boolean reused = instance != null;
        String secret = null;
        if (instance == null) {
            JsonNode integration = call("POST", "/integrations", read(DEFINITION), 201);
            secret = "demo-" + HexFormat.of().formatHex(random(16));
            ObjectNode body = JSON.createObjectNode()
                    .put("name", INSTANCE_NAME)
                    .put("customerId", customerId)
                    .put("integrationId", integration.path("id").asText());
            body.putObject("configVariables").put("apiKey", secret);
            instance = call("POST", "/instances", body, 201);
        }
        JsonNode flowConfig = instance.path("flowConfigs").path(0);
        if (flowConfig.isMissingNode()) {
            flowConfig = call("GET", "/instances/" + enc(instance.path("id").asText()) + "/flow-configs", null, 200)
                    .path("items").path(0);
        }
        return new Demo(customerId, instance.path("integrationId").asText(), instance.path("id").asText(),
                flowConfig.path("id").asText(), flowConfig.path("webhookUrl").asText(), reused, secret);
    }

    /** The first item of a listing that matches, following {@code nextCursor}. */
    private JsonNode find(String path, java.util.function.Predicate<JsonNode> match) {
        String cursor = null;
        do {
            String sep = path.contains("?") ? "&" : "?";
            String page = path + sep + "limit=100" + (cursor == null ? "" : "&cursor=" + enc(cursor));
            JsonNode answer = call("GET", page, null, 200);
            for (JsonNode item : answer.path("items")) if (match.test(item)) return item;
            cursor = answer.path("nextCursor").isTextual() ? answer.path("nextCursor").asText() : null;
        } while (cursor != null);
        return null;
    }

    private JsonNode call(String method, String path, JsonNode body, int expected) {
        HttpRequest.Builder b = HttpRequest.newBuilder(api.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("authorization", "Bearer " + adminKey)
                .header("accept", "application/json");
        if (body != null) {
            b.header("content-type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != expected) {
                throw new IllegalStateException("demo: " + method + " " + path + " answered " + r.statusCode() + ": "
                        + r.body() + " (start with --no-demo to skip the demo)");
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("demo: " + method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("demo: interrupted", e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }
}

package dev.ferry.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.api.ApiResponse;
import dev.ferry.core.testkit.FerryTestKit;

/** An instance whose webhook flow is HMAC-protected, for tests outside this package. */
public final class WebhookSecurityFixtures {
    public static final String HMAC_SECRET = WebhookSecurityTest.HMAC_SECRET;

    private WebhookSecurityFixtures() {}

    public static FerryTestKit.Demo seedHmac(FerryTestKit kit) {
        String customerId = FerryTestKit.json(kit.api("POST", "/customers", "{\"name\":\"Secured Co\"}")).get("id").asText();
        ApiResponse integration = kit.api("POST", "/integrations", WebhookSecurityTest.definition(WebhookSecurityTest.HMAC));
        if (integration.status() != 201) throw new IllegalStateException(integration.bodyText());
        String integrationId = FerryTestKit.json(integration).get("id").asText();
        ApiResponse instance = kit.api("POST", "/instances", "{\"name\":\"Secured\",\"customerId\":\"" + customerId
                + "\",\"integrationId\":\"" + integrationId + "\",\"configVariables\":{\"apiBase\":\"https://x.test\","
                + "\"webhookSecret\":\"" + HMAC_SECRET + "\"}}");
        if (instance.status() != 201) throw new IllegalStateException(instance.bodyText());
        JsonNode node = FerryTestKit.json(instance);
        JsonNode fc = node.get("flowConfigs").get(0);
        String url = fc.get("webhookUrl").asText();
        return new FerryTestKit.Demo(customerId, integrationId, node.get("id").asText(), fc.get("id").asText(),
                url.substring(url.lastIndexOf('/') + 1));
    }

    public static String sign(String secret, byte[] body) {
        return WebhookSecurityTest.sign(secret, body);
    }
}

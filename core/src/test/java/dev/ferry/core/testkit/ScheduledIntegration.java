package dev.ferry.core.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.api.ApiResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * An integration with scheduled flows and a webhook flow, and an instance of it made through the
 * management API: what the schedule and pause tests start from.
 */
public final class ScheduledIntegration {
    /** Flows: "Every minute" rate(1 minute), "Morning" 09:00 Europe/Berlin on weekdays, "On order" webhook. */
    public static final String DEFINITION = """
            {
              "name": "Scheduled sync",
              "flows": [
                {"name": "Every minute", "trigger": {"type": "schedule", "schedule": "rate(1 minute)"},
                 "steps": [{"name": "tick", "type": "log", "message": "{% 'tick ' & $trigger.body.scheduledTime %}"},
                           {"name": "out", "type": "transform", "output": {"at": "{% $trigger.body.scheduledTime %}"}}]},
                {"name": "Morning", "trigger": {"type": "schedule", "schedule": "cron(0 9 ? * MON-FRI *)", "timezone": "Europe/Berlin"},
                 "steps": [{"name": "out", "type": "transform", "output": {"at": "{% $trigger.body.scheduledTime %}"}}]},
                {"name": "On order", "trigger": {"type": "webhook"},
                 "steps": [{"name": "out", "type": "transform", "output": {"id": "{% $trigger.body.id %}"}}]}
              ]
            }
            """;

    private ScheduledIntegration() {}

    /** The instance made: its id, and its flow configs' ids by flow (in definition order), and the webhook token. */
    public record Made(String customerId, String integrationId, String instanceId, List<String> flowConfigIds,
                       String token, JsonNode answer) {
        public String everyMinute() { return flowConfigIds.get(0); }
        public String morning() { return flowConfigIds.get(1); }
        public String onOrder() { return flowConfigIds.get(2); }
    }

    /** Creates a customer, the integration and an instance of it; {@code extra} is added to the instance body (e.g. {@code ,"enabled":false}). */
    public static Made create(FerryTestKit kit, String definition, String extra) {
        String customerId = FerryTestKit.json(kit.api("POST", "/customers", "{\"name\":\"Acme\"}")).get("id").asText();
        ApiResponse integration = kit.api("POST", "/integrations", definition);
        if (integration.status() != 201) throw new IllegalStateException(integration.bodyText());
        String integrationId = FerryTestKit.json(integration).get("id").asText();
        ApiResponse instance = kit.api("POST", "/instances", "{\"name\":\"Acme sync\",\"customerId\":\"" + customerId
                + "\",\"integrationId\":\"" + integrationId + "\"" + extra + "}");
        if (instance.status() != 201) throw new IllegalStateException(instance.status() + " " + instance.bodyText());
        JsonNode node = FerryTestKit.json(instance);
        List<String> ids = new ArrayList<>();
        String token = null;
        for (JsonNode fc : node.get("flowConfigs")) {
            ids.add(fc.get("id").asText());
            if (fc.hasNonNull("webhookUrl")) {
                String url = fc.get("webhookUrl").asText();
                token = url.substring(url.lastIndexOf('/') + 1);
            }
        }
        return new Made(customerId, integrationId, node.get("id").asText(), ids, token, node);
    }

    public static Made create(FerryTestKit kit) {
        return create(kit, DEFINITION, "");
    }
}

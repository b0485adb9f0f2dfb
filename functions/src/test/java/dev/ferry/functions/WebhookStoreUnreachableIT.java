package dev.ferry.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.json.Json;
import dev.ferry.functions.webhook.WebhookFunction;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The webhook edge wired exactly as in Lambda (Wiring.fromEnv), with its AWS endpoint unreachable:
 * it must answer 5xx — never a 202 for a request that was not stored.
 */
class WebhookStoreUnreachableIT {

    @Test
    void webhookAnswers503WhenTheStoreCannotBeReached() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + closedPort);
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_MAX_ATTEMPTS", "1");
        env.put("FERRY_AWS_API_CALL_TIMEOUT_MS", "2000");
        env.put("FERRY_CONFIG_TABLE", "ferry-ConfigTable");
        env.put("FERRY_EXECUTIONS_TABLE", "ferry-ExecutionsTable");
        env.put("FERRY_PAYLOAD_BUCKET", "ferry-payloadbucket");
        for (String queue : new String[] {"EXECUTION", "RETRY", "REPLAY_JOB"}) {
            env.put("FERRY_" + queue + "_QUEUE_URL", "http://127.0.0.1:" + closedPort + "/123456789012/ferry-" + queue);
        }
        env.put("FERRY_MONITORS_TABLE", "ferry-MonitorsTable");
        env.put("FERRY_MONITOR_QUEUE_URL", "http://127.0.0.1:" + closedPort + "/123456789012/ferry-MonitorQueue");

        JsonNode answer = SampleData.invoke(new WebhookFunction(Wiring.fromEnv(env)), "webhook-post-json.json");

        assertThat(answer.get("statusCode").asInt()).isEqualTo(503);
        JsonNode body = Json.tree(answer.get("body").asText());
        assertThat(body.get("error").get("code").asText()).isEqualTo("store_unavailable");
        assertThat(answer.toString()).doesNotContain("at dev.ferry").doesNotContain("Exception:");
    }
}

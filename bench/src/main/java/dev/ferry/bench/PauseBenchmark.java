package dev.ferry.bench;

import dev.ferry.core.Ferry;
import dev.ferry.core.api.ApiRequest;
import dev.ferry.core.api.ApiResponse;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.functions.Wiring;
import dev.ferry.infra.AwsClients;
import dev.ferry.infra.CallCounter;
import dev.ferry.local.LocalStack;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * AWS calls of pausing and unpausing an instance with N scheduled flows (and H held executions to
 * release), counted by {@link CallCounter} on the management function's own wiring (its template
 * environment), against the local stack's emulator. Another paused instance with held executions
 * sits in the same tables throughout, so a scan would show.
 */
public final class PauseBenchmark {
    private PauseBenchmark() {}

    /** The calls of one pause and the unpause after it. */
    public record Calls(int scheduledFlows, int held, Map<String, Long> pause, Map<String, Long> unpause) {
        public long pauseTotal() {
            return pause.values().stream().mapToLong(Long::longValue).sum();
        }

        public long unpauseTotal() {
            return unpause.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Makes an instance with {@code flows} scheduled flows (plus a webhook flow) in HOLD mode, pauses it, holds {@code held} webhooks, unpauses. */
    public static Calls measure(LocalStack stack, int flows, int held) {
        Map<String, String> env = new HashMap<>(stack.functions().find("ManagementApiFunction").orElseThrow().spec().environment());
        CallCounter counter = new CallCounter();
        try (AwsClients aws = AwsClients.fromEnv(env, List.of(counter))) {
            Ferry ferry = Wiring.fromEnv(env, aws);
            String key = stack.adminApiKey();
            String customer = id(call(ferry, key, "POST", "/customers", "{\"name\":\"Bench\"}"));
            String integration = id(call(ferry, key, "POST", "/integrations", definition(flows)));
            var instance = Json.tree(call(ferry, key, "POST", "/instances", "{\"name\":\"bench\",\"customerId\":\"" + customer
                    + "\",\"integrationId\":\"" + integration + "\",\"pauseMode\":\"HOLD\"}").body());
            String instanceId = instance.get("id").asText();
            String url = instance.get("flowConfigs").get(flows).get("webhookUrl").asText();
            String token = url.substring(url.lastIndexOf('/') + 1);
            call(ferry, key, "GET", "/instances/" + instanceId, null); // the integration version is now cached, as in a warm container

            counter.reset();
            ferry.pauses().pause(instanceId);
            Map<String, Long> pause = counter.snapshot();

            ExecutionRequest request = new ExecutionRequest("POST", "{\"id\":1}".getBytes(StandardCharsets.UTF_8),
                    Map.of("content-type", "application/json"), Map.of(), "application/json");
            for (int i = 0; i < held; i++) {
                if (ferry.webhooks().accept(token, request).status() != ExecutionStatus.HELD) {
                    throw new IllegalStateException("a webhook of the paused HOLD instance was not held");
                }
            }
            counter.reset();
            ferry.pauses().unpause(instanceId);
            Map<String, Long> unpause = counter.snapshot();
            return new Calls(flows, held, pause, unpause);
        }
    }

    /** Another instance, paused in HOLD mode with {@code held} held webhooks: data a scan would read. */
    public static void noise(LocalStack stack, int held) {
        Map<String, String> env = new HashMap<>(stack.functions().find("ManagementApiFunction").orElseThrow().spec().environment());
        try (AwsClients aws = AwsClients.fromEnv(env)) {
            Ferry ferry = Wiring.fromEnv(env, aws);
            String key = stack.adminApiKey();
            String customer = id(call(ferry, key, "POST", "/customers", "{\"name\":\"Noise\"}"));
            String integration = id(call(ferry, key, "POST", "/integrations", definition(3)));
            var instance = Json.tree(call(ferry, key, "POST", "/instances", "{\"name\":\"noise\",\"customerId\":\"" + customer
                    + "\",\"integrationId\":\"" + integration + "\",\"pauseMode\":\"HOLD\"}").body());
            String url = instance.get("flowConfigs").get(3).get("webhookUrl").asText();
            ferry.pauses().pause(instance.get("id").asText());
            ExecutionRequest request = new ExecutionRequest("POST", "{}".getBytes(StandardCharsets.UTF_8), Map.of(), Map.of(),
                    "application/json");
            for (int i = 0; i < held; i++) ferry.webhooks().accept(url.substring(url.lastIndexOf('/') + 1), request);
        }
    }

    /** The Markdown section of docs/benchmarks.md. */
    public static String report(LocalStack stack) {
        noise(stack, 200);
        StringBuilder out = new StringBuilder("## Pause and unpause: AWS calls\n\n");
        out.append("Another paused instance with 200 held executions is in the same tables throughout.\n\n");
        out.append("| scheduled flows N | held H | pause calls | pause: which | unpause calls | unpause: which |\n");
        out.append("|---|---|---|---|---|---|\n");
        // The most scheduled flows an instance can have: the definition's limit less the webhook flow.
        int most = dev.ferry.core.definition.DefinitionParser.MAX_FLOWS - 1;
        for (int[] c : new int[][] {{1, 0}, {10, 0}, {most, 0}, {10, 25}, {most, 100}}) {
            Calls m = measure(stack, c[0], c[1]);
            out.append("| ").append(m.scheduledFlows()).append(" | ").append(m.held()).append(" | ").append(m.pauseTotal())
                    .append(" | ").append(m.pause()).append(" | ").append(m.unpauseTotal()).append(" | ")
                    .append(m.unpause()).append(" |\n");
        }
        return out.append('\n').toString();
    }

    /** N scheduled flows (cron in Berlin and rates, alternating) and one webhook flow last. */
    static String definition(int flows) {
        StringBuilder f = new StringBuilder();
        for (int i = 0; i < flows; i++) {
            String trigger = i % 2 == 0
                    ? "{\"type\":\"schedule\",\"schedule\":\"cron(0 9 ? * MON-FRI *)\",\"timezone\":\"Europe/Berlin\"}"
                    : "{\"type\":\"schedule\",\"schedule\":\"rate(5 minutes)\"}";
            f.append("{\"name\":\"Flow ").append(i).append("\",\"trigger\":").append(trigger)
                    .append(",\"steps\":[{\"name\":\"out\",\"type\":\"transform\",\"output\":{\"ok\":true}}]},");
        }
        f.append("{\"name\":\"On order\",\"trigger\":{\"type\":\"webhook\"},\"steps\":[{\"name\":\"out\",\"type\":\"transform\",\"output\":{\"ok\":true}}]}");
        return "{\"name\":\"Bench " + flows + "\",\"flows\":[" + f + "]}";
    }

    private static ApiResponse call(Ferry ferry, String key, String method, String path, String body) {
        Map<String, String> headers = Map.of("authorization", "Bearer " + key, "content-type", "application/json");
        ApiResponse r = ferry.api().handle(new ApiRequest(method, path, Map.of(), headers,
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), "http://127.0.0.1"));
        if (r.status() >= 300) throw new IllegalStateException(method + " " + path + " answered " + r.status() + ": " + r.bodyText());
        return r;
    }

    private static String id(ApiResponse r) {
        return Json.tree(r.body()).get("id").asText();
    }
}

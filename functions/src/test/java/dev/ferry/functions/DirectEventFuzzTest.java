package dev.ferry.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.json.Json;
import dev.ferry.core.testkit.FerryTestKit;
import dev.ferry.functions.api.ManagementApiFunction;
import dev.ferry.functions.console.ConsoleFiles;
import dev.ferry.functions.console.ConsoleFunction;
import dev.ferry.functions.execution.FlowExecutionFunction;
import dev.ferry.functions.monitor.MonitorEvaluationFunction;
import dev.ferry.functions.replay.ReplayFunction;
import dev.ferry.functions.retry.RetryDispatchFunction;
import dev.ferry.functions.schedule.ScheduledTriggerFunction;
import dev.ferry.functions.webhook.WebhookFunction;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Fuzz of every handler with its events/ samples mutated (fields removed, retyped, overlong,
 * unicode, path traversal ids) and with JSON of the wrong shape (scalars, deep nesting, wrong
 * {@code Records}); not non-JSON bytes, which AWS Lambda refuses at Invoke before any handler: a
 * handler never throws, always answers JSON, never a 5xx HTTP answer or an error carrying Java
 * internals, and an error answer (direct or HTTP 4xx) leaves every store unchanged. Seed fixed and
 * printed with the count.
 */
class DirectEventFuzzTest {
    static final long SEED = 7_2026_1126L;
    static final int CASES = 2500;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern INTERNALS = Pattern.compile(
            "(?s).*(\\bat (java|dev|com|org|jdk)\\.[a-z]|Exception|java\\.|jdk\\.|dev\\.ferry|com\\.fasterxml|\\.java:\\d).*");

    /** A fresh application (the events/ sample data) every {@link #ROUND} cases, so each case's snapshot stays small. */
    static final int ROUND = 250;
    private FerryTestKit kit;
    private final Random random = new Random(SEED);
    private final List<String> failures = new ArrayList<>();

    /** {@code jsonErrors}: its HTTP error answers are the API's JSON error shape (the console's are plain text). */
    private record Target(String name, RequestStreamHandler handler, List<String> samples, boolean jsonErrors) {
        Target(String name, RequestStreamHandler handler, List<String> samples) {
            this(name, handler, samples, true);
        }
    }

    @Test
    void mutatedAndMalformedEventsNeverThrowNeverLeakAndAnErrorWritesNothing() {
        int cases = 0;
        for (int round = 0; round * ROUND < CASES; round++) {
            kit = SampleData.kit();
            cases += round(targets(), Math.min(ROUND, CASES - round * ROUND), cases);
        }
        System.out.println("DirectEventFuzzTest: " + cases + " handler cases, seed " + SEED + ", " + failures.size() + " failed");
        assertThat(failures).isEmpty();
        assertThat(cases).isEqualTo(CASES);
    }

    @Test
    void aScheduledTimeOutsideYears1970To9999IsAJsonErrorNotAnException() {
        kit = SampleData.kit();
        String before = kit.stateSnapshot();
        JsonNode answer = SampleData.invoke(new ScheduledTriggerFunction(kit.ferry), ("{\"flowConfigId\":\""
                + SampleData.SCHEDULED_FLOW_CONFIG + "\",\"scheduledTime\":\"+1000000000-01-01T00:00:00Z\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(answer.at("/error/details/0/field").asText()).isEqualTo("scheduledTime");
        assertThat(kit.stateSnapshot()).isEqualTo(before);
    }

    private List<Target> targets() {
        return List.of(
                new Target("WebhookFunction", new WebhookFunction(kit.ferry),
                        List.of("webhook-post-json.json", "webhook-post-binary.json", "webhook-unknown-token.json")),
                new Target("ManagementApiFunction", new ManagementApiFunction(kit.ferry),
                        List.of("management-create-customer.json", "management-list-executions.json", "management-pause-direct.json",
                                "management-pause-instance.json", "management-search-instance-logs.json")),
                new Target("FlowExecutionFunction", new FlowExecutionFunction(kit.ferry),
                        List.of("flow-execution-test.json", "flow-execution-sqs.json", "flow-execution-sqs-release.json")),
                new Target("ReplayFunction", new ReplayFunction(kit.ferry),
                        List.of("replay-direct.json", "replay-bulk-direct.json", "replay-api.json", "replay-job-sqs.json")),
                new Target("RetryDispatchFunction", new RetryDispatchFunction(kit.ferry), List.of("retry-dispatch-sqs.json")),
                new Target("ScheduledTriggerFunction", new ScheduledTriggerFunction(kit.ferry),
                        List.of("scheduled-trigger.json", "scheduled-trigger-direct.json")),
                new Target("MonitorEvaluationFunction", new MonitorEvaluationFunction(kit.ferry),
                        List.of("monitor-evaluation-sweep.json", "monitor-evaluation-sqs.json")),
                new Target("ConsoleFunction", new ConsoleFunction(ConsoleFiles.onClasspath(getClass().getClassLoader(),
                        "console-fixture")), List.of("console-get-index.json"), false));
    }

    private int round(List<Target> targets, int count, int first) {
        int cases = 0;
        for (int i = first; i < first + count; i++) {
            Target t = targets.get(random.nextInt(targets.size()));
            byte[] event = event(t);
            String what = "case " + i + " (seed " + SEED + ") " + t.name() + ": " + preview(event);
            String before = kit.stateSnapshot();
            try {
                check(what, t, event, before);
            } catch (Throwable e) {
                if (failures.size() < 25) failures.add(what + " -> " + e);
            }
            cases++;
        }
        return cases;
    }

    private void check(String what, Target target, byte[] event, String before) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        target.handler().handleRequest(new ByteArrayInputStream(event), out, null);
        String text = out.toString(StandardCharsets.UTF_8);
        JsonNode answer = Json.tree(text);
        boolean error;
        if (answer.has("statusCode")) {
            int status = answer.get("statusCode").asInt();
            String body = answer.path("body").asText();
            // 503 instance_paused is the documented answer (docs/api.md) for a paused REJECT instance (the fuzz pauses it at times).
            boolean paused = status == 503 && body.contains("\"instance_paused\"");
            if (!paused) assertThat(status).as(what + " -> " + text).isBetween(200, 499);
            error = status >= 400;
            if (error && target.jsonErrors()) assertErrorShape(what, Json.tree(body));
        } else if (answer.size() == 1 && answer.has("error")) {
            error = true;
            assertErrorShape(what, answer);
        } else {
            error = false;
        }
        assertThat(INTERNALS.matcher(text).matches()).as(what + " leaks internals: " + text).isFalse();
        if (error) assertThat(kit.stateSnapshot()).as(what + " wrote on an error: " + text).isEqualTo(before);
    }

    private static void assertErrorShape(String what, JsonNode answer) {
        JsonNode e = answer.get("error");
        assertThat(e != null && e.path("code").isTextual() && e.path("message").isTextual() && e.path("details").isArray())
                .as(what + " error shape: " + answer).isTrue();
    }

    // ---- generators ----------------------------------------------------------------------------

    private byte[] event(Target t) {
        switch (random.nextInt(14)) {
            case 0: return new byte[0];
            case 1: return "\"not an object\"".getBytes(StandardCharsets.UTF_8);
            case 2: return ("[".repeat(3000) + "]".repeat(3000)).getBytes(StandardCharsets.UTF_8);
            case 3: return pick("null", "42", "\"text\"", "[]", "{}", "{\"Records\": 5}", "{\"Records\": [1, \"x\", null]}",
                    "{\"requestContext\": 1, \"rawPath\": []}", "{\"sweep\": \"yes\"}", "{\"filter\": []}")
                    .getBytes(StandardCharsets.UTF_8);
            case 4: return Json.writeBytes(value()); // any JSON value as the whole event
            default: {
                JsonNode sample = Json.tree(SampleData.event(t.samples().get(random.nextInt(t.samples().size()))));
                int mutations = 1 + random.nextInt(3);
                for (int m = 0; m < mutations; m++) sample = mutate(sample);
                return Json.writeBytes(sample);
            }
        }
    }

    /** One random change somewhere in the tree: a value replaced, a field removed or added. */
    private JsonNode mutate(JsonNode root) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        if (containers.isEmpty()) return value();
        JsonNode target = containers.get(random.nextInt(containers.size()));
        if (target instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) names.add(it.next());
            int op = random.nextInt(4);
            if (op == 0 && !names.isEmpty()) o.remove(names.get(random.nextInt(names.size())));
            else if (op == 1 || names.isEmpty()) o.set(pick("executionId", "flowConfigId", "instanceId", "action", "body", "test",
                    "filter", "dryRun", "sweep", "scheduledTime", "headers", "isBase64Encoded", "rawPath", "Records", "extra"), value());
            else o.set(names.get(random.nextInt(names.size())), value());
        } else if (target instanceof ArrayNode a && !a.isEmpty()) {
            a.set(random.nextInt(a.size()), value());
        }
        return root;
    }

    private void collect(JsonNode node, List<JsonNode> out) {
        if (node.isObject() || node.isArray()) {
            out.add(node);
            node.forEach(child -> collect(child, out));
        }
    }

    private JsonNode value() {
        return switch (random.nextInt(14)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextInt(2000) - 1000);
            case 3 -> NODES.textNode("x".repeat(random.nextInt(5000)));
            case 4 -> NODES.textNode("../../etc/passwd");
            case 5 -> NODES.textNode("ins_ünïcødé_☃\u0000\u202e");
            case 6 -> NODES.textNode(pick("pause", "unpause", "delete", "true", "2026-11-26T10:00:00Z", "2026-99-99",
                    "+1000000000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "not base64!!",
                    SampleData.QUEUED, SampleData.ORIGINAL, SampleData.FLOW_CONFIG, SampleData.INSTANCE, SampleData.TOKEN, ""));
            case 7 -> NODES.arrayNode().add(1).add("a");
            case 8 -> NODES.objectNode().put("executionId", pick(SampleData.QUEUED, "nope", "a/b"));
            case 9 -> NODES.objectNode().put("body", "{\"id\": 1}").set("headers", NODES.objectNode().put("x", 1));
            case 10 -> NODES.textNode("{\"executionId\": \"" + pick(SampleData.QUEUED, "x y", "") + "\"}");
            case 11 -> NODES.numberNode(Long.MAX_VALUE);
            default -> NODES.objectNode();
        };
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    private static String preview(byte[] event) {
        String s = new String(event, StandardCharsets.UTF_8).replace('\n', ' ');
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    @SuppressWarnings("unused")
    private static Map<String, String> none() {
        return Map.of();
    }
}

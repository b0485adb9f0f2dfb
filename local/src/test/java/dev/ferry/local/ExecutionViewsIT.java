package dev.ferry.local;

import static dev.ferry.local.StackFixture.JSON;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.infra.AwsClients;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Executions and Logs views end to end on the emulator, through the local stack's HTTP API and
 * the CLI: a 5 MB step output kept in S3 and shown whole, log search per instance and per customer
 * (text, minimum severity, time range, pages), and customers kept apart.
 */
class ExecutionViewsIT {
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String DEFINITION = """
            {"name": "Views", "flows": [{"name": "Echo", "trigger": {"type": "webhook"}, "steps": [
              {"name": "note", "type": "log", "severity": "INFO", "message": "{% 'parcel ' & $trigger.body.parcel %}"},
              {"name": "careful", "type": "log", "severity": "WARN", "if": "{% $trigger.body.slow = true %}",
               "message": "{% 'parcel ' & $trigger.body.parcel & ' is slow' %}"},
              {"name": "big", "type": "http", "method": "GET", "if": "{% $exists($trigger.body.fetch) %}",
               "url": "{% $trigger.body.fetch %}"},
              {"name": "guard", "type": "fail", "if": "{% $trigger.body.broken = true %}", "message": "broken parcel", "retryable": false}
            ]}]}
            """;

    private static StackFixture local;
    /** Answers GET /big with a JSON object {"filler": "xxx…"} of 5 MiB: the big step's output. */
    private static com.sun.net.httpserver.HttpServer upstream;
    private static final int BIG = 5 * 1024 * 1024;
    private static String customerA;
    private static String customerB;
    private static String instanceA1;
    private static String instanceA2;
    private static String instanceB;
    private static final Map<String, String> TOKENS = new java.util.HashMap<>();

    @BeforeAll
    static void startStack() throws Exception {
        upstream = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        byte[] big = ("{\"filler\": \"" + "x".repeat(BIG) + "\"}").getBytes(StandardCharsets.UTF_8);
        upstream.createContext("/big", ex -> {
            ex.getResponseHeaders().add("content-type", "application/json");
            ex.sendResponseHeaders(200, big.length);
            try (var out = ex.getResponseBody()) {
                out.write(big);
            }
        });
        upstream.start();
        local = StackFixture.start("views-it", b -> {});
        customerA = local.call("POST", "/customers", "{\"name\": \"Alpha\"}", 201).path("id").asText();
        customerB = local.call("POST", "/customers", "{\"name\": \"Beta\"}", 201).path("id").asText();
        String integration = local.call("POST", "/integrations", DEFINITION, 201).path("id").asText();
        instanceA1 = instance("Alpha one", customerA, integration);
        instanceA2 = instance("Alpha two", customerA, integration);
        instanceB = instance("Beta one", customerB, integration);
    }

    @AfterAll
    static void stop() {
        if (upstream != null) upstream.stop(0);
        if (local != null) local.close();
    }

    private static String instance(String name, String customer, String integration) throws Exception {
        JsonNode i = local.call("POST", "/instances", "{\"name\": \"" + name + "\", \"customerId\": \"" + customer
                + "\", \"integrationId\": \"" + integration + "\"}", 201);
        String url = i.path("flowConfigs").get(0).path("webhookUrl").asText();
        TOKENS.put(i.path("id").asText(), url);
        return i.path("id").asText();
    }

    // ------------------------------------------------------------------ tests

    @Test
    void fiveMegabyteStepOutputIsKeptInS3AndShownWhole() throws Exception {
        int size = BIG;
        String id = send(instanceA1, "{\"parcel\": \"huge\", \"fetch\": \"http://127.0.0.1:"
                + upstream.getAddress().getPort() + "/big\"}");

        JsonNode e = local.awaitEnd(id, DEADLINE);

        assertThat(e.path("status").asText()).as(e.path("error").toString()).isEqualTo("SUCCEEDED");
        JsonNode big = e.path("steps").get(2);
        assertThat(big.path("name").asText()).isEqualTo("big");
        assertThat(big.path("output").path("status").asInt()).isEqualTo(200);
        String filler = big.path("output").path("body").path("filler").asText();
        assertThat(filler).hasSize(size);
        assertThat(filler.chars().allMatch(c -> c == 'x')).isTrue();
        try (AwsClients aws = AwsClients.fromEnv(local.stack.adminEnvironment())) {
            long stored = aws.s3().headObject(b -> b.bucket("ferry-payloadbucket").key("executions/" + id + "/steps.json"))
                    .contentLength();
            assertThat(stored).isGreaterThan(size);
        }
        // lists never carry payloads
        JsonNode listed = local.call("GET", "/executions?instanceId=" + instanceA1 + "&limit=100", null, 200);
        assertThat(listed.toString().length()).isLessThan(100_000);
    }

    @Test
    void logSearchFindsLinesByTextSeverityAndTimeAcrossPages() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < 5; n++) ids.add(send(instanceA2, "{\"parcel\": \"P-" + n + "\", \"slow\": " + (n % 2 == 0) + "}"));
        for (String id : ids) local.awaitEnd(id, DEADLINE);
        String path = "/instances/" + instanceA2 + "/logs";

        assertThat(messages(local.call("GET", path + "?q=" + enc("parcel P-3"), null, 200))).containsExactly("parcel P-3");
        assertThat(messages(local.call("GET", path + "?q=" + enc("\"IS SLOW\""), null, 200)))
                .containsExactly("parcel P-0 is slow", "parcel P-2 is slow", "parcel P-4 is slow");
        assertThat(local.call("GET", path + "?severity=WARN", null, 200).path("items"))
                .hasSize(3).allMatch(l -> l.path("severity").asText().equals("WARN"));
        assertThat(local.call("GET", path + "?q=parcel&until=" + enc(before.toString()), null, 200).path("items")).isEmpty();
        assertThat(local.call("GET", path + "?q=parcel&since=" + enc(before.toString()), null, 200).path("items")).hasSize(8);

        List<String> paged = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = local.call("GET", path + "?q=parcel&limit=3" + (cursor == null ? "" : "&cursor=" + enc(cursor)), null, 200);
            paged.addAll(messages(page));
            page.path("items").forEach(l -> times.add(Instant.parse(l.path("timestamp").asText()).truncatedTo(java.time.temporal.ChronoUnit.MILLIS)));
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
        } while (cursor != null);
        // the five executions ran concurrently: their lines interleave, oldest first
        assertThat(paged).hasSize(8).doesNotHaveDuplicates()
                .containsAll(List.of("parcel P-0", "parcel P-1", "parcel P-2", "parcel P-3", "parcel P-4"));
        assertThat(times).isSorted();
        assertThat(paged).containsExactlyElementsOf(messages(local.call("GET", path + "?q=parcel&limit=100", null, 200)));
    }

    @Test
    void customersSeeOnlyTheirOwnExecutionsAndLogs() throws Exception {
        String a = send(instanceA1, "{\"parcel\": \"alpha-only\"}");
        String b = send(instanceB, "{\"parcel\": \"beta-only\", \"broken\": true}");
        local.awaitEnd(a, DEADLINE);
        JsonNode failed = local.awaitEnd(b, DEADLINE);
        assertThat(failed.path("error").path("step").asText()).isEqualTo("guard");

        Set<String> alphaIds = ids(local.call("GET", "/customers/" + customerA + "/executions?limit=100", null, 200));
        assertThat(alphaIds).contains(a).doesNotContain(b);
        assertThat(ids(local.call("GET", "/customers/" + customerA + "/executions?instanceId=" + instanceB, null, 200))).isEmpty();
        assertThat(ids(local.call("GET", "/customers/" + customerB + "/executions?status=FAILED", null, 200))).containsExactly(b);
        assertThat(ids(local.call("GET", "/executions?customerId=" + customerB, null, 200))).containsExactly(b);

        JsonNode alphaLogs = local.call("GET", "/customers/" + customerA + "/logs?q=only&limit=100", null, 200);
        assertThat(messages(alphaLogs)).containsExactly("parcel alpha-only");
        assertThat(alphaLogs.path("items")).allMatch(l -> Set.of(instanceA1, instanceA2).contains(l.path("instanceId").asText()));
        JsonNode betaErrors = local.call("GET", "/customers/" + customerB + "/logs?q=broken&severity=ERROR", null, 200);
        assertThat(messages(betaErrors)).contains("execution failed at step 'guard': broken parcel");
        assertThat(betaErrors.path("items")).allMatch(l -> l.path("severity").asText().equals("ERROR")
                && l.path("executionId").asText().equals(b));
    }

    @Test
    void cliSearchesAnInstancesAndACustomersLogs() throws Exception {
        String id = send(instanceA1, "{\"parcel\": \"cli-7\", \"slow\": true}");
        local.awaitEnd(id, DEADLINE);

        String out = local.cli("logs:search", instanceA1, "--query", "cli-7", "--severity", "warn", "--since", "1h").ok();
        assertThat(out).contains("WARN").contains("parcel cli-7 is slow").doesNotContain("INFO ");
        String json = local.cli("logs:search", customerA, "--customer", "--query", "cli-7", "--output", "json").ok();
        assertThat(JSON.readTree(json).path("items")).hasSize(2)
                .allMatch(l -> l.path("instanceId").asText().equals(instanceA1));
    }

    // ------------------------------------------------------------------ helpers

    private static List<String> messages(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.path("items").forEach(l -> out.add(l.path("message").asText()));
        return out;
    }

    private static Set<String> ids(JsonNode page) {
        Set<String> out = new java.util.LinkedHashSet<>();
        page.path("items").forEach(e -> out.add(e.path("id").asText()));
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String send(String instanceId, String body) throws Exception {
        return local.webhook(TOKENS.get(instanceId), body);
    }

}

package dev.ferry.core.engine;

import static dev.ferry.core.engine.Flows.flow;
import static dev.ferry.core.engine.Flows.input;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.StepResult;
import dev.ferry.core.net.DestinationPolicy;
import dev.ferry.core.net.OutboundHttpCaller;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The http step against a real local server through {@link OutboundHttpCaller} (loopback allowed, as on the local stack). */
class FlowEngineHttpTest {
    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    private static HttpServer server;
    private static String base;

    private final TestClock clock = new TestClock(NOW);
    private final FlowEngine engine = new FlowEngine(
            OutboundHttpCaller.create(DestinationPolicy.publicOnly().withLoopback(Map.of())), d -> {}, clock);
    private final RecordingLog log = new RecordingLog();

    @BeforeAll
    static void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/echo", FlowEngineHttpTest::echo);
        server.createContext("/text", ex -> answer(ex, 200, "text/plain; charset=utf-8", "hello", Map.of()));
        server.createContext("/status/", ex -> {
            int status = Integer.parseInt(ex.getRequestURI().getPath().substring("/status/".length()));
            String query = ex.getRequestURI().getRawQuery();
            Map<String, String> headers = query != null && query.startsWith("retryAfter=")
                    ? Map.of("Retry-After", java.net.URLDecoder.decode(query.substring(11), StandardCharsets.UTF_8))
                    : Map.of();
            answer(ex, status, "application/json", "{\"error\": \"status " + status + "\"}", headers);
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    private static void echo(HttpExchange ex) throws IOException {
        ObjectNode out = Json.object();
        out.put("method", ex.getRequestMethod());
        out.put("path", ex.getRequestURI().getPath());
        out.put("query", ex.getRequestURI().getRawQuery());
        out.put("authorization", ex.getRequestHeaders().getFirst("Authorization"));
        out.put("contentType", ex.getRequestHeaders().getFirst("Content-Type"));
        out.put("body", new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        answer(ex, 200, "application/json; charset=utf-8", Json.write(out), Map.of("X-Trace", "t-1"));
    }

    private static void answer(HttpExchange ex, int status, String type, String body, Map<String, String> headers)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (var os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    private FlowRun run(String stepsJson) {
        return engine.run(flow(stepsJson), input("{\"id\": 42}", Map.of("apiBase", base, "apiKey", "tok-9f8e7d"),
                Set.of("tok-9f8e7d")), log);
    }

    @Test
    void httpStepOutputsStatusHeadersAndParsedJsonBody() {
        FlowRun run = run("""
                [{"name": "fetch", "type": "http", "url": "{% $config.apiBase & '/echo/orders/' & $trigger.body.id %}",
                  "query": {"expand": "lines"}}]
                """);

        assertThat(run.error()).isNull();
        JsonNode out = run.lastOutput();
        assertThat(out.get("status").intValue()).isEqualTo(200);
        assertThat(out.get("headers").get("x-trace").textValue()).isEqualTo("t-1");
        assertThat(out.get("headers").get("content-type").textValue()).startsWith("application/json");
        assertThat(out.get("body").get("method").textValue()).isEqualTo("GET");
        assertThat(out.get("body").get("path").textValue()).isEqualTo("/echo/orders/42");
        assertThat(out.get("body").get("query").textValue()).isEqualTo("expand=lines");
    }

    @Test
    void httpStepKeepsANonJsonBodyAsText() {
        FlowRun run = run("""
                [{"name": "t", "type": "http", "url": "{% $config.apiBase & '/text' %}"}]
                """);

        assertThat(run.lastOutput().get("body").textValue()).isEqualTo("hello");
    }

    @Test
    void httpStepSendsPatchWithAJsonBody() {
        FlowRun run = run("""
                [{"name": "p", "type": "http", "method": "PATCH", "url": "{% $config.apiBase & '/echo' %}",
                  "body": {"id": "{% $trigger.body.id %}", "status": "shipped"}}]
                """);

        JsonNode echoed = run.lastOutput().get("body");
        assertThat(echoed.get("method").textValue()).isEqualTo("PATCH");
        assertThat(echoed.get("contentType").textValue()).isEqualTo("application/json");
        assertThat(Json.tree(echoed.get("body").textValue())).isEqualTo(Json.tree("{\"id\": 42, \"status\": \"shipped\"}"));
    }

    @Test
    void httpStepWith500FailsRetryable() {
        FlowRun run = run("""
                [{"name": "s", "type": "http", "url": "{% $config.apiBase & '/status/500' %}"},
                 {"name": "after", "type": "log", "message": "not reached"}]
                """);

        assertThat(run.error().retryable()).isTrue();
        assertThat(run.error().step()).isEqualTo("s");
        assertThat(run.error().message()).contains("answered 500").contains("status 500");
        assertThat(run.steps()).extracting(StepResult::name).containsExactly("s");
        assertThat(run.steps().get(0).output().get("body").get("error").textValue()).isEqualTo("status 500");
    }

    @Test
    void httpStepWith404FailsNotRetryable() {
        FlowRun run = run("""
                [{"name": "s", "type": "http", "url": "{% $config.apiBase & '/status/404' %}"}]
                """);

        assertThat(run.error().retryable()).isFalse();
        assertThat(run.retryAfter()).isNull();
    }

    @Test
    void httpStepWith408IsRetryable() {
        assertThat(run("""
                [{"name": "s", "type": "http", "url": "{% $config.apiBase & '/status/408' %}"}]
                """).error().retryable()).isTrue();
    }

    @Test
    void httpStepWith429HonoursRetryAfter() {
        FlowRun run = run("""
                [{"name": "s", "type": "http", "url": "{% $config.apiBase & '/status/429?retryAfter=120' %}"}]
                """);

        assertThat(run.error().retryable()).isTrue();
        assertThat(run.retryAfter()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void httpStepReadsRetryAfterGivenAsAnHttpDate() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(90).atOffset(ZoneOffset.UTC));
        FlowRun run = run("""
                [{"name": "s", "type": "http", "url": "%s/status/503?retryAfter=%s"}]
                """.formatted(base, java.net.URLEncoder.encode(date, StandardCharsets.UTF_8)));

        assertThat(run.error().retryable()).isTrue();
        assertThat(run.retryAfter()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void httpStepConnectionRefusedIsRetryable() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        FlowRun run = run("""
                [{"name": "down", "type": "http", "url": "http://127.0.0.1:%d/x"}]
                """.formatted(closedPort));

        assertThat(run.error().retryable()).isTrue();
        assertThat(run.error().message()).contains("failed").contains("ConnectException");
        assertThat(run.steps().get(0).status()).isEqualTo(StepResult.FAILED);
    }

    @Test
    void httpStepEchoingTheAuthorizationHeaderIsRedacted() {
        FlowRun run = run("""
                [{"name": "leaky", "type": "http", "method": "POST", "url": "{% $config.apiBase & '/echo' %}",
                  "headers": {"Authorization": "{% 'Bearer ' & $config.apiKey %}"}, "body": "{% $config.apiKey %}"}]
                """);

        assertThat(run.error()).isNull();
        assertThat(run.lastOutput().get("body").get("authorization").textValue()).isEqualTo("Bearer ********");
        assertThat(run.lastOutput().get("body").get("body").textValue()).isEqualTo("********");
        assertThat(Json.write(run) + log.all()).doesNotContain("tok-9f8e7d");
    }
}

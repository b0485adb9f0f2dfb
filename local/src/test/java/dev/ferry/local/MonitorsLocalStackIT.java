package dev.ferry.local;

import static dev.ferry.local.StackFixture.JSON;
import static dev.ferry.local.StackFixture.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.local.StackFixture.Cli;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Alert monitors end to end on the local stack: monitors created with the CLI, a webhook whose flow
 * runs too long and fails, the execution queue's poller running it, the monitor queue's poller
 * evaluating its events, and a local HTTP receiver (the JDK's server on 127.0.0.1) getting a
 * signed failure alert and a duration-exceeded alert within a minute. The sweep is invoked through
 * the Lambda Invoke API as the README's "Direct invocation" documents it, so this passes whether or not the stack also
 * fires the template's ScheduleV2 event.
 */
class MonitorsLocalStackIT {
    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final String SECRET = "whsec-e2e-0123456789";
    private static final String FLOW = """
            {"name": "Slow failing sync",
             "configVariables": [{"key": "apiKey", "secret": true}],
             "flows": [{"name": "Sync", "trigger": {"type": "webhook"},
               "steps": [
                 {"name": "wait", "type": "sleep", "seconds": 2},
                 {"name": "reject", "type": "fail", "message": "{% 'order ' & $trigger.body.id & ' rejected' %}", "retryable": false}
               ]}]}
            """;

    /** A request the receiver got. */
    record Received(String path, Map<String, List<String>> headers, byte[] body, Instant at) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private static final LinkedBlockingQueue<Received> RECEIVED = new LinkedBlockingQueue<>();
    private static StackFixture local;
    private static HttpServer receiver;

    @BeforeAll
    static void startStackAndReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                RECEIVED.add(new Received(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()),
                        in.readAllBytes(), Instant.now()));
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        local = StackFixture.start("monitors-it", b -> b.demo(true));
    }

    @AfterAll
    static void stop() {
        if (local != null) local.close();
        if (receiver != null) receiver.stop(0);
    }

    @Test
    void aSignedFailureAlertAndADurationAlertReachTheReceiverWithinAMinute() throws Exception {
        Demo demo = local.stack.demo().orElseThrow();
        String integrationId = local.call("POST", "/integrations", FLOW, 201).path("id").asText();
        JsonNode instance = local.call("POST", "/instances", "{\"name\":\"Slow orders\",\"customerId\":\"" + demo.customerId()
                + "\",\"integrationId\":\"" + integrationId + "\",\"configVariables\":{\"apiKey\":\"k-e2e-secret\"}}", 201);
        String instanceId = instance.path("id").asText();
        String webhookUrl = instance.path("flowConfigs").get(0).path("webhookUrl").asText();
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort();

        Cli failed = local.cli("alerts:monitors:create", "--name", "Failures", "--trigger", "execution_failed",
                "--instance", instanceId, "--webhook-url", hook + "/failed", "--secret", SECRET,
                "--header", "X-Team: ops", "--output", "json");
        assertThat(failed.status()).as(failed.err()).isZero();
        Cli slow = local.cli("alerts:monitors:create", "--name", "Slow", "--trigger", "EXECUTION_DURATION_EXCEEDED",
                "--param", "durationSeconds=1", "--customer", demo.customerId(), "--webhook-url", hook + "/slow",
                "--template", "{\"text\": \"$SUBJECT\", \"instance\": \"$INSTANCE\", \"customer\": \"$CUSTOMER_EXTERNAL_ID\"}");
        assertThat(slow.status()).as(slow.err()).isZero();
        String failedMonitor = JSON.readTree(failed.out()).path("id").asText();
        assertThat(failed.out()).doesNotContain(SECRET);
        Cli list = local.cli("alerts:monitors:list");
        assertThat(list.out()).contains("Failures").contains("EXECUTION_DURATION_EXCEEDED").contains("instance " + instanceId);

        Instant sent = Instant.now();
        String executionId = local.webhook(webhookUrl, "{\"id\": 7}");

        List<Received> alerts = new ArrayList<>();
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (alerts.size() < 2 && System.nanoTime() < deadline) {
            Received r = RECEIVED.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (r != null) alerts.add(r);
        }
        assertThat(alerts).as("alerts received within %s s", WITHIN.toSeconds()).hasSize(2);
        assertThat(alerts).allSatisfy(a -> assertThat(Duration.between(sent, a.at())).isLessThan(WITHIN));
        System.out.println("MonitorsLocalStackIT: alerts received " + alerts.stream()
                .map(a -> a.path() + " after " + Duration.between(sent, a.at()).toMillis() + " ms").toList()
                + " (the flow sleeps 2 s)");

        Received failure = alerts.stream().filter(a -> a.path().equals("/failed")).findFirst().orElseThrow();
        JsonNode body = failure.json();
        assertThat(body.path("trigger").asText()).isEqualTo("EXECUTION_FAILED");
        assertThat(body.path("executionId").asText()).isEqualTo(executionId);
        assertThat(body.path("instanceId").asText()).isEqualTo(instanceId);
        assertThat(body.path("monitorId").asText()).isEqualTo(failedMonitor);
        assertThat(body.path("subject").asText()).isEqualTo("Execution failed: flow 'Sync' of Slow orders at step 'reject': order 7 rejected");
        assertThat(body.path("url").asText()).isEqualTo(local.stack.apiUrl() + "/console/executions/" + executionId);
        assertThat(failure.header("x-ferry-signature")).isEqualTo("sha256=" + hmac(SECRET, failure.body()));
        assertThat(failure.header("x-team")).isEqualTo("ops");

        Received duration = alerts.stream().filter(a -> a.path().equals("/slow")).findFirst().orElseThrow();
        JsonNode text = duration.json();
        // Whichever sees it first alerts, once: the end event ("took"), or a sweep of the stack's
        // every-minute schedule that fell within the 2-s run ("running for").
        assertThat(text.path("text").asText()).satisfiesAnyOf(
                t -> assertThat(t).startsWith("Execution took longer than 1 s: flow 'Sync' of Slow orders took "),
                t -> assertThat(t).startsWith("Execution running longer than 1 s: flow 'Sync' of Slow orders running for "));
        assertThat(text.path("instance").asText()).isEqualTo("Slow orders");
        assertThat(text.path("customer").asText()).isEqualTo("demo");
        assertThat(duration.header("x-ferry-signature")).as("no secret, no signature").isNull();

        // The delivery attempt is recorded just after the receiver answered: poll until both are.
        JsonNode listed = poll(() -> local.call("GET", "/alerts?instanceId=" + instanceId, null, 200).path("items"),
                MonitorsLocalStackIT::allDelivered, "both delivery attempts recorded");
        assertThat(listed).hasSize(2);
        assertThat(listed).allSatisfy(a -> {
            assertThat(a.path("executionId").asText()).isEqualTo(executionId);
            assertThat(a.path("deliveries").get(0).path("delivered").asBoolean()).isTrue();
            assertThat(a.path("deliveries").get(0).path("status").asInt()).isEqualTo(204);
        });
        Cli events = local.cli("alerts:events:list", "--monitor", failedMonitor);
        assertThat(events.status()).as(events.err()).isZero();
        assertThat(events.out()).contains("EXECUTION_FAILED").contains(executionId);
        for (String answer : List.of(failed.out(), list.out(), events.out(), listed.toString())) {
            assertThat(answer).doesNotContain("k-e2e-secret").doesNotContain(SECRET);
        }
    }

    @Test
    void aQuickRunsStartAlertsOnceThroughTheQueue() throws Exception {
        // Its own receiver: the other test's monitors may alert on the demo instance too.
        LinkedBlockingQueue<Received> starts = new LinkedBlockingQueue<>();
        HttpServer own = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        own.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                starts.add(new Received(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()),
                        in.readAllBytes(), Instant.now()));
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        own.start();
        try {
            Demo demo = local.stack.demo().orElseThrow();
            Cli started = local.cli("alerts:monitors:create", "--name", "Starts", "--trigger", "EXECUTION_STARTED",
                    "--instance", demo.instanceId(), "--webhook-url", "http://127.0.0.1:" + own.getAddress().getPort()
                            + "/started", "--output", "json");
            assertThat(started.status()).as(started.err()).isZero();
            String monitorId = JSON.readTree(started.out()).path("id").asText();

            // The demo flow (log + transform) ends quickly: its one ended event carries its start.
            String executionId = local.webhook(demo.webhookUrl(), Demo.SAMPLE_BODY);

            Received alert = starts.poll(WITHIN.toSeconds(), TimeUnit.SECONDS);
            assertThat(alert).as("a start alert within %s s", WITHIN.toSeconds()).isNotNull();
            assertThat(alert.json().path("trigger").asText()).isEqualTo("EXECUTION_STARTED");
            assertThat(alert.json().path("executionId").asText()).isEqualTo(executionId);
            String instanceName = local.call("GET", "/instances/" + demo.instanceId(), null, 200).path("name").asText();
            assertThat(alert.json().path("subject").asText()).isEqualTo("Execution started: flow '"
                    + alert.json().path("flow").asText() + "' of " + instanceName + " (trigger WEBHOOK, attempt 1)");
            JsonNode execution = poll(() -> local.call("GET", "/executions/" + executionId, null, 200),
                    e -> e.path("status").asText().equals("SUCCEEDED"), "the demo execution succeeded");
            assertThat(execution.path("status").asText()).isEqualTo("SUCCEEDED");
            JsonNode listed = local.call("GET", "/alerts?monitorId=" + monitorId, null, 200).path("items");
            assertThat(listed).singleElement().satisfies(a -> assertThat(a.path("executionId").asText()).isEqualTo(executionId));
        } finally {
            own.stop(0);
        }
    }

    @Test
    void theSweepAnswersWhenInvokedDirectlyThroughTheLambdaApi() throws Exception {
        HttpResponse<String> r = local.send(StackFixture.sigV4(HttpRequest.newBuilder(local.stack.lambdaUrl()
                        .resolve("/2015-03-31/functions/MonitorEvaluationFunction/invocations"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"sweep\": true}"))));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(r.body());
        assertThat(answer.path("swept").asBoolean()).as(r.body()).isTrue();
        assertThat(answer.path("errors").asInt()).isZero();
    }

    // ------------------------------------------------------------------ helpers

    private static String hmac(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    private static boolean allDelivered(JsonNode alerts) {
        if (alerts.size() < 2) return false;
        for (JsonNode a : alerts) {
            if (a.path("deliveries").isEmpty()) return false;
        }
        return true;
    }
}

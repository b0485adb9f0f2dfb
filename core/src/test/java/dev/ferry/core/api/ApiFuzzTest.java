package dev.ferry.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.service.WebhookSecurityFixtures;
import dev.ferry.core.testkit.FerryTestKit;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Fuzz of the management API and the webhook edge (docs/input-limits.md): random and malformed bodies, headers,
 * query parameters and path ids against every route. For every case: never a 5xx, a 4xx is always
 * {@code {"error": {code, message, details}}} without a stack trace, Java class name or exception
 * text, and a 4xx leaves every store exactly as it was. The seed is fixed ({@link #SEED}) and
 * printed with the case count, so a failure reproduces; each failure names its case number.
 */
class ApiFuzzTest {
    static final long SEED = 20261126L;
    static final int MANAGEMENT_CASES = 4000;
    static final int WEBHOOK_CASES = 1500;

    private static final Pattern INTERNALS = Pattern.compile(
            "(?s).*(\\bat (java|dev|com|org|jdk|sun)\\.[a-z]|Exception|java\\.|javax\\.|jdk\\.|dev\\.ferry|com\\.fasterxml|"
                    + "org\\.yaml|NullPointer|\\.java:\\d).*");

    /**
     * Every management route, read from template.yaml's HttpApi events (the one list of routes),
     * every path parameter written {id}; the webhook route is fuzzed on its own, and the console's
     * routes serve files, not the API (functions' ConsoleFunctionTest and DirectEventFuzzTest).
     */
    static final List<String[]> ROUTES = templateRoutes();

    static List<String[]> templateRoutes() {
        Path root = Path.of(System.getProperty("ferry.repo.root", ".."));
        Path template = Files.exists(root.resolve("template.yaml")) ? root.resolve("template.yaml") : Path.of("template.yaml");
        JsonNode resources;
        try {
            resources = new YAMLMapper().readTree(template.toFile()).path("Resources");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String[]> routes = new ArrayList<>();
        resources.forEach(resource -> resource.path("Properties").path("Events").forEach(event -> {
            if (!"HttpApi".equals(event.path("Type").asText())) return;
            String path = event.path("Properties").path("Path").asText();
            String method = event.path("Properties").path("Method").asText();
            if (path.startsWith("/webhooks/") || path.equals("/health") || path.equals("/console") || path.startsWith("/console/")) return;
            routes.add(new String[] {method.toUpperCase(java.util.Locale.ROOT), path.replaceAll("\\{[^}]+}", "{id}")});
        }));
        if (routes.size() < 20) throw new IllegalStateException("expected the template's management routes, got " + routes.size());
        return routes;
    }

    static final String[] FIELDS = {"name", "externalId", "customerId", "integrationId", "integrationVersion",
            "configVariables", "pauseMode", "enabled", "body", "headers", "contentType", "filter", "dryRun",
            "ratePerSecond", "triggers", "scope", "channels", "flows", "steps", "trigger", "type", "url", "secret",
            "template", "instanceId", "status", "since", "until", "limit", "cursor", "apiBase", "security"};
    static final String[] PARAMS = {"limit", "cursor", "customerId", "instanceId", "flowConfigId", "status", "trigger",
            "since", "until", "originalsOnly", "unresolved", "q", "severity", "version", "monitorId", "confirm"};

    /** A fresh application every {@link #ROUND} cases, so the state each case snapshots stays small. */
    static final int ROUND = 500;
    private FerryTestKit kit;
    private final Random random = new Random(SEED);
    private final List<String> knownIds = new ArrayList<>();
    private final List<String> tokens = new ArrayList<>();
    private int cases;
    private final List<String> failures = new ArrayList<>();

    private void seed() {
        kit = new FerryTestKit();
        knownIds.clear();
        tokens.clear();
        FerryTestKit.Demo demo = kit.seedDemo();
        FerryTestKit.Demo secured = WebhookSecurityFixtures.seedHmac(kit);
        knownIds.addAll(List.of(demo.customerId(), demo.integrationId(), demo.instanceId(), demo.flowConfigId(),
                secured.instanceId(), secured.flowConfigId()));
        tokens.addAll(List.of(demo.token(), secured.token()));
        ApiResponse monitor = kit.api("POST", "/monitors", "{\"name\":\"m\",\"triggers\":[{\"type\":\"EXECUTION_FAILED\"}],"
                + "\"channels\":[{\"type\":\"webhook\",\"url\":\"https://alerts.example.test/hook\"}]}");
        knownIds.add(FerryTestKit.json(monitor).get("id").asText());
        String exec = FerryTestKit.json(new WebhookEndpoint(kit.ferry.webhooks()).handle(demo.token(),
                new ExecutionRequest("POST", "{\"id\":1}".getBytes(StandardCharsets.UTF_8), Map.of(), Map.of(),
                        "application/json"))).get("executionId").asText();
        kit.drainQueue();
        knownIds.add(exec);
    }

    @Test
    void managementApiFuzzNeverAnswers5xxAndA4xxChangesNothing() {
        seed();
        String before = snapshot();
        for (int i = 0; i < MANAGEMENT_CASES; i++) {
            if (i > 0 && i % ROUND == 0) {
                seed();
                before = snapshot();
            }
            String[] route = ROUTES.get(random.nextInt(ROUTES.size()));
            String method = random.nextInt(20) == 0 ? pick("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "get", "") : route[0];
            String path = route[1].replace("{id}", id());
            if (random.nextInt(25) == 0) path = path + pick("/", "//", "/x", "/..", "?a=b");
            Map<String, String> headers = headers(true);
            Map<String, String> query = query();
            byte[] body = body();
            ApiRequest request = new ApiRequest(method, path, query, headers, body, "https://api.example.test");
            String what = "case " + i + " (seed " + SEED + "): " + method + " " + path + " query " + query.keySet()
                    + " body " + preview(body);
            ApiResponse answer = kit.ferry.api().handle(request);
            before = check(what, answer, before);
            cases++;
        }
        System.out.println("ApiFuzzTest: " + cases + " management API cases over " + ROUTES.size() + " routes, seed " + SEED
                + ", " + failures.size() + " failed");
        assertThat(failures).isEmpty();
        assertThat(cases).isEqualTo(MANAGEMENT_CASES);
    }

    @Test
    void webhookFuzzNeverAnswers5xxAndA4xxStoresNothing() {
        seed();
        WebhookEndpoint endpoint = new WebhookEndpoint(kit.ferry.webhooks());
        String before = snapshot();
        for (int i = 0; i < WEBHOOK_CASES; i++) {
            if (i > 0 && i % ROUND == 0) {
                seed();
                endpoint = new WebhookEndpoint(kit.ferry.webhooks());
                before = snapshot();
            }
            String token = random.nextInt(3) == 0 ? id() : tokens.get(random.nextInt(tokens.size()));
            Map<String, String> headers = headers(false);
            if (random.nextInt(4) == 0) headers.put("x-signature", pick("", "sha256=", "sha256=zz", "00", "sha256=" + "ab".repeat(32),
                    "ab".repeat(32), randomString(80)));
            byte[] body = body();
            String method = pick("POST", "GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "", "WEIRD", null);
            String what = "webhook case " + i + " (seed " + SEED + "): " + method + " " + token + " body " + preview(body);
            ApiResponse answer = endpoint.handle(token, new ExecutionRequest(method, body, headers, query(), headers.get("content-type")));
            before = check(what, answer, before);
            cases++;
        }
        System.out.println("ApiFuzzTest: " + cases + " webhook cases, seed " + SEED + ", " + failures.size() + " failed");
        assertThat(failures).isEmpty();
        assertThat(cases).isEqualTo(WEBHOOK_CASES);
    }

    /** Checks one answer (a failure is recorded, up to 25); returns the store snapshot to compare the next case with. */
    private String check(String what, ApiResponse answer, String before) {
        try {
            return checkOrThrow(what, answer, before);
        } catch (AssertionError e) {
            if (failures.size() < 25) failures.add(e.getMessage());
            return snapshot();
        }
    }

    private String checkOrThrow(String what, ApiResponse answer, String before) {
        assertThat(answer.status()).as(what + " -> " + answer.bodyText()).isBetween(200, 499);
        String text = answer.bodyText();
        assertThat(INTERNALS.matcher(text).matches()).as(what + " leaks internals: " + text).isFalse();
        if (answer.status() >= 400) {
            JsonNode json = Json.tree(answer.body());
            assertThat(json.size()).as(what + " " + text).isEqualTo(1);
            JsonNode error = json.get("error");
            assertThat(error).as(what + " " + text).isNotNull();
            assertThat(error.get("code").isTextual() && error.get("message").isTextual() && error.get("details").isArray())
                    .as(what + " error shape: " + text).isTrue();
            assertThat(snapshot()).as(what + " changed a store on " + answer.status() + ": " + text).isEqualTo(before);
            return before;
        }
        return snapshot();
    }

    private String snapshot() {
        return kit.stateSnapshot();
    }

    // ---- generators ----------------------------------------------------------------------------

    private String id() {
        return switch (random.nextInt(12)) {
            case 0, 1, 2, 3 -> knownIds.get(random.nextInt(knownIds.size()));
            case 4 -> "../" + knownIds.get(random.nextInt(knownIds.size()));
            case 5 -> "..%2F..%2Fetc%2Fpasswd";
            case 6 -> "x".repeat(101 + random.nextInt(5000));
            case 7 -> "ins_ünïcødé_☃";
            case 8 -> "";
            case 9 -> "a b";
            case 10 -> "%00";
            default -> randomString(random.nextInt(40));
        };
    }

    private Map<String, String> headers(boolean management) {
        Map<String, String> h = new LinkedHashMap<>();
        if (management) {
            switch (random.nextInt(12)) {
                case 0 -> { }
                case 1 -> h.put("authorization", "Bearer wrong");
                case 2 -> h.put("authorization", randomString(300));
                case 3 -> h.put("Authorization", "bearer " + FerryTestKit.ADMIN_KEY);
                default -> h.put("authorization", "Bearer " + FerryTestKit.ADMIN_KEY);
            }
        }
        if (random.nextBoolean()) {
            h.put("content-type", pick("application/json", "application/yaml", "text/plain", "application/x-www-form-urlencoded",
                    "", "application/json; charset=utf-16", randomString(30)));
        }
        int extra = random.nextInt(4) == 0 ? random.nextInt(60) : random.nextInt(3);
        for (int i = 0; i < extra; i++) h.put("x-" + randomString(1 + random.nextInt(20)), randomString(random.nextInt(200)));
        return h;
    }

    private Map<String, String> query() {
        Map<String, String> q = new LinkedHashMap<>();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            String key = random.nextInt(6) == 0 ? randomString(10) : PARAMS[random.nextInt(PARAMS.length)];
            q.put(key, scalarText());
        }
        return q;
    }

    private String scalarText() {
        return switch (random.nextInt(12)) {
            case 0 -> "";
            case 1 -> Integer.toString(random.nextInt(300) - 100);
            case 2 -> "2026-11-26T10:00:00Z";
            case 3 -> pick("2026-13-45T99:99:99Z", "+1000000000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z");
            case 4 -> pick("true", "false", "TRUE", "yes");
            case 5 -> pick("FAILED", "SUCCEEDED", "QUEUED", "WEBHOOK", "REPLAY", "ERROR", "WARN", "bogus");
            case 6 -> "9".repeat(40);
            case 7 -> "x".repeat(2000);
            case 8 -> knownIds.isEmpty() ? "id" : knownIds.get(random.nextInt(knownIds.size()));
            default -> randomString(random.nextInt(50));
        };
    }

    private byte[] body() {
        String text = switch (random.nextInt(16)) {
            case 0 -> "";
            case 1 -> "{";
            case 2 -> "[".repeat(5000) + "]".repeat(5000);
            case 3 -> "{\"a\":".repeat(3000) + "1" + "}".repeat(3000);
            case 4 -> "\"" + "x".repeat(1 + random.nextInt(300_000)) + "\"";
            case 5 -> "null";
            case 6 -> "[1,2,3]";
            case 7 -> randomString(random.nextInt(500));
            case 8 -> "{\"name\": \"a\", \"name\": \"b\"}";
            case 9 -> "- a\n- b: [\n";
            case 10 -> "{\"name\":\"" + "é☃\uD83D\uDE00".repeat(random.nextInt(200)) + "\"}";
            default -> Json.write(randomObject(0));
        };
        if (random.nextInt(30) == 0) {
            byte[] raw = new byte[random.nextInt(2000)];
            random.nextBytes(raw);
            return raw;
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private Map<String, Object> randomObject(int depth) {
        Map<String, Object> o = new LinkedHashMap<>();
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
            String key = random.nextInt(8) == 0 ? randomString(12) : FIELDS[random.nextInt(FIELDS.length)];
            o.put(key, value(depth + 1));
        }
        return o;
    }

    private Object value(int depth) {
        return switch (random.nextInt(depth > 3 ? 8 : 11)) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> random.nextInt(2000) - 1000;
            case 3 -> random.nextDouble() * 1e6;
            case 4 -> Long.MAX_VALUE;
            case 5 -> "x".repeat(random.nextInt(20_000));
            case 6 -> scalarText();
            case 7 -> pick("{% $trigger.body %}", "{% 1 + %}", "{% $config.apiKey %}", "cron(0 * * * ? *)", "rate(0 minutes)",
                    "https://example.test", "javascript:alert(1)", "EXECUTION_FAILED", "HOLD", "webhook");
            case 8 -> randomObject(depth);
            case 9 -> java.util.Arrays.asList(value(depth + 1), value(depth + 1));
            default -> Map.of("type", pick("webhook", "schedule", "EXECUTION_FAILED", "hmac-sha256", "api-key", "none"),
                    "url", "https://a.test", "schedule", "rate(5 minutes)");
        };
    }

    private String randomString(int length) {
        StringBuilder s = new StringBuilder();
        String alphabet = "abcXYZ019 _-./\\%?#&=:;'\"<>{}[]()$@!*+,~`|\t\né☃\u0000\u202e";
        for (int i = 0; i < length; i++) {
            if (random.nextInt(40) == 0) s.appendCodePoint(0x1F600 + random.nextInt(50));
            else s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    private static String preview(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8);
        return s.length() > 120 ? s.substring(0, 120) + "…(" + body.length + " bytes)" : s;
    }
}

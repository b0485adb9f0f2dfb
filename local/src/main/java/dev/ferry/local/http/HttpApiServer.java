package dev.ferry.local.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.local.lambda.FunctionError;
import dev.ferry.local.lambda.FunctionRegistry;
import dev.ferry.template.Intrinsics;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The HTTP API on 127.0.0.1 (as {@code sam local start-api}): every {@code HttpApi} event of the
 * template becomes a route; a request becomes an API Gateway HTTP API payload-format-2.0 event,
 * the function's answer becomes the HTTP response. API Gateway's limits hold: a request larger than
 * 10 MB, or whose event would pass Lambda's 6 MB synchronous payload limit (a binary body is base64
 * in the event, a third larger), is answered 413 and invokes nothing; a function that has not
 * answered within the integration timeout (30 s) is answered 503 {@code {"message": "Service
 * Unavailable"}}, as API Gateway answers, while the function runs on. The event has API Gateway's
 * shape: header names lower-cased, repeated headers comma-joined, cookies in their own
 * {@code cookies} array. {@code GET /health} is the stack's own route:
 * 200 once everything is ready, 503 before. The operator console at {@code /console/} is a template
 * route like any other (ConsoleFunction's).
 */
public final class HttpApiServer implements AutoCloseable {
    /** API Gateway HTTP APIs accept payloads up to 10 MB; the functions enforce their own, smaller limits. */
    public static final int MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
    /** Lambda's limit for a synchronous invocation's payload: the whole event, a base64 body included. */
    public static final int MAX_EVENT_BYTES = 6 * 1024 * 1024;
    /** API Gateway's longest wait for a Lambda integration (HTTP APIs: 30 s, not raisable). */
    public static final Duration INTEGRATION_TIMEOUT = Duration.ofSeconds(30);
    private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter
            .ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpServer server;
    private final Supplier<Map<String, Object>> health;
    private volatile HttpRouter router;
    private volatile Function<String, Optional<Target>> functions;
    private volatile Duration integrationTimeout = INTEGRATION_TIMEOUT;
    private final ExecutorService invocations;
    private volatile Listener listener = exchange -> { };

    /** A function a route invokes: its name, and its invocation (event bytes in, answer bytes out; throws {@link FunctionError}). */
    public record Target(String name, Function<byte[], byte[]> invoke) {}

    /** One answer of a template route's function, as the client received it. */
    public record Exchange(String method, String rawPath, String routeKey, int status, String contentType, byte[] body) {}

    /** Told of every answer a template route's function gave (tests record them); not of {@code /health} or unrouted requests. */
    @FunctionalInterface
    public interface Listener {
        void answered(Exchange exchange);
    }

    /**
     * Binds 127.0.0.1:{@code port} (0: any free port) and starts answering: {@code /health} from
     * {@code health} (null while not ready), everything else 503 until {@link #serve} is called.
     */
    public HttpApiServer(int port, Supplier<Map<String, Object>> health) throws IOException {
        this.health = health;
        this.server = Exchanges.bind(port, "ferry-http-api", 64);
        AtomicInteger n = new AtomicInteger();
        this.invocations = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ferry-http-invoke-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Sets who is told of each answer (see {@link Listener}). */
    public void listen(Listener listener) {
        this.listener = listener;
    }

    /**
     * How long a request waits for its function before the 503 API Gateway would answer
     * ({@link #INTEGRATION_TIMEOUT} unless set; tests set less so they need not wait 30 s).
     */
    public void integrationTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("integration timeout must be positive");
        this.integrationTimeout = timeout;
    }

    /** Starts routing template routes to their functions. */
    public void serve(HttpRouter router, FunctionRegistry functions) {
        serve(router, name -> functions.find(name).map(f -> new Target(f.name(), f::invoke)));
    }

    /** Starts routing template routes to the functions {@code functions} finds by name. */
    public void serve(HttpRouter router, Function<String, Optional<Target>> functions) {
        this.functions = functions;
        this.router = router;
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String rawPath = ex.getRequestURI().getRawPath();
            String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
            if (rawPath.equals("/health") && (method.equals("GET") || method.equals("HEAD"))) {
                Map<String, Object> status = health.get();
                if (status == null) {
                    Exchanges.sendJson(ex, 503, Map.of("status", "starting"));
                } else {
                    Exchanges.sendJson(ex, 200, status);
                }
                return;
            }
            HttpRouter r = router;
            if (r == null) {
                Exchanges.sendError(ex, 503, "unavailable", "the local stack is starting; try again in a moment");
                return;
            }
            var match = r.match(method, rawPath);
            if (match.isEmpty()) {
                Exchanges.sendError(ex, 404, "not_found", "Not Found: no route " + method + " " + rawPath
                        + " in template.yaml");
                return;
            }
            byte[] body = readBody(ex);
            if (body == null) {
                Exchanges.sendError(ex, 413, "payload_too_large", "Request Entity Too Large: the HTTP API accepts at most "
                        + MAX_PAYLOAD_BYTES + " bytes");
                return;
            }
            HttpRouter.Match m = match.get();
            Target f = functions.apply(m.route().function()).orElse(null);
            if (f == null) {
                Exchanges.sendError(ex, 500, "internal", "Internal Server Error: no function " + m.route().function());
                return;
            }
            String requestId = requestId();
            ObjectNode shaped = event(ex, m, body, requestId);
            byte[] event = Exchanges.JSON.writeValueAsBytes(shaped);
            if (event.length > MAX_EVENT_BYTES) {
                Exchanges.sendError(ex, 413, "payload_too_large", "Request Entity Too Large: the function's event would be "
                        + event.length + " bytes, over Lambda's limit of " + MAX_EVENT_BYTES + " bytes"
                        + (shaped.path("isBase64Encoded").asBoolean()
                                ? " (a binary body is base64 in the event, a third larger)" : ""));
                return;
            }
            byte[] output;
            Future<byte[]> running = invocations.submit(() -> f.invoke().apply(event));
            try {
                output = running.get(integrationTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // API Gateway stops waiting; the function goes on (and its execution ends as it would).
                Map<String, String> h = new LinkedHashMap<>();
                h.put("apigw-requestid", requestId);
                h.put("Content-Type", "application/json");
                byte[] unavailable = Exchanges.JSON.writeValueAsBytes(Map.of("message", "Service Unavailable"));
                Exchanges.send(ex, 503, h, unavailable);
                tell(method, rawPath, m, 503, "application/json", unavailable);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                Exchanges.sendError(ex, 503, "unavailable", "the local stack is stopping");
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof FunctionError)) {
                    throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
                Map<String, String> h = new LinkedHashMap<>();
                h.put("apigw-requestid", requestId);
                h.put("Content-Type", "application/json");
                byte[] error = Exchanges.JSON.writeValueAsBytes(Map.of("error",
                        Map.of("code", "internal", "message", "Internal Server Error")));
                Exchanges.send(ex, 500, h, error);
                tell(method, rawPath, m, 500, "application/json", error);
                return;
            }
            respond(ex, requestId, output, f.name(), (status, contentType, bytes) -> tell(method, rawPath, m, status, contentType, bytes));
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            System.err.println("ferry local: HTTP API error on " + ex.getRequestMethod() + " " + ex.getRequestURI() + ": " + e);
            e.printStackTrace(System.err);
            Exchanges.sendError(ex, 500, "internal", "Internal Server Error");
        }
    }

    /** The body, or null when it is larger than {@link #MAX_PAYLOAD_BYTES}. */
    private static byte[] readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_PAYLOAD_BYTES + 1);
            if (body.length > MAX_PAYLOAD_BYTES) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
                return null;
            }
            return body;
        }
    }

    /** An API Gateway HTTP API event, payload format 2.0. */
    ObjectNode event(HttpExchange ex, HttpRouter.Match m, byte[] body, String requestId) {
        long now = System.currentTimeMillis();
        String rawPath = ex.getRequestURI().getRawPath();
        String rawQuery = ex.getRequestURI().getRawQuery();
        String sourceIp = ex.getRemoteAddress().getAddress().getHostAddress();
        String domain = "127.0.0.1:" + port();

        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        ex.getRequestHeaders().forEach((name, values) -> {
            String key = name.toLowerCase(Locale.ROOT);
            if (key.equals("cookie")) {
                for (String v : values) for (String c : v.split(";")) if (!c.isBlank()) cookies.add(c.trim());
                return;
            }
            String joined = String.join(",", values);
            headers.merge(key, joined, (a, b) -> a + "," + b);
        });
        headers.putIfAbsent("x-forwarded-for", sourceIp);
        headers.putIfAbsent("x-forwarded-port", Integer.toString(port()));
        headers.putIfAbsent("x-forwarded-proto", "http");
        headers.putIfAbsent("x-amzn-trace-id", "Root=1-" + Long.toHexString(now / 1000) + "-"
                + HexFormat.of().formatHex(randomBytes(12)));

        ObjectNode e = Exchanges.JSON.createObjectNode();
        e.put("version", "2.0");
        e.put("routeKey", m.route().routeKey());
        e.put("rawPath", rawPath);
        e.put("rawQueryString", rawQuery == null ? "" : rawQuery);
        if (!cookies.isEmpty()) {
            var arr = e.putArray("cookies");
            cookies.forEach(arr::add);
        }
        ObjectNode h = e.putObject("headers");
        headers.forEach(h::put);
        Map<String, String> query = query(rawQuery);
        if (!query.isEmpty()) {
            ObjectNode q = e.putObject("queryStringParameters");
            query.forEach(q::put);
        }
        if (!m.pathParameters().isEmpty()) {
            ObjectNode p = e.putObject("pathParameters");
            m.pathParameters().forEach(p::put);
        }
        ObjectNode ctx = e.putObject("requestContext");
        ctx.put("accountId", Intrinsics.ACCOUNT_ID);
        ctx.put("apiId", "local");
        ctx.put("domainName", domain);
        ctx.put("domainPrefix", "127");
        ObjectNode http = ctx.putObject("http");
        http.put("method", ex.getRequestMethod().toUpperCase(Locale.ROOT));
        http.put("path", rawPath);
        http.put("protocol", ex.getProtocol());
        http.put("sourceIp", sourceIp);
        http.put("userAgent", headers.getOrDefault("user-agent", ""));
        ctx.put("requestId", requestId);
        ctx.put("routeKey", m.route().routeKey());
        ctx.put("stage", "$default");
        ctx.put("time", REQUEST_TIME.format(Instant.ofEpochMilli(now)));
        ctx.put("timeEpoch", now);
        String text = body.length == 0 ? null : dev.ferry.core.api.Views.utf8(body);
        if (body.length > 0) {
            e.put("body", text != null ? text : Base64.getEncoder().encodeToString(body));
        }
        e.put("isBase64Encoded", body.length > 0 && text == null);
        return e;
    }

    private void tell(String method, String rawPath, HttpRouter.Match m, int status, String contentType, byte[] body) {
        try {
            listener.answered(new Exchange(method, rawPath, m.route().routeKey(), status, contentType, body));
        } catch (RuntimeException e) {
            System.err.println("ferry local: HTTP API listener failed: " + e);
        }
    }

    private interface Sent {
        void sent(int status, String contentType, byte[] body);
    }

    /** Writes the function's answer: a {@code {statusCode, headers, cookies, body, isBase64Encoded}} object, or any other JSON as a 200. */
    private static void respond(HttpExchange ex, String requestId, byte[] output, String function, Sent sent) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("apigw-requestid", requestId);
        JsonNode out;
        try {
            out = Exchanges.JSON.readTree(output);
        } catch (IOException notJson) {
            out = null;
        }
        if (out == null || out.isMissingNode()) {
            System.err.println("ferry local: " + function + " answered something that is not JSON; API Gateway would answer 500");
            headers.put("Content-Type", "application/json");
            byte[] error = Exchanges.JSON.writeValueAsBytes(Map.of("error",
                    Map.of("code", "internal", "message", "Internal Server Error")));
            Exchanges.send(ex, 500, headers, error);
            sent.sent(500, "application/json", error);
            return;
        }
        if (!out.isObject() || !out.has("statusCode")) {
            headers.put("Content-Type", "application/json");
            Exchanges.send(ex, 200, headers, output);
            sent.sent(200, "application/json", output);
            return;
        }
        int status = out.path("statusCode").asInt(500);
        out.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
        for (JsonNode c : out.path("cookies")) ex.getResponseHeaders().add("Set-Cookie", c.asText());
        JsonNode body = out.get("body");
        byte[] bytes;
        if (body == null || body.isNull()) {
            bytes = new byte[0];
        } else if (out.path("isBase64Encoded").asBoolean(false)) {
            bytes = Base64.getDecoder().decode(body.asText());
        } else {
            bytes = (body.isTextual() ? body.asText() : body.toString()).getBytes(StandardCharsets.UTF_8);
        }
        Exchanges.send(ex, status, headers, bytes);
        String contentType = headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase("content-type"))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        sent.sent(status, contentType, bytes);
    }

    /** Query parameters, decoded, repeated names comma-joined (as API Gateway's payload 2.0 does). */
    static Map<String, String> query(String rawQuery) {
        Map<String, String> q = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) return q;
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            q.merge(k, v, (a, b) -> a + "," + b);
        }
        return q;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private static String requestId() {
        return Base64.getEncoder().encodeToString(randomBytes(11));
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    @Override
    public void close() {
        Exchanges.stop(server);
        invocations.shutdownNow();
    }
}

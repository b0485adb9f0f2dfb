package dev.ferry.local.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.local.lambda.FunctionError;
import dev.ferry.local.lambda.FunctionRegistry;
import dev.ferry.local.lambda.LocalFunction;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Lambda Invoke API on 127.0.0.1 (as {@code sam local start-lambda}), enough for
 * {@code aws lambda invoke --endpoint-url …} and the SDKs:
 * <ul>
 *   <li>{@code POST /2015-03-31/functions/{name}/invocations}: the body is the payload; the
 *       function's output comes back with 200 and {@code X-Amz-Executed-Version: $LATEST}; a
 *       handler exception is 200 with {@code X-Amz-Function-Error: Unhandled} and
 *       {@code {"errorMessage", "errorType"}}. {@code X-Amz-Invocation-Type: Event} answers 202
 *       and runs in the background; {@code DryRun} answers 204.</li>
 *   <li>{@code GET /2015-03-31/functions/}: ListFunctions.</li>
 * </ul>
 * {@code name} is the logical id, {@code name:alias} or an ARN ending in it; an unknown function
 * is 404 {@code ResourceNotFoundException}.
 *
 * <p>It answers programs on this machine, never a web page: a request with an {@code Origin} (or a
 * browser's {@code Sec-Fetch-Site} other than {@code none}), a preflight, or a {@code Host} that is
 * not a loopback name (a DNS-rebinding page) is 403 {@code AccessDeniedException}; a request
 * without a well-formed SigV4 {@code Authorization} header (as the AWS CLI and SDKs send with any
 * credentials) is 403 {@code MissingAuthenticationTokenException} or {@code
 * IncompleteSignatureException}. A page cannot send that header without a CORS preflight, which
 * is refused. The signature itself is not verified: the stack does not know the caller's secret.
 */
public final class LambdaInvokeServer implements AutoCloseable {
    /** Lambda's limit for synchronous invocation payloads. */
    public static final int MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
    private static final Pattern INVOKE = Pattern.compile("^/2015-03-31/functions/([^/]+)/invocations/?$");
    private static final Pattern LIST = Pattern.compile("^/2015-03-31/functions/?$");
    private static final Pattern SIGV4 = Pattern.compile("^AWS4-HMAC-SHA256 Credential=[A-Za-z0-9]{1,128}/(\\d{8})/[a-z0-9-]{1,32}"
            + "/lambda/aws4_request, ?SignedHeaders=([a-z0-9;-]{1,1024}), ?Signature=[0-9a-f]{64}$");
    private static final Pattern AMZ_DATE = Pattern.compile("^(\\d{8})T\\d{6}Z$");
    private static final Pattern LOOPBACK_HOST = Pattern.compile(
            "^(localhost|127(\\.\\d{1,3}){3}|\\[::1\\])(:\\d{1,5})?$", Pattern.CASE_INSENSITIVE);

    private final HttpServer server;
    private final ExecutorService async = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ferry-lambda-async");
        t.setDaemon(true);
        return t;
    });
    private volatile FunctionRegistry functions;

    /** Binds 127.0.0.1:{@code port} (0: any free port); answers 503 until {@link #serve} is called. */
    public LambdaInvokeServer(int port) throws IOException {
        this.server = Exchanges.bind(port, "ferry-lambda-api", 32);
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void serve(FunctionRegistry functions) {
        this.functions = functions;
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getRawPath();
            String refused = browserRefusal(ex);
            if (refused != null) {
                awsError(ex, 403, "AccessDeniedException", refused);
                return;
            }
            String unsigned = signatureRefusal(ex);
            if (unsigned != null) {
                String type = ex.getRequestHeaders().getFirst("Authorization") == null
                        ? "MissingAuthenticationTokenException" : "IncompleteSignatureException";
                awsError(ex, 403, type, unsigned);
                return;
            }
            FunctionRegistry registry = functions;
            if (registry == null) {
                awsError(ex, 503, "ServiceException", "the local stack is starting; try again in a moment");
                return;
            }
            Matcher m = INVOKE.matcher(path);
            if (m.matches() && ex.getRequestMethod().equalsIgnoreCase("POST")) {
                invoke(ex, registry, URLDecoder.decode(m.group(1), StandardCharsets.UTF_8));
            } else if (LIST.matcher(path).matches() && ex.getRequestMethod().equalsIgnoreCase("GET")) {
                list(ex, registry);
            } else {
                awsError(ex, 404, "UnknownOperationException", "the local Lambda API serves Invoke and ListFunctions only; got "
                        + ex.getRequestMethod() + " " + path);
            }
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            System.err.println("ferry local: Lambda API error on " + ex.getRequestURI() + ": " + e);
            e.printStackTrace(System.err);
            awsError(ex, 500, "ServiceException", String.valueOf(e.getMessage()));
        }
    }

    /** Why a request looks like it comes from a web page, or null. */
    static String browserRefusal(HttpExchange ex) {
        String origin = ex.getRequestHeaders().getFirst("Origin");
        if (origin != null) {
            return "the local Lambda API does not answer web pages (the request has Origin: " + origin + ")";
        }
        String site = ex.getRequestHeaders().getFirst("Sec-Fetch-Site");
        if (site != null && !site.equalsIgnoreCase("none")) {
            return "the local Lambda API does not answer web pages (the request has Sec-Fetch-Site: " + site + ")";
        }
        if (ex.getRequestMethod().equalsIgnoreCase("OPTIONS")) {
            return "the local Lambda API answers no CORS preflight";
        }
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host == null || !LOOPBACK_HOST.matcher(host.trim()).matches()) {
            return "the local Lambda API answers requests to a loopback address only (Host: " + host
                    + "); use --endpoint-url http://127.0.0.1:<port>";
        }
        return null;
    }

    /** Why the request has no well-formed SigV4 Authorization header, or null. */
    static String signatureRefusal(HttpExchange ex) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String hint = ": sign requests with SigV4 as the AWS CLI and SDKs do (any credentials, e.g. "
                + "AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test)";
        if (auth == null) return "Missing Authentication Token" + hint;
        Matcher m = SIGV4.matcher(auth.trim());
        if (!m.matches()) return "Authorization is not a SigV4 header for the lambda service" + hint;
        List<String> signed = List.of(m.group(2).split(";"));
        if (!signed.contains("host")) return "SignedHeaders must include host" + hint;
        String date = ex.getRequestHeaders().getFirst("X-Amz-Date");
        Matcher d = date == null ? null : AMZ_DATE.matcher(date.trim());
        if (d == null || !d.matches()) return "X-Amz-Date is missing or not yyyyMMdd'T'HHmmss'Z'" + hint;
        if (!d.group(1).equals(m.group(1))) return "the credential scope's date is not X-Amz-Date's" + hint;
        return null;
    }

    private void invoke(HttpExchange ex, FunctionRegistry registry, String name) throws IOException {
        LocalFunction f = registry.find(name).orElse(null);
        if (f == null) {
            awsError(ex, 404, "ResourceNotFoundException", "Function not found: " + FunctionRegistry.arn(
                    FunctionRegistry.functionName(name)));
            return;
        }
        byte[] payload;
        try (InputStream in = ex.getRequestBody()) {
            payload = in.readNBytes(MAX_PAYLOAD_BYTES + 1);
        }
        if (payload.length > MAX_PAYLOAD_BYTES) {
            awsError(ex, 413, "RequestTooLargeException", "Request must be smaller than " + MAX_PAYLOAD_BYTES
                    + " bytes for the InvokeFunction operation");
            return;
        }
        if (payload.length == 0) payload = "{}".getBytes(StandardCharsets.UTF_8);
        String type = ex.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Amz-Executed-Version", "$LATEST");
        headers.put("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        if ("DryRun".equalsIgnoreCase(type)) {
            Exchanges.send(ex, 204, headers, null);
            return;
        }
        if ("Event".equalsIgnoreCase(type)) {
            byte[] p = payload;
            async.submit(() -> {
                try {
                    f.invoke(p);
                } catch (FunctionError ignored) {
                    // already printed by the function
                }
            });
            Exchanges.send(ex, 202, headers, null);
            return;
        }
        try {
            byte[] out = f.invoke(payload);
            headers.put("Content-Type", "application/json");
            Exchanges.send(ex, 200, headers, out);
        } catch (FunctionError e) {
            headers.put("X-Amz-Function-Error", "Unhandled");
            headers.put("Content-Type", "application/json");
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("errorMessage", e.errorMessage());
            body.put("errorType", e.errorType());
            List<String> trace = new ArrayList<>();
            for (StackTraceElement s : e.getCause().getStackTrace()) trace.add(s.toString());
            body.put("stackTrace", trace.subList(0, Math.min(trace.size(), 20)));
            Exchanges.send(ex, 200, headers, Exchanges.JSON.writeValueAsBytes(body));
        }
    }

    private static void list(HttpExchange ex, FunctionRegistry registry) throws IOException {
        List<Map<String, Object>> items = new ArrayList<>();
        for (LocalFunction f : registry.all()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("FunctionName", f.name());
            m.put("FunctionArn", FunctionRegistry.arn(f.name()));
            m.put("Handler", f.spec().handler());
            m.put("Timeout", f.spec().timeoutSeconds());
            m.put("MemorySize", f.spec().memoryMb());
            m.put("Version", "$LATEST");
            items.add(m);
        }
        Exchanges.sendJson(ex, 200, Map.of("Functions", items));
    }

    /** An error as the Lambda API sends it: {@code x-amzn-ErrorType} and {@code {"Type", "message"}}. */
    private static void awsError(HttpExchange ex, int status, String type, String message) throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("x-amzn-ErrorType", type);
        h.put("Content-Type", "application/json");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Type", status >= 500 ? "Service" : "User");
        body.put("__type", type);
        body.put("message", message);
        Exchanges.send(ex, status, h, Exchanges.JSON.writeValueAsBytes(body));
    }

    @Override
    public void close() {
        Exchanges.stop(server);
        async.shutdownNow();
    }
}

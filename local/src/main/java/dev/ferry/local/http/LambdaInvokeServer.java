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
 */
public final class LambdaInvokeServer implements AutoCloseable {
    /** Lambda's limit for synchronous invocation payloads. */
    public static final int MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
    private static final Pattern INVOKE = Pattern.compile("^/2015-03-31/functions/([^/]+)/invocations/?$");
    private static final Pattern LIST = Pattern.compile("^/2015-03-31/functions/?$");

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

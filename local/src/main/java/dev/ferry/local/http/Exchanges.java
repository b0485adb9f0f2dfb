package dev.ferry.local.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Small helpers around the JDK HTTP server shared by the HTTP API and the Lambda Invoke API. */
final class Exchanges {
    static final ObjectMapper JSON = new ObjectMapper();

    private Exchanges() {}

    /** A server bound to 127.0.0.1:{@code port} (0: any free port), with its own pool of daemon threads. */
    static HttpServer bind(int port, String threadName, int threads) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, threadName + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        return server;
    }

    static void stop(HttpServer server) {
        server.stop(0);
        if (server.getExecutor() instanceof ExecutorService pool) pool.shutdownNow();
    }

    /** Sends status, headers and body (none for HEAD, 204 and 304), and closes the exchange. */
    static void send(HttpExchange ex, int status, Map<String, String> headers, byte[] body) throws IOException {
        headers.forEach((k, v) -> {
            if (!k.equalsIgnoreCase("content-length") && !k.equalsIgnoreCase("transfer-encoding")) {
                ex.getResponseHeaders().add(k, v);
            }
        });
        boolean noBody = body == null || body.length == 0 || status == 204 || status == 304
                || "HEAD".equalsIgnoreCase(ex.getRequestMethod());
        ex.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        ex.close();
    }

    static void sendJson(HttpExchange ex, int status, Object value) throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        send(ex, status, h, JSON.writeValueAsBytes(value));
    }

    /** {@code {"error": {"code", "message"}}}, the shape of Ferry's own errors. */
    static void sendError(HttpExchange ex, int status, String code, String message) throws IOException {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("code", code);
        e.put("message", message);
        sendJson(ex, status, Map.of("error", e));
    }
}

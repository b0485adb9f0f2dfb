package dev.ferry.core.engine;

import dev.ferry.core.model.HttpCallRequest;
import dev.ferry.core.model.HttpCallResult;
import dev.ferry.core.port.HttpCaller;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@link HttpCaller} on {@link java.net.http.HttpClient}: one client per instance (build one per
 * container), HTTP/1.1, redirects followed except https→http, a 10 s connect timeout, and response
 * bodies capped at {@value #MAX_RESPONSE_BYTES} bytes. Headers the JDK manages itself (Host,
 * Content-Length, Connection, …) are dropped from the request. A request the JDK refuses (a bad
 * header name or value) is an {@link IllegalArgumentException}.
 */
public final class JdkHttpCaller implements HttpCaller {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final int MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
    private static final Set<String> RESTRICTED = Set.of(
            "host", "content-length", "connection", "expect", "upgrade", "keep-alive", "transfer-encoding", "te", "trailer");

    private final HttpClient client;

    public JdkHttpCaller() {
        this(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build());
    }

    public JdkHttpCaller(HttpClient client) {
        this.client = client;
    }

    @Override
    public HttpCallResult call(HttpCallRequest request) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(request.url()))
                .method(request.method(), request.body() == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        if (request.timeout() != null) builder.timeout(request.timeout());
        request.headers().forEach((name, value) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) builder.header(name, value);
        });
        HttpResponse<InputStream> response;
        try {
            response = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(MAX_RESPONSE_BYTES + 1);
        }
        if (body.length > MAX_RESPONSE_BYTES) {
            throw new IOException("response body is larger than " + MAX_RESPONSE_BYTES + " bytes");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : response.headers().map().entrySet()) {
            if (e.getKey().startsWith(":")) continue; // HTTP/2 pseudo-headers
            headers.put(e.getKey(), String.join(", ", e.getValue()));
        }
        return new HttpCallResult(response.statusCode(), headers, body);
    }
}

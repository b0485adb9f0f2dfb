package dev.ferry.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.ferry.cli.CliException;
import dev.ferry.cli.Settings;
import dev.ferry.cli.output.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Ferry HTTP API over {@link HttpClient}: JSON in and out, {@code Authorization: Bearer <key>},
 * errors turned into {@link ApiException} (the API answered) or {@link UnreachableException}
 * (nothing answered).
 */
public final class ApiClient implements AutoCloseable {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_PAGES = 10_000;

    private final Settings settings;
    private final HttpClient http;

    public ApiClient(Settings settings) {
        this(settings, HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
    }

    public ApiClient(Settings settings, HttpClient http) {
        this.settings = settings;
        this.http = http;
    }

    public Settings settings() {
        return settings;
    }

    public JsonNode get(String path, Query query) {
        return send("GET", path, query, null, null, DEFAULT_TIMEOUT);
    }

    public JsonNode get(String path) {
        return get(path, Query.of());
    }

    public JsonNode post(String path, JsonNode body) {
        return post(path, body, DEFAULT_TIMEOUT);
    }

    public JsonNode post(String path, JsonNode body, Duration timeout) {
        return send("POST", path, Query.of(), body == null ? null : Json.compact(body).getBytes(StandardCharsets.UTF_8),
                body == null ? null : "application/json", timeout);
    }

    public JsonNode patch(String path, JsonNode body) {
        return send("PATCH", path, Query.of(), Json.compact(body).getBytes(StandardCharsets.UTF_8), "application/json",
                DEFAULT_TIMEOUT);
    }

    public JsonNode postRaw(String path, byte[] body, String contentType) {
        return send("POST", path, Query.of(), body, contentType, DEFAULT_TIMEOUT);
    }

    public JsonNode delete(String path, Query query) {
        return send("DELETE", path, query, null, null, DEFAULT_TIMEOUT);
    }

    /** Releases the HTTP client's threads. */
    @Override
    public void close() {
        http.close();
    }

    /** One page, or every page when {@code all} (following {@code nextCursor}). */
    public Listing list(String path, Query query, boolean all) {
        JsonNode first = get(path, query);
        List<JsonNode> items = new ArrayList<>();
        addItems(first, items);
        String cursor = cursorOf(first);
        int pages = 1;
        while (all && cursor != null && pages++ < MAX_PAGES) {
            JsonNode page = get(path, query.copy().with("cursor", cursor));
            addItems(page, items);
            cursor = cursorOf(page);
        }
        return new Listing(first, items, cursor, all);
    }

    /** A path with each segment URL-encoded, e.g. {@code path("executions", id, "logs")}. */
    public static String path(String... segments) {
        StringBuilder sb = new StringBuilder();
        for (String s : segments) {
            sb.append('/').append(Query.encode(s));
        }
        return sb.toString();
    }

    private JsonNode send(String method, String path, Query query, byte[] body, String contentType,
                          Duration timeout) {
        String q = query.encoded();
        URI uri = URI.create(settings.apiUrl() + path + (q.isEmpty() ? "" : "?" + q));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept", "application/json")
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (settings.apiKey() != null) {
            request.header("Authorization", "Bearer " + settings.apiKey());
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new UnreachableException(settings.apiUrl(), reason(e, "connection refused"));
        } catch (HttpTimeoutException e) {
            throw new CliException("the API at " + settings.apiUrl() + " did not answer " + method + " " + path
                    + " within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            if (rootCause(e) instanceof UnresolvedAddressException) {
                throw new UnreachableException(settings.apiUrl(), "unknown host " + settings.apiUrl().getHost());
            }
            throw new UnreachableException(settings.apiUrl(), reason(e, "I/O error"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException(settings.apiUrl(), "interrupted");
        }
        try {
            return handle(response);
        } catch (ApiException e) {
            if (e.status() == 401 && settings.apiKey() == null) {
                throw e.withHint("no API key was sent: pass --api-key or set FERRY_API_KEY "
                        + "(./ferry local prints its admin key)");
            }
            throw e;
        }
    }

    private static JsonNode handle(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        byte[] bytes = response.body();
        if (status >= 200 && status < 300) {
            if (bytes == null || bytes.length == 0) {
                return MissingNode.getInstance();
            }
            try {
                return Json.MAPPER.readTree(bytes);
            } catch (IOException e) {
                throw new ApiException(status, "INVALID_RESPONSE",
                        "the API answered " + status + " with a body that is not JSON: " + snippet(bytes), List.of());
            }
        }
        throw toApiException(status, bytes);
    }

    static ApiException toApiException(int status, byte[] bytes) {
        JsonNode error = null;
        if (bytes != null && bytes.length > 0) {
            try {
                JsonNode root = Json.MAPPER.readTree(bytes);
                error = root == null ? null : root.get("error");
            } catch (IOException e) {
                error = null; // not the API's error shape: reported with the raw body below
            }
        }
        if (error == null || !error.isObject()) {
            String body = bytes == null || bytes.length == 0 ? "" : ": " + snippet(bytes);
            return new ApiException(status, "HTTP_" + status, "the API answered HTTP " + status + body, List.of());
        }
        List<ApiException.Detail> details = new ArrayList<>();
        JsonNode ds = error.path("details");
        if (ds.isArray()) {
            for (JsonNode d : ds) {
                details.add(new ApiException.Detail(d.path("field").asText(null), d.path("reason").asText(null)));
            }
        }
        String message = error.path("message").asText(null);
        return new ApiException(status, error.path("code").asText(null),
                message == null || message.isBlank() ? "the API answered HTTP " + status : message, details);
    }

    private static void addItems(JsonNode page, List<JsonNode> into) {
        JsonNode items = page.path("items");
        if (items.isArray()) {
            items.forEach(into::add);
        }
    }

    private static String cursorOf(JsonNode page) {
        JsonNode c = page.path("nextCursor");
        return c.isTextual() && !c.asText().isEmpty() ? c.asText() : null;
    }

    private static String snippet(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static String reason(Throwable e, String fallback) {
        Throwable root = rootCause(e);
        String m = root.getMessage();
        return m == null || m.isBlank() ? fallback : m;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}

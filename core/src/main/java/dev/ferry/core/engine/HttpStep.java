package dev.ferry.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.HttpCallRequest;
import dev.ferry.core.model.HttpCallResult;
import dev.ferry.core.net.RefusedDestinationException;
import dev.ferry.core.port.HttpCaller;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The {@code http} step: builds the request from the evaluated fields, calls, shapes the answer. */
final class HttpStep {
    static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    static final int DEFAULT_TIMEOUT_SECONDS = 30;
    static final int MAX_TIMEOUT_SECONDS = 900;
    private static final int ERROR_BODY_CHARS = 300;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final HttpCaller http;
    private final Clock clock;

    HttpStep(HttpCaller http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    JsonNode run(ObjectNode spec, Expressions.Scope scope) {
        String url = text(eval(spec, "url", scope), "url");
        String method = spec.has("method") ? text(eval(spec, "method", scope), "method").toUpperCase(Locale.ROOT) : "GET";
        if (!METHODS.contains(method)) throw new StepFailedException("method " + method + " is not one of " + METHODS, false);

        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode h = eval(spec, "headers", scope);
        if (!h.isNull()) {
            if (!h.isObject()) throw new StepFailedException("headers must be an object, got " + h.getNodeType(), false);
            for (Map.Entry<String, JsonNode> e : h.properties()) {
                if (!e.getValue().isNull()) headers.put(e.getKey(), scalar(e.getValue()));
            }
        }
        url = withQuery(url, eval(spec, "query", scope));
        URI uri = checkedUri(url);

        byte[] body = null;
        JsonNode b = eval(spec, "body", scope);
        if (!b.isNull()) {
            boolean text = b.isTextual();
            body = text ? b.textValue().getBytes(StandardCharsets.UTF_8) : Json.writeBytes(b);
            if (headers.keySet().stream().noneMatch(k -> k.equalsIgnoreCase("content-type"))) {
                headers.put("Content-Type", text ? "text/plain; charset=utf-8" : "application/json");
            }
        }
        Duration timeout = Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);
        if (spec.has("timeoutSeconds")) {
            JsonNode t = eval(spec, "timeoutSeconds", scope);
            if (!t.isNumber() || t.doubleValue() < 1 || t.doubleValue() > MAX_TIMEOUT_SECONDS) {
                throw new StepFailedException("timeoutSeconds must be a number from 1 to " + MAX_TIMEOUT_SECONDS + ", got " + t, false);
            }
            timeout = Duration.ofMillis(Math.round(t.doubleValue() * 1000));
        }

        HttpCallResult result;
        try {
            result = http.call(new HttpCallRequest(method, uri.toString(), headers, body, timeout));
        } catch (HttpTimeoutException e) {
            throw new StepFailedException(method + " " + url + " timed out after " + timeout.toSeconds() + " s", true);
        } catch (IOException e) {
            throw new StepFailedException(method + " " + url + " failed: " + describe(e), true);
        } catch (RefusedDestinationException e) {
            throw new StepFailedException(method + " " + url + ": " + e.getMessage(), false);
        } catch (IllegalArgumentException e) {
            throw new StepFailedException(method + " " + url + " cannot be sent: " + e.getMessage(), false);
        }

        ObjectNode output = NODES.objectNode();
        output.put("status", result.status());
        ObjectNode responseHeaders = output.putObject("headers");
        new TreeMap<>(lowerCased(result.headers())).forEach(responseHeaders::put);
        String contentType = result.header("content-type").orElse("");
        output.set("body", parseBody(result.body(), contentType));

        if (result.status() >= 400) {
            int status = result.status();
            boolean retryable = status >= 500 || status == 408 || status == 429;
            Duration retryAfter = result.header("retry-after").map(this::retryAfter).orElse(null);
            String message = method + " " + url + " answered " + status + snippet(result.body(), contentType);
            throw new StepFailedException(message, retryable, retryAfter, output);
        }
        return output;
    }

    private static JsonNode eval(ObjectNode spec, String field, Expressions.Scope scope) {
        JsonNode value = spec.get(field);
        return value == null ? NODES.nullNode() : Expressions.evaluate(value, scope);
    }

    private static String text(JsonNode value, String field) {
        if (!value.isTextual() || value.textValue().isBlank()) {
            throw new StepFailedException(field + " must be a non-empty string, got " + value, false);
        }
        return value.textValue().trim();
    }

    private static String scalar(JsonNode value) {
        return value.isValueNode() ? value.asText() : Json.write(value);
    }

    private static String withQuery(String url, JsonNode query) {
        if (query.isNull()) return url;
        if (!query.isObject()) throw new StepFailedException("query must be an object, got " + query.getNodeType(), false);
        StringBuilder q = new StringBuilder();
        for (Map.Entry<String, JsonNode> e : query.properties()) {
            JsonNode v = e.getValue();
            if (v.isArray()) {
                for (JsonNode item : v) if (!item.isNull()) append(q, e.getKey(), scalar(item));
            } else if (!v.isNull()) {
                append(q, e.getKey(), scalar(v));
            }
        }
        if (q.isEmpty()) return url;
        int hash = url.indexOf('#');
        String base = hash < 0 ? url : url.substring(0, hash);
        String fragment = hash < 0 ? "" : url.substring(hash);
        return base + (base.contains("?") ? (base.endsWith("?") || base.endsWith("&") ? "" : "&") : "?") + q + fragment;
    }

    private static void append(StringBuilder q, String key, String value) {
        if (!q.isEmpty()) q.append('&');
        q.append(encode(key)).append('=').append(encode(value));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static URI checkedUri(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new StepFailedException("url " + url + " is not a valid URL: " + e.getMessage(), false);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
            throw new StepFailedException("url " + url + " is not an absolute http(s) URL", false);
        }
        return uri;
    }

    /** JSON when the content type says so and it parses, else the text; null for an empty body. */
    static JsonNode parseBody(byte[] body, String contentType) {
        if (body == null || body.length == 0) return NODES.nullNode();
        String type = contentType.toLowerCase(Locale.ROOT);
        if (type.contains("json")) {
            try {
                JsonNode parsed = Json.MAPPER.readTree(body);
                if (parsed != null && !parsed.isMissingNode()) return parsed;
            } catch (IOException e) {
                // not JSON after all: keep the text
            }
        }
        return NODES.textNode(new String(body, charset(type)));
    }

    private static Charset charset(String contentType) {
        int at = contentType.indexOf("charset=");
        if (at < 0) return StandardCharsets.UTF_8;
        String name = contentType.substring(at + 8).split("[;,\\s]")[0].replace("\"", "");
        try {
            return Charset.forName(name);
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    private static String snippet(byte[] body, String contentType) {
        if (body == null || body.length == 0) return "";
        String text = new String(body, charset(contentType.toLowerCase(Locale.ROOT))).strip().replaceAll("\\s+", " ");
        if (text.isEmpty()) return "";
        return ": " + (text.length() > ERROR_BODY_CHARS ? text.substring(0, ERROR_BODY_CHARS) + "…" : text);
    }

    /** {@code Retry-After}: delta seconds or an HTTP date (measured from the clock); null if unreadable. */
    Duration retryAfter(String value) {
        String v = value.trim();
        if (v.matches("\\d{1,10}")) return Duration.ofSeconds(Long.parseLong(v));
        try {
            ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration d = Duration.between(clock.instant(), at.toInstant());
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Map<String, String> lowerCased(Map<String, String> headers) {
        Map<String, String> out = new LinkedHashMap<>();
        headers.forEach((k, v) -> out.merge(k.toLowerCase(Locale.ROOT), v, (a, c) -> a + ", " + c));
        return out;
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        String type = e.getClass().getSimpleName();
        if (message == null || message.isBlank()) {
            Throwable cause = e.getCause();
            if (cause != null && cause.getMessage() != null) return type + " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
            return type;
        }
        return type + ": " + message;
    }
}

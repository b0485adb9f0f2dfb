package dev.ferry.core.api;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An HTTP request as the core sees it, whatever carried it (API Gateway event, local server).
 * Header names are case-insensitive.
 */
public record ApiRequest(
        String method,
        String path,
        Map<String, String> query,
        Map<String, String> headers,
        byte[] body,
        String baseUrl) {

    public ApiRequest {
        method = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
        query = query == null ? Map.of() : Map.copyOf(query);
        TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) h.putAll(headers);
        headers = h;
        body = body == null ? new byte[0] : body;
    }

    public String header(String name) {
        return headers.get(name);
    }

    public String queryParam(String name) {
        String v = query.get(name);
        return v == null || v.isEmpty() ? null : v;
    }
}

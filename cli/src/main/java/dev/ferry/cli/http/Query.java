package dev.ferry.cli.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Query parameters in insertion order; null values are left out. */
public final class Query {

    private final Map<String, String> params = new LinkedHashMap<>();

    public static Query of() {
        return new Query();
    }

    public Query with(String name, Object value) {
        if (value != null) {
            params.put(name, value.toString());
        }
        return this;
    }

    /** Adds {@code name=true} only when the flag is set (absent means "don't filter"). */
    public Query flag(String name, boolean set) {
        return set ? with(name, "true") : this;
    }

    public Query copy() {
        Query q = new Query();
        q.params.putAll(params);
        return q;
    }

    public String encoded() {
        return params.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    public static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

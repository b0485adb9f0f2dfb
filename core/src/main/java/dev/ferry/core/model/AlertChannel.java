package dev.ferry.core.model;

import java.util.Map;

/**
 * Where a monitor's alerts go: {@code type} "webhook" — a POST to {@code url} with {@code headers},
 * the default JSON body or {@code template} with its $VARIABLES filled in, signed with
 * {@code x-ferry-signature: sha256=<hex HMAC-SHA256 of the body>} when {@code secret} is set.
 */
public record AlertChannel(String type, String url, Map<String, String> headers, String template, String secret) {
    public static final String WEBHOOK = "webhook";

    public AlertChannel {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public static AlertChannel webhook(String url) {
        return new AlertChannel(WEBHOOK, url, Map.of(), null, null);
    }
}

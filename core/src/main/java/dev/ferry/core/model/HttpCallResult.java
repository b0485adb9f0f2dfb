package dev.ferry.core.model;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The answer to an {@code http} step: status, headers (one value per name; repeated headers joined
 * with {@code ", "}) and the raw body (empty for none).
 */
public record HttpCallResult(int status, Map<String, String> headers, byte[] body) {
    public HttpCallResult {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    /** The header's value, whatever the case of its name. */
    public Optional<String> header(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return headers.entrySet().stream()
                .filter(e -> e.getKey().toLowerCase(Locale.ROOT).equals(wanted))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    @Override
    public String toString() {
        return "HttpCallResult[" + status + ", " + body.length + " bytes]";
    }
}

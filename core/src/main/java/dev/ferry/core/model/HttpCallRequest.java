package dev.ferry.core.model;

import java.time.Duration;
import java.util.Map;

/** One outgoing request of an {@code http} step; {@code body} is null for none. */
public record HttpCallRequest(String method, String url, Map<String, String> headers, byte[] body, Duration timeout) {
    public HttpCallRequest {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    @Override
    public String toString() {
        return "HttpCallRequest[" + method + " " + url + ", " + (body == null ? 0 : body.length) + " bytes]";
    }
}

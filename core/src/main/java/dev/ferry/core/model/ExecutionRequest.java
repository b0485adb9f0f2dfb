package dev.ferry.core.model;

import java.util.Arrays;
import java.util.Map;

/**
 * The request that triggered an execution, kept byte-for-byte: {@code body} is the raw bytes as
 * received (empty array for none), replayed unchanged.
 */
public record ExecutionRequest(
        String method,
        byte[] body,
        Map<String, String> headers,
        Map<String, String> query,
        String contentType) {

    public ExecutionRequest {
        body = body == null ? new byte[0] : body;
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        query = query == null ? Map.of() : Map.copyOf(query);
    }

    public ExecutionRequest withBody(byte[] newBody) {
        return new ExecutionRequest(method, newBody, headers, query, contentType);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExecutionRequest r && java.util.Objects.equals(method, r.method)
                && Arrays.equals(body, r.body) && headers.equals(r.headers) && query.equals(r.query)
                && java.util.Objects.equals(contentType, r.contentType);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(method, Arrays.hashCode(body), headers, query, contentType);
    }

    @Override
    public String toString() {
        return "ExecutionRequest[" + method + ", " + body.length + " bytes, " + contentType + "]";
    }
}

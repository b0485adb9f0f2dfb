package dev.ferry.functions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.api.ApiErrors;
import dev.ferry.core.api.ApiResponse;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.ExecutionRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading the documented direct-invocation events (README, "Direct invocation"; docs/input-limits.md) and answering their errors as JSON. */
public final class DirectEvents {
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,100}");

    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private DirectEvents() {}

    public static String requiredText(JsonNode event, String field) {
        JsonNode v = event == null ? null : event.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new ValidationException(field, "is required (a string)");
        }
        if (v.asText().length() > 100) throw new ValidationException(field, "must be at most 100 characters");
        if (field.endsWith("Id") && !ID.matcher(v.asText()).matches()) {
            throw new ValidationException(field, "must be an id: letters, digits, _ and -, at most 100 characters");
        }
        return v.asText();
    }

    /** An ISO-8601 instant such as {@code 2026-11-26T10:01:00Z}, or null when absent. */
    public static Instant optionalInstant(JsonNode event, String field) {
        JsonNode v = event == null ? null : event.get(field);
        if (v == null || v.isNull()) return null;
        Instant at;
        try {
            at = Instant.parse(v.asText());
        } catch (DateTimeParseException e) {
            throw new ValidationException(field, "must be an ISO-8601 time such as 2026-11-26T10:01:00Z");
        }
        if (at.isBefore(Instant.EPOCH) || at.isAfter(LATEST)) {
            throw new ValidationException(field, "must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z");
        }
        return at;
    }

    /** A body given as a string (kept as its UTF-8 bytes) or as JSON (serialized); null when absent. */
    public static byte[] optionalBody(JsonNode body) {
        if (body == null || body.isNull()) return null;
        return body.isTextual() ? body.asText().getBytes(StandardCharsets.UTF_8) : Json.writeBytes(body);
    }

    /** The {@code test} object of a FlowExecutionFunction direct event. */
    public static ExecutionRequest testRequest(JsonNode test) {
        Map<String, String> headers = new LinkedHashMap<>();
        String contentType = "application/json";
        byte[] body = new byte[0];
        if (test != null && !test.isNull()) {
            if (!test.isObject()) throw new ValidationException("test", "must be an object {body, headers, contentType}");
            for (var names = test.fieldNames(); names.hasNext(); ) {
                String f = names.next();
                if (!f.equals("body") && !f.equals("headers") && !f.equals("contentType")) {
                    throw new ValidationException("test." + (f.length() > 100 ? f.substring(0, 100) : f), "unknown field; allowed: body, headers, contentType");
                }
            }
            JsonNode h = test.get("headers");
            if (h != null && h.isObject()) {
                if (h.size() > 100) throw new ValidationException("test.headers", "at most 100 headers");
                h.fields().forEachRemaining(e -> {
                    if (e.getKey().isEmpty() || e.getKey().length() > 200) {
                        throw new ValidationException("test.headers", "a header name must have 1 to 200 characters");
                    }
                    if (!e.getValue().isValueNode() || e.getValue().asText().length() > 8192) {
                        throw new ValidationException("test.headers." + e.getKey(), "must be a string of at most 8192 characters");
                    }
                    headers.put(e.getKey().toLowerCase(), e.getValue().asText());
                });
            } else if (h != null && !h.isNull()) {
                throw new ValidationException("test.headers", "must be an object");
            }
            long bytes = headers.entrySet().stream()
                    .mapToLong(e -> (e.getKey() + e.getValue()).getBytes(java.nio.charset.StandardCharsets.UTF_8).length).sum();
            if (bytes > dev.ferry.core.api.InstancesApi.MAX_TEST_HEADER_BYTES) {
                throw new ValidationException("test.headers", "must be at most " + dev.ferry.core.api.InstancesApi.MAX_TEST_HEADER_BYTES
                        + " bytes in all (names and values), as API Gateway allows a webhook; these are " + bytes);
            }
            JsonNode ct = test.get("contentType");
            if (ct != null && !ct.isNull() && (!ct.isTextual() || ct.asText().isBlank() || ct.asText().length() > 200)) {
                throw new ValidationException("test.contentType", "must be a string of at most 200 characters");
            }
            if (ct != null && !ct.isNull()) contentType = ct.asText();
            else if (headers.containsKey("content-type")) contentType = headers.get("content-type");
            byte[] b = optionalBody(test.get("body"));
            if (b != null) body = b;
        }
        headers.putIfAbsent("content-type", contentType);
        return new ExecutionRequest("POST", body, headers, Map.of(), contentType);
    }

    /** The same error shape as the HTTP API, for direct invocations. */
    public static Object error(RuntimeException e) {
        ApiResponse r = ApiErrors.toResponse(e);
        return Json.tree(r.body());
    }
}

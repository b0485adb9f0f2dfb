package dev.ferry.core.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.error.FieldError;
import dev.ferry.core.error.PayloadTooLargeException;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.json.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.Set;

/**
 * Reads and checks request input, collecting every problem as a field error so one answer says
 * everything that is wrong. Call {@link #check()} before acting: nothing is written on a 400.
 */
final class Input {
    static final int MAX_NAME = 200;
    /** Ids of every kind, as the router matches them in paths. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");
    static final String ID_RULE = "must be an id: letters, digits, _ and -, at most 100 characters";
    /** The latest time a query accepts (DynamoDB keys and ISO-8601 text hold four-digit years). */
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");
    /** The longest query parameter value (cursors included). */
    static final int MAX_PARAM = 2048;
    /** The largest management request body: the Lambda synchronous payload limit (6 MB). */
    static final long MAX_BODY_BYTES = dev.ferry.core.service.Settings.SIX_MB;
    private final List<FieldError> errors = new ArrayList<>();

    static ObjectNode object(ApiRequest request) {
        if (request.body().length == 0) throw new ValidationException("body", "a JSON object is required");
        if (request.body().length > MAX_BODY_BYTES) throw new PayloadTooLargeException(request.body().length, MAX_BODY_BYTES);
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(request.body());
        } catch (StreamConstraintsException e) {
            throw new ValidationException("body", "JSON nested more than " + MAX_JSON_DEPTH
                    + " levels deep, or a number or string too long");
        } catch (JsonProcessingException e) {
            throw new ValidationException("body", malformed(e));
        } catch (java.io.IOException e) {
            throw new ValidationException("body", "unreadable body");
        }
        if (node == null || !node.isObject()) throw new ValidationException("body", "must be a JSON object");
        return (ObjectNode) node;
    }

    /** Jackson's own nesting limit, which the parser enforces. */
    static final int MAX_JSON_DEPTH = 1000;

    /** "malformed JSON at line L, column C: <the parser's first line>", without class names. */
    static String malformed(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage().lines().findFirst().orElse("").trim();
        var at = e.getLocation();
        return "malformed JSON" + (at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column "
                + at.getColumnNr()) + ": " + message;
    }

    static ObjectNode objectOrEmpty(ApiRequest request) {
        return request.body().length == 0 ? Json.object() : object(request);
    }

    void onlyFields(ObjectNode node, String... allowed) {
        Set<String> ok = Set.of(allowed);
        node.fieldNames().forEachRemaining(f -> {
            if (!ok.contains(f)) errors.add(new FieldError(f, "unknown field; allowed: " + String.join(", ", allowed)));
        });
    }

    /**
     * Only the allowed query parameters; each value at most {@value #MAX_PARAM} characters, and a
     * parameter naming an id ({@code …Id}) must be one ({@link #ID}).
     */
    void onlyParams(ApiRequest request, String... allowed) {
        Set<String> ok = Set.of(allowed);
        for (Map.Entry<String, String> e : request.query().entrySet()) {
            String p = e.getKey();
            String v = e.getValue() == null ? "" : e.getValue();
            if (!ok.contains(p)) {
                errors.add(new FieldError(p.length() > 100 ? p.substring(0, 100) + "…" : p,
                        "unknown query parameter; allowed: " + String.join(", ", allowed)));
            } else if (v.length() > MAX_PARAM) {
                errors.add(new FieldError(p, "must be at most " + MAX_PARAM + " characters"));
            } else if (p.endsWith("Id") && !v.isEmpty() && !ID.matcher(v).matches()) {
                errors.add(new FieldError(p, ID_RULE));
            }
        }
    }

    /** An optional id field of a body object ({@code prefix} null for the top level). */
    String optionalIdIn(String prefix, ObjectNode node, String field) {
        String v = optionalStringIn(prefix, node, field, 100);
        if (v != null && !ID.matcher(v).matches()) {
            errors.add(new FieldError(in(prefix, field), ID_RULE));
            return null;
        }
        return v;
    }

    String requiredString(ObjectNode node, String field, int max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            errors.add(new FieldError(field, "is required"));
            return null;
        }
        return string(v, field, max);
    }

    String optionalString(ObjectNode node, String field, int max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        return string(v, field, max);
    }

    private String string(JsonNode v, String field, int max) {
        if (!v.isTextual()) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        String s = v.asText().trim();
        if (s.isEmpty()) {
            errors.add(new FieldError(field, "must not be blank"));
            return null;
        }
        if (s.length() > max) {
            errors.add(new FieldError(field, "must be at most " + max + " characters"));
            return null;
        }
        return s;
    }

    Integer optionalInt(ObjectNode node, String field, int min, int max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
            errors.add(new FieldError(field, "must be a whole number from " + min + " to " + max));
            return null;
        }
        return v.asInt();
    }

    Boolean optionalBoolean(ObjectNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isBoolean()) {
            errors.add(new FieldError(field, "must be true or false"));
            return null;
        }
        return v.asBoolean();
    }

    <E extends Enum<E>> E optionalEnum(ObjectNode node, String field, Class<E> type) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        return enumOf(v.isTextual() ? v.asText() : v.toString(), field, type);
    }

    <E extends Enum<E>> E enumOf(String text, String field, Class<E> type) {
        if (text == null) return null;
        try {
            return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, "must be one of " + Arrays.toString(type.getEnumConstants())));
            return null;
        }
    }

    int limit(ApiRequest request) {
        String v = request.queryParam("limit");
        if (v == null) return 50;
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= 100) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        errors.add(new FieldError("limit", "must be a whole number from 1 to 100"));
        return 50;
    }

    Instant instant(ApiRequest request, String param) {
        String v = request.queryParam(param);
        if (v == null) return null;
        try {
            Instant at = Instant.parse(v);
            if (!at.isBefore(Instant.EPOCH) && !at.isAfter(LATEST)) return at;
        } catch (DateTimeParseException e) {
            // reported below
        }
        errors.add(new FieldError(param, "must be an ISO-8601 UTC time like 2026-01-31T12:00:00Z, from 1970 to 9999"));
        return null;
    }

    boolean flag(ApiRequest request, String param) {
        String v = request.queryParam(param);
        if (v == null) return false;
        if (v.equalsIgnoreCase("true")) return true;
        if (v.equalsIgnoreCase("false")) return false;
        errors.add(new FieldError(param, "must be true or false"));
        return false;
    }

    // Fields of a nested object, reported as "<prefix>.<field>" (e.g. "channels[0].url").

    private static String in(String prefix, String field) {
        return prefix == null || prefix.isEmpty() ? field : prefix + "." + field;
    }

    void onlyFieldsIn(String prefix, ObjectNode node, String... allowed) {
        Set<String> ok = Set.of(allowed);
        node.fieldNames().forEachRemaining(f -> {
            if (!ok.contains(f)) errors.add(new FieldError(in(prefix, f), "unknown field; allowed: " + String.join(", ", allowed)));
        });
    }

    String requiredStringIn(String prefix, ObjectNode node, String field, int max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            errors.add(new FieldError(in(prefix, field), "is required"));
            return null;
        }
        return string(v, in(prefix, field), max);
    }

    String optionalStringIn(String prefix, ObjectNode node, String field, int max) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : string(v, in(prefix, field), max);
    }

    /** A string kept exactly as given (not trimmed), not empty, at most {@code max} characters. */
    String optionalTextIn(String prefix, ObjectNode node, String field, int max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual() || v.asText().isEmpty() || v.asText().length() > max) {
            errors.add(new FieldError(in(prefix, field), "must be a non-empty string of at most " + max + " characters"));
            return null;
        }
        return v.asText();
    }

    Integer requiredIntIn(String prefix, ObjectNode node, String field, int min, int max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            errors.add(new FieldError(in(prefix, field), "is required (a whole number from " + min + " to " + max + ")"));
            return null;
        }
        return optionalIntIn(prefix, node, field, min, max);
    }

    Integer optionalIntIn(String prefix, ObjectNode node, String field, int min, int max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
            errors.add(new FieldError(in(prefix, field), "must be a whole number from " + min + " to " + max));
            return null;
        }
        return v.asInt();
    }

    <E extends Enum<E>> E optionalEnumIn(String prefix, ObjectNode node, String field, Class<E> type) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        return enumOf(v.isTextual() ? v.asText() : v.toString(), in(prefix, field), type);
    }

    void add(String field, String reason) {
        errors.add(new FieldError(field, reason));
    }

    /** Throws one ValidationException with every problem found so far. */
    void check() {
        if (!errors.isEmpty()) throw new ValidationException(errors);
    }
}

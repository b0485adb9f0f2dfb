package dev.ferry.core.message;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.json.Json;
import java.util.regex.Pattern;

/** Reading and checking the fields of a message body (package-private: the codecs' helpers). */
final class Fields {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");

    private Fields() {}

    /** The body as a JSON object, or MalformedMessageException. */
    static JsonNode object(String body) {
        JsonNode n;
        try {
            n = Json.tree(body);
        } catch (RuntimeException e) {
            throw new MalformedMessageException("not JSON", e);
        }
        if (n == null || !n.isObject()) throw new MalformedMessageException("not a JSON object");
        return n;
    }

    /** The field's string value, or null when it is absent or not a string (the message's constructor refuses it). */
    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    /** A string of 1 to 100 characters, not blank. */
    static String requireText(String field, String value) {
        if (value == null || value.isBlank()) throw new MalformedMessageException(field + ": is required (a string)");
        if (value.length() > 100) throw new MalformedMessageException(field + ": must be at most 100 characters");
        return value;
    }

    /** An id: letters, digits, _ and -, at most 100 characters. */
    static String requireId(String field, String value) {
        requireText(field, value);
        if (!ID.matcher(value).matches()) {
            throw new MalformedMessageException(field + ": must be an id: letters, digits, _ and -, at most 100 characters");
        }
        return value;
    }
}

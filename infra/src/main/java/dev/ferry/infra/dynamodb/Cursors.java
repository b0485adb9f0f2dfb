package dev.ferry.infra.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Opaque page cursors: base64url (no padding) of a small JSON object holding the key of the last
 * item returned (all key attributes are strings) and, for listings that walk several partitions,
 * the partition it was in. A cursor that does not decode is a 400 on {@code cursor}.
 */
final class Cursors {
    private Cursors() {}

    static String encode(String partition, Map<String, AttributeValue> key) {
        ObjectNode root = Json.object();
        if (partition != null) root.put("p", partition);
        ObjectNode k = root.putObject("k");
        key.forEach((name, v) -> k.put(name, v.s()));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(root).getBytes(StandardCharsets.UTF_8));
    }

    static String encode(Map<String, AttributeValue> key) {
        return encode(null, key);
    }

    /** A decoded cursor: the partition (may be null) and the ExclusiveStartKey. */
    record Decoded(String partition, Map<String, AttributeValue> key) {}

    /** Null for a null or blank cursor; {@link ValidationException} if it is not one of ours. */
    static Decoded decode(String cursor, String... requiredKeys) {
        return decode(cursor, false, requiredKeys);
    }

    /**
     * As {@link #decode}, for a cursor that names its partition and may hold no key: the start of
     * that partition (then the decoded key is null).
     */
    static Decoded decodeInPartition(String cursor, String... requiredKeys) {
        return decode(cursor, true, requiredKeys);
    }

    private static Decoded decode(String cursor, boolean startAllowed, String... requiredKeys) {
        if (cursor == null || cursor.isBlank()) return null;
        try {
            JsonNode root = Json.tree(Base64.getUrlDecoder().decode(cursor.trim()));
            JsonNode k = root.get("k");
            if (k == null || !k.isObject()) throw invalid();
            JsonNode p = root.get("p");
            String partition = p == null || p.isNull() ? null : p.asText();
            if (startAllowed && (partition == null || partition.isEmpty())) throw invalid();
            if (startAllowed && k.isEmpty()) return new Decoded(partition, null);
            Map<String, AttributeValue> key = new HashMap<>();
            for (String name : requiredKeys) {
                JsonNode v = k.get(name);
                if (v == null || !v.isTextual() || v.asText().isEmpty()) throw invalid();
                key.put(name, AttributeValue.fromS(v.asText()));
            }
            if (k.size() != requiredKeys.length) throw invalid();
            return new Decoded(partition, key);
        } catch (ValidationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw invalid();
        }
    }

    static ValidationException invalid() {
        return new ValidationException("cursor", "not a cursor returned by this listing");
    }
}

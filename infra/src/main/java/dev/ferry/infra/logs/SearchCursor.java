package dev.ferry.infra.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The opaque cursor of a log search: base64url (no padding) of
 * {@code {"k": [ms, instanceId, eventId], "r": {instanceId: [startMs, nextToken]}, "d": [instanceId], "b": n}}
 * — the last line delivered, where groups read past their first page go on, the groups that hold
 * nothing more, and how many events the last call asked for (so the next page starts at the size
 * this search needed rather than learning it again).
 */
record SearchCursor(Key key, Map<String, Resume> resume, Set<String> done, int batch) {

    /** A line's place in the search order: event time (ms), instance id, event id (numeric when digits). */
    record Key(long ts, String instanceId, String eventId) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Long.compare(ts, o.ts);
            if (c != 0) return c;
            c = instanceId.compareTo(o.instanceId);
            if (c != 0) return c;
            return compareEventIds(eventId, o.eventId);
        }

        /** CloudWatch event ids are fixed-width digit strings, moto's are counters: compare digits as numbers. */
        static int compareEventIds(String a, String b) {
            if (a.chars().allMatch(Character::isDigit) && b.chars().allMatch(Character::isDigit) && a.length() != b.length()) {
                return Integer.compare(a.length(), b.length());
            }
            return a.compareTo(b);
        }
    }

    /** Go on reading a group with this token, asked for with this start time. */
    record Resume(long startTime, String token) {}

    String encode() {
        ObjectNode root = Json.object();
        root.putArray("k").add(key.ts()).add(key.instanceId()).add(key.eventId());
        if (!resume.isEmpty()) {
            ObjectNode r = root.putObject("r");
            resume.forEach((id, res) -> r.putArray(id).add(res.startTime()).add(res.token()));
        }
        if (!done.isEmpty()) {
            ArrayNode d = root.putArray("d");
            done.forEach(d::add);
        }
        if (batch > 0) root.put("b", batch);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(root).getBytes(StandardCharsets.UTF_8));
    }

    /** Null for no cursor; a {@link ValidationException} on {@code cursor} for one that is not ours. */
    static SearchCursor decode(String cursor) {
        if (cursor == null || cursor.isBlank()) return null;
        try {
            JsonNode root = Json.tree(Base64.getUrlDecoder().decode(cursor.trim()));
            JsonNode k = root.get("k");
            if (!root.isObject() || k == null || !k.isArray() || k.size() != 3 || !k.get(0).canConvertToLong()
                    || !k.get(1).isTextual() || !k.get(2).isTextual()) {
                throw invalid();
            }
            Map<String, Resume> resume = new LinkedHashMap<>();
            JsonNode r = root.get("r");
            if (r != null) {
                if (!r.isObject()) throw invalid();
                for (Iterator<Map.Entry<String, JsonNode>> it = r.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    JsonNode v = e.getValue();
                    if (!v.isArray() || v.size() != 2 || !v.get(0).canConvertToLong() || !v.get(1).isTextual()) throw invalid();
                    resume.put(e.getKey(), new Resume(v.get(0).asLong(), v.get(1).asText()));
                }
            }
            Set<String> done = new LinkedHashSet<>();
            JsonNode d = root.get("d");
            if (d != null) {
                if (!d.isArray()) throw invalid();
                for (JsonNode id : d) {
                    if (!id.isTextual()) throw invalid();
                    done.add(id.asText());
                }
            }
            JsonNode b = root.get("b");
            if (b != null && (!b.canConvertToInt() || b.asInt() < 0)) throw invalid();
            return new SearchCursor(new Key(k.get(0).asLong(), k.get(1).asText(), k.get(2).asText()), resume, done,
                    b == null ? 0 : b.asInt());
        } catch (ValidationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw invalid();
        }
    }

    private static ValidationException invalid() {
        return new ValidationException("cursor", "not a cursor returned by this search");
    }
}

package dev.ferry.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Replaces every occurrence of a secret value with {@value #MASK}. At each position the longest
 * matching secret wins, so a secret that contains another is masked whole. Empty values are ignored.
 */
public final class Redactor {
    public static final String MASK = "********";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final List<String> secrets;

    public Redactor(Collection<String> secretValues) {
        this.secrets = secretValues == null ? List.of() : secretValues.stream()
                .filter(Objects::nonNull)
                .filter(s -> !s.isEmpty())
                .collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new))
                .stream()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    /** True when there is nothing to redact. */
    public boolean isEmpty() {
        return secrets.isEmpty();
    }

    public String redact(String text) {
        if (text == null || secrets.isEmpty()) return text;
        if (secrets.stream().noneMatch(text::contains)) return text;
        StringBuilder out = null;
        int copied = 0;
        int i = 0;
        while (i < text.length()) {
            String hit = match(text, i);
            if (hit == null) {
                i++;
                continue;
            }
            if (out == null) out = new StringBuilder(text.length());
            out.append(text, copied, i).append(MASK);
            i += hit.length();
            copied = i;
        }
        if (out == null) return text;
        return out.append(text, copied, text.length()).toString();
    }

    private String match(String text, int at) {
        for (String s : secrets) {
            if (text.startsWith(s, at)) return s;
        }
        return null;
    }

    /**
     * A copy of {@code node} with every string value and object key redacted; a number whose text
     * contains a secret becomes the redacted text. Returns the same node when nothing changed.
     */
    public JsonNode redact(JsonNode node) {
        if (node == null || secrets.isEmpty()) return node;
        if (node.isTextual()) {
            String r = redact(node.textValue());
            return r.equals(node.textValue()) ? node : NODES.textNode(r);
        }
        if (node.isNumber()) {
            String text = node.asText();
            String r = redact(text);
            return r.equals(text) ? node : NODES.textNode(r);
        }
        if (node.isArray()) {
            ArrayNode copy = NODES.arrayNode(node.size());
            boolean changed = false;
            for (JsonNode item : node) {
                JsonNode r = redact(item);
                changed |= r != item;
                copy.add(r);
            }
            return changed ? copy : node;
        }
        if (node.isObject()) {
            ObjectNode copy = NODES.objectNode();
            boolean changed = false;
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                String key = redact(e.getKey());
                JsonNode value = redact(e.getValue());
                changed |= value != e.getValue() || !key.equals(e.getKey());
                copy.set(key, value);
            }
            return changed ? copy : node;
        }
        return node;
    }
}

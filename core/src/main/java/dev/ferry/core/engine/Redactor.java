package dev.ferry.core.engine;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Replaces every occurrence of a secret value with {@value #MASK} — the value as it is and as it appears
 * encoded: URL-encoded (form and percent-20 spaces, either hex case), JSON-escaped (as inside a JSON
 * string, also with non-ASCII as {@code \\uXXXX}), and base64 (standard and URL-safe, with and without
 * padding). At each position the longest matching form wins, so a secret that contains another is masked
 * whole. Empty values are ignored.
 */
public final class Redactor {
    public static final String MASK = "********";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final List<String> secrets;

    public Redactor(Collection<String> secretValues) {
        this.secrets = secretValues == null ? List.of() : secretValues.stream()
                .filter(Objects::nonNull)
                .filter(s -> !s.isEmpty())
                .flatMap(s -> forms(s).stream())
                .collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new))
                .stream()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    /** The value and the encoded forms it takes in URLs, JSON text and base64. */
    static Set<String> forms(String s) {
        Set<String> out = new LinkedHashSet<>();
        out.add(s);
        String form = URLEncoder.encode(s, StandardCharsets.UTF_8);
        out.add(form);
        out.add(form.replace("+", "%20"));
        for (String f : List.of(form, form.replace("+", "%20"))) out.add(lowerHex(f));
        String json = new String(JsonStringEncoder.getInstance().quoteAsString(s));
        out.add(json);
        out.add(asciiOnly(json));
        out.add(json.replace("/", "\\/"));
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (Base64.Encoder e : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
            String b = e.encodeToString(bytes);
            out.add(b);
            out.add(b.replaceAll("=+$", ""));
        }
        return out;
    }

    private static String lowerHex(String percentEncoded) {
        StringBuilder b = new StringBuilder(percentEncoded);
        for (int i = 0; i + 2 < b.length(); i++) {
            if (b.charAt(i) == '%') {
                b.setCharAt(i + 1, Character.toLowerCase(b.charAt(i + 1)));
                b.setCharAt(i + 2, Character.toLowerCase(b.charAt(i + 2)));
            }
        }
        return b.toString();
    }

    private static String asciiOnly(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c < 0x80) b.append(c);
            else b.append(String.format("\\u%04x", (int) c));
        }
        return b.toString();
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

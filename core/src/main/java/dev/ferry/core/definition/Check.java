package dev.ferry.core.definition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.engine.Expressions;
import dev.ferry.core.error.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Collects the problems {@link DefinitionParser} finds in a definition, each at its JSON path, and the
 * field readers it and {@link StepParser} share: each adds a problem and answers null (or a default)
 * when a value is wrong, so that every problem is reported at once.
 */
final class Check {
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

    final List<FieldError> errors = new ArrayList<>();

    void add(String path, String reason) {
        errors.add(new FieldError(path, reason));
    }

    static String path(String parent, String field) {
        String key = PLAIN_KEY.matcher(field).matches() ? field : "['" + field.replace("'", "\\'") + "']";
        if (parent.isEmpty()) return key;
        return key.startsWith("[") ? parent + key : parent + "." + key;
    }

    static String index(String parent, int i) {
        return parent + "[" + i + "]";
    }

    static void unknownFields(JsonNode node, String at, Set<String> allowed, Check check) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!allowed.contains(e.getKey())) check.add(path(at, e.getKey()), "unknown field");
        }
    }

    static String name(JsonNode node, String at, String field, Check check) {
        String name = requiredString(node, at, field, check);
        if (name == null) return null;
        if (name.isBlank()) {
            check.add(path(at, field), "must not be blank");
            return null;
        }
        if (name.length() > DefinitionParser.MAX_NAME_LENGTH) {
            check.add(path(at, field), "must be at most " + DefinitionParser.MAX_NAME_LENGTH + " characters");
        }
        return name;
    }

    static String requiredString(JsonNode node, String at, String field, Check check) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            check.add(path(at, field), "required");
            return null;
        }
        if (!v.isTextual()) {
            check.add(path(at, field), "must be a string");
            return null;
        }
        if (v.textValue().isBlank()) {
            check.add(path(at, field), "must not be blank");
            return null;
        }
        return v.textValue();
    }

    static String optionalString(JsonNode node, String at, String field, Check check) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) {
            check.add(path(at, field), "must be a string");
            return null;
        }
        return v.textValue();
    }

    static boolean bool(JsonNode node, String at, String field, boolean fallback, Check check) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return fallback;
        if (!v.isBoolean()) {
            check.add(path(at, field), "must be true or false");
            return fallback;
        }
        return v.booleanValue();
    }

    static int integer(JsonNode node, String at, String field, int min, int max, int fallback, Check check) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return fallback;
        boolean whole = v.isIntegralNumber() || (v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue()));
        if (!whole || v.doubleValue() < min || v.doubleValue() > max) {
            check.add(path(at, field), "must be a whole number from " + min + " to " + max);
            return fallback;
        }
        return v.intValue();
    }

    static void required(JsonNode node, String at, String field, Check check) {
        if (!node.has(field)) check.add(path(at, field), "required");
    }

    static void stringOrExpression(JsonNode node, String at, String field, boolean required, Check check) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) check.add(path(at, field), "required");
        } else if (!v.isTextual()) {
            check.add(path(at, field), "must be a string or an expression");
        }
    }

    static void condition(JsonNode node, String at, String field, Check check) {
        JsonNode v = literal(node, field);
        if (v != null && !v.isBoolean()) check.add(path(at, field), "must be true, false or an expression {% … %}");
    }

    /** The field's value unless it is absent, null or an expression (checked at run time). */
    static JsonNode literal(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || isExpression(v) ? null : v;
    }

    static boolean isExpression(JsonNode node) {
        return node.isTextual() && Expressions.isExpression(node.textValue());
    }

    static void text(String text, String at, Check check) {
        if (Expressions.isExpression(text)) {
            try {
                Expressions.compile(text);
            } catch (IllegalArgumentException e) {
                check.add(at, "invalid expression: " + e.getMessage());
            }
        } else if (text.contains("{%")) {
            check.add(at, "an expression must be the whole string, {% … %}; join text inside it with &");
        }
    }

    /** Every string in the step: a whole {@code {% … %}} must compile; a partial one is a mistake. */
    static void expressions(JsonNode node, String at, Check check) {
        if (node.isTextual()) {
            text(node.textValue(), at, check);
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) expressions(node.get(i), index(at, i), check);
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) expressions(e.getValue(), path(at, e.getKey()), check);
        }
    }
}

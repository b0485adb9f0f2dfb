package dev.ferry.core.definition;

import static dev.ferry.core.definition.Check.condition;
import static dev.ferry.core.definition.Check.expressions;
import static dev.ferry.core.definition.Check.isExpression;
import static dev.ferry.core.definition.Check.literal;
import static dev.ferry.core.definition.Check.path;
import static dev.ferry.core.definition.Check.required;
import static dev.ferry.core.definition.Check.requiredString;
import static dev.ferry.core.definition.Check.stringOrExpression;
import static dev.ferry.core.definition.Check.unknownFields;
import static dev.ferry.core.definition.DefinitionParser.HTTP_METHODS;
import static dev.ferry.core.definition.DefinitionParser.MAX_HTTP_TIMEOUT_SECONDS;
import static dev.ferry.core.definition.DefinitionParser.MAX_SLEEP_SECONDS;
import static dev.ferry.core.definition.DefinitionParser.STEP_NAME;
import static dev.ferry.core.definition.DefinitionParser.STEP_TYPES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.engine.CodeSteps;
import dev.ferry.core.model.Severity;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads and checks one step of a flow for {@link DefinitionParser}: its name and type, the fields its
 * type takes, every expression in it, and what each type needs (an http step's URL, method, headers,
 * query and timeout; a log step's severity; a sleep's seconds; a code step's class).
 */
final class StepParser {
    private static final Set<String> COMMON_STEP_FIELDS = Set.of("name", "type", "if");
    private static final Map<String, Set<String>> STEP_FIELDS = Map.of(
            "http", Set.of("url", "method", "headers", "body", "query", "timeoutSeconds"),
            "transform", Set.of("output"),
            "log", Set.of("message", "severity"),
            "fail", Set.of("message", "retryable"),
            "sleep", Set.of("seconds"),
            "code", Set.of("class", "input"));

    private StepParser() {}

    static StepDef step(JsonNode node, String at, Check check) {
        if (!node.isObject()) {
            check.add(at, "must be an object with name and type");
            return null;
        }
        String name = requiredString(node, at, "name", check);
        if (name != null && !STEP_NAME.matcher(name).matches()) {
            check.add(path(at, "name"), "must match [A-Za-z_][A-Za-z0-9_-]* (so that $steps.<name> works)");
            name = null;
        }
        String type = requiredString(node, at, "type", check);
        ObjectNode spec = ((ObjectNode) node).deepCopy();
        if (type == null) return new StepDef(name, null, spec);
        if (!STEP_TYPES.contains(type)) {
            check.add(path(at, "type"), "unknown step type '" + type + "' (expected one of " + String.join(", ", STEP_TYPES) + ")");
            return new StepDef(name, type, spec);
        }
        Set<String> allowed = new HashSet<>(COMMON_STEP_FIELDS);
        allowed.addAll(STEP_FIELDS.get(type));
        unknownFields(node, at, allowed, check);
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (allowed.contains(e.getKey()) && !e.getKey().equals("name") && !e.getKey().equals("type")) {
                expressions(e.getValue(), path(at, e.getKey()), check);
            }
        }
        condition(node, at, "if", check);
        switch (type) {
            case "http" -> http(node, at, check);
            case "transform" -> required(node, at, "output", check);
            case "log" -> {
                stringOrExpression(node, at, "message", true, check);
                JsonNode s = literal(node, "severity");
                if (s != null && (!s.isTextual() || Severity.parse(s.textValue()).isEmpty())) {
                    check.add(path(at, "severity"), "must be DEBUG, INFO, WARN or ERROR");
                }
            }
            case "fail" -> {
                stringOrExpression(node, at, "message", true, check);
                condition(node, at, "retryable", check);
            }
            case "sleep" -> {
                JsonNode s = node.get("seconds");
                if (s == null || s.isNull()) check.add(path(at, "seconds"), "required");
                else if (!isExpression(s) && (!s.isNumber() || s.doubleValue() < 0 || s.doubleValue() > MAX_SLEEP_SECONDS)) {
                    check.add(path(at, "seconds"), "must be a number from 0 to " + MAX_SLEEP_SECONDS + " or an expression");
                }
            }
            case "code" -> {
                JsonNode c = node.get("class");
                if (c == null || c.isNull()) check.add(path(at, "class"), "required");
                else if (!c.isTextual()) check.add(path(at, "class"), "must be a class name");
                else {
                    try {
                        CodeSteps.find(c.textValue());
                    } catch (IllegalArgumentException e) {
                        check.add(path(at, "class"), e.getMessage());
                    }
                }
            }
            default -> { }
        }
        return new StepDef(name, type, spec);
    }

    private static void http(JsonNode node, String at, Check check) {
        JsonNode url = node.get("url");
        if (url == null || url.isNull()) {
            check.add(path(at, "url"), "required");
        } else if (!url.isTextual()) {
            check.add(path(at, "url"), "must be a URL string or an expression");
        } else if (!isExpression(url) && !url.textValue().contains("{%") && !isHttpUrl(url.textValue())) {
            check.add(path(at, "url"), "must be an absolute http or https URL");
        }
        JsonNode method = literal(node, "method");
        if (method != null && (!method.isTextual() || !HTTP_METHODS.contains(method.textValue().trim().toUpperCase(Locale.ROOT)))) {
            check.add(path(at, "method"), "must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS");
        }
        for (String field : List.of("headers", "query")) {
            JsonNode map = literal(node, field);
            if (map == null) continue;
            if (!map.isObject()) {
                check.add(path(at, field), "must be an object or an expression");
                continue;
            }
            for (Map.Entry<String, JsonNode> e : map.properties()) {
                JsonNode v = e.getValue();
                boolean ok = v.isValueNode() || (field.equals("query") && v.isArray()
                        && java.util.stream.StreamSupport.stream(v.spliterator(), false).allMatch(JsonNode::isValueNode));
                if (!ok) check.add(path(path(at, field), e.getKey()), field.equals("query")
                        ? "must be a string, number, boolean or an array of them" : "must be a string");
            }
        }
        JsonNode timeout = literal(node, "timeoutSeconds");
        if (timeout != null && (!timeout.isNumber() || timeout.doubleValue() < 1 || timeout.doubleValue() > MAX_HTTP_TIMEOUT_SECONDS)) {
            check.add(path(at, "timeoutSeconds"), "must be a number from 1 to " + MAX_HTTP_TIMEOUT_SECONDS);
        }
    }

    private static boolean isHttpUrl(String text) {
        try {
            URI uri = new URI(text.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}

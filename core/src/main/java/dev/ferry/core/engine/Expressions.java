package dev.ferry.core.engine;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSONata expressions in definitions: a string whose whole (trimmed) text is {@code {% … %}}, as in
 * AWS Step Functions. Evaluated with the bindings object's fields as variables: {@code $trigger},
 * {@code $config}, {@code $steps}, {@code $execution}. Compiled expressions are cached (bounded, LRU).
 */
public final class Expressions {
    static final int CACHE_SIZE = 2048;
    /** Wall-clock limit and nesting limit of one evaluation, against runaway recursion. */
    static final long TIMEOUT_MS = 10_000;
    static final int MAX_DEPTH = 400;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<String, Jsonata> CACHE = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Jsonata> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    private Expressions() {}

    /** True when the whole string, trimmed, is {@code {% … %}}. */
    public static boolean isExpression(String text) {
        if (text == null) return false;
        String t = text.trim();
        return t.length() >= 4 && t.startsWith("{%") && t.endsWith("%}");
    }

    /** The JSONata text inside {@code {% … %}}, trimmed; a string without the delimiters as is. */
    public static String body(String expressionString) {
        String t = expressionString.trim();
        return isExpression(t) ? t.substring(2, t.length() - 2).trim() : t;
    }

    /**
     * Checks that the expression (with or without its {@code {% %}} delimiters) is valid JSONata.
     *
     * @throws IllegalArgumentException saying why not
     */
    public static void compile(String expressionString) {
        if (expressionString == null) throw new IllegalArgumentException("expression is null");
        compiled(body(expressionString));
    }

    /**
     * Evaluates a template: a copy of {@code template} in which every string that is a whole
     * expression is replaced by its result (any JSON; undefined becomes null). Other values are kept.
     *
     * @param bindings {@code {"trigger": …, "config": …, "steps": …, "execution": …}}
     * @throws ExpressionException naming the expression that failed and why
     */
    public static JsonNode evaluate(JsonNode template, JsonNode bindings) {
        return evaluate(template, Scope.of(bindings));
    }

    static JsonNode evaluate(JsonNode template, Scope scope) {
        if (template == null) return NODES.nullNode();
        if (template.isTextual()) {
            String text = template.textValue();
            return isExpression(text) ? evaluateExpression(text, scope) : template;
        }
        if (template.isArray()) {
            ArrayNode out = NODES.arrayNode(template.size());
            for (JsonNode item : template) out.add(evaluate(item, scope));
            return out;
        }
        if (template.isObject()) {
            ObjectNode out = NODES.objectNode();
            for (Map.Entry<String, JsonNode> e : template.properties()) out.set(e.getKey(), evaluate(e.getValue(), scope));
            return out;
        }
        return template;
    }

    /** Evaluates one expression string ({@code {% … %}} or bare JSONata). */
    static JsonNode evaluateExpression(String expressionString, Scope scope) {
        String body = body(expressionString);
        Jsonata expression;
        try {
            expression = compiled(body);
        } catch (IllegalArgumentException e) {
            throw new ExpressionException(shown(body), e.getMessage());
        }
        Jsonata.Frame frame = expression.createFrame();
        scope.variables().forEach(frame::bind);
        frame.setRuntimeBounds(TIMEOUT_MS, MAX_DEPTH);
        try {
            return JsonValues.toJson(expression.evaluate(null, frame));
        } catch (JException e) {
            throw new ExpressionException(shown(body), reason(e));
        } catch (StackOverflowError e) {
            throw new ExpressionException(shown(body), "too deeply nested");
        } catch (RuntimeException e) {
            throw new ExpressionException(shown(body), e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    /**
     * JSONata truthiness ({@code $boolean}): false for null, false, 0, "", empty arrays and objects,
     * and arrays of only falsy members; true otherwise.
     */
    public static boolean truthy(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) return false;
        if (value.isBoolean()) return value.booleanValue();
        if (value.isNumber()) return value.doubleValue() != 0;
        if (value.isTextual()) return !value.textValue().isEmpty();
        if (value.isArray()) {
            for (JsonNode item : value) if (truthy(item)) return true;
            return false;
        }
        if (value.isObject()) return !value.isEmpty();
        return true;
    }

    private static Jsonata compiled(String body) {
        if (body.isEmpty()) throw new IllegalArgumentException("empty expression");
        synchronized (CACHE) {
            Jsonata cached = CACHE.get(body);
            if (cached != null) return cached;
        }
        Jsonata parsed;
        try {
            parsed = Jsonata.jsonata(body);
        } catch (JException e) {
            throw new IllegalArgumentException(reason(e), e);
        } catch (RuntimeException | StackOverflowError e) {
            throw new IllegalArgumentException("cannot parse: " + e, e);
        } finally {
            // The library keeps a per-thread "current" instance whose environment every evaluation on
            // that thread overwrites; a new instance becomes current when constructed. A throwaway
            // instance takes that role here, so the cached ones are only ever read (see
            // dashjoin/jsonata-java#93: otherwise variables leak between expressions).
            Jsonata.jsonata("null");
        }
        synchronized (CACHE) {
            CACHE.putIfAbsent(body, parsed);
            return CACHE.get(body);
        }
    }

    private static String reason(JException e) {
        String message = e.getMessage() == null ? e.getError() : e.getMessage();
        return e.getLocation() > 0 ? message + " (at position " + e.getLocation() + ")" : message;
    }

    private static String shown(String body) {
        String oneLine = body.replaceAll("\\s+", " ");
        return "{% " + (oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine) + " %}";
    }

    /** Bindings converted once to the values JSONata reads, shared by the expressions of one run. */
    static final class Scope {
        private final Map<String, Object> variables = new LinkedHashMap<>();
        private final Map<String, Object> steps = new LinkedHashMap<>();

        static Scope of(JsonNode bindings) {
            Scope scope = new Scope();
            if (bindings != null && bindings.isObject()) {
                for (Map.Entry<String, JsonNode> e : bindings.properties()) {
                    scope.variables.put(e.getKey(), JsonValues.toJava(e.getValue()));
                }
            }
            return scope;
        }

        /** A scope for a run: {@code $steps} starts empty and grows with {@link #putStep}. */
        static Scope forRun(JsonNode trigger, JsonNode config, JsonNode execution) {
            Scope scope = new Scope();
            scope.variables.put("trigger", JsonValues.toJava(trigger));
            scope.variables.put("config", JsonValues.toJava(config));
            scope.variables.put("steps", new JsonValues.ReadOnlyMap(scope.steps));
            scope.variables.put("execution", JsonValues.toJava(execution));
            return scope;
        }

        void putStep(String name, JsonNode output) {
            steps.put(name, JsonValues.toJava(output));
        }

        Map<String, Object> variables() {
            return variables;
        }
    }
}

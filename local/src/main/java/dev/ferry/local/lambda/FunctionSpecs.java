package dev.ferry.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.template.Intrinsics;
import dev.ferry.template.Template;
import dev.ferry.template.TemplateException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads every {@code AWS::Serverless::Function} of the template, with {@code Globals.Function} applied as SAM does. */
public final class FunctionSpecs {
    private FunctionSpecs() {}

    /**
     * @param added variables the local stack sets for every function (emulator endpoint, region,
     *              public URL); they win over the template's
     */
    public static List<FunctionSpec> fromTemplate(Template template, Intrinsics intrinsics, Map<String, String> added) {
        JsonNode globals = template.functionGlobals();
        List<FunctionSpec> out = new ArrayList<>();
        for (Template.Resource r : template.ofType(Template.FUNCTION)) {
            JsonNode p = r.properties();
            String handler = intrinsics.resolveText(first(p, globals, "Handler"));
            if (handler == null || handler.isBlank()) throw new TemplateException(r.logicalId() + " has no Handler");
            int timeout = intOf(intrinsics.resolveText(first(p, globals, "Timeout")), 3);
            int memory = intOf(intrinsics.resolveText(first(p, globals, "MemorySize")), 128);

            Map<String, String> env = new LinkedHashMap<>();
            putVariables(env, globals.path("Environment").path("Variables"), intrinsics, r.logicalId());
            putVariables(env, p.path("Environment").path("Variables"), intrinsics, r.logicalId());
            env.put("AWS_LAMBDA_FUNCTION_NAME", r.logicalId());
            env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
            env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memory));
            env.putAll(added);

            List<FunctionSpec.Event> events = new ArrayList<>();
            p.path("Events").fields().forEachRemaining(e -> events.add(new FunctionSpec.Event(e.getKey(),
                    e.getValue().path("Type").asText(), intrinsics.resolve(e.getValue().path("Properties")))));
            out.add(new FunctionSpec(r.logicalId(), handler, env, timeout, memory, events));
        }
        return out;
    }

    private static JsonNode first(JsonNode own, JsonNode globals, String field) {
        return own.hasNonNull(field) ? own.get(field) : globals.get(field);
    }

    private static void putVariables(Map<String, String> env, JsonNode vars, Intrinsics intrinsics, String function) {
        vars.fields().forEachRemaining(e -> {
            try {
                String v = intrinsics.resolveText(e.getValue());
                if (v != null) env.put(e.getKey(), v);
            } catch (TemplateException ex) {
                throw new TemplateException(function + " environment variable " + e.getKey() + ": " + ex.getMessage(), ex);
            }
        });
    }

    private static int intOf(String s, int fallback) {
        if (s == null || s.isBlank()) return fallback;
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new TemplateException("expected a whole number, got '" + s + "'");
        }
    }
}

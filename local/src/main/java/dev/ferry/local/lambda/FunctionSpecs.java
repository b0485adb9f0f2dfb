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
            out.add(new FunctionSpec(r.logicalId(), handler, env, timeout, memory, events, async(first(p, globals, "EventInvokeConfig"),
                    intrinsics, r.logicalId())));
        }
        return out;
    }

    /** The function's EventInvokeConfig: retries (0 to 2, default 2) and an SQS on-failure destination. */
    private static FunctionSpec.AsyncInvokeConfig async(JsonNode config, Intrinsics intrinsics, String function) {
        if (config == null || config.isNull()) return FunctionSpec.AsyncInvokeConfig.DEFAULT;
        int retries = intOf(intrinsics.resolveText(config.get("MaximumRetryAttempts")), 2);
        if (retries < 0 || retries > 2) throw new TemplateException(function + " EventInvokeConfig.MaximumRetryAttempts must be 0 to 2");
        JsonNode onFailure = config.path("DestinationConfig").path("OnFailure");
        String destination = onFailure.has("Destination") ? intrinsics.resolveText(onFailure.get("Destination")) : null;
        String type = onFailure.path("Type").asText("SQS");
        if (destination != null && !type.equals("SQS")) {
            throw new TemplateException(function + " EventInvokeConfig on-failure destination of type " + type
                    + ": the local stack delivers to SQS only");
        }
        return new FunctionSpec.AsyncInvokeConfig(retries, destination);
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

package dev.ferry.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.model.Severity;
import java.util.concurrent.atomic.AtomicInteger;

/** A code step for tests: upper-cases {@code input.text}, reports what it saw, and logs. */
public class UppercaseCodeStep implements CodeStep {
    static final AtomicInteger INSTANCES = new AtomicInteger();

    public UppercaseCodeStep() {
        INSTANCES.incrementAndGet();
    }

    @Override
    public JsonNode run(CodeStepContext context) {
        context.log().log(Severity.INFO, null, "upper-casing " + context.input().path("text").asText());
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("text", context.input().path("text").asText().toUpperCase());
        out.set("sawTriggerBody", context.bindings().path("trigger").path("body"));
        out.set("sawSteps", context.bindings().path("steps"));
        return out;
    }
}

package dev.ferry.core.engine;

import com.fasterxml.jackson.databind.JsonNode;

/** A code step for tests: fails as {@code input.how} says ("permanent", "transient" or "crash"). */
public class FailingCodeStep implements CodeStep {
    @Override
    public JsonNode run(CodeStepContext context) {
        switch (context.input().path("how").asText()) {
            case "permanent" -> throw new StepFailedException("customer " + context.input().path("customer").asText() + " is closed", false);
            case "transient" -> throw new StepFailedException("try later", true);
            default -> throw new IllegalStateException("boom");
        }
    }
}

package dev.ferry.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.StepResult;
import dev.ferry.core.service.WebhookService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ANY /webhooks/{token}} (docs/api.md, "Webhooks"): 202 with the execution id once stored, or — with
 * {@code x-ferry-synchronous: true} — the last step's output (200) or the error (500).
 */
public final class WebhookEndpoint {
    public static final String SYNC_HEADER = "x-ferry-synchronous";
    private final WebhookService webhooks;

    public WebhookEndpoint(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    public ApiResponse handle(String token, ExecutionRequest request) {
        try {
            Execution accepted = webhooks.accept(token, request);
            boolean sync = "true".equalsIgnoreCase(request.headers().getOrDefault(SYNC_HEADER, ""));
            if (!sync || accepted.status() == ExecutionStatus.HELD) {
                return accepted(accepted);
            }
            Execution done = webhooks.awaitEnd(accepted);
            if (done.status() == ExecutionStatus.SUCCEEDED) {
                return ApiResponse.json(200, lastOutput(done)).withHeader("x-ferry-execution-id", done.id());
            }
            if (done.status().terminal()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("code", "execution_" + done.status().name().toLowerCase());
                e.put("message", done.error() == null ? "execution " + done.status() : done.error().message());
                e.put("step", done.error() == null ? null : done.error().step());
                e.put("executionId", done.id());
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("error", e);
                body.put("executionId", done.id());
                return ApiResponse.json(500, body).withHeader("x-ferry-execution-id", done.id());
            }
            return accepted(done);
        } catch (RuntimeException e) {
            return ApiErrors.toResponse(e);
        }
    }

    private static ApiResponse accepted(Execution e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("executionId", e.id());
        body.put("status", e.status());
        return ApiResponse.json(202, body).withHeader("x-ferry-execution-id", e.id());
    }

    private static Object lastOutput(Execution e) {
        List<StepResult> steps = e.steps();
        for (int i = steps.size() - 1; i >= 0; i--) {
            if (StepResult.SUCCEEDED.equals(steps.get(i).status())) {
                JsonNode out = steps.get(i).output();
                return out == null ? Map.of() : out;
            }
        }
        return Map.of();
    }
}

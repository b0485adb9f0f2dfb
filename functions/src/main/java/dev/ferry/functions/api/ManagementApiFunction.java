package dev.ferry.functions.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.Ferry;
import dev.ferry.core.api.ApiErrors;
import dev.ferry.core.api.ApiRequest;
import dev.ferry.core.api.ApiResponse;
import dev.ferry.core.api.ManagementApi;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.json.Json;
import dev.ferry.core.log.Log;
import dev.ferry.functions.DirectEvents;
import dev.ferry.functions.LambdaIo;
import dev.ferry.functions.Wiring;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Set;

/**
 * The management API: every HTTP API route of template.yaml but webhooks, replay and the console. Directly
 * (AWS console, {@code aws lambda invoke}) it takes {@code {"action": "pause" | "unpause",
 * "instanceId": …}} and answers what {@code POST /instances/{id}/pause|unpause} would — invoking
 * the function is already authorised by IAM, so no API key is asked for.
 */
public final class ManagementApiFunction implements RequestStreamHandler {
    private static final Set<String> DIRECT_ACTIONS = Set.of("pause", "unpause");
    private final ManagementApi api;

    public ManagementApiFunction() {
        this(Wiring.ferry());
    }

    public ManagementApiFunction(Ferry ferry) {
        this.api = ferry.api();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        try (Log.Scope invocation = LambdaIo.logScope(context)) {
            handle(input, output, context);
        }
    }

    private void handle(InputStream input, OutputStream output, Context context) {
        JsonNode event;
        try {
            event = LambdaIo.readTree(input);
        } catch (ValidationException e) {
            LambdaIo.write(output, DirectEvents.error(e));
            return;
        }
        if (!LambdaIo.isHttpApiEvent(event)) {
            LambdaIo.write(output, direct(event));
            return;
        }
        ApiResponse answer;
        try {
            answer = api.handle(LambdaIo.apiRequest(LambdaIo.httpApiEvent(event)));
        } catch (ValidationException notAnHttpEvent) {
            answer = ApiErrors.toResponse(notAnHttpEvent);
        }
        LambdaIo.write(output, LambdaIo.httpApiResponse(answer));
    }

    private Object direct(JsonNode event) {
        try {
            String action = DirectEvents.requiredText(event, "action");
            if (!DIRECT_ACTIONS.contains(action)) throw new ValidationException("action", "must be pause or unpause");
            String instanceId = DirectEvents.requiredText(event, "instanceId");
            if (!instanceId.matches("[A-Za-z0-9_-]+")) throw new ValidationException("instanceId", "is not an instance id");
            ApiResponse r = api.handleTrusted(new ApiRequest("POST", "/instances/" + instanceId + "/" + action, Map.of(),
                    Map.of(), new byte[0], null));
            return Json.tree(r.body());
        } catch (RuntimeException e) {
            return DirectEvents.error(e);
        }
    }
}

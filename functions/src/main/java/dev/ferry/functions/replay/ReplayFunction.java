package dev.ferry.functions.replay;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.model.Execution;
import dev.ferry.core.service.Ferry;
import dev.ferry.functions.DirectEvents;
import dev.ferry.functions.LambdaIo;
import dev.ferry.functions.Wiring;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Replays an execution: from {@code POST /executions/{id}/replay}, or directly with
 * {@code {"executionId": …, "body"?: …}} (answers {@code {"executionId", "status", "replayOf"}}).
 */
public final class ReplayFunction implements RequestStreamHandler {
    private final Ferry ferry;

    public ReplayFunction() {
        this(Wiring.ferry());
    }

    public ReplayFunction(Ferry ferry) {
        this.ferry = ferry;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        JsonNode event = LambdaIo.readTree(input);
        if (LambdaIo.isHttpApiEvent(event)) {
            var request = LambdaIo.apiRequest(LambdaIo.httpApiEvent(event));
            LambdaIo.write(output, LambdaIo.httpApiResponse(ferry.api().handle(request)));
        } else {
            LambdaIo.write(output, replayDirect(event));
        }
    }

    private Object replayDirect(JsonNode event) {
        try {
            if (event.has("filter")) {
                throw new ValidationException("filter", "bulk replay is not available in this version; "
                        + "replay executions one at a time with {\"executionId\": …}");
            }
            String id = DirectEvents.requiredText(event, "executionId");
            Execution replay = ferry.replays().replay(id, DirectEvents.optionalBody(event.get("body")));
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("executionId", replay.id());
            answer.put("status", replay.status());
            answer.put("replayOf", replay.replayOf());
            return answer;
        } catch (RuntimeException e) {
            return DirectEvents.error(e);
        }
    }
}

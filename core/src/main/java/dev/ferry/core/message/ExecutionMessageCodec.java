package dev.ferry.core.message;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.json.Json;
import java.util.Map;

/** The execution queue's wire format (see {@link ExecutionMessage}). */
final class ExecutionMessageCodec implements MessageCodec<ExecutionMessage> {
    static final String EXECUTION_ID = "executionId";
    static final String RELEASE_HELD_OF = "releaseHeldOf";
    static final String DELETE_INSTANCE = "deleteInstance";

    @Override
    public String write(ExecutionMessage message) {
        return switch (message) {
            case ExecutionMessage.Run m -> Json.write(Map.of(EXECUTION_ID, m.executionId()));
            case ExecutionMessage.ReleaseHeld m -> Json.write(Map.of(RELEASE_HELD_OF, m.instanceId()));
            case ExecutionMessage.ContinueDeletion m -> Json.write(Map.of(DELETE_INSTANCE, m.instanceId()));
        };
    }

    @Override
    public ExecutionMessage read(String body) {
        JsonNode n = Fields.object(body);
        if (n.has(RELEASE_HELD_OF)) return new ExecutionMessage.ReleaseHeld(Fields.text(n, RELEASE_HELD_OF));
        if (n.has(DELETE_INSTANCE)) return new ExecutionMessage.ContinueDeletion(Fields.text(n, DELETE_INSTANCE));
        return new ExecutionMessage.Run(Fields.text(n, EXECUTION_ID));
    }
}

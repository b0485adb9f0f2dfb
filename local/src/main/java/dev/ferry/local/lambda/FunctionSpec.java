package dev.ferry.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One {@code AWS::Serverless::Function} of the template, resolved: its handler, its environment
 * (globals merged with its own, plus what the local stack adds), its limits and its events.
 *
 * @param handler     {@code fully.qualified.Class::method}
 * @param environment exactly the variables the function sees
 * @param async       what Lambda does with a failed asynchronous invocation ({@code EventInvokeConfig})
 */
public record FunctionSpec(
        String name,
        String handler,
        Map<String, String> environment,
        int timeoutSeconds,
        int memoryMb,
        List<Event> events,
        AsyncInvokeConfig async) {

    public FunctionSpec {
        environment = Map.copyOf(environment);
        events = List.copyOf(events);
        if (async == null) async = AsyncInvokeConfig.DEFAULT;
    }

    public FunctionSpec(String name, String handler, Map<String, String> environment, int timeoutSeconds, int memoryMb,
                        List<Event> events) {
        this(name, handler, environment, timeoutSeconds, memoryMb, events, AsyncInvokeConfig.DEFAULT);
    }

    /**
     * A failed asynchronous invocation is run again {@code maximumRetryAttempts} times (Lambda's default:
     * 2), then Lambda's invocation record goes to {@code onFailure} (a queue ARN; null: dropped).
     */
    public record AsyncInvokeConfig(int maximumRetryAttempts, String onFailure) {
        public static final AsyncInvokeConfig DEFAULT = new AsyncInvokeConfig(2, null);
    }

    /** One entry of the function's {@code Events}: its name, {@code Type} and resolved {@code Properties}. */
    public record Event(String name, String type, JsonNode properties) {}

    public String handlerClass() {
        int i = handler.indexOf("::");
        return i < 0 ? handler : handler.substring(0, i);
    }

    public String handlerMethod() {
        int i = handler.indexOf("::");
        return i < 0 ? "handleRequest" : handler.substring(i + 2);
    }
}

package dev.ferry.local.events;

import dev.ferry.local.lambda.FunctionSpec;

/**
 * Builds the event source of one template event of a given {@code Type} ({@code SQS} →
 * {@link SqsEventSource#TYPE}). Register more with {@code LocalStackBuilder#eventSourceType}, e.g.
 * {@code ScheduleV2}.
 */
@FunctionalInterface
public interface EventSourceType {
    EventSource create(FunctionSpec function, FunctionSpec.Event event, EventSourceContext context);
}

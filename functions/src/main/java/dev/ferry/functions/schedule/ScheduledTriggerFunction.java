package dev.ferry.functions.schedule;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.Ferry;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.log.Log;
import dev.ferry.core.service.ScheduleService;
import dev.ferry.functions.DirectEvents;
import dev.ferry.functions.LambdaIo;
import dev.ferry.functions.Wiring;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The target of every flow config's EventBridge Scheduler schedule, which invokes it with
 * {@code {"flowConfigId": …, "scheduledTime": "<the tick's time>"}}; the same event (without
 * {@code scheduledTime}: now) is its direct invocation. Records a SCHEDULE execution and enqueues
 * it — once per (flow config, scheduled time) — and answers
 * {@code {"outcome": QUEUED|DUPLICATE|SKIPPED, "flowConfigId", "scheduledTime", "executionId", "reason"}}.
 * A bad event is answered with an error object; a store or queue failure fails the invocation. The
 * Scheduler invokes asynchronously, so Lambda runs a failed tick again (twice, the function's
 * EventInvokeConfig) and then sends its record to the schedule dead-letter queue, whose redrive fires
 * the tick again.
 */
public final class ScheduledTriggerFunction implements RequestStreamHandler {
    private final Ferry ferry;

    public ScheduledTriggerFunction() {
        this(Wiring.ferry());
    }

    public ScheduledTriggerFunction(Ferry ferry) {
        this.ferry = ferry;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        try (Log.Scope invocation = LambdaIo.logScope(context)) {
            handle(input, output, context);
        }
    }

    private void handle(InputStream input, OutputStream output, Context context) {
        ScheduleService.Tick tick;
        try {
            JsonNode event = LambdaIo.readTree(input);
            tick = ferry.schedules().fire(DirectEvents.requiredText(event, "flowConfigId"),
                    DirectEvents.optionalInstant(event, "scheduledTime"));
        } catch (ValidationException e) {
            LambdaIo.write(output, DirectEvents.error(e));
            return;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("outcome", tick.outcome());
        answer.put("flowConfigId", tick.flowConfigId());
        answer.put("scheduledTime", tick.scheduledTime());
        answer.put("executionId", tick.executionId());
        answer.put("reason", tick.reason());
        Log.write(tick.outcome() == ScheduleService.Outcome.SKIPPED ? Log.Level.WARN : Log.Level.INFO, "schedule tick",
                "outcome", tick.outcome(), "flowConfigId", tick.flowConfigId(), "scheduledTime", tick.scheduledTime(),
                "executionId", tick.executionId(), "reason", tick.reason());
        LambdaIo.write(output, answer);
    }
}

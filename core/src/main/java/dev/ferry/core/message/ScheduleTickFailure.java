package dev.ferry.core.message;

import java.time.Instant;

/**
 * A schedule tick ScheduledTriggerFunction could not record: EventBridge Scheduler invokes the
 * function asynchronously, so a failed run is retried by Lambda (twice) and then sent, as Lambda's
 * invocation record, to the function's on-failure destination, the schedule dead-letter queue.
 * Redriving it fires the tick again (once per flow config and scheduled time, so twice is once).
 *
 * <p>On the wire ({@link #CODEC}), Lambda's record:
 * {@code {"version": "1.0", "timestamp", "requestContext": {"requestId", "functionArn", "condition",
 * "approximateInvokeCount"}, "requestPayload": {"flowConfigId", "scheduledTime"}, "responseContext":
 * {…}, "responsePayload": {"errorType", "errorMessage"}}}; unknown fields ignored.
 *
 * @param scheduledTime the tick's time; null when the payload had none (a direct invocation: now)
 * @param condition     why Lambda gave up: {@code RetriesExhausted}, {@code EventAgeExceeded}
 * @param attempts      how many times the function ran
 * @param error         the last run's error message, null when there was none
 */
public record ScheduleTickFailure(String flowConfigId, Instant scheduledTime, String condition, int attempts, String error)
        implements QueueMessage {
    public static final MessageCodec<ScheduleTickFailure> CODEC = new ScheduleTickFailureCodec();

    public ScheduleTickFailure {
        Fields.requireId(ScheduleTickFailureCodec.FLOW_CONFIG_ID, flowConfigId);
        if (condition == null || condition.isBlank()) condition = "RetriesExhausted";
        if (attempts < 0) throw new MalformedMessageException("approximateInvokeCount: must not be negative");
    }

    @Override
    public String summary() {
        return "flowConfigId " + flowConfigId + (scheduledTime == null ? "" : " at " + scheduledTime) + ": " + condition
                + " after " + attempts + (attempts == 1 ? " attempt" : " attempts")
                + (error == null ? "" : " (" + (error.length() > 200 ? error.substring(0, 200) + "…" : error) + ")");
    }
}

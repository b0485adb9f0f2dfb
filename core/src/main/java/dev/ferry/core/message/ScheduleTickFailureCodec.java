package dev.ferry.core.message;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.json.Json;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Lambda's invocation record for a failed asynchronous invocation (see {@link ScheduleTickFailure}). */
final class ScheduleTickFailureCodec implements MessageCodec<ScheduleTickFailure> {
    static final String FLOW_CONFIG_ID = "requestPayload.flowConfigId";

    @Override
    public String write(ScheduleTickFailure m) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("flowConfigId", m.flowConfigId());
        if (m.scheduledTime() != null) request.put("scheduledTime", m.scheduledTime().toString());
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("condition", m.condition());
        context.put("approximateInvokeCount", m.attempts());
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("version", "1.0");
        record.put("requestContext", context);
        record.put("requestPayload", request);
        if (m.error() != null) {
            record.put("responseContext", Map.of("functionError", "Unhandled"));
            record.put("responsePayload", Map.of("errorMessage", m.error()));
        }
        return Json.write(record);
    }

    @Override
    public ScheduleTickFailure read(String body) {
        JsonNode record = Fields.object(body);
        JsonNode request = record.path("requestPayload");
        if (!request.isObject()) throw new MalformedMessageException("requestPayload: is required (an object)");
        JsonNode context = record.path("requestContext");
        String time = Fields.text(request, "scheduledTime");
        Instant scheduledTime;
        try {
            scheduledTime = time == null ? null : Instant.parse(time);
        } catch (DateTimeException e) {
            throw new MalformedMessageException("requestPayload.scheduledTime: must be an ISO-8601 instant", e);
        }
        JsonNode error = record.path("responsePayload").path("errorMessage");
        return new ScheduleTickFailure(Fields.text(request, "flowConfigId"), scheduledTime,
                Fields.text(context, "condition"), context.path("approximateInvokeCount").asInt(0),
                error.isTextual() ? error.asText() : null);
    }
}

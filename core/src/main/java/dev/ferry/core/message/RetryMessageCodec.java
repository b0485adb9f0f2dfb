package dev.ferry.core.message;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.json.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The retry queue's wire format (see {@link RetryMessage}). */
final class RetryMessageCodec implements MessageCodec<RetryMessage> {
    @Override
    public String write(RetryMessage message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("executionId", message.executionId());
        body.put("dueAt", message.dueAt().toString());
        return Json.write(body);
    }

    @Override
    public RetryMessage read(String body) {
        JsonNode n;
        try {
            n = Json.tree(body);
        } catch (RuntimeException e) {
            throw new MalformedMessageException("not a retry message: not JSON", e);
        }
        if (n == null) throw new MalformedMessageException("not a retry message: empty");
        Instant dueAt;
        try {
            dueAt = Instant.parse(n.path("dueAt").asText());
        } catch (DateTimeParseException e) {
            throw new MalformedMessageException("not a retry message: " + e.getMessage(), e);
        }
        return new RetryMessage(n.path("executionId").asText(""), dueAt);
    }
}

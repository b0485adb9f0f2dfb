package dev.ferry.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.model.DeadLetter;
import dev.ferry.core.model.DeadLetterQueue;
import dev.ferry.core.port.DeadLetters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's dead-letter routes (Scope.ADMIN: the admin key only; not part of the public API):
 * {@code GET /dead-letters?queue=execution|retry|monitor|replay-job&limit=} and
 * {@code POST /dead-letters/redrive {"queue", "messageIds"?}}.
 */
public final class DeadLettersApi {
    private static final int MAX_ID = 200;

    private final DeadLetters deadLetters;

    public DeadLettersApi(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    ApiResponse list(ApiRequest request) {
        Input in = new Input();
        in.onlyParams(request, "queue", "limit");
        DeadLetterQueue queue = queue(in, request.queryParam("queue"));
        int limit = in.limit(request);
        in.check();
        List<Map<String, Object>> items = deadLetters.list(queue, limit).stream().map(DeadLettersApi::view).toList();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("queue", queue.wireName());
        m.put("items", items);
        return ApiResponse.json(200, m);
    }

    ApiResponse redrive(ApiRequest request) {
        ObjectNode body = Input.object(request);
        Input in = new Input();
        in.onlyFields(body, "queue", "messageIds");
        JsonNode q = body.get("queue");
        DeadLetterQueue queue = queue(in, q == null || q.isNull() ? null : q.isTextual() ? q.asText() : "");
        List<String> ids = null;
        JsonNode idsNode = body.get("messageIds");
        if (idsNode != null && !idsNode.isNull()) {
            if (!idsNode.isArray() || idsNode.isEmpty() || idsNode.size() > DeadLetters.MAX) {
                in.add("messageIds", "must be a list of 1 to " + DeadLetters.MAX + " message ids, or left out for all");
            } else {
                ids = new ArrayList<>();
                for (JsonNode id : idsNode) {
                    if (!id.isTextual() || id.asText().isBlank() || id.asText().length() > MAX_ID) {
                        in.add("messageIds", "each must be a message id as GET /dead-letters lists it");
                        break;
                    }
                    ids.add(id.asText());
                }
            }
        }
        in.check();
        DeadLetters.Redrive r = deadLetters.redrive(queue, ids);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("queue", queue.wireName());
        m.put("moved", r.moved());
        m.put("notFound", r.notFound());
        return ApiResponse.json(200, m);
    }

    private static DeadLetterQueue queue(Input in, String name) {
        if (name == null || name.isBlank()) {
            in.add("queue", "required: one of " + DeadLetterQueue.names());
            return DeadLetterQueue.EXECUTION;
        }
        return DeadLetterQueue.of(name).orElseGet(() -> {
            in.add("queue", "must be one of " + DeadLetterQueue.names());
            return DeadLetterQueue.EXECUTION;
        });
    }

    static Map<String, Object> view(DeadLetter d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("queue", d.queue().wireName());
        m.put("sentAt", d.sentAt() == null ? null : d.sentAt().toString());
        m.put("receiveCount", d.receiveCount());
        m.put("summary", d.summary());
        m.put("body", d.body());
        m.put("truncated", d.truncated());
        return m;
    }
}

package dev.ferry.core.api;

import dev.ferry.core.json.Json;
import dev.ferry.core.model.Page;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP answer: status, headers, and a JSON (or empty) body. */
public record ApiResponse(int status, Map<String, String> headers, byte[] body) {

    public static ApiResponse json(int status, Object value) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("content-type", "application/json");
        return new ApiResponse(status, h, Json.writeBytes(value));
    }

    /** 200 with a page of a list: {@code {"items": [...], "nextCursor": ...}}. */
    public static ApiResponse page(Page<?> page) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", page.items());
        m.put("nextCursor", page.nextCursor());
        return json(200, m);
    }

    public static ApiResponse empty(int status) {
        return new ApiResponse(status, Map.of(), new byte[0]);
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new ApiResponse(status, h, body);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}

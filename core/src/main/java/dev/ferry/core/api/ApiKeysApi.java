package dev.ferry.core.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.model.ApiKey;
import dev.ferry.core.model.Page;
import dev.ferry.core.service.Ports;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The API key routes (CONTRACT §4): {@code POST /api-keys {name, customerId?}} answers the key once,
 * {@code GET /api-keys} lists keys without them, {@code DELETE /api-keys/{id}} revokes. Who may do
 * what is {@link Tenancy}'s ({@link Scope#NEW_API_KEY}, {@link Scope#LIST}, {@link Scope#API_KEY}).
 */
final class ApiKeysApi {
    private final Ports ports;
    private final Auth auth;

    ApiKeysApi(Ports ports, Auth auth) {
        this.ports = ports;
        this.auth = auth;
    }

    ApiResponse create(ApiRequest request) {
        ObjectNode body = Input.object(request);
        Input in = new Input();
        in.onlyFields(body, "name", "customerId");
        String name = in.requiredString(body, "name", Input.MAX_NAME);
        String customerId = in.optionalString(body, "customerId", 100);
        in.check();
        if (customerId != null && ports.customers().get(customerId).isEmpty()) {
            throw new ValidationException("customerId", "no customer '" + customerId + "'");
        }
        String key = Auth.newKey();
        ApiKey stored = new ApiKey(ports.ids().newId("key"), name, customerId, Auth.sha256Hex(key), ports.clock().instant());
        ports.apiKeys().create(stored);
        Map<String, Object> answer = Views.apiKey(stored);
        answer.put("key", key);
        return ApiResponse.json(201, answer);
    }

    /** {@code customerId} (a customer key's customer, else null): only that customer's keys. */
    ApiResponse list(ApiRequest request, String customerId) {
        Input in = new Input();
        in.onlyParams(request, "customerId", "limit", "cursor");
        int limit = in.limit(request);
        in.check();
        String customer = customerId != null ? customerId : request.queryParam("customerId");
        Page<Map<String, Object>> page = ports.apiKeys().list(customer, limit, request.queryParam("cursor")).map(Views::apiKey);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", page.items());
        m.put("nextCursor", page.nextCursor());
        return ApiResponse.json(200, m);
    }

    ApiResponse delete(String id) {
        ApiKey gone = ports.apiKeys().delete(id).orElseThrow(() -> new NotFoundException("API key", id));
        auth.forget(gone.keyHash());
        return ApiResponse.empty(204);
    }
}

package dev.ferry.core.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.model.ApiKey;
import dev.ferry.core.model.Customer;
import dev.ferry.core.port.ApiKeyStore;
import dev.ferry.core.port.CustomerStore;
import dev.ferry.core.port.IdGenerator;
import dev.ferry.core.service.Quotas;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The API key routes (docs/api.md, "API keys"): {@code POST /api-keys {name, customerId?}} answers the key once,
 * {@code GET /api-keys} lists keys without them, {@code DELETE /api-keys/{id}} revokes. Who may do
 * what is {@link Tenancy}'s ({@link Scope#NEW_API_KEY}, {@link Scope#LIST}, {@link Scope#API_KEY}).
 */
public final class ApiKeysApi {
    private final ApiKeyStore apiKeys;
    private final CustomerStore customers;
    private final IdGenerator ids;
    private final Clock clock;
    private final Auth auth;
    private final Quotas quotas;

    public ApiKeysApi(ApiKeyStore apiKeys, CustomerStore customers, IdGenerator ids, Clock clock, Auth auth, Quotas quotas) {
        this.quotas = quotas;
        this.apiKeys = apiKeys;
        this.customers = customers;
        this.ids = ids;
        this.clock = clock;
        this.auth = auth;
    }

    /** {@code callerCustomerId}: the creating key's customer (null for an admin key), whose quota of keys binds. */
    ApiResponse create(ApiRequest request, String callerCustomerId) {
        ObjectNode body = Input.object(request);
        Input in = new Input();
        in.onlyFields(body, "name", "customerId");
        String name = in.requiredString(body, "name", Input.MAX_NAME);
        String customerId = in.optionalString(body, "customerId", 100);
        in.check();
        if (customerId != null && customers.get(customerId).isEmpty()) {
            throw new ValidationException("customerId", "no customer '" + customerId + "'");
        }
        quotas.beforeApiKey(callerCustomerId);
        String key = Auth.newKey();
        ApiKey stored = new ApiKey(ids.newId("key"), name, customerId, Auth.sha256Hex(key), clock.instant());
        apiKeys.create(stored);
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
        return ApiResponse.page(apiKeys.list(customer, limit, request.queryParam("cursor")).map(Views::apiKey));
    }

    /**
     * {@code GET /whoami}: the calling key as a client shows it — its kind ({@code admin} or
     * {@code customer}), its customer's id and name, its stored id and name ({@code null} and
     * {@code "admin"} for the deployment's own admin key) and its first characters, which identify a
     * key without revealing it.
     */
    ApiResponse whoami(Call call) {
        Input in = new Input();
        in.onlyParams(call.request());
        in.check();
        Auth.Principal p = call.principal();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", p.admin() ? "admin" : "customer");
        m.put("customerId", p.customerId());
        m.put("customerName", p.admin() ? null : customers.get(p.customerId()).map(Customer::name).orElse(null));
        m.put("keyId", p.keyId());
        m.put("keyName", p.name());
        m.put("keyPrefix", prefix(call.request().header("authorization")));
        return ApiResponse.json(200, m);
    }

    /** The presented key's first {@value #PREFIX} characters and an ellipsis (a short key: its first half). */
    private static String prefix(String header) {
        String key = header == null ? "" : header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : header.trim();
        int n = Math.min(PREFIX, key.length() / 2);
        return key.substring(0, n) + "…";
    }

    static final int PREFIX = 8;

    ApiResponse delete(String id) {
        ApiKey gone = apiKeys.delete(id).orElseThrow(() -> new NotFoundException("API key", id));
        auth.forget(gone.keyHash());
        return ApiResponse.empty(204);
    }
}

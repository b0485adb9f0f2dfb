package dev.ferry.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.definition.IntegrationDefinition;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.Page;
import dev.ferry.core.model.PauseMode;
import dev.ferry.core.port.InstanceStore;
import dev.ferry.core.service.Definitions;
import dev.ferry.core.service.InstanceDeletion;
import dev.ferry.core.service.InstanceService;
import dev.ferry.core.service.PauseService;
import dev.ferry.core.service.Quotas;
import dev.ferry.core.service.Settings;
import dev.ferry.core.service.TestRuns;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The instance routes: {@code /instances} (create, list, read, change, delete), their flow configs,
 * pause and unpause, and a flow config's test run. Input shapes are checked here; what an instance
 * operation does is {@link InstanceService}'s, {@link PauseService}'s and {@link InstanceDeletion}'s.
 */
public final class InstancesApi {
    /** A test run's headers, as API Gateway would pass a webhook's (at most 100, values ≤ 8 KiB). */
    static final int MAX_TEST_HEADERS = 100;
    /** A test run's header names and values together, in UTF-8 bytes: API Gateway's limit for a request's headers. */
    public static final int MAX_TEST_HEADER_BYTES = 10_240;

    private final InstanceService service;
    private final PauseService pauses;
    private final InstanceDeletion deletions;
    private final TestRuns testRuns;
    private final InstanceStore instances;
    private final Definitions definitions;
    private final Clock clock;
    private final Settings settings;
    private final Quotas quotas;

    public InstancesApi(InstanceService service, PauseService pauses, InstanceDeletion deletions, TestRuns testRuns,
                        InstanceStore instances, Definitions definitions, Clock clock, Settings settings,
                        Quotas quotas) {
        this.quotas = quotas;
        this.service = service;
        this.pauses = pauses;
        this.deletions = deletions;
        this.testRuns = testRuns;
        this.instances = instances;
        this.definitions = definitions;
        this.clock = clock;
        this.settings = settings;
    }

    ApiResponse create(Call call) {
        ObjectNode body = Input.object(call.request());
        Input in = new Input();
        in.onlyFields(body, "name", "customerId", "integrationId", "integrationVersion", "configVariables", "pauseMode", "enabled");
        String name = in.requiredString(body, "name", Input.MAX_NAME);
        String customerId = in.requiredString(body, "customerId", 100);
        String integrationId = in.requiredString(body, "integrationId", 100);
        if (customerId != null && !Input.ID.matcher(customerId).matches()) in.add("customerId", Input.ID_RULE);
        if (integrationId != null && !Input.ID.matcher(integrationId).matches()) in.add("integrationId", Input.ID_RULE);
        Integer version = in.optionalInt(body, "integrationVersion", 1, Integer.MAX_VALUE);
        PauseMode pauseMode = in.optionalEnum(body, "pauseMode", PauseMode.class);
        JsonNode enabledNode = body.get("enabled");
        if (enabledNode != null && !enabledNode.isBoolean() && !enabledNode.isNull()) in.add("enabled", "must be true or false");
        in.check();
        Boolean enabled = enabledNode == null || enabledNode.isNull() ? null : enabledNode.asBoolean();
        quotas.beforeInstance(call.customerId());
        InstanceService.Saved made = service.create(new InstanceService.NewInstance(name, customerId, integrationId, version,
                body.get("configVariables"), pauseMode, enabled));
        return ApiResponse.json(201, view(made, call.request()));
    }

    ApiResponse list(Call call) {
        Input in = new Input();
        in.onlyParams(call.request(), "customerId", "limit", "cursor");
        int limit = in.limit(call.request());
        in.check();
        Instant now = clock.instant();
        String base = baseUrl(call.request());
        String customerId = call.customerId() != null ? call.customerId() : call.request().queryParam("customerId");
        Page<Instance> page = instances.list(customerId, limit, call.request().queryParam("cursor"));
        return ApiResponse.page(page.map(i -> Views.instance(i, instances.listFlowConfigs(i.id()),
                definitions.definition(i.integrationId(), i.integrationVersion()), base, now)));
    }

    ApiResponse get(Call call) {
        Instance i = service.get(call.id());
        return ApiResponse.json(200, Views.instance(i, instances.listFlowConfigs(i.id()),
                definitions.definition(i.integrationId(), i.integrationVersion()), baseUrl(call.request()),
                clock.instant()));
    }

    ApiResponse update(Call call) {
        Instance current = service.get(call.id());
        ObjectNode body = Input.object(call.request());
        Input in = new Input();
        in.onlyFields(body, "name", "integrationVersion", "configVariables", "pauseMode");
        String name = in.optionalString(body, "name", Input.MAX_NAME);
        Integer version = in.optionalInt(body, "integrationVersion", 1, Integer.MAX_VALUE);
        PauseMode pauseMode = in.optionalEnum(body, "pauseMode", PauseMode.class);
        in.check();
        InstanceService.Saved updated = service.update(current,
                new InstanceService.Change(name, version, body.get("configVariables"), pauseMode));
        return ApiResponse.json(200, view(updated, call.request()));
    }

    /**
     * {@code DELETE /instances/{id}?confirm=<instance name>}: 204 once everything is deleted; 202 with
     * {@code {id, status: "DELETING", executionsDeleted, more: true}} when the deletion goes on in the
     * background (an instance with more executions than one request deletes); a wrong or missing
     * {@code confirm} is 400 and deletes nothing. Repeating it resumes an unfinished deletion.
     */
    ApiResponse delete(Call call) {
        Input in = new Input();
        in.onlyParams(call.request(), "confirm");
        in.check();
        InstanceDeletion.Result r = deletions.delete(call.id(), call.request().queryParam("confirm"));
        if (!r.more()) return ApiResponse.empty(204);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", r.instance().id());
        view.put("status", "DELETING");
        view.put("executionsDeleted", r.executionsDeleted());
        view.put("more", true);
        return ApiResponse.json(202, view);
    }

    /** {@code POST /instances/{id}/pause}: 200 with the instance, {@code enabled: false}. */
    ApiResponse pause(Call call) {
        noBody(call.request());
        return pauseAnswer(pauses.pause(call.id()), call.request());
    }

    /** {@code POST /instances/{id}/unpause}: 200 with the instance, {@code enabled: true}, and what was released. */
    ApiResponse unpause(Call call) {
        noBody(call.request());
        return pauseAnswer(pauses.unpause(call.id()), call.request());
    }

    private static void noBody(ApiRequest request) {
        ObjectNode body = Input.objectOrEmpty(request);
        Input in = new Input();
        in.onlyFields(body);
        in.check();
    }

    private ApiResponse pauseAnswer(PauseService.Result r, ApiRequest request) {
        Instance i = r.instance();
        Map<String, Object> view = Views.instance(i, r.flowConfigs(),
                definitions.definition(i.integrationId(), i.integrationVersion()), baseUrl(request), clock.instant());
        view.put("schedulesUpdated", r.schedulesUpdated());
        if (i.enabled()) {
            Map<String, Object> held = new LinkedHashMap<>();
            held.put("released", r.release().released());
            held.put("more", r.release().more());
            view.put("held", held);
        }
        return ApiResponse.json(200, view);
    }

    ApiResponse listFlowConfigs(Call call) {
        Instance i = service.get(call.id());
        IntegrationDefinition def = definitions.definition(i.integrationId(), i.integrationVersion());
        Instant now = clock.instant();
        String base = baseUrl(call.request());
        return ApiResponse.page(new Page<>(instances.listFlowConfigs(i.id()).stream()
                .map(fc -> Views.flowConfig(fc, def, i.enabled(), base, now)).toList(), null));
    }

    /**
     * {@code POST /flow-configs/{id}/test}: runs the flow now with the given request, in
     * FlowExecutionFunction ({@link TestRuns}). A run that ends within {@link TestRuns#WAIT} is
     * answered 200 with the finished execution; a longer one 202 with the execution so far (its id,
     * QUEUED or RUNNING) to follow.
     */
    ApiResponse testFlowConfig(Call call) {
        ObjectNode body = Input.objectOrEmpty(call.request());
        Input in = new Input();
        in.onlyFields(body, "body", "headers", "contentType");
        String contentType = in.optionalString(body, "contentType", 200);
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode h = body.get("headers");
        if (h != null && !h.isNull()) {
            if (!h.isObject()) in.add("headers", "must be an object of header: value");
            else if (h.size() > MAX_TEST_HEADERS) in.add("headers", "at most " + MAX_TEST_HEADERS + " headers");
            else h.fields().forEachRemaining(e -> {
                if (e.getKey().isEmpty() || e.getKey().length() > 200) in.add("headers", "a header name must have 1 to 200 characters");
                else if (!e.getValue().isValueNode() || e.getValue().asText().length() > 8192) {
                    in.add("headers." + e.getKey(), "must be a string of at most 8192 characters");
                } else headers.put(e.getKey().toLowerCase(), e.getValue().asText());
            });
            long bytes = headers.entrySet().stream().mapToLong(e -> (e.getKey() + e.getValue()).getBytes(StandardCharsets.UTF_8).length).sum();
            if (bytes > MAX_TEST_HEADER_BYTES) {
                in.add("headers", "must be at most " + MAX_TEST_HEADER_BYTES + " bytes in all (names and values), "
                        + "as API Gateway allows a webhook; these are " + bytes);
            }
        }
        in.check();
        JsonNode payload = body.get("body");
        byte[] bytes = payload == null || payload.isNull() ? new byte[0]
                : payload.isTextual() ? payload.asText().getBytes(StandardCharsets.UTF_8) : Json.writeBytes(payload);
        String ct = contentType != null ? contentType : headers.getOrDefault("content-type", "application/json");
        headers.putIfAbsent("content-type", ct);
        Execution started = testRuns.start(call.id(), new ExecutionRequest("POST", bytes, headers, Map.of(), ct));
        Execution current = testRuns.awaitEnd(started, TestRuns.WAIT);
        if (current.status().terminal()) return ApiResponse.json(200, Views.execution(current, true));
        return ApiResponse.json(202, Views.execution(current, true));
    }

    private Map<String, Object> view(InstanceService.Saved s, ApiRequest request) {
        return Views.instance(s.instance(), s.flowConfigs(), s.definition(), baseUrl(request), s.at());
    }

    private String baseUrl(ApiRequest request) {
        if (settings.publicBaseUrl() != null) return settings.publicBaseUrl();
        return request.baseUrl() == null ? "" : request.baseUrl();
    }
}

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
import dev.ferry.core.service.InstanceActivity;
import dev.ferry.core.service.InstanceDeletion;
import dev.ferry.core.service.InstanceService;
import dev.ferry.core.service.PauseService;
import dev.ferry.core.service.Quotas;
import dev.ferry.core.service.Settings;
import dev.ferry.core.service.TestRuns;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

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
    private final InstanceActivity activity;

    public InstancesApi(InstanceService service, PauseService pauses, InstanceDeletion deletions, TestRuns testRuns,
                        InstanceStore instances, Definitions definitions, Clock clock, Settings settings,
                        Quotas quotas, InstanceActivity activity) {
        this.quotas = quotas;
        this.activity = activity;
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
        in.onlyFields(body, "name", "customerId", "integrationId", "integrationVersion", "configVariables", "pauseMode", "enabled",
                "storeStepOutputs", "storeLogs");
        String name = in.requiredString(body, "name", Input.MAX_NAME);
        String customerId = in.requiredString(body, "customerId", 100);
        String integrationId = in.requiredString(body, "integrationId", 100);
        if (customerId != null && !Input.ID.matcher(customerId).matches()) in.add("customerId", Input.ID_RULE);
        if (integrationId != null && !Input.ID.matcher(integrationId).matches()) in.add("integrationId", Input.ID_RULE);
        Integer version = in.optionalInt(body, "integrationVersion", 1, Integer.MAX_VALUE);
        PauseMode pauseMode = in.optionalEnum(body, "pauseMode", PauseMode.class);
        Boolean storeStepOutputs = in.optionalBoolean(body, "storeStepOutputs");
        Boolean storeLogs = in.optionalBoolean(body, "storeLogs");
        JsonNode enabledNode = body.get("enabled");
        if (enabledNode != null && !enabledNode.isBoolean() && !enabledNode.isNull()) in.add("enabled", "must be true or false");
        in.check();
        Boolean enabled = enabledNode == null || enabledNode.isNull() ? null : enabledNode.asBoolean();
        quotas.beforeInstance(call.customerId());
        InstanceService.Saved made = service.create(new InstanceService.NewInstance(name, customerId, integrationId, version,
                body.get("configVariables"), pauseMode, enabled, storeStepOutputs, storeLogs));
        return ApiResponse.json(201, view(made, call.request()));
    }

    /**
     * {@code GET /instances}: oldest first, optionally only those of an {@code integrationId}, in a
     * {@code state} ({@code running} or {@code paused}) and whose name starts with {@code namePrefix}
     * (any case). Filters apply across the listing: the server reads on until the page is full, at
     * most {@value #MAX_INSTANCES_READ} instances a call, and the cursor resumes after the last
     * instance read, so a page may be short while {@code nextCursor} is set.
     */
    ApiResponse list(Call call) {
        ApiRequest r = call.request();
        Input in = new Input();
        in.onlyParams(r, "customerId", "integrationId", "state", "namePrefix", "limit", "cursor");
        int limit = in.limit(r);
        String integrationId = r.queryParam("integrationId");
        if (integrationId != null && !Input.ID.matcher(integrationId).matches()) in.add("integrationId", Input.ID_RULE);
        String state = r.queryParam("state");
        if (state != null && !state.equals("running") && !state.equals("paused")) in.add("state", "must be running or paused");
        String prefix = r.queryParam("namePrefix");
        if (prefix != null && (prefix.isEmpty() || prefix.length() > Input.MAX_NAME)) {
            in.add("namePrefix", "must be 1 to " + Input.MAX_NAME + " characters");
        }
        in.check();
        Instant now = clock.instant();
        String base = baseUrl(r);
        String customerId = call.customerId() != null ? call.customerId() : r.queryParam("customerId");
        String lowerPrefix = prefix == null ? null : prefix.toLowerCase(java.util.Locale.ROOT);
        Predicate<Instance> keep = i -> (integrationId == null || integrationId.equals(i.integrationId()))
                && (state == null || i.enabled() == state.equals("running"))
                && (lowerPrefix == null || i.name().toLowerCase(java.util.Locale.ROOT).startsWith(lowerPrefix));
        Page<Instance> page = integrationId == null && state == null && prefix == null
                ? instances.list(customerId, limit, r.queryParam("cursor"))
                : filtered(customerId, keep, limit, r.queryParam("cursor"));
        return ApiResponse.page(page.map(i -> Views.instance(i, instances.listFlowConfigs(i.id()),
                definitions.definition(i.integrationId(), i.integrationVersion()), base, now)));
    }

    /** Instances read per call of a filtered listing at most: the bound of its work. */
    static final int MAX_INSTANCES_READ = 1_000;
    private static final int READ_PAGE = 100;

    /**
     * Up to {@code limit} instances {@code keep} accepts, reading the store's pages in order from
     * {@code cursor}. The answer's cursor resumes right after the last instance it holds (a page's
     * leading part is read again for that cursor when the page held more matches than fit), or after
     * the last instance read when the bound ended the call.
     */
    private Page<Instance> filtered(String customerId, Predicate<Instance> keep, int limit, String cursor) {
        List<Instance> kept = new ArrayList<>();
        int read = 0;
        while (true) {
            Page<Instance> p = instances.list(customerId, READ_PAGE, cursor);
            read += p.items().size();
            int last = -1;
            for (int i = 0; i < p.items().size() && kept.size() < limit; i++) {
                if (keep.test(p.items().get(i))) {
                    kept.add(p.items().get(i));
                    last = i;
                }
            }
            if (kept.size() == limit) {
                boolean restOfPage = last < p.items().size() - 1;
                String next = restOfPage ? instances.list(customerId, last + 1, cursor).nextCursor() : p.nextCursor();
                return new Page<>(kept, next);
            }
            cursor = p.nextCursor();
            if (cursor == null || read >= MAX_INSTANCES_READ) return new Page<>(kept, cursor);
        }
    }

    /** The longest range an activity read covers, and the most buckets it answers. */
    static final Duration MAX_ACTIVITY_RANGE = Duration.ofDays(31);
    static final int MAX_BUCKETS = 1_000;

    /**
     * {@code GET /instances/{id}/activity?since&until&bucketMinutes}: executions queued in the range
     * (default: the last 24 hours) by status per bucket (default 60 minutes), duration percentiles and
     * failures in the last 24 hours, counted at read time within {@link InstanceActivity}'s bounds.
     */
    ApiResponse activity(Call call) {
        Instance i = service.get(call.id());
        ApiRequest r = call.request();
        Input in = new Input();
        in.onlyParams(r, "since", "until", "bucketMinutes");
        Instant now = clock.instant();
        Instant since = in.instant(r, "since");
        Instant until = in.instant(r, "until");
        int bucketMinutes = 60;
        String b = r.queryParam("bucketMinutes");
        if (b != null) {
            try {
                bucketMinutes = Integer.parseInt(b);
            } catch (NumberFormatException e) {
                bucketMinutes = -1;
            }
            if (bucketMinutes < 1 || bucketMinutes > 10_080) in.add("bucketMinutes", "must be a whole number from 1 to 10080 (a week)");
        }
        in.check();
        Instant to = until != null ? until : now;
        Instant from = since != null ? since : to.minus(Duration.ofHours(24));
        if (!from.isBefore(to)) in.add("since", "must be before until");
        else if (Duration.between(from, to).compareTo(MAX_ACTIVITY_RANGE) > 0) in.add("since", "the range must be at most 31 days");
        else if (Duration.between(from, to).toMinutes() / bucketMinutes >= MAX_BUCKETS) {
            in.add("bucketMinutes", "the range holds more than " + MAX_BUCKETS + " buckets of " + bucketMinutes + " minutes");
        }
        in.check();
        return ApiResponse.json(200, Views.activity(i.id(), activity.of(i.id(), from, to, Duration.ofMinutes(bucketMinutes))));
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
        in.onlyFields(body, "name", "integrationVersion", "configVariables", "pauseMode", "storeStepOutputs", "storeLogs");
        String name = in.optionalString(body, "name", Input.MAX_NAME);
        Integer version = in.optionalInt(body, "integrationVersion", 1, Integer.MAX_VALUE);
        PauseMode pauseMode = in.optionalEnum(body, "pauseMode", PauseMode.class);
        Boolean storeStepOutputs = in.optionalBoolean(body, "storeStepOutputs");
        Boolean storeLogs = in.optionalBoolean(body, "storeLogs");
        in.check();
        InstanceService.Saved updated = service.update(current, new InstanceService.Change(name, version,
                body.get("configVariables"), pauseMode, storeStepOutputs, storeLogs));
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

    /** The longest pause reason, in characters. */
    static final int MAX_PAUSE_REASON = 500;

    /**
     * {@code POST /instances/{id}/pause} with an optional {@code {"reason": "…"}}: 200 with the
     * instance, {@code enabled: false}, and who paused it, when and why ({@code pausedBy},
     * {@code pausedAt}, {@code pauseReason}) — a pause made on purpose, whose INSTANCE_DISABLED
     * alerts are recorded muted.
     */
    ApiResponse pause(Call call) {
        ObjectNode body = Input.objectOrEmpty(call.request());
        Input in = new Input();
        in.onlyFields(body, "reason");
        String reason = in.optionalString(body, "reason", MAX_PAUSE_REASON);
        in.check();
        return pauseAnswer(pauses.pause(call.id(), new Instance.Pause(call.who(), reason, clock.instant())), call.request());
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

package dev.ferry.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.definition.ConfigVariableDef;
import dev.ferry.core.definition.DefinitionParser;
import dev.ferry.core.definition.FlowDef;
import dev.ferry.core.definition.IntegrationDefinition;
import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.Customer;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionQuery;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.FlowConfig;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.Integration;
import dev.ferry.core.model.IntegrationVersion;
import dev.ferry.core.model.LogQuery;
import dev.ferry.core.model.Page;
import dev.ferry.core.model.PauseMode;
import dev.ferry.core.model.Severity;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.service.Definitions;
import dev.ferry.core.service.ExecutionRunner;
import dev.ferry.core.service.InstanceDeletion;
import dev.ferry.core.service.LogSearch;
import dev.ferry.core.service.PauseService;
import dev.ferry.core.service.Ports;
import dev.ferry.core.service.ReplayJobs;
import dev.ferry.core.service.ReplayService;
import dev.ferry.core.service.ScheduleService;
import dev.ferry.core.service.Settings;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The management HTTP API (CONTRACT §4): routing, authentication, input checks and answers. HTTP
 * transport-neutral: the Lambda handlers and tests feed it {@link ApiRequest}s.
 */
public final class ManagementApi {
    private static final String ID = "([A-Za-z0-9_-]{1,100})";
    /** A test run's headers, as API Gateway would pass a webhook's (at most 100, values ≤ 8 KiB). */
    static final int MAX_TEST_HEADERS = 100;

    private final Ports ports;
    private final Settings settings;
    private final Definitions definitions;
    private final ExecutionRunner runner;
    private final ReplayService replays;
    private final ScheduleService schedules;
    private final PauseService pauses;
    private final InstanceDeletion deletions;
    private final ReplayJobs replayJobs;
    private final Auth auth;
    private final LogSearch logSearch;
    private final List<Route> routes = new ArrayList<>();

    private final Tenancy tenancy;

    private record Route(String method, Pattern path, Scope scope, Function<Call, ApiResponse> action) {}

    /** A route as the route table lists it: method, path pattern (ids as regex groups) and its tenancy scope. */
    public record RouteInfo(String method, String path, Scope scope) {}

    /** One matched request: the request (as {@link Tenancy} let it through), the caller, the path's ids. */
    private record Call(ApiRequest request, Auth.Principal principal, List<String> ids) {
        String id() {
            return ids.get(0);
        }

        /** The customer a list is confined to: the key's customer, or null for an admin key (everything). */
        String customerId() {
            return principal.customerId();
        }
    }

    public ManagementApi(Ports ports, Settings settings, Definitions definitions, ExecutionRunner runner,
                         ReplayService replays, ScheduleService schedules, PauseService pauses,
                         InstanceDeletion deletions) {
        this.ports = ports;
        this.settings = settings;
        this.definitions = definitions;
        this.runner = runner;
        this.replays = replays;
        this.schedules = schedules;
        this.pauses = pauses;
        this.deletions = deletions;
        this.replayJobs = new ReplayJobs(ports, settings, replays);
        this.auth = new Auth(settings.adminKeySha256(), ports.apiKeys(), ports.clock(), settings.apiKeyCacheTtl());
        this.tenancy = new Tenancy(ports);
        this.logSearch = new LogSearch(ports, settings);
        // Every route names its tenancy scope (Scope): Tenancy enforces it before the action runs,
        // and TenancyMatrixTest fails for a route it has no case for.
        route("POST", "/customers", Scope.ADMIN, this::createCustomer);
        route("GET", "/customers", Scope.LIST, this::listCustomers);
        route("GET", "/customers/" + ID, Scope.CUSTOMER, this::getCustomer);
        route("GET", "/customers/" + ID + "/executions", Scope.CUSTOMER, this::listCustomerExecutions);
        route("POST", "/integrations", Scope.ADMIN, this::createIntegration);
        route("GET", "/integrations", Scope.ANY_KEY, this::listIntegrations);
        route("GET", "/integrations/" + ID, Scope.ANY_KEY, this::getIntegration);
        route("POST", "/integrations/" + ID + "/versions", Scope.ADMIN, this::addVersion);
        route("POST", "/instances", Scope.NEW_INSTANCE, this::createInstance);
        route("GET", "/instances", Scope.LIST, this::listInstances);
        route("GET", "/instances/" + ID, Scope.INSTANCE, this::getInstance);
        route("PATCH", "/instances/" + ID, Scope.INSTANCE, this::updateInstance);
        route("DELETE", "/instances/" + ID, Scope.INSTANCE, this::deleteInstance);
        route("GET", "/instances/" + ID + "/flow-configs", Scope.INSTANCE, this::listFlowConfigs);
        route("POST", "/instances/" + ID + "/pause", Scope.INSTANCE, this::pauseInstance);
        route("POST", "/instances/" + ID + "/unpause", Scope.INSTANCE, this::unpauseInstance);
        route("POST", "/flow-configs/" + ID + "/test", Scope.FLOW_CONFIG, this::testFlowConfig);
        route("GET", "/executions", Scope.LIST, this::listExecutions);
        route("GET", "/executions/" + ID, Scope.EXECUTION, this::getExecution);
        route("GET", "/executions/" + ID + "/logs", Scope.EXECUTION, this::executionLogs);
        route("POST", "/executions/" + ID + "/replay", Scope.EXECUTION, this::replay);
        route("GET", "/instances/" + ID + "/logs", Scope.INSTANCE,
                c -> list(logSearch.instance(c.id(), logQuery(c.request())).map(Views::logLine)));
        route("GET", "/customers/" + ID + "/logs", Scope.CUSTOMER,
                c -> list(logSearch.customer(c.id(), logQuery(c.request())).map(Views::logLine)));
        route("POST", "/replays", Scope.NEW_REPLAY_JOB, this::startReplayJob);
        route("GET", "/replays/" + ID, Scope.REPLAY_JOB, call -> ApiResponse.json(200, Views.replayJob(replayJobs.get(call.id()))));
        route("POST", "/replays/" + ID + "/cancel", Scope.REPLAY_JOB,
                call -> ApiResponse.json(200, Views.replayJob(replayJobs.cancel(call.id()))));
        MonitorsApi monitors = new MonitorsApi(ports, tenancy);
        route("POST", "/monitors", Scope.NEW_MONITOR, c -> monitors.create(c.request()));
        route("GET", "/monitors", Scope.LIST, c -> monitors.list(c.request(), c.customerId()));
        route("GET", "/monitors/" + ID, Scope.MONITOR, c -> monitors.get(c.id()));
        route("DELETE", "/monitors/" + ID, Scope.MONITOR, c -> monitors.delete(c.id()));
        route("GET", "/alerts", Scope.LIST, c -> monitors.alerts(c.request(), c.customerId()));
        ApiKeysApi apiKeys = new ApiKeysApi(ports, auth);
        route("POST", "/api-keys", Scope.NEW_API_KEY, c -> apiKeys.create(c.request()));
        route("GET", "/api-keys", Scope.LIST, c -> apiKeys.list(c.request(), c.customerId()));
        route("DELETE", "/api-keys/" + ID, Scope.API_KEY, c -> apiKeys.delete(c.id()));
    }

    /**
     * Adds a route. {@code scope} says how the owner customer of what the route touches is found
     * (see {@link Scope}); it is required, so no route runs without a tenancy check.
     */
    private void route(String method, String pattern, Scope scope, Function<Call, ApiResponse> action) {
        if (scope == null) throw new IllegalArgumentException(method + " " + pattern + " declares no tenancy scope");
        routes.add(new Route(method, Pattern.compile(pattern), scope, action));
    }

    /** The route table, in matching order: what the tenancy matrix test iterates. */
    public List<RouteInfo> routes() {
        return routes.stream().map(r -> new RouteInfo(r.method(), r.path().pattern(), r.scope())).toList();
    }

    /** Answers one request; never throws. */
    public ApiResponse handle(ApiRequest request) {
        return handle(request, false);
    }

    /**
     * Answers a request as the admin without checking an API key: for a Lambda function's direct
     * invocation, which IAM has already authorised. Never throws.
     */
    public ApiResponse handleTrusted(ApiRequest request) {
        return handle(request, true);
    }

    private ApiResponse handle(ApiRequest request, boolean trusted) {
        try {
            String path = normalise(request.path());
            boolean pathKnown = false;
            for (Route r : routes) {
                Matcher m = r.path().matcher(path);
                if (!m.matches()) continue;
                pathKnown = true;
                if (!r.method().equals(request.method())) continue;
                Auth.Principal principal = trusted ? Auth.Principal.ADMIN : auth.authenticate(request);
                List<String> ids = new ArrayList<>();
                for (int g = 1; g <= m.groupCount(); g++) ids.add(m.group(g));
                ApiRequest allowed = tenancy.enforce(r.scope(), principal, request, ids);
                return r.action().apply(new Call(allowed, principal, ids));
            }
            return ApiErrors.error(404, "not_found", pathKnown
                    ? "no route " + request.method() + " " + path
                    : "no such route: " + path, List.of());
        } catch (RuntimeException e) {
            return ApiErrors.toResponse(e);
        }
    }

    private static String normalise(String path) {
        if (path == null || path.isEmpty()) return "/";
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    // ------------------------------------------------------------------ customers

    private ApiResponse createCustomer(Call call) {
        ObjectNode body = Input.object(call.request());
        Input in = new Input();
        in.onlyFields(body, "name", "externalId");
        String name = in.requiredString(body, "name", Input.MAX_NAME);
        String externalId = in.optionalString(body, "externalId", Input.MAX_NAME);
        in.check();
        Customer c = new Customer(ports.ids().newId("cus"), name, externalId, ports.clock().instant());
        ports.customers().create(c);
        return ApiResponse.json(201, Views.customer(c));
    }

    private ApiResponse listCustomers(Call call) {
        Input in = new Input();
        in.onlyParams(call.request(), "limit", "cursor");
        int limit = in.limit(call.request());
        in.check();
        if (call.customerId() != null) {
            return list(new Page<>(ports.customers().get(call.customerId()).map(Views::customer).stream().toList(), null));
        }
        return list(ports.customers().list(limit, call.request().queryParam("cursor")).map(Views::customer));
    }

    private ApiResponse getCustomer(Call call) {
        return ApiResponse.json(200, Views.customer(customer(call.id())));
    }

    private Customer customer(String id) {
        return ports.customers().get(id).orElseThrow(() -> new NotFoundException("customer", id));
    }

    // ------------------------------------------------------------------ integrations

    private ApiResponse createIntegration(Call call) {
        IntegrationDefinition def = parseDefinition(call.request());
        Instant now = ports.clock().instant();
        Integration integration = new Integration(ports.ids().newId("int"), def.name(), 1, now, now);
        IntegrationVersion first = new IntegrationVersion(integration.id(), 1, def, now);
        ports.integrations().create(integration, first);
        return ApiResponse.json(201, Views.integration(integration, first));
    }

    private ApiResponse addVersion(Call call) {
        Integration integration = integration(call.id());
        IntegrationDefinition def = parseDefinition(call.request());
        IntegrationVersion next = new IntegrationVersion(integration.id(), integration.latestVersion() + 1, def,
                ports.clock().instant());
        ports.integrations().addVersion(next);
        return ApiResponse.json(201, Views.integrationVersion(next));
    }

    private static IntegrationDefinition parseDefinition(ApiRequest request) {
        if (request.body().length == 0) throw new ValidationException("body", "an integration definition is required");
        return DefinitionParser.parse(request.body(), request.header("content-type"));
    }

    private ApiResponse listIntegrations(Call call) {
        Input in = new Input();
        in.onlyParams(call.request(), "limit", "cursor");
        int limit = in.limit(call.request());
        in.check();
        return list(ports.integrations().list(limit, call.request().queryParam("cursor"))
                .map(i -> Views.integration(i, null)));
    }

    private ApiResponse getIntegration(Call call) {
        Integration integration = integration(call.id());
        Input in = new Input();
        in.onlyParams(call.request(), "version");
        in.check();
        int version = integration.latestVersion();
        String v = call.request().queryParam("version");
        if (v != null) {
            try {
                version = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new ValidationException("version", "must be a whole number");
            }
        }
        return ApiResponse.json(200, Views.integration(integration, definitions.version(integration.id(), version)));
    }

    private Integration integration(String id) {
        return ports.integrations().get(id).orElseThrow(() -> new NotFoundException("integration", id));
    }

    // ------------------------------------------------------------------ instances

    private ApiResponse createInstance(Call call) {
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
        if (ports.customers().get(customerId).isEmpty()) throw new ValidationException("customerId", "no customer '" + customerId + "'");
        Integration integration = ports.integrations().get(integrationId)
                .orElseThrow(() -> new ValidationException("integrationId", "no integration '" + integrationId + "'"));
        int v = version == null ? integration.latestVersion() : version;
        if (v > integration.latestVersion()) {
            throw new ValidationException("integrationVersion", "integration '" + integrationId + "' has versions 1 to " + integration.latestVersion());
        }
        IntegrationDefinition def = definitions.definition(integrationId, v);
        Map<String, String> config = configVariables(def, body.get("configVariables"), Map.of());

        Instant now = ports.clock().instant();
        Instance instance = new Instance(ports.ids().newId("ins"), name, customerId, integrationId, v,
                enabledNode == null || enabledNode.isNull() || enabledNode.asBoolean(),
                pauseMode == null ? PauseMode.REJECT : pauseMode, config, now, null);
        List<FlowConfig> flowConfigs = new ArrayList<>();
        for (FlowDef flow : def.flows()) {
            boolean scheduled = flow.trigger() != null && flow.trigger().scheduled();
            flowConfigs.add(new FlowConfig(ports.ids().newId("flc"), instance.id(), customerId, flow.name(),
                    flow.trigger() == null ? "webhook" : flow.trigger().type(),
                    scheduled ? null : ports.ids().newToken(),
                    scheduled ? flow.trigger().schedule() : null,
                    scheduled ? flow.trigger().timezone() : null,
                    flow.retry()));
        }
        ports.logs().ensureGroup(instance.id());
        schedules.createFor(instance, flowConfigs, def);
        try {
            ports.instances().create(instance, flowConfigs);
        } catch (RuntimeException e) {
            try {
                schedules.deleteFor(flowConfigs, def); // not stored: its schedules go too
            } catch (RuntimeException ignored) {
                // best effort: a schedule whose flow config does not exist is skipped when it fires
            }
            throw e;
        }
        return ApiResponse.json(201, Views.instance(instance, flowConfigs, def, baseUrl(call.request()), now));
    }

    /**
     * Validates config values against the definition: every key declared, every required one
     * present (or defaulted), values strings (numbers and booleans are taken as their text).
     * {@code current} is merged under the given values; a null value removes a key.
     */
    private static Map<String, String> configVariables(IntegrationDefinition def, JsonNode given, Map<String, String> current) {
        Input in = new Input();
        Map<String, String> values = new TreeMap<>(current);
        Set<String> declared = def.configVariables().stream().map(ConfigVariableDef::key).collect(Collectors.toSet());
        if (given != null && !given.isNull()) {
            if (!given.isObject()) {
                throw new ValidationException("configVariables", "must be an object of key: value");
            }
            given.fields().forEachRemaining(e -> {
                String field = "configVariables." + e.getKey();
                JsonNode v = e.getValue();
                if (!declared.contains(e.getKey())) {
                    in.add(field, "not declared by the integration; declared: " + String.join(", ", new TreeMap<>(
                            declared.stream().collect(Collectors.toMap(k -> k, k -> k))).keySet()));
                } else if (v.isNull()) {
                    values.remove(e.getKey());
                } else if (v.isValueNode()) {
                    if (v.asText().length() > 10_000) in.add(field, "must be at most 10000 characters");
                    else values.put(e.getKey(), v.asText());
                } else {
                    in.add(field, "must be a string, number or boolean");
                }
            });
        }
        for (ConfigVariableDef d : def.configVariables()) {
            if (d.required() && d.defaultValue() == null && (values.get(d.key()) == null || values.get(d.key()).isEmpty())) {
                in.add("configVariables." + d.key(), "is required by the integration");
            }
        }
        in.check();
        return values;
    }

    private ApiResponse listInstances(Call call) {
        Input in = new Input();
        in.onlyParams(call.request(), "customerId", "limit", "cursor");
        int limit = in.limit(call.request());
        in.check();
        Instant now = ports.clock().instant();
        String base = baseUrl(call.request());
        String customerId = call.customerId() != null ? call.customerId() : call.request().queryParam("customerId");
        Page<Instance> page = ports.instances().list(customerId, limit,
                call.request().queryParam("cursor"));
        return list(page.map(i -> Views.instance(i, ports.instances().listFlowConfigs(i.id()),
                definitions.definition(i.integrationId(), i.integrationVersion()), base, now)));
    }

    private ApiResponse getInstance(Call call) {
        Instance i = instance(call.id());
        return ApiResponse.json(200, Views.instance(i, ports.instances().listFlowConfigs(i.id()),
                definitions.definition(i.integrationId(), i.integrationVersion()), baseUrl(call.request()),
                ports.clock().instant()));
    }

    private ApiResponse updateInstance(Call call) {
        Instance current = instance(call.id());
        ObjectNode body = Input.object(call.request());
        Input in = new Input();
        in.onlyFields(body, "name", "integrationVersion", "configVariables", "pauseMode");
        String name = in.optionalString(body, "name", Input.MAX_NAME);
        Integer version = in.optionalInt(body, "integrationVersion", 1, Integer.MAX_VALUE);
        PauseMode pauseMode = in.optionalEnum(body, "pauseMode", PauseMode.class);
        in.check();
        int v = version == null ? current.integrationVersion() : version;
        Integration integration = integration(current.integrationId());
        if (v > integration.latestVersion()) {
            throw new ValidationException("integrationVersion", "integration '" + integration.id() + "' has versions 1 to " + integration.latestVersion());
        }
        IntegrationDefinition def = definitions.definition(current.integrationId(), v);
        List<FlowConfig> flowConfigs = ports.instances().listFlowConfigs(current.id());
        if (v != current.integrationVersion()) {
            Set<String> have = flowConfigs.stream().map(FlowConfig::flow).collect(Collectors.toSet());
            Set<String> want = def.flows().stream().map(FlowDef::name).collect(Collectors.toSet());
            if (!have.equals(want)) {
                throw new ValidationException("integrationVersion", "version " + v + " has flows " + want
                        + " but the instance has " + have + "; changing the set of flows is not supported yet");
            }
        }
        Map<String, String> config = configVariables(def, body.get("configVariables"), current.configVariables());
        Instance updated = new Instance(current.id(), name == null ? current.name() : name, current.customerId(),
                current.integrationId(), v, current.enabled(), pauseMode == null ? current.pauseMode() : pauseMode,
                config, current.createdAt(), current.lastExecutedAt());
        if (v != current.integrationVersion()) {
            // Schedules first: if they cannot be changed, nothing is.
            IntegrationDefinition from = definitions.definition(current.integrationId(), current.integrationVersion());
            schedules.changeVersion(updated, flowConfigs, from, def);
            try {
                ports.instances().update(updated);
            } catch (RuntimeException e) {
                try {
                    schedules.changeVersion(current, flowConfigs, def, from);
                } catch (RuntimeException ignored) {
                    // best effort; the failure below is what the caller sees, and a retried PATCH repairs both
                }
                throw e;
            }
        } else {
            ports.instances().update(updated);
        }
        return ApiResponse.json(200, Views.instance(updated, flowConfigs, def, baseUrl(call.request()), ports.clock().instant()));
    }

    /**
     * {@code DELETE /instances/{id}?confirm=<instance name>}: 204 once everything is deleted; 202 with
     * {@code {id, status: "DELETING", executionsDeleted, more: true}} when the deletion goes on in the
     * background (an instance with more executions than one request deletes); a wrong or missing
     * {@code confirm} is 400 and deletes nothing. Repeating it resumes an unfinished deletion.
     */
    private ApiResponse deleteInstance(Call call) {
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

    private Instance instance(String id) {
        return ports.instances().get(id).orElseThrow(() -> new NotFoundException("instance", id));
    }

    /** {@code POST /instances/{id}/pause}: 200 with the instance, {@code enabled: false}. */
    private ApiResponse pauseInstance(Call call) {
        noBody(call.request());
        return pauseAnswer(pauses.pause(call.id()), call.request());
    }

    /** {@code POST /instances/{id}/unpause}: 200 with the instance, {@code enabled: true}, and what was released. */
    private ApiResponse unpauseInstance(Call call) {
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
                definitions.definition(i.integrationId(), i.integrationVersion()), baseUrl(request), ports.clock().instant());
        view.put("schedulesUpdated", r.schedulesUpdated());
        if (i.enabled()) {
            Map<String, Object> held = new LinkedHashMap<>();
            held.put("released", r.release().released());
            held.put("more", r.release().more());
            view.put("held", held);
        }
        return ApiResponse.json(200, view);
    }

    private ApiResponse listFlowConfigs(Call call) {
        Instance i = instance(call.id());
        IntegrationDefinition def = definitions.definition(i.integrationId(), i.integrationVersion());
        Instant now = ports.clock().instant();
        String base = baseUrl(call.request());
        return list(new Page<>(ports.instances().listFlowConfigs(i.id()).stream()
                .map(fc -> Views.flowConfig(fc, def, i.enabled(), base, now)).toList(), null));
    }

    private ApiResponse testFlowConfig(Call call) {
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
        }
        in.check();
        JsonNode payload = body.get("body");
        byte[] bytes = payload == null || payload.isNull() ? new byte[0]
                : payload.isTextual() ? payload.asText().getBytes(StandardCharsets.UTF_8) : Json.writeBytes(payload);
        String ct = contentType != null ? contentType : headers.getOrDefault("content-type", "application/json");
        headers.putIfAbsent("content-type", ct);
        Execution done = runner.runTest(call.id(), new ExecutionRequest("POST", bytes, headers, Map.of(), ct));
        return ApiResponse.json(200, Views.execution(done, true));
    }

    // ------------------------------------------------------------------ executions

    private ApiResponse listExecutions(Call call) {
        return list(executions(call.request(), call.customerId(), true));
    }

    private ApiResponse listCustomerExecutions(Call call) {
        customer(call.id());
        return list(executions(call.request(), call.id(), false));
    }

    /**
     * {@code customer}: the path's customer, or the key's customer for {@code GET /executions} (null: any);
     * {@code customerParam}: whether {@code ?customerId=} is accepted.
     */
    private Page<Map<String, Object>> executions(ApiRequest r, String customer, boolean customerParam) {
        Input in = new Input();
        if (customerParam) {
            in.onlyParams(r, "instanceId", "customerId", "flowConfigId", "status", "trigger", "since", "until",
                    "originalsOnly", "unresolved", "limit", "cursor");
        } else {
            in.onlyParams(r, "instanceId", "flowConfigId", "status", "trigger", "since", "until",
                    "originalsOnly", "unresolved", "limit", "cursor");
        }
        ExecutionStatus status = in.enumOf(r.queryParam("status"), "status", ExecutionStatus.class);
        Trigger trigger = in.enumOf(r.queryParam("trigger"), "trigger", Trigger.class);
        Instant since = in.instant(r, "since");
        Instant until = in.instant(r, "until");
        boolean originalsOnly = in.flag(r, "originalsOnly");
        boolean unresolved = in.flag(r, "unresolved");
        int limit = in.limit(r);
        if (since != null && until != null && since.isAfter(until)) in.add("since", "must not be after until");
        in.check();
        ExecutionQuery q = new ExecutionQuery(r.queryParam("instanceId"),
                customer != null ? customer : r.queryParam("customerId"),
                r.queryParam("flowConfigId"), status, trigger, since, until, originalsOnly, unresolved, limit,
                r.queryParam("cursor"));
        return ports.executions().list(q).map(e -> Views.execution(e, false));
    }

    private ApiResponse getExecution(Call call) {
        return ApiResponse.json(200, Views.execution(execution(call.id()), true));
    }

    private Execution execution(String id) {
        return ports.executions().get(id).orElseThrow(() -> new NotFoundException("execution", id));
    }

    private ApiResponse executionLogs(Call call) {
        Execution e = execution(call.id());
        return list(new Page<>(ports.logs().read(e.instanceId(), e.id()).stream().map(Views::logLine).toList(), null));
    }

    /** The filters of a log search ({@code q, severity, since, until, limit, cursor}); the scope comes from the path. */
    private static LogQuery logQuery(ApiRequest r) {
        Input in = new Input();
        in.onlyParams(r, "q", "severity", "since", "until", "limit", "cursor");
        String q = r.queryParam("q");
        if (q != null && q.length() > 500) in.add("q", "must be at most 500 characters");
        String s = r.queryParam("severity");
        Severity severity = s == null ? null : Severity.parse(s).orElse(null);
        if (s != null && severity == null) in.add("severity", "must be one of DEBUG, INFO, WARN, ERROR (the minimum level)");
        Instant since = in.instant(r, "since");
        Instant until = in.instant(r, "until");
        int limit = in.limit(r);
        if (since != null && until != null && since.isAfter(until)) in.add("since", "must not be after until");
        in.check();
        return new LogQuery(List.of(), q, severity, since, until, limit, r.queryParam("cursor"));
    }

    private ApiResponse replay(Call call) {
        ObjectNode body = Input.objectOrEmpty(call.request());
        Input in = new Input();
        in.onlyFields(body, "body");
        in.check();
        JsonNode payload = body.get("body");
        byte[] bytes = payload == null || payload.isNull() ? null
                : payload.isTextual() ? payload.asText().getBytes(StandardCharsets.UTF_8) : Json.writeBytes(payload);
        Execution replay = replays.replay(call.id(), bytes);
        Map<String, Object> answer = new HashMap<>();
        answer.put("executionId", replay.id());
        answer.put("status", replay.status());
        return ApiResponse.json(202, answer);
    }

    /** {@code POST /replays}: 202 with the started job, or 200 with the count for a dry run. */
    private ApiResponse startReplayJob(Call call) {
        ReplayJobInput in = ReplayJobInput.parse(Input.object(call.request()));
        var job = replayJobs.start(in.filter(), in.name(), in.ratePerSecond(), in.dryRun());
        return ApiResponse.json(in.dryRun() ? 200 : 202, Views.replayJob(job));
    }

    // ------------------------------------------------------------------ helpers

    private static ApiResponse list(Page<?> page) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", page.items());
        m.put("nextCursor", page.nextCursor());
        return ApiResponse.json(200, m);
    }

    private String baseUrl(ApiRequest request) {
        if (settings.publicBaseUrl() != null) return settings.publicBaseUrl();
        return request.baseUrl() == null ? "" : request.baseUrl();
    }
}

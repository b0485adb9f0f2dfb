package dev.ferry.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.error.ForbiddenException;
import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.ExecutionQuery;
import dev.ferry.core.model.FlowConfig;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.Monitor;
import dev.ferry.core.model.MonitorScope;
import dev.ferry.core.port.AlertStore;
import dev.ferry.core.port.ApiKeyStore;
import dev.ferry.core.port.ExecutionStore;
import dev.ferry.core.port.InstanceStore;
import dev.ferry.core.port.MonitorStore;
import dev.ferry.core.port.ReplayJobStore;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one place customer tenancy is enforced: {@link #enforce} runs for every management request
 * before its action, with the route's declared {@link Scope}. Admin keys pass unchanged; for a
 * customer key it answers 404 for another customer's resource (as for a non-existent one), 403 for
 * an admin-only action, and may rewrite the request so that it stays inside the customer (a new
 * instance's or bulk replay's customer). Lists are filtered by their action with {@code Call.customerId()}.
 */
public final class Tenancy {
    private static final List<String> QUERY_IDS = List.of("customerId", "instanceId", "flowConfigId", "monitorId");

    private final InstanceStore instances;
    private final ExecutionStore executions;
    private final MonitorStore monitors;
    private final ReplayJobStore replayJobs;
    private final ApiKeyStore apiKeys;
    private final AlertStore alerts;

    public Tenancy(InstanceStore instances, ExecutionStore executions, MonitorStore monitors, ReplayJobStore replayJobs,
                   ApiKeyStore apiKeys, AlertStore alerts) {
        this.instances = instances;
        this.executions = executions;
        this.monitors = monitors;
        this.replayJobs = replayJobs;
        this.apiKeys = apiKeys;
        this.alerts = alerts;
    }

    /** The request the action gets (possibly rewritten), or throws 403/404/400. */
    ApiRequest enforce(Scope scope, Auth.Principal principal, ApiRequest request, List<String> ids) {
        Objects.requireNonNull(scope, "every route declares a scope");
        if (principal.admin()) return request;
        String own = principal.customerId();
        for (String param : QUERY_IDS) {
            String v = request.queryParam(param);
            if (v != null) requireOwned(param, v, own);
        }
        String id = ids.isEmpty() ? null : ids.get(0);
        return switch (scope) {
            case PUBLIC, ANY_KEY, LIST -> request; // PUBLIC never gets here: ManagementApi runs it without a key
            case ADMIN -> throw new ForbiddenException("this needs an admin API key; a customer's key may not "
                    + request.method() + " " + request.path());
            case CUSTOMER -> owned("customer", id, own.equals(id) ? own : null, own, request);
            case INSTANCE -> owned("instance", id, instanceOwner(id), own, request);
            case FLOW_CONFIG -> owned("flow config", id, flowConfigOwner(id), own, request);
            case EXECUTION -> owned("execution", id,
                    executions.get(id).map(e -> e.customerId()).orElse(null), own, request);
            case MONITOR -> monitorChange(owned("monitor", id, monitors.get(id).map(this::monitorOwner).orElse(null),
                    own, request), own);
            case ALERT -> owned("alert", id, alerts.byId(id).map(a -> a.customerId()).orElse(null), own, request);
            case REPLAY_JOB -> owned("replay job", id,
                    replayJobs.get(id).map(j -> filterOwner(j.filter())).orElse(null), own, request);
            case API_KEY -> owned("API key", id, apiKeys.get(id).map(k -> k.customerId()).orElse(null), own, request);
            case NEW_INSTANCE -> newInstance(request, own);
            case NEW_API_KEY -> newApiKey(request, own);
            case NEW_MONITOR -> newMonitor(request, own);
            case NEW_REPLAY_JOB -> newReplayJob(request, own);
        };
    }

    private static ApiRequest owned(String kind, String id, String owner, String own, ApiRequest request) {
        if (!own.equals(owner)) throw new NotFoundException(kind, id);
        return request;
    }

    private void requireOwned(String param, String id, String own) {
        String owner = switch (param) {
            case "customerId" -> id;
            case "instanceId" -> instanceOwner(id);
            case "flowConfigId" -> flowConfigOwner(id);
            default -> monitors.get(id).map(this::monitorOwner).orElse(null);
        };
        if (!own.equals(owner)) throw new NotFoundException(param.substring(0, param.length() - 2)
                .replace("flowConfig", "flow config"), id);
    }

    /** An instance's customer; a deletion in progress still has one, so its owner can resume it. */
    private String instanceOwner(String id) {
        return instances.get(id).or(() -> instances.getDeleting(id)).map(Instance::customerId).orElse(null);
    }

    private String flowConfigOwner(String id) {
        return instances.getFlowConfig(id).map(FlowConfig::customerId).orElse(null);
    }

    /** The customer a monitor belongs to: its scope's customer or instance's customer; null for everything. */
    String monitorOwner(Monitor m) {
        return monitorOwner(m, this::instanceOwner);
    }

    static String monitorOwner(Monitor m, Function<String, String> instanceOwner) {
        MonitorScope s = m.scope();
        if (s.customerId() != null) return s.customerId();
        if (s.instanceId() != null) return instanceOwner.apply(s.instanceId());
        return null;
    }

    /** The customer a bulk job belongs to (its filter's), or null when it spans customers. */
    String jobOwner(dev.ferry.core.model.ReplayJob job) {
        return filterOwner(job.filter());
    }

    /** The customer a bulk replay job's filter is confined to, or null when it spans customers. */
    private String filterOwner(ExecutionQuery f) {
        if (f == null) return null;
        if (f.customerId() != null) return f.customerId();
        if (f.instanceId() != null) return instanceOwner(f.instanceId());
        if (f.flowConfigId() != null) return flowConfigOwner(f.flowConfigId());
        return null;
    }

    // ------------------------------------------------------------------ bodies of creating routes

    /** {@code customerId}: the key's customer when missing; another customer is "no customer" (400), as a non-existent one. */
    private ApiRequest newInstance(ApiRequest request, String own) {
        ObjectNode body = bodyObject(request).orElse(null);
        if (body == null) return request;
        JsonNode c = body.get("customerId");
        if (c == null || c.isNull()) {
            body.put("customerId", own);
            return withBody(request, body);
        }
        if (c.isTextual() && !c.asText().isBlank() && !own.equals(c.asText().trim())) {
            throw new ValidationException("customerId", "no customer '" + c.asText().trim() + "'");
        }
        return request;
    }

    private ApiRequest newApiKey(ApiRequest request, String own) {
        ObjectNode body = bodyObject(request).orElse(null);
        if (body == null) return request;
        JsonNode c = body.get("customerId");
        if (c == null || c.isNull()) {
            throw new ForbiddenException("a customer's API key can create keys only for its own customer: send "
                    + "\"customerId\": \"" + own + "\" (a key without customerId is an admin key)");
        }
        if (c.isTextual() && !c.asText().isBlank() && !own.equals(c.asText().trim())) {
            throw new ValidationException("customerId", "no customer '" + c.asText().trim() + "'");
        }
        return request;
    }

    private ApiRequest newMonitor(ApiRequest request, String own) {
        ObjectNode body = bodyObject(request).orElse(null);
        if (body == null) return request;
        JsonNode scope = body.get("scope");
        if (scope != null && !scope.isNull() && !scope.isObject()) return request; // the action says why (400)
        String customerId = text(scope, "customerId");
        String instanceId = text(scope, "instanceId");
        String flowConfigId = text(scope, "flowConfigId");
        if (customerId == null && instanceId == null && flowConfigId == null) {
            if (scope != null && scope.isObject() && !scope.isEmpty() && !onlyNulls(scope)) return request; // 400 from the action
            throw new ForbiddenException("a monitor scoped to everything needs an admin API key; a customer's key "
                    + "sets scope {\"customerId\": \"" + own + "\"} or one of its instances");
        }
        if (customerId != null && !own.equals(customerId)) {
            throw new ValidationException("scope.customerId", "no customer '" + customerId + "'");
        }
        if (instanceId != null && !own.equals(instanceOwner(instanceId))) {
            throw new ValidationException("scope.instanceId", "no instance '" + instanceId + "'");
        }
        if (flowConfigId != null && !own.equals(flowConfigOwner(flowConfigId))) {
            throw new ValidationException("scope.flowConfigId", "no flow config '" + flowConfigId + "'");
        }
        return request;
    }

    /**
     * A change of the customer's own monitor may move its scope only within the customer: a new
     * scope is checked as a new monitor's is (everything: 403; another customer's ids: 400).
     */
    private ApiRequest monitorChange(ApiRequest request, String own) {
        if (!"PATCH".equals(request.method())) return request;
        ObjectNode body = bodyObject(request).orElse(null);
        if (body == null || !body.has("scope")) return request;
        return newMonitor(request, own);
    }

    /** The filter's customer is forced to the key's; its instance and flow config must be the customer's. */
    private ApiRequest newReplayJob(ApiRequest request, String own) {
        ObjectNode body = bodyObject(request).orElse(null);
        if (body == null) return request;
        JsonNode f = body.get("filter");
        if (f == null || !f.isObject() || f.isEmpty()) return request; // the action says why (400)
        ObjectNode filter = (ObjectNode) f;
        String customerId = text(filter, "customerId");
        String instanceId = text(filter, "instanceId");
        String flowConfigId = text(filter, "flowConfigId");
        if (customerId != null && !own.equals(customerId)) {
            throw new ValidationException("filter.customerId", "no customer '" + customerId + "'");
        }
        if (instanceId != null && !own.equals(instanceOwner(instanceId))) {
            throw new ValidationException("filter.instanceId", "no instance '" + instanceId + "'");
        }
        if (flowConfigId != null && !own.equals(flowConfigOwner(flowConfigId))) {
            throw new ValidationException("filter.flowConfigId", "no flow config '" + flowConfigId + "'");
        }
        JsonNode c = filter.get("customerId");
        if (c != null && !c.isNull() && (!c.isTextual() || c.asText().isBlank())) return request; // the action says why (400)
        filter.put("customerId", own);
        return withBody(request, body);
    }

    private static Optional<ObjectNode> bodyObject(ApiRequest request) {
        if (request.body().length == 0) return Optional.empty();
        try {
            JsonNode n = Json.tree(request.body());
            return n != null && n.isObject() ? Optional.of((ObjectNode) n) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty(); // the action answers the 400
        }
    }

    private static String text(JsonNode parent, String field) {
        if (parent == null || !parent.isObject()) return null;
        JsonNode v = parent.get(field);
        return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText().trim() : null;
    }

    private static boolean onlyNulls(JsonNode o) {
        for (JsonNode v : o) if (!v.isNull()) return false;
        return true;
    }

    private static ApiRequest withBody(ApiRequest r, ObjectNode body) {
        Map<String, String> headers = r.headers();
        return new ApiRequest(r.method(), r.path(), r.query(), headers, Json.writeBytes(body), r.baseUrl());
    }
}

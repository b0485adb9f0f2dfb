package dev.ferry.core.api;

import dev.ferry.core.model.ReplayJobKind;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The management HTTP API: the route table, authentication and tenancy. Each route's action is in
 * the routes of its resource ({@link CatalogApi}, {@link InstancesApi}, {@link ExecutionsApi},
 * {@link ReplaysApi}, {@link MonitorsApi}, {@link ApiKeysApi}, {@link DeadLettersApi}). HTTP
 * transport-neutral: the Lambda handlers and tests feed it {@link ApiRequest}s.
 */
public final class ManagementApi {
    private static final String ID = "([A-Za-z0-9_-]{1,100})";

    private final Auth auth;
    private final Tenancy tenancy;
    private final List<Route> routes = new ArrayList<>();

    private record Route(String method, Pattern path, Scope scope, Function<Call, ApiResponse> action) {}

    /** A route as the route table lists it: method, path pattern (ids as regex groups) and its tenancy scope. */
    public record RouteInfo(String method, String path, Scope scope) {}

    public ManagementApi(Auth auth, Tenancy tenancy, CatalogApi catalog, InstancesApi instances, ExecutionsApi executions,
                         ReplaysApi replays, MonitorsApi monitors, ApiKeysApi apiKeys, DeadLettersApi deadLetters) {
        this.auth = auth;
        this.tenancy = tenancy;
        // Every route names its tenancy scope (Scope): Tenancy enforces it before the action runs,
        // and TenancyMatrixTest fails for a route it has no case for.
        route("GET", "/openapi.json", Scope.PUBLIC, ReferenceApi::openApi);
        route("POST", "/customers", Scope.ADMIN, catalog::createCustomer);
        route("GET", "/customers", Scope.LIST, catalog::listCustomers);
        route("GET", "/customers/" + ID, Scope.CUSTOMER, catalog::getCustomer);
        route("GET", "/customers/" + ID + "/executions", Scope.CUSTOMER, executions::listForCustomer);
        route("POST", "/integrations", Scope.ADMIN, catalog::createIntegration);
        route("GET", "/integrations", Scope.ANY_KEY, catalog::listIntegrations);
        route("GET", "/integrations/" + ID, Scope.ANY_KEY, catalog::getIntegration);
        route("POST", "/integrations/" + ID + "/versions", Scope.ADMIN, catalog::addVersion);
        route("POST", "/instances", Scope.NEW_INSTANCE, instances::create);
        route("GET", "/instances", Scope.LIST, instances::list);
        route("GET", "/instances/" + ID, Scope.INSTANCE, instances::get);
        route("PATCH", "/instances/" + ID, Scope.INSTANCE, instances::update);
        route("DELETE", "/instances/" + ID, Scope.INSTANCE, instances::delete);
        route("GET", "/instances/" + ID + "/flow-configs", Scope.INSTANCE, instances::listFlowConfigs);
        route("GET", "/instances/" + ID + "/activity", Scope.INSTANCE, instances::activity);
        route("POST", "/instances/" + ID + "/pause", Scope.INSTANCE, instances::pause);
        route("POST", "/instances/" + ID + "/unpause", Scope.INSTANCE, instances::unpause);
        route("POST", "/flow-configs/" + ID + "/test", Scope.FLOW_CONFIG, instances::testFlowConfig);
        route("GET", "/executions", Scope.LIST, executions::list);
        route("GET", "/executions/" + ID, Scope.EXECUTION, executions::get);
        route("GET", "/executions/" + ID + "/logs", Scope.EXECUTION, executions::logs);
        route("POST", "/executions/" + ID + "/replay", Scope.EXECUTION, replays::replay);
        route("POST", "/executions/" + ID + "/cancel", Scope.EXECUTION, replays::cancel);
        route("GET", "/instances/" + ID + "/logs", Scope.INSTANCE, executions::searchInstanceLogs);
        route("GET", "/customers/" + ID + "/logs", Scope.CUSTOMER, executions::searchCustomerLogs);
        route("GET", "/logs", Scope.ADMIN, executions::searchAllLogs);
        for (ReplayJobKind kind : ReplayJobKind.values()) {
            String jobs = kind == ReplayJobKind.CANCEL ? "/cancellations" : "/replays";
            route("POST", jobs, Scope.NEW_REPLAY_JOB, c -> replays.startJob(c, kind));
            route("GET", jobs, Scope.LIST, c -> replays.listJobs(c, kind));
            route("GET", jobs + "/" + ID, Scope.REPLAY_JOB, c -> replays.getJob(c, kind));
            route("POST", jobs + "/" + ID + "/cancel", Scope.REPLAY_JOB, c -> replays.cancelJob(c, kind));
        }
        route("POST", "/monitors", Scope.NEW_MONITOR, c -> monitors.create(c.request(), c.customerId()));
        route("GET", "/monitors", Scope.LIST, c -> monitors.list(c.request(), c.customerId()));
        route("GET", "/monitors/" + ID, Scope.MONITOR, c -> monitors.get(c.id(), c.customerId()));
        route("PATCH", "/monitors/" + ID, Scope.MONITOR, c -> monitors.update(c.id(), c.request(), c.customerId()));
        route("DELETE", "/monitors/" + ID, Scope.MONITOR, c -> monitors.delete(c.id()));
        route("GET", "/alerts", Scope.LIST, c -> monitors.alerts(c.request(), c.customerId()));
        route("POST", "/alerts/" + ID + "/acknowledge", Scope.ALERT, c -> monitors.acknowledge(c.id(), c.request(), c.who(), c.customerId()));
        route("GET", "/whoami", Scope.ANY_KEY, apiKeys::whoami);
        route("POST", "/api-keys", Scope.NEW_API_KEY, c -> apiKeys.create(c.request(), c.customerId()));
        route("GET", "/api-keys", Scope.LIST, c -> apiKeys.list(c.request(), c.customerId()));
        route("DELETE", "/api-keys/" + ID, Scope.API_KEY, c -> apiKeys.delete(c.id()));
        // Operator routes, not in the public API: the admin key only.
        route("GET", "/dead-letters", Scope.ADMIN, c -> deadLetters.list(c.request()));
        route("POST", "/dead-letters/redrive", Scope.ADMIN, c -> deadLetters.redrive(c.request()));
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
                List<String> ids = new ArrayList<>();
                for (int g = 1; g <= m.groupCount(); g++) ids.add(m.group(g));
                if (r.scope() == Scope.PUBLIC) return r.action().apply(new Call(request, null, ids)); // no caller to know
                Auth.Principal principal = trusted ? Auth.Principal.ADMIN : auth.authenticate(request);
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
}

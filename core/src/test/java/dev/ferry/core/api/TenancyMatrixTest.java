package dev.ferry.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.model.Alert;
import dev.ferry.core.model.MonitorTriggerType;
import dev.ferry.core.testkit.FerryTestKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every management route × {admin key, own customer's key, other customer's key, wrong key, no key}.
 * Each case runs on a fresh world of two customers (A and B, each with an instance, an execution,
 * a monitor, an alert and keys) and targets customer A's resources. A case asserts the status and,
 * for every rejected request, that no store changed. {@link #everyRouteHasATenancyCase} fails when a
 * route is added without a case here (and a route cannot be added without a {@link Scope}).
 */
class TenancyMatrixTest {
    enum Who { ADMIN, OWN_CUSTOMER, OTHER_CUSTOMER, WRONG_KEY, NO_KEY }

    /** The world a case runs in: customer A (the target) and customer B, each with everything a route can touch. */
    static final class World {
        final FerryTestKit kit = new FerryTestKit();
        final FerryTestKit.Demo a;
        final String bCustomer;
        final String bInstance;
        final String aExecution;
        final String bExecution;
        final String aJob;
        final String bJob;
        final String aCancellation;
        final String bCancellation;
        final String aQueued;
        final String aMonitor;
        final String bMonitor;
        final String aKey;
        final String bKey;
        final String aSpareKeyId;

        World() {
            a = kit.seedDemo();
            bCustomer = id(kit.api("POST", "/customers", "{\"name\":\"Beta\"}"));
            bInstance = id(kit.api("POST", "/instances", "{\"name\":\"Beta orders\",\"customerId\":\"" + bCustomer
                    + "\",\"integrationId\":\"" + a.integrationId() + "\",\"configVariables\":{\"apiBase\":\"https://b.example.test\"}}"));
            String bFlowConfig = FerryTestKit.json(kit.api("GET", "/instances/" + bInstance + "/flow-configs", null))
                    .get("items").get(0).get("id").asText();
            aExecution = id(kit.api("POST", "/flow-configs/" + a.flowConfigId() + "/test", "{\"body\":{\"id\":1}}"));
            bExecution = id(kit.api("POST", "/flow-configs/" + bFlowConfig + "/test", "{\"body\":{\"id\":2}}"));
            aJob = id(kit.api("POST", "/replays", "{\"filter\":{\"customerId\":\"" + a.customerId() + "\"},\"name\":\"a\"}"));
            bJob = id(kit.api("POST", "/replays", "{\"filter\":{\"customerId\":\"" + bCustomer + "\"},\"name\":\"b\"}"));
            aCancellation = id(kit.api("POST", "/cancellations", "{\"filter\":{\"instanceId\":\"" + a.instanceId() + "\",\"status\":\"HELD\"}}"));
            bCancellation = id(kit.api("POST", "/cancellations", "{\"filter\":{\"customerId\":\"" + bCustomer + "\",\"status\":\"HELD\"}}"));
            aQueued = "exe_aQueuedNeverRun";
            kit.executions.create(dev.ferry.core.model.Execution.builder().id(aQueued).instanceId(a.instanceId())
                    .customerId(a.customerId()).flowConfigId(a.flowConfigId()).flow("Sync")
                    .trigger(dev.ferry.core.model.Trigger.WEBHOOK).queuedAt(kit.clock.instant())
                    .expiresAt(kit.clock.instant().plus(Duration.ofDays(14))).build());
            aMonitor = id(kit.api("POST", "/monitors", monitorBody("instanceId", a.instanceId())));
            bMonitor = id(kit.api("POST", "/monitors", monitorBody("customerId", bCustomer)));
            kit.alerts.create(alert("alr_a", aMonitor, a.instanceId(), a.customerId()));
            kit.alerts.create(alert("alr_b", bMonitor, bInstance, bCustomer));
            aKey = kit.createApiKey("a main", a.customerId());
            bKey = kit.createApiKey("b main", bCustomer);
            kit.createApiKey("a spare", a.customerId());
            aSpareKeyId = kit.apiKeys.all().getLast().id();
            kit.drainQueue();
        }

        String key(Who who) {
            return switch (who) {
                case ADMIN -> FerryTestKit.ADMIN_KEY;
                case OWN_CUSTOMER -> aKey;
                case OTHER_CUSTOMER -> bKey;
                case WRONG_KEY -> "fry_thisKeyWasNeverIssuedToAnyone0000000";
                case NO_KEY -> null;
            };
        }

        /** Everything every store holds, as text: equal before and after means nothing was written. */
        String state() {
            List<Object> s = new ArrayList<>();
            s.add(kit.customers.list(1000, null));
            s.add(kit.integrations.list(1000, null));
            kit.integrations.list(1000, null).items().forEach(i -> {
                for (int v = 1; v <= i.latestVersion(); v++) s.add(kit.integrations.getVersion(i.id(), v));
            });
            kit.instances.list(null, 1000, null).items().forEach(i -> {
                s.add(i);
                s.add(kit.instances.listFlowConfigs(i.id()));
                s.add(kit.logs.linesOf(i.id()));
            });
            s.add(kit.executions.all());
            s.add(kit.queue.pending());
            s.add(kit.queue.pendingReleases());
            s.add(kit.schedules.all());
            s.add(kit.retryQueue.sent());
            s.add(kit.replayJobs.all());
            s.add(kit.replayJobQueue.pending());
            s.add(kit.monitors.list(1000, null));
            s.add(kit.alerts.all());
            s.add(kit.monitorEvents.pending());
            s.add(kit.apiKeys.all());
            return s.toString();
        }

        private static String monitorBody(String field, String id) {
            return "{\"name\":\"m\",\"triggers\":[{\"type\":\"EXECUTION_FAILED\"}],\"scope\":{\"" + field + "\":\"" + id + "\"}}";
        }

        private Alert alert(String id, String monitorId, String instanceId, String customerId) {
            return new Alert(id, monitorId, "m", "k_" + id, MonitorTriggerType.EXECUTION_FAILED, "failed", instanceId,
                    customerId, null, null, null, kit.clock.instant(), null, null, Map.of(), List.of(),
                    kit.clock.instant().plus(Duration.ofDays(14)));
        }

        private static String id(ApiResponse r) {
            if (r.status() >= 300) throw new IllegalStateException(r.bodyText());
            JsonNode n = FerryTestKit.json(r);
            return (n.has("id") ? n.get("id") : n.get("executionId")).asText();
        }
    }

    /** A request a case sends, built from the world. */
    record Req(String method, String path, Map<String, String> query, String body) {}

    /**
     * One route's case. {@code ok}: the status an admin (and the own customer's key, unless the scope
     * is {@link Scope#ADMIN}) gets; {@code other}: what the other customer's key gets. For lists,
     * {@code mine} names what only customer A's key (and the admin) may see, {@code theirs} what only B's.
     */
    record Case(String method, String path, Scope scope, Function<World, Req> request, int ok, int other,
                Function<World, List<String>> mine, Function<World, List<String>> theirs) {
        String key() {
            return method + " " + path;
        }
    }

    private static Case path(String method, String path, Scope scope, Function<World, Req> request, int ok) {
        return new Case(method, path, scope, request, ok, 404, null, null);
    }

    private static Case list(String path, Function<World, List<String>> mine, Function<World, List<String>> theirs) {
        return new Case("GET", path, Scope.LIST, w -> new Req("GET", path, Map.of(), null), 200, 200, mine, theirs);
    }

    private static Req req(String method, String path) {
        return new Req(method, path, Map.of(), null);
    }

    private static Req req(String method, String path, String body) {
        return new Req(method, path, Map.of(), body);
    }

    static final List<Case> CASES = List.of(
            new Case("GET", "/openapi.json", Scope.PUBLIC, w -> req("GET", "/openapi.json"), 200, 200, null, null),
            new Case("POST", "/customers", Scope.ADMIN, w -> req("POST", "/customers", "{\"name\":\"New\"}"), 201, 403, null, null),
            list("/customers", w -> List.of(w.a.customerId()), w -> List.of(w.bCustomer)),
            path("GET", "/customers/{id}", Scope.CUSTOMER, w -> req("GET", "/customers/" + w.a.customerId()), 200),
            path("GET", "/customers/{id}/executions", Scope.CUSTOMER,
                    w -> req("GET", "/customers/" + w.a.customerId() + "/executions"), 200),
            new Case("POST", "/integrations", Scope.ADMIN, w -> req("POST", "/integrations", FerryTestKit.DEMO_DEFINITION),
                    201, 403, null, null),
            new Case("GET", "/integrations", Scope.ANY_KEY, w -> req("GET", "/integrations"), 200, 200, null, null),
            new Case("GET", "/integrations/{id}", Scope.ANY_KEY, w -> req("GET", "/integrations/" + w.a.integrationId()),
                    200, 200, null, null),
            new Case("POST", "/integrations/{id}/versions", Scope.ADMIN,
                    w -> req("POST", "/integrations/" + w.a.integrationId() + "/versions", FerryTestKit.DEMO_DEFINITION),
                    201, 403, null, null),
            new Case("POST", "/instances", Scope.NEW_INSTANCE, w -> req("POST", "/instances", "{\"name\":\"n\",\"customerId\":\""
                    + w.a.customerId() + "\",\"integrationId\":\"" + w.a.integrationId()
                    + "\",\"configVariables\":{\"apiBase\":\"https://x.example.test\"}}"), 201, 400, null, null),
            list("/instances", w -> List.of(w.a.instanceId()), w -> List.of(w.bInstance)),
            path("GET", "/instances/{id}", Scope.INSTANCE, w -> req("GET", "/instances/" + w.a.instanceId()), 200),
            path("PATCH", "/instances/{id}", Scope.INSTANCE,
                    w -> req("PATCH", "/instances/" + w.a.instanceId(), "{\"name\":\"renamed\"}"), 200),
            path("DELETE", "/instances/{id}", Scope.INSTANCE,
                    w -> new Req("DELETE", "/instances/" + w.a.instanceId(), Map.of("confirm", "Acme orders"), null), 204),
            path("GET", "/instances/{id}/flow-configs", Scope.INSTANCE,
                    w -> req("GET", "/instances/" + w.a.instanceId() + "/flow-configs"), 200),
            path("GET", "/instances/{id}/activity", Scope.INSTANCE,
                    w -> req("GET", "/instances/" + w.a.instanceId() + "/activity"), 200),
            path("POST", "/instances/{id}/pause", Scope.INSTANCE, w -> req("POST", "/instances/" + w.a.instanceId() + "/pause"), 200),
            path("POST", "/instances/{id}/unpause", Scope.INSTANCE,
                    w -> req("POST", "/instances/" + w.a.instanceId() + "/unpause"), 200),
            path("POST", "/flow-configs/{id}/test", Scope.FLOW_CONFIG,
                    w -> req("POST", "/flow-configs/" + w.a.flowConfigId() + "/test", "{\"body\":{\"id\":3}}"), 200),
            list("/executions", w -> List.of(w.aExecution), w -> List.of(w.bExecution)),
            path("GET", "/executions/{id}", Scope.EXECUTION, w -> req("GET", "/executions/" + w.aExecution), 200),
            path("GET", "/executions/{id}/logs", Scope.EXECUTION, w -> req("GET", "/executions/" + w.aExecution + "/logs"), 200),
            path("POST", "/executions/{id}/replay", Scope.EXECUTION, w -> req("POST", "/executions/" + w.aExecution + "/replay"), 202),
            path("POST", "/executions/{id}/cancel", Scope.EXECUTION, w -> req("POST", "/executions/" + w.aQueued + "/cancel"), 200),
            path("GET", "/instances/{id}/logs", Scope.INSTANCE, w -> req("GET", "/instances/" + w.a.instanceId() + "/logs"), 200),
            path("GET", "/customers/{id}/logs", Scope.CUSTOMER, w -> req("GET", "/customers/" + w.a.customerId() + "/logs"), 200),
            new Case("GET", "/logs", Scope.ADMIN, w -> req("GET", "/logs"), 200, 403, null, null),
            new Case("POST", "/replays", Scope.NEW_REPLAY_JOB,
                    w -> req("POST", "/replays", "{\"filter\":{\"instanceId\":\"" + w.a.instanceId() + "\"}}"), 202, 400, null, null),
            path("GET", "/replays/{id}", Scope.REPLAY_JOB, w -> req("GET", "/replays/" + w.aJob), 200),
            path("POST", "/replays/{id}/cancel", Scope.REPLAY_JOB, w -> req("POST", "/replays/" + w.aJob + "/cancel"), 200),
            list("/replays", w -> List.of(w.aJob), w -> List.of(w.bJob)),
            new Case("POST", "/cancellations", Scope.NEW_REPLAY_JOB, w -> req("POST", "/cancellations",
                    "{\"filter\":{\"instanceId\":\"" + w.a.instanceId() + "\"}}"), 202, 400, null, null),
            list("/cancellations", w -> List.of(w.aCancellation), w -> List.of(w.bCancellation)),
            path("GET", "/cancellations/{id}", Scope.REPLAY_JOB, w -> req("GET", "/cancellations/" + w.aCancellation), 200),
            path("POST", "/cancellations/{id}/cancel", Scope.REPLAY_JOB,
                    w -> req("POST", "/cancellations/" + w.aCancellation + "/cancel"), 200),
            new Case("POST", "/monitors", Scope.NEW_MONITOR, w -> req("POST", "/monitors",
                    World.monitorBody("instanceId", w.a.instanceId())), 201, 400, null, null),
            list("/monitors", w -> List.of(w.aMonitor), w -> List.of(w.bMonitor)),
            path("GET", "/monitors/{id}", Scope.MONITOR, w -> req("GET", "/monitors/" + w.aMonitor), 200),
            path("PATCH", "/monitors/{id}", Scope.MONITOR, w -> req("PATCH", "/monitors/" + w.aMonitor,
                    "{\"name\":\"renamed\",\"mutedUntil\":\"2026-11-27T10:00:00Z\"}"), 200),
            path("DELETE", "/monitors/{id}", Scope.MONITOR, w -> req("DELETE", "/monitors/" + w.aMonitor), 204),
            list("/alerts", w -> List.of("alr_a"), w -> List.of("alr_b")),
            path("POST", "/alerts/{id}/acknowledge", Scope.ALERT, w -> req("POST", "/alerts/alr_a/acknowledge"), 200),
            new Case("GET", "/whoami", Scope.ANY_KEY, w -> req("GET", "/whoami"), 200, 200, null, null),
            new Case("POST", "/api-keys", Scope.NEW_API_KEY, w -> req("POST", "/api-keys", "{\"name\":\"k\",\"customerId\":\""
                    + w.a.customerId() + "\"}"), 201, 400, null, null),
            list("/api-keys", w -> List.of(w.aSpareKeyId), w -> List.of(w.kit.apiKeys.all().stream()
                    .filter(k -> w.bCustomer.equals(k.customerId())).findFirst().orElseThrow().id())),
            path("DELETE", "/api-keys/{id}", Scope.API_KEY, w -> req("DELETE", "/api-keys/" + w.aSpareKeyId), 204),
            new Case("GET", "/dead-letters", Scope.ADMIN,
                    w -> new Req("GET", "/dead-letters", Map.of("queue", "execution"), null), 200, 403, null, null),
            new Case("POST", "/dead-letters/redrive", Scope.ADMIN,
                    w -> req("POST", "/dead-letters/redrive", "{\"queue\":\"execution\"}"), 200, 403, null, null));

    static Stream<Arguments> matrix() {
        return CASES.stream().flatMap(c -> Stream.of(Who.values()).map(who -> Arguments.of(c.key(), who, c)));
    }

    @Test
    void everyRouteHasATenancyCase() {
        List<ManagementApi.RouteInfo> routes = new FerryTestKit().ferry.api().routes();
        Map<String, Scope> declared = new LinkedHashMap<>();
        for (ManagementApi.RouteInfo r : routes) {
            declared.put(r.method() + " " + r.path().replace("([A-Za-z0-9_-]{1,100})", "{id}"), r.scope());
        }
        Map<String, Scope> covered = CASES.stream().collect(Collectors.toMap(Case::key, Case::scope, (x, y) -> x, LinkedHashMap::new));

        Set<String> missing = new TreeSet<>(declared.keySet());
        missing.removeAll(covered.keySet());
        assertThat(missing).as("routes without a tenancy case in TenancyMatrixTest.CASES (add one, with its Scope)").isEmpty();
        Set<String> stale = new TreeSet<>(covered.keySet());
        stale.removeAll(declared.keySet());
        assertThat(stale).as("tenancy cases for routes that do not exist").isEmpty();
        assertThat(declared).as("each route's declared Scope").containsExactlyInAnyOrderEntriesOf(covered);
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("matrix")
    void routeAnswersEachPrincipalAndARejectedRequestWritesNothing(String route, Who who, Case c) {
        World w = new World();
        Req r = c.request().apply(w);
        String before = w.state();

        ApiResponse response = w.kit.apiAs(w.key(who), r.method(), r.path(), r.query(), r.body());

        int expected = switch (who) {
            case ADMIN -> c.ok();
            case OWN_CUSTOMER -> c.scope() == Scope.ADMIN ? 403 : c.ok();
            case OTHER_CUSTOMER -> c.other();
            case WRONG_KEY, NO_KEY -> c.scope() == Scope.PUBLIC ? c.ok() : 401; // PUBLIC reads no key
        };
        assertThat(response.status()).as(route + " as " + who + ": " + response.bodyText()).isEqualTo(expected);
        if (expected >= 400) {
            assertThat(w.state()).as(route + " as " + who + " was rejected but changed a store").isEqualTo(before);
            assertThat(FerryTestKit.json(response).get("error").get("code").asText()).isNotBlank();
        }
        if (c.mine() != null) {
            String body = response.bodyText();
            if (who == Who.ADMIN || who == Who.OWN_CUSTOMER) c.mine().apply(w).forEach(id -> assertThat(body).contains(id));
            if (who == Who.OWN_CUSTOMER) c.theirs().apply(w).forEach(id -> assertThat(body).doesNotContain(id));
            if (who == Who.OTHER_CUSTOMER) {
                c.mine().apply(w).forEach(id -> assertThat(body).doesNotContain(id));
                c.theirs().apply(w).forEach(id -> assertThat(body).contains(id));
            }
        }
    }
}

package dev.ferry.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.PauseMode;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.service.InstanceActivity;
import dev.ferry.core.testkit.FerryTestKit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The routes a client such as the console needs: who the key is, filtered instance lists, an instance's activity. */
class ConsoleRoutesTest {
    private final FerryTestKit kit = new FerryTestKit();
    private final FerryTestKit.Demo demo = kit.seedDemo();

    private JsonNode ok(ApiResponse r) {
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        return FerryTestKit.json(r);
    }

    private JsonNode refused(ApiResponse r, String field) {
        assertThat(r.status()).as(r.bodyText()).isEqualTo(400);
        JsonNode body = FerryTestKit.json(r);
        assertThat(body.get("error").get("details").findValuesAsText("field")).contains(field);
        return body;
    }

    // ---- GET /whoami

    @Test
    void whoamiTellsAnAdminKeyFromACustomerKeyWithoutShowingEitherKey() {
        JsonNode admin = ok(kit.api("GET", "/whoami", null));
        assertThat(admin.get("kind").asText()).isEqualTo("admin");
        assertThat(admin.get("customerId").isNull()).isTrue();
        assertThat(admin.get("keyName").asText()).isEqualTo("admin");
        assertThat(admin.get("keyId").isNull()).isTrue();
        // The first 8 characters, or half of a shorter key.
        String adminKey = FerryTestKit.ADMIN_KEY;
        assertThat(admin.get("keyPrefix").asText()).isEqualTo(adminKey.substring(0, Math.min(8, adminKey.length() / 2)) + "…");

        String key = kit.createApiKey("Acme portal", demo.customerId());
        JsonNode customer = ok(kit.apiAs(key, "GET", "/whoami", Map.of(), null));
        assertThat(customer.get("kind").asText()).isEqualTo("customer");
        assertThat(customer.get("customerId").asText()).isEqualTo(demo.customerId());
        assertThat(customer.get("customerName").asText()).isEqualTo("Acme");
        assertThat(customer.get("keyName").asText()).isEqualTo("Acme portal");
        assertThat(customer.get("keyId").asText()).isEqualTo(kit.apiKeys.all().getLast().id());
        assertThat(customer.get("keyPrefix").asText()).isEqualTo(key.substring(0, 8) + "…").startsWith("fry_");
        assertThat(customer.toString()).doesNotContain(key);
    }

    @Test
    void whoamiRefusesAWrongKeyAndAnUnknownParameter() {
        assertThat(kit.apiAs("fry_neverIssued000000000000000000000", "GET", "/whoami", Map.of(), null).status()).isEqualTo(401);
        refused(kit.api("GET", "/whoami", Map.of("verbose", "1"), null), "verbose");
    }

    // ---- GET /instances filters

    private String instance(String name, boolean paused) {
        JsonNode i = FerryTestKit.json(kit.api("POST", "/instances", "{\"name\":\"" + name + "\",\"customerId\":\"" + demo.customerId()
                + "\",\"integrationId\":\"" + demo.integrationId() + "\",\"configVariables\":{\"apiBase\":\"https://x.example.test\"}}"));
        if (paused) assertThat(kit.api("POST", "/instances/" + i.get("id").asText() + "/pause", "{}").status()).isEqualTo(200);
        return i.get("id").asText();
    }

    /** Every page of a listing, following the cursor. */
    private List<String> names(Map<String, String> query) {
        List<String> names = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, String> q = new HashMap<>(query);
            if (cursor != null) q.put("cursor", cursor);
            JsonNode page = ok(kit.api("GET", "/instances", q, null));
            page.get("items").forEach(i -> names.add(i.get("name").asText()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        return names;
    }

    @Test
    void instanceFiltersApplyAcrossPagesWithTheCursor() {
        instance("Globex orders", false);
        instance("Acme returns", true);
        instance("acme invoices", false);
        instance("Initech sync", true);
        instance("ACME stock", true);

        assertThat(names(Map.of("namePrefix", "acme", "limit", "1")))
                .containsExactly("Acme orders", "Acme returns", "acme invoices", "ACME stock");
        assertThat(names(Map.of("state", "paused", "limit", "2"))).containsExactly("Acme returns", "Initech sync", "ACME stock");
        assertThat(names(Map.of("state", "running", "namePrefix", "Acme", "limit", "1"))).containsExactly("Acme orders", "acme invoices");
        assertThat(names(Map.of("integrationId", demo.integrationId(), "limit", "4"))).hasSize(6);
        assertThat(names(Map.of("integrationId", "int_other"))).isEmpty();
    }

    @Test
    void aFullFilteredPageResumesRightAfterItsLastInstance() {
        for (int i = 0; i < 5; i++) instance("Batch " + i, false);
        JsonNode first = ok(kit.api("GET", "/instances", Map.of("namePrefix", "batch", "limit", "2"), null));
        assertThat(first.get("items").findValuesAsText("name")).containsExactly("Batch 0", "Batch 1");
        JsonNode second = ok(kit.api("GET", "/instances", Map.of("namePrefix", "batch", "limit", "2",
                "cursor", first.get("nextCursor").asText()), null));
        assertThat(second.get("items").findValuesAsText("name")).containsExactly("Batch 2", "Batch 3");
    }

    @Test
    void aSelectiveFilterStopsAfterItsBoundWithACursorToGoOn() {
        Instant t = kit.clock.instant();
        for (int i = 0; i < InstancesApi.MAX_INSTANCES_READ + 50; i++) {
            kit.instances.create(new Instance(String.format("ins_bulk%05d", i), "Bulk " + i, demo.customerId(), demo.integrationId(), 1,
                    true, PauseMode.REJECT, Map.of(), t.plusMillis(i + 1), null, null, true, true), List.of());
        }
        kit.instances.create(new Instance("ins_zz_last", "Zeta", demo.customerId(), demo.integrationId(), 1, true, PauseMode.REJECT,
                Map.of(), t.plusSeconds(3600), null, null, true, true), List.of());

        JsonNode first = ok(kit.api("GET", "/instances", Map.of("namePrefix", "zeta"), null));
        assertThat(first.get("items")).isEmpty();
        assertThat(first.get("nextCursor").isNull()).isFalse();
        assertThat(names(Map.of("namePrefix", "zeta"))).containsExactly("Zeta");
    }

    @Test
    void badInstanceFiltersAre400WithNothingRead() {
        refused(kit.api("GET", "/instances", Map.of("state", "sleeping"), null), "state");
        refused(kit.api("GET", "/instances", Map.of("namePrefix", "x".repeat(201)), null), "namePrefix");
        refused(kit.api("GET", "/instances", Map.of("integrationId", "not an id"), null), "integrationId");
        refused(kit.api("GET", "/instances", Map.of("name", "Acme"), null), "name");
    }

    // ---- GET /instances/{id}/activity

    private void execution(String id, ExecutionStatus status, Instant queuedAt, Long durationMs) {
        kit.executions.create(Execution.builder().id(id).instanceId(demo.instanceId()).customerId(demo.customerId())
                .flowConfigId(demo.flowConfigId()).flow("On new order").trigger(Trigger.WEBHOOK).status(status)
                .queuedAt(queuedAt).durationMs(durationMs).expiresAt(queuedAt.plus(Duration.ofDays(14))).build());
    }

    @Test
    void activityCountsExecutionsByStatusPerBucketWithDurationPercentilesAndFailuresOfTheLastDay() {
        Instant now = kit.clock.instant(); // 2026-11-26T10:00:00Z
        execution("exe_a1", ExecutionStatus.SUCCEEDED, now.minus(Duration.ofMinutes(150)), 100L);
        execution("exe_a2", ExecutionStatus.FAILED, now.minus(Duration.ofMinutes(130)), 300L);
        for (int i = 0; i < 8; i++) execution("exe_b" + i, ExecutionStatus.SUCCEEDED, now.minus(Duration.ofMinutes(50 - i)), 10L * (i + 1));
        execution("exe_c1", ExecutionStatus.RUNNING, now.minus(Duration.ofMinutes(1)), null);
        execution("exe_old", ExecutionStatus.FAILED, now.minus(Duration.ofHours(30)), 5L);

        JsonNode a = ok(kit.api("GET", "/instances/" + demo.instanceId() + "/activity",
                Map.of("since", "2026-11-26T07:00:00Z", "until", "2026-11-26T10:00:00Z"), null));
        assertThat(a.get("bucketMinutes").asInt()).isEqualTo(60);
        assertThat(a.get("buckets").findValuesAsText("start"))
                .containsExactly("2026-11-26T07:00:00Z", "2026-11-26T08:00:00Z", "2026-11-26T09:00:00Z");
        assertThat(a.get("buckets").get(0).get("counts").get("SUCCEEDED").asInt()).isEqualTo(1);
        assertThat(a.get("buckets").get(0).get("counts").get("FAILED").asInt()).isEqualTo(1);
        assertThat(a.get("buckets").get(1).get("counts").get("SUCCEEDED").asInt()).isZero();
        assertThat(a.get("buckets").get(2).get("counts").get("SUCCEEDED").asInt()).isEqualTo(8);
        assertThat(a.get("buckets").get(2).get("counts").get("RUNNING").asInt()).isEqualTo(1);
        assertThat(a.get("total").asInt()).isEqualTo(11);
        assertThat(a.get("byStatus").get("SUCCEEDED").asInt()).isEqualTo(9);
        // Ended: 10..80 (8), 100, 300 → nearest rank p50 = 5th of 10 = 50, p90 = 9th = 100, p99 = 10th = 300.
        assertThat(a.get("durationMs").get("count").asInt()).isEqualTo(10);
        assertThat(a.get("durationMs").get("p50").asLong()).isEqualTo(50);
        assertThat(a.get("durationMs").get("p90").asLong()).isEqualTo(100);
        assertThat(a.get("durationMs").get("p99").asLong()).isEqualTo(300);
        assertThat(a.get("durationMs").get("max").asLong()).isEqualTo(300);
        // The day's failures are read on their own (the range is shorter than a day); the 30 h old one is not one.
        assertThat(a.get("failuresLast24h").get("count").asInt()).isEqualTo(1);
        assertThat(a.get("failuresLast24h").get("truncated").asBoolean()).isFalse();
        assertThat(a.get("truncated").asBoolean()).isFalse();
        assertThat(a.get("countedFrom").asText()).isEqualTo("2026-11-26T07:00:00Z");

        JsonNode day = ok(kit.api("GET", "/instances/" + demo.instanceId() + "/activity", Map.of("bucketMinutes", "1440"), null));
        assertThat(day.get("since").asText()).isEqualTo("2026-11-25T10:00:00Z");
        assertThat(day.get("failuresLast24h").get("count").asInt()).isEqualTo(1);
        assertThat(day.get("total").asInt()).isEqualTo(11);
    }

    @Test
    void activityStopsAtItsBoundAndSaysFromWhenItCounted() {
        Instant now = kit.clock.instant();
        int n = InstanceActivity.MAX_EXECUTIONS + 10;
        for (int i = 0; i < n; i++) execution(String.format("exe_n%05d", i), ExecutionStatus.FAILED, now.minusSeconds(10L * (n - i)), 1L);
        JsonNode a = ok(kit.api("GET", "/instances/" + demo.instanceId() + "/activity", Map.of(), null));
        assertThat(a.get("total").asInt()).isEqualTo(InstanceActivity.MAX_EXECUTIONS);
        assertThat(a.get("truncated").asBoolean()).isTrue();
        assertThat(a.get("maxExecutions").asInt()).isEqualTo(InstanceActivity.MAX_EXECUTIONS);
        // Newest first: the 10 oldest are the ones left out.
        assertThat(Instant.parse(a.get("countedFrom").asText())).isEqualTo(now.minusSeconds(10L * (n - 10)));
        assertThat(a.get("failuresLast24h").get("count").asInt()).isEqualTo(InstanceActivity.MAX_FAILURES);
        assertThat(a.get("failuresLast24h").get("truncated").asBoolean()).isTrue();
    }

    @Test
    void badActivityRangesAre400() {
        String path = "/instances/" + demo.instanceId() + "/activity";
        refused(kit.api("GET", path, Map.of("since", "2026-11-26T10:00:00Z", "until", "2026-11-26T09:00:00Z"), null), "since");
        refused(kit.api("GET", path, Map.of("since", "2026-10-01T00:00:00Z", "until", "2026-11-26T00:00:00Z"), null), "since");
        refused(kit.api("GET", path, Map.of("bucketMinutes", "0"), null), "bucketMinutes");
        refused(kit.api("GET", path, Map.of("bucketMinutes", "1", "since", "2026-11-20T00:00:00Z"), null), "bucketMinutes");
        refused(kit.api("GET", path, Map.of("bucket", "1h"), null), "bucket");
        assertThat(kit.api("GET", "/instances/ins_nope/activity", null).status()).isEqualTo(404);
    }
}

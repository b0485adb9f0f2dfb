package dev.ferry.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.Ferry;
import dev.ferry.core.model.ApiKey;
import dev.ferry.core.testkit.FerryTestKit;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** API keys: shown once, stored hashed, revocable; what a customer key may and may not do beyond the matrix. */
class ApiKeysApiTest {
    private final TenancyMatrixTest.World w = new TenancyMatrixTest.World();
    private final FerryTestKit kit = w.kit;

    private ApiResponse as(String key, String method, String path, String body) {
        return kit.apiAs(key, method, path, Map.of(), body);
    }

    private ApiResponse as(String key, String method, String path, Map<String, String> query) {
        return kit.apiAs(key, method, path, query, null);
    }

    private static JsonNode json(ApiResponse r) {
        return FerryTestKit.json(r);
    }

    @Test
    void createdKeyIsShownOnceAndOnlyItsHashIsStored() {
        ApiResponse created = kit.api("POST", "/api-keys", "{\"name\":\"CI\",\"customerId\":\"" + w.a.customerId() + "\"}");

        assertThat(created.status()).isEqualTo(201);
        String key = json(created).get("key").asText();
        String id = json(created).get("id").asText();
        assertThat(json(created).get("customerId").asText()).isEqualTo(w.a.customerId());
        assertThat(key).startsWith("fry_");
        assertThat(Base64.getUrlDecoder().decode(key.substring(4))).hasSizeGreaterThanOrEqualTo(16);
        ApiKey stored = kit.apiKeys.get(id).orElseThrow();
        assertThat(stored.keyHash()).isEqualTo(Auth.sha256Hex(key));
        assertThat(stored.toString()).doesNotContain(key);
        String listed = kit.api("GET", "/api-keys", null).bodyText();
        assertThat(listed).contains(id).doesNotContain(key).doesNotContain(stored.keyHash());
    }

    @Test
    void twoKeysAreNeverTheSame() {
        assertThat(Auth.newKey()).isNotEqualTo(Auth.newKey());
    }

    @Test
    void adminKeyMadeThroughTheApiActsAsAdmin() {
        String admin = kit.createApiKey("ops", null);

        assertThat(as(admin, "POST", "/customers", "{\"name\":\"Gamma\"}").status()).isEqualTo(201);
        assertThat(json(as(admin, "GET", "/instances", Map.of())).get("items")).hasSize(2);
    }

    @Test
    void revokedKeyIsRejectedAtOnce() {
        String key = kit.createApiKey("temp", w.a.customerId());
        String id = kit.apiKeys.all().getLast().id();
        assertThat(as(key, "GET", "/instances", Map.of()).status()).isEqualTo(200);

        assertThat(kit.api("DELETE", "/api-keys/" + id, null).status()).isEqualTo(204);

        ApiResponse after = as(key, "GET", "/instances", Map.of());
        assertThat(after.status()).isEqualTo(401);
        assertThat(json(after).get("error").get("code").asText()).isEqualTo("unauthorized");
    }

    @Test
    void keyRevokedInAnotherContainerStopsWorkingHereWithinTheCacheTime() {
        Ferry otherContainer = new Ferry(kit.ferry.ports(), kit.ferry.settings());
        String key = kit.createApiKey("temp", w.a.customerId());
        String id = kit.apiKeys.all().getLast().id();
        assertThat(kit.apiAs(key, "GET", "/instances", Map.of(), null).status()).isEqualTo(200); // cached here

        assertThat(otherContainer.api().handle(new ApiRequest("DELETE", "/api-keys/" + id, Map.of(),
                Map.of("authorization", "Bearer " + FerryTestKit.ADMIN_KEY), null, null)).status()).isEqualTo(204);

        kit.clock.advance(kit.ferry.settings().apiKeyCacheTtl().minusMillis(1));
        assertThat(kit.apiAs(key, "GET", "/instances", Map.of(), null).status()).isEqualTo(200); // still trusted here
        kit.clock.advance(Duration.ofMillis(1));
        assertThat(kit.apiAs(key, "GET", "/instances", Map.of(), null).status()).isEqualTo(401);
    }

    @Test
    void cacheTimeDefaultsToFiveSeconds() {
        assertThat(kit.ferry.settings().apiKeyCacheTtl()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void customerKeyMayNotCreateAnAdminKey() {
        String before = w.state();

        ApiResponse r = as(w.aKey, "POST", "/api-keys", "{\"name\":\"escalate\"}");

        assertThat(r.status()).isEqualTo(403);
        assertThat(json(r).get("error").get("code").asText()).isEqualTo("forbidden");
        assertThat(w.state()).isEqualTo(before);
    }

    @Test
    void customerKeyCreatesKeysOfItsOwnCustomer() {
        ApiResponse r = as(w.aKey, "POST", "/api-keys", "{\"name\":\"rotate\",\"customerId\":\"" + w.a.customerId() + "\"}");

        assertThat(r.status()).isEqualTo(201);
        assertThat(as(json(r).get("key").asText(), "GET", "/customers/" + w.a.customerId(), Map.of()).status()).isEqualTo(200);
    }

    @Test
    void keyForAnUnknownCustomerIs400NamingCustomerIdAndWritesNothing() {
        String before = w.state();

        ApiResponse r = kit.api("POST", "/api-keys", "{\"name\":\"x\",\"customerId\":\"cus_nope\"}");

        assertThat(r.status()).isEqualTo(400);
        assertThat(json(r).get("error").get("details").get(0).get("field").asText()).isEqualTo("customerId");
        assertThat(w.state()).isEqualTo(before);
    }

    @Test
    void keyWithoutANameIs400() {
        ApiResponse r = kit.api("POST", "/api-keys", "{}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(json(r).get("error").get("details").get(0).get("field").asText()).isEqualTo("name");
    }

    @Test
    void customerKeySeesOnlyItsCustomersKeys() {
        JsonNode items = json(as(w.aKey, "GET", "/api-keys", Map.of())).get("items");

        assertThat(items).isNotEmpty().allSatisfy(k -> assertThat(k.get("customerId").asText()).isEqualTo(w.a.customerId()));
    }

    @Test
    void customerKeyMayNotCreateAMonitorOverEverything() {
        String before = w.state();

        ApiResponse r = as(w.aKey, "POST", "/monitors", "{\"name\":\"all\",\"triggers\":[{\"type\":\"EXECUTION_FAILED\"}]}");

        assertThat(r.status()).isEqualTo(403);
        assertThat(w.state()).isEqualTo(before);
    }

    @Test
    void customerKeyMonitorOverAnotherCustomersInstanceIs400AsIfItDidNotExist() {
        ApiResponse mine = as(w.aKey, "POST", "/monitors", "{\"name\":\"b\",\"triggers\":[{\"type\":\"EXECUTION_FAILED\"}],"
                + "\"scope\":{\"instanceId\":\"" + w.bInstance + "\"}}");
        ApiResponse missing = as(w.aKey, "POST", "/monitors", "{\"name\":\"b\",\"triggers\":[{\"type\":\"EXECUTION_FAILED\"}],"
                + "\"scope\":{\"instanceId\":\"ins_nope\"}}");

        assertThat(mine.status()).isEqualTo(400);
        assertThat(json(mine).get("error").get("details").get(0).get("field").asText()).isEqualTo("scope.instanceId");
        assertThat(missing.status()).isEqualTo(400);
    }

    @Test
    void customerKeyCreatesAnInstanceForItsCustomerWhenNoneIsGiven() {
        ApiResponse r = as(w.aKey, "POST", "/instances", "{\"name\":\"n\",\"integrationId\":\"" + w.a.integrationId()
                + "\",\"configVariables\":{\"apiBase\":\"https://x.example.test\"}}");

        assertThat(r.status()).isEqualTo(201);
        assertThat(json(r).get("customerId").asText()).isEqualTo(w.a.customerId());
    }

    @Test
    void customerKeysBulkReplayIsConfinedToItsCustomer() {
        kit.clock.advance(Duration.ofSeconds(1));
        ApiResponse all = kit.api("POST", "/replays", "{\"filter\":{\"status\":\"SUCCEEDED\"},\"dryRun\":true}");
        assertThat(json(all).get("matched").asLong()).isEqualTo(2);

        ApiResponse r = as(w.aKey, "POST", "/replays", "{\"filter\":{\"status\":\"SUCCEEDED\"},\"dryRun\":true}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(json(r).get("matched").asLong()).isEqualTo(1); // A's execution, not B's
        ApiResponse started = as(w.aKey, "POST", "/replays", "{\"filter\":{\"status\":\"SUCCEEDED\"}}");
        assertThat(started.status()).isEqualTo(202);
        String job = json(started).get("id").asText();
        assertThat(kit.replayJobs.get(job).orElseThrow().filter().customerId()).isEqualTo(w.a.customerId());
        assertThat(as(w.bKey, "GET", "/replays/" + job, Map.of()).status()).isEqualTo(404);
    }

    @Test
    void anAdminBulkReplayAcrossCustomersIsHiddenFromCustomerKeys() {
        String job = json(kit.api("POST", "/replays", "{\"filter\":{\"status\":\"SUCCEEDED\"}}")).get("id").asText();

        assertThat(as(w.aKey, "GET", "/replays/" + job, Map.of()).status()).isEqualTo(404);
        assertThat(as(w.aKey, "POST", "/replays/" + job + "/cancel", "").status()).isEqualTo(404);
    }

    @Test
    void listFiltersNamingAnotherCustomersResourcesAre404() {
        assertThat(as(w.aKey, "GET", "/executions", Map.of("instanceId", w.bInstance)).status()).isEqualTo(404);
        assertThat(as(w.aKey, "GET", "/executions", Map.of("customerId", w.bCustomer)).status()).isEqualTo(404);
        assertThat(as(w.aKey, "GET", "/instances", Map.of("customerId", w.bCustomer)).status()).isEqualTo(404);
        assertThat(as(w.aKey, "GET", "/alerts", Map.of("monitorId", w.bMonitor)).status()).isEqualTo(404);
        assertThat(as(w.aKey, "GET", "/alerts", Map.of("instanceId", w.bInstance)).status()).isEqualTo(404);
        assertThat(as(w.aKey, "GET", "/customers/" + w.a.customerId() + "/executions",
                Map.of("instanceId", w.bInstance)).status()).isEqualTo(404);
    }

    @Test
    void anotherCustomersResourceAnswersExactlyAsANonExistentOne() {
        ApiResponse other = as(w.aKey, "GET", "/instances/" + w.bInstance, Map.of());
        ApiResponse missing = as(w.aKey, "GET", "/instances/ins_nope", Map.of());

        assertThat(other.status()).isEqualTo(missing.status()).isEqualTo(404);
        assertThat(json(other).get("error").get("message").asText())
                .isEqualTo(json(missing).get("error").get("message").asText().replace("ins_nope", w.bInstance));
    }

    @Test
    void customerKeyReadsSharedIntegrationsButMayNotChangeThem() {
        assertThat(as(w.aKey, "GET", "/integrations/" + w.a.integrationId(), Map.of()).status()).isEqualTo(200);
        assertThat(as(w.aKey, "POST", "/integrations", FerryTestKit.DEMO_DEFINITION).status()).isEqualTo(403);
    }
}

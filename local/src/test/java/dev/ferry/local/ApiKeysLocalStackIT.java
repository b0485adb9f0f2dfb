package dev.ferry.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Customer API keys end to end on the local stack: a customer key created over HTTP (stored in the
 * emulator's ConfigTable), then used by the CLI through {@code FERRY_API_KEY} — it lists only its
 * customer's instances, another customer's are not found, the bulk replay route (ReplayFunction)
 * accepts it, and once revoked it is refused: at once by the function that revoked it, within the
 * API key cache time (FERRY_API_KEY_CACHE_SECONDS, 5 s) by another function that had trusted it.
 */
class ApiKeysLocalStackIT {
    private static final Duration CACHE = Duration.ofSeconds(5);
    private static StackFixture f;

    @BeforeAll
    static void startStack() throws IOException {
        f = StackFixture.start("api-keys-it", b -> b.demo(true));
    }

    @AfterAll
    static void stop() {
        if (f != null) f.close();
    }

    @Test
    void customerKeyUsedByTheCliSeesOnlyItsCustomersInstancesUntilRevoked() throws Exception {
        Demo demo = f.stack.demo().orElseThrow();
        String other = f.call("POST", "/customers", "{\"name\":\"Other GmbH\"}", 201).path("id").asText();
        String otherInstance = f.call("POST", "/instances", "{\"name\":\"Other orders\",\"customerId\":\"" + other
                + "\",\"integrationId\":\"" + demo.integrationId() + "\",\"configVariables\":{\"apiKey\":\"other-secret\"}}",
                201).path("id").asText();
        JsonNode created = f.call("POST", "/api-keys", "{\"name\":\"Demo customer portal\",\"customerId\":\""
                + demo.customerId() + "\"}", 201);
        String key = created.path("key").asText();
        assertThat(key).startsWith("fry_");
        Map<String, String> asCustomer = Map.of("FERRY_API_KEY", key);

        String mine = f.cli(asCustomer, "instances:list", "--output", "json").ok();
        assertThat(StackFixture.JSON.readTree(mine).path("items")).isNotEmpty()
                .allSatisfy(i -> assertThat(i.path("customerId").asText()).isEqualTo(demo.customerId()));
        assertThat(mine).contains(demo.instanceId()).doesNotContain(otherInstance);
        StackFixture.Cli theirs = f.cli(asCustomer, "instances:list", "--customer", other);
        assertThat(theirs.status()).isNotZero();
        assertThat(theirs.err()).contains("not found");
        assertThat(f.cli("instances:list", "--output", "json").ok()).contains(demo.instanceId()).contains(otherInstance);

        assertThat(status(key, "POST", "/replays", "{\"filter\":{\"status\":\"FAILED\"},\"dryRun\":true}")).isEqualTo(200);
        assertThat(status(key, "POST", "/customers", "{\"name\":\"Sneaky\"}")).isEqualTo(403);
        assertThat(f.cli(asCustomer, "api-keys:list", "--output", "json").ok())
                .contains(created.path("id").asText()).doesNotContain(key);

        f.cli("api-keys:delete", created.path("id").asText()).ok();
        Instant revoked = Instant.now();

        StackFixture.Cli refused = f.cli(asCustomer, "instances:list");
        assertThat(refused.status()).isNotZero();
        assertThat(refused.err()).contains("invalid API key");
        // Within the cache time: ReplayFunction may trust the key until its cached look-up is CACHE old (it looked
        // it up before the revocation), so a request sent earlier may pass; every request sent after that must be
        // refused. Timed by when each request was sent, so a slow answer on a loaded machine changes nothing.
        Instant expired = revoked.plus(CACHE);
        Instant sent;
        int answer;
        while (true) {
            sent = Instant.now();
            answer = status(key, "POST", "/replays", "{\"filter\":{\"status\":\"FAILED\"},\"dryRun\":true}");
            if (answer == 401 || sent.isAfter(expired)) break;
            assertThat(answer).as("the key trusted from the cache").isEqualTo(200);
            java.util.concurrent.TimeUnit.MILLISECONDS.sleep(100); // poll interval until the cache time is up
        }
        assertThat(answer).as("ReplayFunction refusing the revoked key, asked " + Duration.between(revoked, sent).toMillis()
                + " ms after the revocation").isEqualTo(401);
    }

    private static int status(String apiKey, String method, String path, String body) {
        return f.send(HttpRequest.newBuilder(f.stack.apiUrl().resolve(path))
                .header("authorization", "Bearer " + apiKey).header("content-type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))).statusCode();
    }
}

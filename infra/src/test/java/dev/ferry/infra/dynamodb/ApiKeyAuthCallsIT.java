package dev.ferry.infra.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.Ferry;
import dev.ferry.core.Ports;
import dev.ferry.core.api.ApiRequest;
import dev.ferry.core.api.ApiResponse;
import dev.ferry.core.testkit.FerryTestKit;
import dev.ferry.infra.AwsClients;
import dev.ferry.infra.CallCounter;
import dev.ferry.infra.TestResources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What authentication and the tenancy check cost in DynamoDB calls, with the ConfigTable on the
 * emulator (customers, integrations, instances and API keys; the rest on the test kit's fakes):
 * an admin key costs nothing extra; a customer key one GetItem to authenticate (none while cached)
 * and one GetItem of the resource its path names.
 */
class ApiKeyAuthCallsIT {
    private static final CallCounter calls = new CallCounter();
    private static AwsClients counted;

    @BeforeAll
    static void resetEmulator() {
        TestResources.reset();
        counted = AwsClients.fromEnv(TestResources.env(), List.of(calls));
    }

    @Test
    void adminPaysNothingExtraCustomerKeyOneGetItemToAuthenticateAndOneForTheResource() {
        String table = TestResources.createConfigTable(TestResources.clients().dynamoDb());
        FerryTestKit kit = new FerryTestKit();
        Ports ports = kit.ferry.ports().toBuilder()
                .customers(new DynamoDbCustomerStore(counted.dynamoDb(), table))
                .integrations(new DynamoDbIntegrationStore(counted.dynamoDb(), table))
                .instances(new DynamoDbInstanceStore(counted.dynamoDb(), table))
                .apiKeys(new DynamoDbApiKeyStore(counted.dynamoDb(), table))
                .build();
        Ferry ferry = new Ferry(ports, kit.ferry.settings());
        String customer = FerryTestKit.json(call(ferry, FerryTestKit.ADMIN_KEY, "POST", "/customers", "{\"name\":\"A\"}")).get("id").asText();
        String integration = FerryTestKit.json(call(ferry, FerryTestKit.ADMIN_KEY, "POST", "/integrations",
                FerryTestKit.DEMO_DEFINITION)).get("id").asText();
        String instance = FerryTestKit.json(call(ferry, FerryTestKit.ADMIN_KEY, "POST", "/instances", "{\"name\":\"i\",\"customerId\":\""
                + customer + "\",\"integrationId\":\"" + integration + "\",\"configVariables\":{\"apiBase\":\"https://x.test\"}}"))
                .get("id").asText();
        String key = FerryTestKit.json(call(ferry, FerryTestKit.ADMIN_KEY, "POST", "/api-keys", "{\"name\":\"k\",\"customerId\":\""
                + customer + "\"}")).get("key").asText();

        long admin = getItems(ferry, FerryTestKit.ADMIN_KEY, "/instances/" + instance);
        long customerFirst = getItems(ferry, key, "/instances/" + instance);
        long customerCached = getItems(ferry, key, "/instances/" + instance);
        calls.reset();
        assertThat(call(ferry, "fry_unknown", "GET", "/instances/" + instance, null).status()).isEqualTo(401);
        long unknownKey = calls.count("DynamoDb", "GetItem");

        System.out.printf("GetItem per GET /instances/{id}: admin %d, customer key first %d, cached %d; unknown key %d (401)%n",
                admin, customerFirst, customerCached, unknownKey);
        assertThat(customerFirst).isEqualTo(admin + 2);
        assertThat(customerCached).isEqualTo(admin + 1);
        assertThat(unknownKey).isEqualTo(1);
    }

    private static long getItems(Ferry ferry, String key, String path) {
        calls.reset();
        assertThat(call(ferry, key, "GET", path, null).status()).isEqualTo(200);
        return calls.count("DynamoDb", "GetItem");
    }

    private static ApiResponse call(Ferry ferry, String key, String method, String path, String body) {
        return ferry.api().handle(new ApiRequest(method, path, Map.of(), Map.of("authorization", "Bearer " + key,
                "content-type", "application/json"), body == null ? null : body.getBytes(), "https://api.test"));
    }
}

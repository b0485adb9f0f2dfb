package dev.ferry.infra.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.api.Auth;
import dev.ferry.core.model.ApiKey;
import dev.ferry.core.port.ApiKeyStore;
import dev.ferry.core.port.ApiKeyStoreContract;
import dev.ferry.infra.AwsClients;
import dev.ferry.infra.CallCounter;
import dev.ferry.infra.TestResources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DynamoDbApiKeyStoreIT extends ApiKeyStoreContract {
    private static final CallCounter calls = new CallCounter();
    private static AwsClients counted;
    private ApiKeyStore store;
    private String table;

    @BeforeAll
    static void resetEmulator() {
        TestResources.reset();
        counted = AwsClients.fromEnv(TestResources.env(), List.of(calls));
    }

    @BeforeEach
    void freshTable() {
        table = TestResources.createConfigTable(TestResources.clients().dynamoDb());
        store = new DynamoDbApiKeyStore(counted.dynamoDb(), table);
    }

    @Override
    protected ApiKeyStore store() {
        return store;
    }

    @Test
    void authenticatingIsOneGetItemAndCreatingOneTransaction() {
        ApiKey k = new ApiKey("key_1", "ci", "cus_1", Auth.sha256Hex("fry_abc"), T0);
        calls.reset();
        store.create(k);
        assertThat(calls.snapshot()).isEqualTo(Map.of("DynamoDb.TransactWriteItems", 1L));

        calls.reset();
        assertThat(store.byHash(k.keyHash())).contains(k);
        assertThat(calls.snapshot()).isEqualTo(Map.of("DynamoDb.GetItem", 1L));
    }

    @Test
    void theKeyItselfIsNowhereInTheTable() {
        String secret = "fry_the_secret_itself";
        store.create(new ApiKey("key_2", "ci", null, Auth.sha256Hex(secret), T0));

        String everything = TestResources.clients().dynamoDb().scan(b -> b.tableName(table)).items().toString();

        assertThat(everything).contains(Auth.sha256Hex(secret)).doesNotContain(secret);
    }
}

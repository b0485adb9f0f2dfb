package dev.ferry.infra.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.model.FlowConfig;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.PauseMode;
import dev.ferry.core.port.InstanceStore;
import dev.ferry.core.port.InstanceStoreContract;
import dev.ferry.infra.AwsClients;
import dev.ferry.infra.CallCounter;
import dev.ferry.infra.TestResources;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DynamoDbInstanceStoreIT extends InstanceStoreContract {
    private static final CallCounter calls = new CallCounter();
    private static AwsClients counted;
    private InstanceStore store;

    @BeforeAll
    static void resetEmulator() {
        TestResources.reset();
        counted = AwsClients.fromEnv(TestResources.env(), List.of(calls));
    }

    @AfterAll
    static void close() {
        counted.close();
    }

    @BeforeEach
    void freshTable() {
        store = new DynamoDbInstanceStore(counted.dynamoDb(), TestResources.createConfigTable(counted.dynamoDb()));
        calls.reset();
    }

    @Override
    protected InstanceStore store() {
        return store;
    }

    private static Instance instance() {
        return new Instance("ins_1", "One", "cus_1", "int_1", 1, true, PauseMode.REJECT, Map.of(), Instant.EPOCH, null);
    }

    @Test
    void findingARouteIsOneGetItem() {
        store.create(instance(), List.of(new FlowConfig("flc_1", "ins_1", "cus_1", "f", "webhook", "tok_1", null, null, null)));
        calls.reset();

        assertThat(store.findRoute("tok_1")).isPresent();

        assertThat(calls.snapshot()).isEqualTo(Map.of("DynamoDb.GetItem", 1L));
    }

    @Test
    void creatingIsOneTransactionAndUpdatingOneReadAndOneTransaction() {
        List<FlowConfig> configs = List.of(
                new FlowConfig("flc_1", "ins_1", "cus_1", "a", "webhook", "tok_1", null, null, null),
                new FlowConfig("flc_2", "ins_1", "cus_1", "b", "webhook", "tok_2", null, null, null));

        store.create(instance(), configs);
        assertThat(calls.snapshot()).isEqualTo(Map.of("DynamoDb.TransactWriteItems", 1L));

        calls.reset();
        store.update(instance().withEnabled(false));
        assertThat(calls.snapshot()).isEqualTo(Map.of("DynamoDb.GetItem", 1L, "DynamoDb.TransactWriteItems", 1L));
    }
}

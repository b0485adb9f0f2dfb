package dev.ferry.infra.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.port.LogStore;
import dev.ferry.core.port.LogStoreContract;
import dev.ferry.infra.TestResources;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CloudWatchLogsLogStoreIT extends LogStoreContract {
    private final CloudWatchLogsLogStore store = new CloudWatchLogsLogStore(TestResources.clients().logs(), 10);

    @BeforeAll
    static void resetEmulator() {
        TestResources.reset();
    }

    @Override
    protected LogStore store() {
        return store;
    }

    @Test
    void groupIsNamedForTheCustomerWithRetentionRoundedUp() {
        store.ensureGroup(customerId);

        var groups = TestResources.clients().logs()
                .describeLogGroups(b -> b.logGroupNamePrefix("/ferry/customers/" + customerId)).logGroups();
        assertThat(groups).hasSize(1);
        assertThat(groups.get(0).logGroupName()).isEqualTo("/ferry/customers/" + customerId);
        assertThat(groups.get(0).retentionInDays()).isEqualTo(14);
    }

    @Test
    void anInstancesLinesAreAStreamNamedForItInItsCustomersGroup() {
        store.append(customerId, instanceId, "exe_1", java.util.List.of(new dev.ferry.core.model.LogLine(java.time.Instant.now(),
                dev.ferry.core.model.Severity.INFO, "hello", instanceId, "exe_1", null, null, 1)));

        var streams = TestResources.clients().logs()
                .describeLogStreams(b -> b.logGroupName("/ferry/customers/" + customerId)).logStreams();
        assertThat(streams).extracting(s -> s.logStreamName()).containsExactly(instanceId);

        store.deleteInstance(customerId, instanceId);

        assertThat(TestResources.clients().logs().describeLogStreams(b -> b.logGroupName("/ferry/customers/" + customerId))
                .logStreams()).isEmpty();
    }
}

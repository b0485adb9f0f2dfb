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
    void groupIsNamedForTheInstanceWithRetentionRoundedUp() {
        store.ensureGroup(instanceId);

        var groups = TestResources.clients().logs()
                .describeLogGroups(b -> b.logGroupNamePrefix("/ferry/instances/" + instanceId)).logGroups();
        assertThat(groups).hasSize(1);
        assertThat(groups.get(0).logGroupName()).isEqualTo("/ferry/instances/" + instanceId);
        assertThat(groups.get(0).retentionInDays()).isEqualTo(14);
    }
}

package dev.ferry.infra.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.model.LogLine;
import dev.ferry.core.model.LogQuery;
import dev.ferry.core.model.Page;
import dev.ferry.core.model.Severity;
import dev.ferry.core.port.LogStore;
import dev.ferry.core.port.LogStoreContract;
import dev.ferry.infra.AwsClients;
import dev.ferry.infra.CallCounter;
import dev.ferry.infra.TestResources;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Log search on the emulator at its most constrained: one FilterLogEvents call per group per page,
 * two events per call — so every search crosses many short pages, resume tokens and same-millisecond
 * boundaries, and must still return each matching line exactly once, in order.
 */
class CloudWatchLogsSearchIT extends LogStoreContract {
    private static final CallCounter calls = new CallCounter();
    private static AwsClients counted;
    private final CloudWatchLogsLogStore store = new CloudWatchLogsLogStore(TestResources.clients().logs(), 14, 1, 2);

    @BeforeAll
    static void resetEmulator() {
        TestResources.reset();
        counted = AwsClients.fromEnv(TestResources.env(), List.of(calls));
    }

    @AfterAll
    static void close() {
        counted.close();
    }

    @Override
    protected LogStore store() {
        return store;
    }

    @Override
    protected boolean fillsPages() {
        return false;
    }

    private static LogLine line(String instance, String exe, Instant t, Severity s, String message) {
        return new LogLine(t, s, message, instance, exe, null, null, 1);
    }

    @Test
    void aPageThatFitsTheFirstCallIsOneFilterLogEvents() {
        CloudWatchLogsLogStore plain = new CloudWatchLogsLogStore(counted.logs(), 14);
        Instant t0 = Instant.now().minus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.MILLIS);
        List<LogLine> lines = new ArrayList<>();
        for (int n = 0; n < 300; n++) lines.add(line(instanceId, "exe_one", t0.plusMillis(n), Severity.INFO, "row " + n));
        plain.append(customerId, instanceId, "exe_one", lines);
        calls.reset();

        Page<LogLine> page = plain.search(new LogQuery(List.of(new LogQuery.Scope(customerId, List.of(instanceId))), "row", null, t0.minusSeconds(1), null, 50, null));

        assertThat(page.items()).containsExactlyElementsOf(lines.subList(0, 50));
        assertThat(page.nextCursor()).isNotNull();
        assertThat(calls.snapshot()).isEqualTo(Map.of("CloudWatchLogs.FilterLogEvents", 1L));
    }

    @Test
    void aCustomerSearchReadsItsOneGroupOncePerPageWhateverItsNumberOfInstances() {
        CloudWatchLogsLogStore plain = new CloudWatchLogsLogStore(counted.logs(), 14);
        Instant t0 = Instant.now().minus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.MILLIS);
        List<String> instances = new ArrayList<>();
        for (int k = 0; k < 20; k++) instances.add(instanceId + "_" + k);
        for (String i : instances) {
            List<LogLine> lines = new ArrayList<>();
            for (int n = 0; n < 6; n++) lines.add(line(i, "exe_" + i, t0.plusMillis(n), Severity.WARN, "row " + n));
            plain.append(customerId, i, "exe_" + i, lines);
        }
        calls.reset();

        List<LogLine> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Page<LogLine> page = plain.search(new LogQuery(List.of(new LogQuery.Scope(customerId, instances)), null,
                    Severity.WARN, t0, null, 50, cursor));
            seen.addAll(page.items());
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null);

        assertThat(seen).hasSize(120);
        assertThat(seen).isSortedAccordingTo((a, b) -> a.timestamp().compareTo(b.timestamp()));
        assertThat(pages).isEqualTo(3);
        assertThat(calls.snapshot().get("CloudWatchLogs.FilterLogEvents")).as("one call per page, not per instance")
                .isEqualTo((long) pages);
    }
}

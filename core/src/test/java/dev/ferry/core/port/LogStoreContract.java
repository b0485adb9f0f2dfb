package dev.ferry.core.port;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.model.LogLine;
import dev.ferry.core.model.Severity;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The rules every {@link LogStore} keeps. Timestamps are recent: CloudWatch refuses old events. */
public abstract class LogStoreContract {
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    protected final String instanceId = "ins_" + run;
    private final Instant t0 = Instant.now().minus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.SECONDS).plusNanos(123_456_000);

    protected abstract LogStore store();

    private LogLine line(String executionId, int n, Severity severity, String message) {
        return new LogLine(t0.plusMillis(n * 10L), severity, message, instanceId, executionId, "flc_" + run,
                n % 2 == 0 ? "fetch" : null, 1 + n % 3);
    }

    private List<LogLine> lines(String executionId, int from, int count) {
        List<LogLine> out = new ArrayList<>();
        for (int n = from; n < from + count; n++) {
            out.add(line(executionId, n, Severity.values()[n % 4], "line " + n + " ünïcødé \"quoted\" {json?}"));
        }
        return out;
    }

    @Test
    void appendedLinesReadBackInOrder() {
        String exe = "exe_" + run;
        store().ensureGroup(instanceId);
        List<LogLine> written = lines(exe, 0, 20);

        store().append(instanceId, exe, written);

        assertThat(store().read(instanceId, exe)).containsExactlyElementsOf(written);
    }

    @Test
    void laterAppendsFollowEarlierOnes() {
        String exe = "exe_" + run;
        List<LogLine> first = lines(exe, 0, 3);
        List<LogLine> second = lines(exe, 3, 4);

        store().append(instanceId, exe, first);
        store().append(instanceId, exe, second);

        List<LogLine> all = new ArrayList<>(first);
        all.addAll(second);
        assertThat(store().read(instanceId, exe)).containsExactlyElementsOf(all);
    }

    @Test
    void appendWorksWithoutEnsureGroupFirst() {
        String exe = "exe_" + run;
        List<LogLine> written = lines(exe, 0, 2);
        store().append(instanceId, exe, written);
        assertThat(store().read(instanceId, exe)).containsExactlyElementsOf(written);
    }

    @Test
    void ensureGroupIsIdempotent() {
        store().ensureGroup(instanceId);
        store().ensureGroup(instanceId);
        assertThat(store().read(instanceId, "exe_none_" + run)).isEmpty();
    }

    @Test
    void executionsKeepTheirOwnLines() {
        String a = "exe_a_" + run;
        String b = "exe_b_" + run;
        List<LogLine> la = lines(a, 0, 3);
        List<LogLine> lb = lines(b, 10, 2);

        store().append(instanceId, a, la);
        store().append(instanceId, b, lb);

        assertThat(store().read(instanceId, a)).containsExactlyElementsOf(la);
        assertThat(store().read(instanceId, b)).containsExactlyElementsOf(lb);
    }

    @Test
    void unknownStreamOrGroupReadsEmpty() {
        assertThat(store().read("ins_nobody_" + run, "exe_x")).isEmpty();
        store().ensureGroup(instanceId);
        assertThat(store().read(instanceId, "exe_nobody_" + run)).isEmpty();
    }

    @Test
    void appendingNothingIsFine() {
        store().append(instanceId, "exe_" + run, List.of());
        assertThat(store().read(instanceId, "exe_" + run)).isEmpty();
    }

    @Test
    void lineWithNullsReadsBack() {
        String exe = "exe_" + run;
        LogLine bare = new LogLine(t0, Severity.WARN, "", instanceId, exe, null, null, 0);
        store().append(instanceId, exe, List.of(bare));
        assertThat(store().read(instanceId, exe)).containsExactly(bare);
    }

    @Test
    void manyLinesBeyondOneBatchReadBackWhole() {
        String exe = "exe_" + run;
        List<LogLine> written = new ArrayList<>();
        String filler = "x".repeat(100);
        for (int n = 0; n < 12_000; n++) {
            written.add(new LogLine(t0.plusMillis(n), Severity.INFO, "line " + n + " " + filler, instanceId, exe,
                    null, null, 1));
        }

        store().append(instanceId, exe, written);

        assertThat(store().read(instanceId, exe)).containsExactlyElementsOf(written);
    }
}

package dev.ferry.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.error.ValidationException;
import dev.ferry.core.model.LogLine;
import dev.ferry.core.model.LogQuery;
import dev.ferry.core.model.Page;
import dev.ferry.core.model.Severity;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The rules every {@link LogStore} keeps. Timestamps are recent: CloudWatch refuses old events. */
public abstract class LogStoreContract {
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    protected final String instanceId = "ins_" + run;
    protected final String customerId = "cus_" + run;
    private final Instant t0 = Instant.now().minus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.SECONDS).plusNanos(123_456_000);

    protected abstract LogStore store();

    /** Whether a search page always holds {@code limit} lines when more follow (a store reading in bounded steps may not). */
    protected boolean fillsPages() {
        return true;
    }

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
        store().ensureGroup(customerId);
        List<LogLine> written = lines(exe, 0, 20);

        store().append(customerId, instanceId, exe, written);

        assertThat(store().read(customerId, instanceId, exe)).containsExactlyElementsOf(written);
    }

    @Test
    void laterAppendsFollowEarlierOnes() {
        String exe = "exe_" + run;
        List<LogLine> first = lines(exe, 0, 3);
        List<LogLine> second = lines(exe, 3, 4);

        store().append(customerId, instanceId, exe, first);
        store().append(customerId, instanceId, exe, second);

        List<LogLine> all = new ArrayList<>(first);
        all.addAll(second);
        assertThat(store().read(customerId, instanceId, exe)).containsExactlyElementsOf(all);
    }

    @Test
    void appendWorksWithoutEnsureGroupFirst() {
        String exe = "exe_" + run;
        List<LogLine> written = lines(exe, 0, 2);
        store().append(customerId, instanceId, exe, written);
        assertThat(store().read(customerId, instanceId, exe)).containsExactlyElementsOf(written);
    }

    @Test
    void aStreamMadeBeforeTheRunTakesTheLinesAppendedAfterIt() {
        String instance = "ins_fresh_" + run; // no group yet either
        String exe = "exe_" + run;
        store().ensureStream(customerId, instance, exe);
        store().ensureStream(customerId, instance, exe);
        assertThat(store().read(customerId, instance, exe)).as("made, still empty").isEmpty();
        List<LogLine> written = lines(exe, 0, 3).stream().map(l -> new LogLine(l.timestamp(), l.severity(), l.message(),
                instance, exe, l.flowConfigId(), l.step(), l.attempt())).toList();

        store().append(customerId, instance, exe, written);

        assertThat(store().read(customerId, instance, exe)).containsExactlyElementsOf(written);
    }

    @Test
    void ensureGroupIsIdempotent() {
        store().ensureGroup(customerId);
        store().ensureGroup(customerId);
        assertThat(store().read(customerId, instanceId, "exe_none_" + run)).isEmpty();
    }

    @Test
    void executionsKeepTheirOwnLines() {
        String a = "exe_a_" + run;
        String b = "exe_b_" + run;
        List<LogLine> la = lines(a, 0, 3);
        List<LogLine> lb = lines(b, 10, 2);

        store().append(customerId, instanceId, a, la);
        store().append(customerId, instanceId, b, lb);

        assertThat(store().read(customerId, instanceId, a)).containsExactlyElementsOf(la);
        assertThat(store().read(customerId, instanceId, b)).containsExactlyElementsOf(lb);
    }

    @Test
    void unknownStreamOrGroupReadsEmpty() {
        assertThat(store().read(customerId, "ins_nobody_" + run, "exe_x")).isEmpty();
        store().ensureGroup(customerId);
        assertThat(store().read(customerId, instanceId, "exe_nobody_" + run)).isEmpty();
    }

    @Test
    void appendingNothingIsFine() {
        store().append(customerId, instanceId, "exe_" + run, List.of());
        assertThat(store().read(customerId, instanceId, "exe_" + run)).isEmpty();
    }

    @Test
    void lineWithNullsReadsBack() {
        String exe = "exe_" + run;
        LogLine bare = new LogLine(t0, Severity.WARN, "", instanceId, exe, null, null, 0);
        store().append(customerId, instanceId, exe, List.of(bare));
        assertThat(store().read(customerId, instanceId, exe)).containsExactly(bare);
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

        store().append(customerId, instanceId, exe, written);

        assertThat(store().read(customerId, instanceId, exe)).containsExactlyElementsOf(written);
    }

    // ------------------------------------------------------------------ search

    private LogLine at(String instance, String executionId, int n, Severity severity, String step, String message) {
        return new LogLine(t0.plusMillis(n * 10L), severity, message, instance, executionId, "flc_" + run, step, 1);
    }

    private LogQuery search(String text, Severity min, Instant since, Instant until, int limit, String... instances) {
        return new LogQuery(List.of(new LogQuery.Scope(customerId, List.of(instances))), text, min, since, until, limit, null);
    }

    private LogQuery search(String text, String... instances) {
        return search(text, null, null, null, 100, instances);
    }

    /** Every page of a search, following cursors; fails on a repeated line or an endless walk. */
    protected List<LogLine> all(LogQuery q) {
        List<LogLine> out = new ArrayList<>();
        Set<LogLine> seen = new HashSet<>();
        String cursor = null;
        for (int pages = 0; ; pages++) {
            assertThat(pages).as("pages").isLessThan(500);
            Page<LogLine> page = store().search(q.withCursor(cursor));
            assertThat(page.items().size()).isLessThanOrEqualTo(q.limit());
            for (LogLine l : page.items()) assertThat(seen.add(l)).as("seen once: " + l).isTrue();
            out.addAll(page.items());
            cursor = page.nextCursor();
            if (cursor == null) return out;
        }
    }

    /** Two executions of the instance: an order that failed with a 503, and one that went through. */
    private List<LogLine> orderLogs() {
        String failed = "exe_failed_" + run;
        String fine = "exe_fine_" + run;
        List<LogLine> a = List.of(
                at(instanceId, failed, 0, Severity.INFO, null, "execution started: flow 'On new order'"),
                at(instanceId, failed, 1, Severity.DEBUG, "fetch", "GET https://api.example.test/orders/42"),
                at(instanceId, failed, 2, Severity.WARN, "fetch", "HTTP 503 from api.example.test, will retry"),
                at(instanceId, failed, 3, Severity.ERROR, null, "execution failed at step 'fetch': Gateway Timeout"));
        List<LogLine> b = List.of(
                at(instanceId, fine, 4, Severity.INFO, null, "execution started: flow 'On new order'"),
                at(instanceId, fine, 5, Severity.INFO, "log", "order 43 total 9.5 ünïcødé {json?}"),
                at(instanceId, fine, 6, Severity.INFO, null, "execution succeeded in 12 ms (503 retries: none)"));
        store().append(customerId, instanceId, failed, a);
        store().append(customerId, instanceId, fine, b);
        List<LogLine> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void searchFindsAWordInAnyExecutionIgnoringCase() {
        List<LogLine> l = orderLogs();

        assertThat(all(search("gateway", instanceId))).containsExactly(l.get(3));
        assertThat(all(search("EXECUTION STARTED", instanceId))).containsExactly(l.get(0), l.get(4));
    }

    @Test
    void everyWordMustOccurButAQuotedPhraseMustOccurWhole() {
        List<LogLine> l = orderLogs();

        assertThat(all(search("503 HTTP", instanceId))).containsExactly(l.get(2));
        assertThat(all(search("503 retries", instanceId))).containsExactly(l.get(6));
        assertThat(all(search("\"HTTP 503\"", instanceId))).containsExactly(l.get(2));
        assertThat(all(search("\"503 HTTP\"", instanceId))).isEmpty();
    }

    @Test
    void searchMatchesTheStepAndTheExecutionIdToo() {
        List<LogLine> l = orderLogs();

        assertThat(all(search("fetch", instanceId))).containsExactly(l.get(1), l.get(2), l.get(3));
        assertThat(all(search("exe_fine_" + run, instanceId))).containsExactly(l.get(4), l.get(5), l.get(6));
    }

    @Test
    void searchLooksAtWhatWasLoggedNotAtTheLineFormat() {
        orderLogs();

        // field names and values of the stored line that are not the message, step or ids
        assertThat(all(search("severity", instanceId))).isEmpty();
        assertThat(all(search("timestamp", instanceId))).isEmpty();
        assertThat(all(search("attempt", instanceId))).isEmpty();
    }

    @Test
    void searchFindsTextThatNeedsEscaping() {
        List<LogLine> l = orderLogs();

        assertThat(all(search("ÜNÏCØDÉ", instanceId))).containsExactly(l.get(5));
        assertThat(all(search("{json?}", instanceId))).containsExactly(l.get(5));
        assertThat(all(search("'fetch':", instanceId))).containsExactly(l.get(3));
    }

    @Test
    void blankTextMatchesEveryLine() {
        List<LogLine> l = orderLogs();

        assertThat(all(search(null, instanceId))).containsExactlyElementsOf(l);
        assertThat(all(search("  ", instanceId))).containsExactlyElementsOf(l);
    }

    @Test
    void severityIsAMinimumLevel() {
        List<LogLine> l = orderLogs();

        assertThat(all(search(null, Severity.WARN, null, null, 100, instanceId))).containsExactly(l.get(2), l.get(3));
        assertThat(all(search(null, Severity.ERROR, null, null, 100, instanceId))).containsExactly(l.get(3));
        assertThat(all(search(null, Severity.INFO, null, null, 100, instanceId))).hasSize(6).doesNotContain(l.get(1));
        assertThat(all(search(null, Severity.DEBUG, null, null, 100, instanceId))).containsExactlyElementsOf(l);
        assertThat(all(search("fetch", Severity.WARN, null, null, 100, instanceId))).containsExactly(l.get(2), l.get(3));
    }

    @Test
    void sinceIsInclusiveAndUntilExclusive() {
        List<LogLine> l = orderLogs();
        Instant since = l.get(2).timestamp();
        Instant until = l.get(5).timestamp();

        assertThat(all(search(null, null, since, until, 100, instanceId))).containsExactly(l.get(2), l.get(3), l.get(4));
        assertThat(all(search(null, null, since, null, 100, instanceId))).containsExactlyElementsOf(l.subList(2, 7));
        assertThat(all(search(null, null, null, until, 100, instanceId))).containsExactlyElementsOf(l.subList(0, 5));
        assertThat(all(search(null, null, since.plusNanos(1), until.plusNanos(1), 100, instanceId)))
                .containsExactly(l.get(3), l.get(4), l.get(5));
    }

    @Test
    void paginationVisitsEveryMatchOnceOldestFirst() {
        String exe = "exe_" + run;
        List<LogLine> written = new ArrayList<>();
        List<LogLine> expected = new ArrayList<>();
        for (int n = 0; n < 60; n++) {
            boolean hit = n % 3 == 0;
            LogLine line = at(instanceId, exe, n, n % 7 == 0 ? Severity.ERROR : Severity.INFO, null,
                    (hit ? "order " : "item ") + n);
            written.add(line);
            if (hit) expected.add(line);
        }
        store().append(customerId, instanceId, exe, written);

        assertThat(all(search("order", null, null, null, 6, instanceId))).containsExactlyElementsOf(expected);
        assertThat(all(search(null, null, null, null, 7, instanceId))).containsExactlyElementsOf(written);
        assertThat(all(search(null, Severity.ERROR, null, null, 2, instanceId)))
                .containsExactlyElementsOf(written.stream().filter(x -> x.severity() == Severity.ERROR).toList());
    }

    /** A store that fills pages answers the limit; one that may answer short pages still starts oldest first and points on. */
    @Test
    void firstPageHoldsTheOldestLinesAndPointsOnWhenThereIsMore() {
        String exe = "exe_" + run;
        List<LogLine> written = new ArrayList<>();
        for (int n = 0; n < 12; n++) written.add(at(instanceId, exe, n, Severity.INFO, null, "line " + n));
        store().append(customerId, instanceId, exe, written);

        Page<LogLine> first = store().search(search(null, null, null, null, 5, instanceId));

        if (fillsPages()) {
            assertThat(first.items()).containsExactlyElementsOf(written.subList(0, 5));
        } else {
            assertThat(first.items()).hasSizeLessThanOrEqualTo(5)
                    .containsExactlyElementsOf(written.subList(0, first.items().size()));
        }
        assertThat(first.nextCursor()).isNotNull();
    }

    @Test
    void linesOfTheSameMillisecondAreEachReturnedOnceAcrossPages() {
        List<LogLine> written = new ArrayList<>();
        for (int e = 0; e < 3; e++) {
            List<LogLine> lines = new ArrayList<>();
            for (int n = 0; n < 5; n++) {
                lines.add(new LogLine(t0, Severity.INFO, "same millisecond " + e + "." + n, instanceId,
                        "exe_" + e + "_" + run, null, null, 1));
            }
            store().append(customerId, instanceId, "exe_" + e + "_" + run, lines);
            written.addAll(lines);
        }

        assertThat(all(search("millisecond", null, null, null, 4, instanceId))).containsExactlyInAnyOrderElementsOf(written);
    }

    @Test
    void searchAcrossInstancesMergesTheirLinesByTime() {
        String other = "ins_other_" + run;
        String third = "ins_third_" + run;
        List<LogLine> mine = new ArrayList<>();
        List<LogLine> theirs = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            mine.add(at(instanceId, "exe_a_" + run, 2 * n, Severity.INFO, null, "sync " + n));
            theirs.add(at(other, "exe_b_" + run, 2 * n + 1, Severity.INFO, null, "sync " + n));
        }
        store().append(customerId, instanceId, "exe_a_" + run, mine);
        store().append(customerId, other, "exe_b_" + run, theirs);
        store().append(customerId, third, "exe_c_" + run, List.of(at(third, "exe_c_" + run, 3, Severity.INFO, null, "sync elsewhere")));
        List<LogLine> merged = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            merged.add(mine.get(n));
            merged.add(theirs.get(n));
        }

        assertThat(all(search("sync", null, null, null, 3, instanceId, other))).containsExactlyElementsOf(merged);
        assertThat(all(search("sync", null, null, null, 4, instanceId))).containsExactlyElementsOf(mine);
    }

    @Test
    void aSearchOfSeveralInstancesFindsOneByItsId() {
        String other = "ins_other_" + run;
        LogLine mine = at(instanceId, "exe_a_" + run, 1, Severity.INFO, null, "sync");
        LogLine theirs = at(other, "exe_b_" + run, 2, Severity.INFO, null, "sync");
        store().append(customerId, instanceId, "exe_a_" + run, List.of(mine));
        store().append(customerId, other, "exe_b_" + run, List.of(theirs));

        assertThat(all(search(other.toUpperCase(java.util.Locale.ROOT), instanceId, other))).containsExactly(theirs);
        assertThat(all(search("sync " + run, instanceId, other))).containsExactly(mine, theirs);
    }

    @Test
    void instanceWithoutLogsHasNoLines() {
        assertThat(all(search(null, "ins_nobody_" + run))).isEmpty();
        assertThat(all(search(null))).isEmpty();
        store().ensureGroup(customerId);
        assertThat(all(search(null, instanceId))).isEmpty();
    }

    @Test
    void cursorThatIsNotOursIsRejected() {
        orderLogs();

        assertThatThrownBy(() -> store().search(search(null, instanceId).withCursor("not-a-cursor!")))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store().search(search(null, instanceId).withCursor("eyJmb28iOiJiYXIifQ")))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void aSearchReadsOnlyItsCustomersInstancesEvenWithTheSameInstanceIdElsewhere() {
        String otherCustomer = "cus_other_" + run;
        String exe = "exe_" + run;
        LogLine mine = at(instanceId, exe, 1, Severity.INFO, null, "order mine");
        LogLine theirs = at(instanceId, exe + "_x", 2, Severity.INFO, null, "order theirs");
        store().append(customerId, instanceId, exe, List.of(mine));
        store().append(otherCustomer, instanceId, exe + "_x", List.of(theirs));

        assertThat(all(search("order", instanceId))).containsExactly(mine);
        assertThat(all(new LogQuery(List.of(new LogQuery.Scope(otherCustomer, List.of(instanceId))), "order", null, null,
                null, 100, null))).containsExactly(theirs);
        assertThat(all(new LogQuery(List.of(new LogQuery.Scope(customerId, List.of(instanceId)),
                new LogQuery.Scope(otherCustomer, List.of(instanceId))), "order", null, null, null, 1, null)))
                .containsExactly(mine, theirs);
    }

    @Test
    void deleteInstanceRemovesEveryLineOfTheInstanceAndNoOtherOfItsCustomer() {
        String other = instanceId + "_other";
        store().ensureGroup(customerId);
        store().append(customerId, instanceId, "exe_" + run + "_1", lines("exe_" + run + "_1", 0, 3));
        store().append(customerId, other, "exe_" + run + "_2", List.of(new LogLine(t0, Severity.INFO, "kept", other,
                "exe_" + run + "_2", null, null, 1)));

        store().deleteInstance(customerId, instanceId);
        store().deleteInstance(customerId, instanceId);
        store().deleteInstance(customerId, instanceId + "_never");

        assertThat(store().read(customerId, instanceId, "exe_" + run + "_1")).isEmpty();
        assertThat(store().read(customerId, other, "exe_" + run + "_2")).extracting(LogLine::message).containsExactly("kept");
    }
}

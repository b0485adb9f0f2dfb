package dev.ferry.infra.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.error.ValidationException;
import dev.ferry.core.model.LogLine;
import dev.ferry.core.model.LogQuery;
import dev.ferry.core.model.Page;
import dev.ferry.core.model.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * The search algorithm against a simulated FilterLogEvents that behaves as CloudWatch may and moto
 * does not: each call scans only a few events, so answers are often short or empty while a
 * {@code nextToken} says there is more. Every page sequence must still return each matching line
 * once, oldest first. Also: the filter patterns never drop a line that matches.
 */
class CloudWatchLogsSearchTest {
    private static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");
    private static final String[] WORDS = {"order", "Order", "HTTP", "503", "timeout", "fetch", "ünï", "a.b", "x-y"};

    /** One customer's instances, as a search names them. */
    private static List<LogQuery.Scope> scope(String... instanceIds) {
        return List.of(new LogQuery.Scope("cus_1", List.of(instanceIds)));
    }

    /**
     * A log service whose FilterLogEvents scans at most {@code scan} events per call (no pattern
     * support; {@code logStreamNames} honoured, the events of other streams counted as scanned, and
     * ResourceNotFound when a named stream does not exist, as CloudWatch answers).
     */
    private static final class SimulatedLogs implements CloudWatchLogsClient {
        final Map<String, List<FilteredLogEvent>> groups = new HashMap<>();
        final int scan;
        int calls;

        SimulatedLogs(int scan) {
            this.scan = scan;
        }

        void put(String customerId, String instanceId, List<LogLine> lines) {
            List<FilteredLogEvent> events = groups.computeIfAbsent(CloudWatchLogsLogStore.groupName(customerId), g -> new ArrayList<>());
            for (LogLine l : lines) {
                events.add(FilteredLogEvent.builder().timestamp(l.timestamp().toEpochMilli())
                        .message(CloudWatchLogsLogStore.toMessage(l)).logStreamName(instanceId)
                        .eventId(String.format("%056d", events.size() * 7L + 3)).build());
            }
            events.sort(Comparator.comparing(FilteredLogEvent::timestamp)); // stable: ingestion order within a ms
        }

        @Override
        public FilterLogEventsResponse filterLogEvents(FilterLogEventsRequest r) {
            calls++;
            List<FilteredLogEvent> events = groups.get(r.logGroupName());
            if (events == null) throw ResourceNotFoundException.builder().message("no group").build();
            if (r.hasLogStreamNames()) {
                for (String name : r.logStreamNames()) {
                    if (events.stream().noneMatch(e -> name.equals(e.logStreamName()))) {
                        throw ResourceNotFoundException.builder().message("The specified log stream does not exist.").build();
                    }
                }
            }
            long start = r.startTime() == null ? Long.MIN_VALUE : r.startTime();
            long end = r.endTime() == null ? Long.MAX_VALUE : r.endTime();
            int pos = r.nextToken() == null ? 0 : Integer.parseInt(r.nextToken().substring(4));
            List<FilteredLogEvent> out = new ArrayList<>();
            int scanned = 0;
            while (pos < events.size() && scanned < scan && out.size() < r.limit()) {
                FilteredLogEvent e = events.get(pos++);
                scanned++;
                boolean stream = !r.hasLogStreamNames() || r.logStreamNames().contains(e.logStreamName());
                if (stream && e.timestamp() >= start && e.timestamp() <= end) out.add(e);
            }
            return FilterLogEventsResponse.builder().events(out).nextToken(pos < events.size() ? "pos:" + pos : null).build();
        }

        @Override
        public String serviceName() {
            return "logs";
        }

        @Override
        public void close() {}
    }

    private static List<LogLine> randomLines(Random rnd, String instanceId, int count) {
        List<LogLine> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // few distinct milliseconds, so lines often share one
            Instant t = T0.plusMillis(rnd.nextInt(count / 3 + 1));
            String msg = WORDS[rnd.nextInt(WORDS.length)] + " " + WORDS[rnd.nextInt(WORDS.length)] + " #" + i;
            out.add(new LogLine(t, Severity.values()[rnd.nextInt(4)], msg, instanceId, "exe_" + rnd.nextInt(4), null,
                    rnd.nextBoolean() ? "fetch" : null, 1));
        }
        return out;
    }

    private static List<LogLine> everyPage(CloudWatchLogsSearch search, LogQuery q) {
        List<LogLine> out = new ArrayList<>();
        Set<LogLine> seen = new HashSet<>();
        String cursor = null;
        for (int pages = 0; pages < 5000; pages++) {
            Page<LogLine> page = search.search(q.withCursor(cursor));
            assertThat(page.items().size()).isLessThanOrEqualTo(q.limit());
            for (LogLine l : page.items()) assertThat(seen.add(l)).as("once: " + l).isTrue();
            out.addAll(page.items());
            cursor = page.nextCursor();
            if (cursor == null) return out;
        }
        throw new AssertionError("no end after 5000 pages");
    }

    @Test
    void everyMatchingLineComesOnceInOrderWhateverTheServiceAnswersPerCall() {
        Random rnd = new Random(42);
        for (int round = 0; round < 60; round++) {
            SimulatedLogs logs = new SimulatedLogs(1 + rnd.nextInt(6));
            Map<String, List<String>> instancesOf = new LinkedHashMap<>();
            Map<String, List<LogLine>> byInstance = new LinkedHashMap<>();
            int count = 1 + rnd.nextInt(4);
            for (int g = 0; g < count; g++) {
                String id = "ins_" + (char) ('a' + g);
                String customer = "cus_" + (g % 2);
                List<LogLine> lines = randomLines(rnd, id, 5 + rnd.nextInt(60));
                logs.put(customer, id, lines);
                // an instance of the customer that the search does not name: its lines stay out
                if (g == 2) continue;
                instancesOf.computeIfAbsent(customer, c -> new ArrayList<>()).add(id);
                byInstance.put(id, lines);
            }
            instancesOf.put("cus_without_group", List.of("ins_without_group"));
            // an instance of a customer that has logged nothing yet: the others' lines still come
            instancesOf.get("cus_0").add("ins_silent");
            List<LogQuery.Scope> instances = instancesOf.entrySet().stream()
                    .map(e -> new LogQuery.Scope(e.getKey(), e.getValue())).toList();
            String text = rnd.nextInt(3) == 0 ? null : WORDS[rnd.nextInt(WORDS.length)];
            Severity min = rnd.nextInt(3) == 0 ? Severity.values()[rnd.nextInt(4)] : null;
            Instant since = rnd.nextBoolean() ? null : T0.plusMillis(rnd.nextInt(5));
            Instant until = rnd.nextBoolean() ? null : T0.plusMillis(5 + rnd.nextInt(20));
            LogQuery q = new LogQuery(instances, text, min, since, until, 1 + rnd.nextInt(7), null);
            CloudWatchLogsSearch search = new CloudWatchLogsSearch(logs, 1 + rnd.nextInt(4), 1 + rnd.nextInt(5));

            List<LogLine> expected = new ArrayList<>();
            byInstance.values().forEach(ls -> ls.stream().filter(q::matches).forEach(expected::add));
            expected.sort(Comparator.comparing((LogLine l) -> l.timestamp().toEpochMilli()).thenComparing(LogLine::instanceId));

            List<LogLine> got = everyPage(search, q);

            assertThat(got).as("round %d: %s", round, q).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(got).extracting(l -> l.timestamp().toEpochMilli() + "/" + l.instanceId())
                    .containsExactlyElementsOf(expected.stream().map(l -> l.timestamp().toEpochMilli() + "/" + l.instanceId()).toList());
        }
    }

    @Test
    void aGroupThatDoesNotExistHasNoLines() {
        CloudWatchLogsSearch search = new CloudWatchLogsSearch(new SimulatedLogs(10), 5, 100);

        Page<LogLine> page = search.search(new LogQuery(scope("ins_none"), "x", null, null, null, 10, null));

        assertThat(page.items()).isEmpty();
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void cursorsThatAreNotOursAre400OnCursor() {
        CloudWatchLogsSearch search = new CloudWatchLogsSearch(new SimulatedLogs(10), 5, 100);
        for (String bad : List.of("%%%", "e30", "eyJrIjoxfQ", "eyJrIjpbMSwiYSJdfQ")) {
            assertThatThrownBy(() -> search.search(new LogQuery(scope("i"), null, null, null, null, 5, bad)))
                    .isInstanceOf(ValidationException.class)
                    .satisfies(e -> assertThat(((ValidationException) e).details().get(0).field()).isEqualTo("cursor"));
        }
    }

    // ------------------------------------------------------------------ filter patterns

    private static LogQuery text(String text) {
        return new LogQuery(scope("i"), text, null, null, null, 10, null);
    }

    @Test
    void theLongestPlainWordIsSentAsACaseInsensitiveRegex() {
        assertThat(CloudWatchLogsSearch.filterPattern(text("HTTP 503"))).isEqualTo("%[Hh][Tt][Tt][Pp]%");
        assertThat(CloudWatchLogsSearch.filterPattern(text("\"order 42\" exe_01JD"))).isEqualTo("%[Ee][Xx][Ee]_01[Jj][Dd]%");
        assertThat(CloudWatchLogsSearch.filterPattern(text("a.b ünï 503"))).isEqualTo("%503%");
        assertThat(CloudWatchLogsSearch.filterPattern(text("x".repeat(300)))).hasSize(2 + 4 * CloudWatchLogsSearch.MAX_REGEX_WORD);
    }

    @Test
    void withoutAPlainWordOnlyWarnAndErrorAreFilteredByTheService() {
        assertThat(CloudWatchLogsSearch.filterPattern(text("a.b"))).isNull();
        assertThat(CloudWatchLogsSearch.filterPattern(text(null))).isNull();
        LogQuery warn = new LogQuery(scope("i"), null, Severity.WARN, null, null, 10, null);
        assertThat(CloudWatchLogsSearch.filterPattern(warn)).isEqualTo("{ $.severity = \"WARN\" || $.severity = \"ERROR\" }");
        LogQuery info = new LogQuery(scope("i"), null, Severity.INFO, null, null, 10, null);
        assertThat(CloudWatchLogsSearch.filterPattern(info)).isNull();
    }

    @Test
    void theRegexSentNeverDropsALineThatMatches() {
        Random rnd = new Random(7);
        for (int i = 0; i < 2000; i++) {
            LogLine line = randomLines(rnd, "ins_r", 3).get(0);
            String query = WORDS[rnd.nextInt(WORDS.length)] + (rnd.nextBoolean() ? " " + WORDS[rnd.nextInt(WORDS.length)] : "");
            LogQuery q = text(query);
            String pattern = CloudWatchLogsSearch.filterPattern(q);
            if (pattern == null || !q.matches(line)) continue;
            // CloudWatch's %regex% finds a substring of the raw event message; these patterns are valid Java regexes too.
            Pattern regex = Pattern.compile(pattern.substring(1, pattern.length() - 1));
            assertThat(regex.matcher(CloudWatchLogsLogStore.toMessage(line)).find()).as(query + " / " + line).isTrue();
        }
    }

    /**
     * A line matches on its instance id, which is its stream's name and not in the stored message:
     * a term found in a searched instance's id narrows nothing, and the lines of that instance still come.
     */
    @Test
    void aTermFoundInASearchedInstancesIdIsNotSentAsAPattern() {
        LogQuery byId = new LogQuery(scope("ins_order_7"), "ORDER_7", null, null, null, 10, null);
        assertThat(CloudWatchLogsSearch.filterPattern(byId)).isNull();
        LogQuery withAnother = new LogQuery(scope("ins_order_7"), "order timeout", null, null, null, 10, null);
        assertThat(CloudWatchLogsSearch.filterPattern(withAnother)).isEqualTo("%[Tt][Ii][Mm][Ee][Oo][Uu][Tt]%");
        LogQuery warn = new LogQuery(scope("ins_order_7"), "ins_order", Severity.WARN, null, null, 10, null);
        assertThat(CloudWatchLogsSearch.filterPattern(warn)).isEqualTo("{ $.severity = \"WARN\" || $.severity = \"ERROR\" }");

        Random rnd = new Random(11);
        for (int i = 0; i < 2000; i++) {
            String instance = "ins_" + WORDS[rnd.nextInt(WORDS.length)] + "_" + rnd.nextInt(3);
            LogLine line = randomLines(rnd, instance, 3).get(0);
            String query = WORDS[rnd.nextInt(WORDS.length)] + (rnd.nextBoolean() ? " " + instance.substring(4) : "");
            LogQuery q = new LogQuery(List.of(new LogQuery.Scope("cus_1", List.of(instance, "ins_other"))), query, null,
                    null, null, 10, null);
            String pattern = CloudWatchLogsSearch.filterPattern(q);
            if (pattern == null || !q.matches(line)) continue;
            Pattern regex = Pattern.compile(pattern.substring(1, pattern.length() - 1));
            assertThat(regex.matcher(CloudWatchLogsLogStore.toMessage(line)).find()).as(query + " / " + line).isTrue();
        }
    }

    @Test
    void untilIsExclusiveAndEndTimeInclusiveInMilliseconds() {
        assertThat(CloudWatchLogsSearch.endTime(Instant.ofEpochMilli(1000))).isEqualTo(999L);
        assertThat(CloudWatchLogsSearch.endTime(Instant.ofEpochMilli(1000).plusNanos(1))).isEqualTo(1000L);
        assertThat(CloudWatchLogsSearch.endTime(null)).isNull();
    }

    @Test
    void eventIdsOfDigitsCompareAsNumbers() {
        assertThat(SearchCursor.Key.compareEventIds("9", "10")).isNegative();
        assertThat(SearchCursor.Key.compareEventIds("", "0")).isNegative();
        assertThat(SearchCursor.Key.compareEventIds("0003", "0010")).isNegative();
        assertThat(SearchCursor.Key.compareEventIds("b", "a")).isPositive();
    }
}

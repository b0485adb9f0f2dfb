package dev.ferry.infra.logs;

import static dev.ferry.infra.AwsFailures.storeFailure;

import dev.ferry.core.model.LogLine;
import dev.ferry.core.model.LogQuery;
import dev.ferry.core.model.Page;
import dev.ferry.core.model.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * {@link LogQuery} on CloudWatch Logs {@code FilterLogEvents}, one log group per customer and in it
 * one stream per instance: a search reads one group per customer it names — whatever the number of
 * the customer's instances. A scope of one instance names its stream ({@code logStreamNames}); a
 * scope of several reads the whole group and keeps their lines in Java, because FilterLogEvents
 * answers ResourceNotFound when any stream it names does not exist (an instance that has not
 * logged yet), which would hide the lines of all the others.
 *
 * <p><b>Matching.</b> What matches is decided here, in Java, by {@link LogQuery#matches} on each
 * event's JSON line — so the answer is the same on CloudWatch Logs and on an emulator. The filter
 * pattern sent along only narrows what the service returns, and is chosen so that it never drops a
 * line that matches: the longest word of the text made of {@code [A-Za-z0-9_#=@/;,-]} as a
 * case-insensitive regex ({@code %[Oo][Rr][Dd][Ee][Rr]%}: a substring, as CloudWatch documents
 * for {@code %…%} patterns, unlike plain terms, which match whole words and case-sensitively),
 * leaving out the words of a term found in a searched instance's id (a line matches on its
 * instance id, which is its stream's name and not in the event's message); or,
 * without such a word and with a minimum severity of WARN or ERROR, a JSON pattern on
 * {@code $.severity}. moto understands neither (it filters only plain terms and one quoted phrase,
 * and returns everything for other patterns), which is harmless: the Java check decides.
 *
 * <p><b>Order and paging.</b> Lines come oldest first by (event time in ms, instance id, event id).
 * Each customer's group is read forward with FilterLogEvents (time-ordered, interleaving its streams) from
 * the search's {@code since}, or from the cursor; groups are read in rounds until the page is
 * certain — every group has read past the page's last line, or is exhausted — or the call budget
 * is spent (each group still gets one call per page, and reads on past its first match, so every
 * page delivers a line or moves a group forward). The cursor
 * holds the key of the last line delivered (everything at or before it was delivered or did not
 * match), and for groups read beyond their first page the {@code nextToken} (with the start time
 * it was issued for) from which to go on, plus the groups known to hold nothing more — so the
 * empty pages CloudWatch may answer while it scans are never read twice. A page may be short while
 * {@code nextCursor} is set. The first call of a group asks for max(100, 2 × page) events — or, on a
 * later page, as many as the previous page's last call did — and each further call doubles it.
 */
final class CloudWatchLogsSearch {
    static final int DEFAULT_CALL_BUDGET = 25;
    /** FilterLogEvents' largest {@code limit}. */
    static final int MAX_FILTER_LIMIT = 10_000;
    private static final int FIRST_BATCH = 100;
    /** Characters CloudWatch accepts literally inside a {@code %regex%} pattern. */
    private static final Pattern REGEX_SAFE = Pattern.compile("[A-Za-z0-9_#=@/;,-]+");
    /** Longest word put into a regex pattern (a filter pattern is at most 1024 characters). */
    static final int MAX_REGEX_WORD = 200;

    private final CloudWatchLogsClient logs;
    private final int callBudget;
    private final int maxBatch;

    /**
     * @param callBudget FilterLogEvents calls one page may make (each group still gets one)
     * @param maxBatch   the most events asked of one call (the first asks max(100, 2 × page), later ones double)
     */
    CloudWatchLogsSearch(CloudWatchLogsClient logs, int callBudget, int maxBatch) {
        this.logs = logs;
        this.callBudget = callBudget;
        this.maxBatch = Math.min(MAX_FILTER_LIMIT, maxBatch);
    }

    Page<LogLine> search(LogQuery q) {
        int size = Math.max(1, Math.min(q.limit(), 1000));
        int want = size + 1;
        SearchCursor from = SearchCursor.decode(q.cursor());
        SearchCursor.Key after = from == null ? null : from.key();
        String pattern = filterPattern(q);
        Long endTime = endTime(q.until());
        long since = q.since() == null ? 0 : q.since().toEpochMilli();

        Map<String, Set<String>> instancesOf = new java.util.TreeMap<>();
        for (LogQuery.Scope scope : q.scopes()) {
            if (scope.customerId() == null || scope.instanceIds().isEmpty()) continue;
            instancesOf.computeIfAbsent(scope.customerId(), c -> new java.util.TreeSet<>()).addAll(scope.instanceIds());
        }
        List<Scan> scans = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : instancesOf.entrySet()) {
            String id = e.getKey();
            if (from != null && from.done().contains(id)) continue;
            SearchCursor.Resume resume = from == null ? null : from.resume().get(id);
            scans.add(resume != null ? new Scan(id, e.getValue(), resume.startTime(), resume.token())
                    : new Scan(id, e.getValue(), Math.max(since, after == null ? since : after.ts()), null));
        }

        int firstBatch = Math.min(maxBatch, Math.max(Math.max(FIRST_BATCH, 2 * want), from == null ? 0 : from.batch()));
        int calls = 0;
        while (true) {
            SearchCursor.Key threshold = threshold(scans, want);
            boolean called = false;
            for (Scan s : scans) {
                if (s.exhausted || (threshold != null && s.lastSeen > threshold.ts())) continue;
                // Past the budget a group still reads on until it has read past its first match, so
                // that every page delivers a line or moves some group's position forward.
                boolean firstMatchOpen = s.firstMatch != null && s.firstMatch.ts() >= s.lastSeen;
                if (s.calls > 0 && calls >= callBudget && !firstMatchOpen) continue;
                fetch(s, q, pattern, endTime, after, firstBatch);
                calls++;
                called = true;
            }
            if (!called) break;
        }

        // Everything below `bound` has been read in every group.
        SearchCursor.Key bound = null;
        boolean allExhausted = true;
        for (Scan s : scans) {
            if (s.exhausted) continue;
            allExhausted = false;
            SearchCursor.Key b = new SearchCursor.Key(s.lastSeen >= 0 ? s.lastSeen : s.startTime, "", "");
            if (bound == null || b.compareTo(bound) < 0) bound = b;
        }
        List<Hit> deliverable = new ArrayList<>();
        for (Scan s : scans) {
            for (ScanPage p : s.pages) {
                for (Hit h : p.matches) if (allExhausted || h.key.compareTo(bound) < 0) deliverable.add(h);
            }
        }
        deliverable.sort(Comparator.comparing(Hit::key));

        SearchCursor.Key next;
        List<LogLine> items = new ArrayList<>();
        if (deliverable.size() > size) {
            for (Hit h : deliverable.subList(0, size)) items.add(h.line);
            next = deliverable.get(size - 1).key;
        } else {
            for (Hit h : deliverable) items.add(h.line);
            if (allExhausted) return new Page<>(items, null);
            next = after != null && after.compareTo(bound) > 0 ? after : bound;
        }
        int batch = scans.stream().mapToInt(s -> s.batch).max().orElse(0);
        return new Page<>(items, cursorAfter(next, scans, from, batch).encode());
    }

    /** Where each group goes on from once everything up to {@code next} is delivered. */
    private static SearchCursor cursorAfter(SearchCursor.Key next, List<Scan> scans, SearchCursor from, int batch) {
        Map<String, SearchCursor.Resume> resume = new LinkedHashMap<>();
        Set<String> done = new LinkedHashSet<>(from == null ? Set.of() : from.done());
        for (Scan s : scans) {
            ScanPage firstUndelivered = null;
            for (ScanPage p : s.pages) {
                if (p.matches.stream().anyMatch(h -> h.key.compareTo(next) > 0)) {
                    firstUndelivered = p;
                    break;
                }
            }
            if (firstUndelivered != null) {
                // A page read without a token starts at a time at or before `next`: start afresh from there.
                if (firstUndelivered.token != null) {
                    resume.put(s.customerId, new SearchCursor.Resume(firstUndelivered.startTime, firstUndelivered.token));
                }
            } else if (s.exhausted) {
                done.add(s.customerId);
            } else if (s.token != null) {
                resume.put(s.customerId, new SearchCursor.Resume(s.startTime, s.token));
            }
        }
        return new SearchCursor(next, resume, done, batch);
    }

    /**
     * The key of the {@code want}-th matching line among those already certain (read in a group
     * that has read past them), or null while there are fewer: once every group has read past it,
     * the page is known.
     */
    private static SearchCursor.Key threshold(List<Scan> scans, int want) {
        List<SearchCursor.Key> certain = new ArrayList<>();
        for (Scan s : scans) {
            for (ScanPage p : s.pages) {
                for (Hit h : p.matches) if (s.exhausted || h.key.ts() < s.lastSeen) certain.add(h.key);
            }
        }
        if (certain.size() < want) return null;
        certain.sort(null);
        return certain.get(want - 1);
    }

    private void fetch(Scan s, LogQuery q, String pattern, Long endTime, SearchCursor.Key after, int firstBatch) {
        s.batch = s.calls == 0 ? firstBatch : Math.min(maxBatch, s.batch * 2);
        s.calls++;
        String group = CloudWatchLogsLogStore.groupName(s.customerId);
        FilterLogEventsRequest.Builder req = FilterLogEventsRequest.builder()
                .logGroupName(group)
                .limit(s.batch)
                .nextToken(s.token)
                .interleaved(true); // ignored (always on) by CloudWatch; moto needs it to sort across streams
        if (s.startTime > 0) req.startTime(s.startTime);
        if (endTime != null) req.endTime(endTime);
        if (pattern != null) req.filterPattern(pattern);
        if (s.instanceIds.size() == 1) req.logStreamNames(s.instanceIds);
        FilterLogEventsResponse res;
        try {
            res = logs.filterLogEvents(req.build());
        } catch (ResourceNotFoundException e) {
            s.exhausted = true; // no group or no such stream: nothing logged yet
            return;
        } catch (SdkException e) {
            throw storeFailure("CloudWatch Logs FilterLogEvents " + group, e);
        }
        ScanPage page = new ScanPage(s.token, s.startTime);
        for (FilteredLogEvent ev : res.events()) {
            long ts = ev.timestamp() == null ? 0 : ev.timestamp();
            s.lastSeen = Math.max(s.lastSeen, ts);
            String instanceId = ev.logStreamName();
            if (instanceId == null || !s.instanceIds.contains(instanceId)) continue;
            SearchCursor.Key key = new SearchCursor.Key(ts, instanceId, ev.eventId() == null ? "" : ev.eventId());
            if (after != null && key.compareTo(after) <= 0) continue;
            LogLine line = CloudWatchLogsLogStore.fromMessage(ev.message(), ts, instanceId, null);
            if (q.matches(line)) {
                page.matches.add(new Hit(key, line));
                if (s.firstMatch == null) s.firstMatch = key;
            }
        }
        s.pages.add(page);
        s.token = res.nextToken();
        if (s.token == null || s.token.isEmpty()) s.exhausted = true;
    }

    /**
     * The FilterLogEvents pattern for a query, or null for none; it never excludes a line that
     * {@link LogQuery#matches} (see the class comment).
     */
    static String filterPattern(LogQuery q) {
        List<String> instanceIds = q.instanceIds().stream().map(id -> id.toLowerCase(java.util.Locale.ROOT)).toList();
        String best = null;
        for (String term : q.terms()) {
            // A term found in a searched instance's id matches every line of it, and the events'
            // messages do not hold the instance (their stream is named by it): no word of it may narrow.
            String t = term.toLowerCase(java.util.Locale.ROOT);
            if (instanceIds.stream().anyMatch(id -> id.contains(t))) continue;
            for (String word : term.trim().split("\\s+")) {
                if (REGEX_SAFE.matcher(word).matches() && (best == null || word.length() > best.length())) best = word;
            }
        }
        if (best != null) {
            // A prefix of the word is still a substring of every line holding the word.
            String w = best.length() > MAX_REGEX_WORD ? best.substring(0, MAX_REGEX_WORD) : best;
            StringBuilder sb = new StringBuilder("%");
            for (char c : w.toCharArray()) {
                if (Character.isLetter(c)) sb.append('[').append(Character.toUpperCase(c)).append(Character.toLowerCase(c)).append(']');
                else sb.append(c);
            }
            return sb.append('%').toString();
        }
        // Lines that are not Ferry's JSON count as INFO, so a severity pattern only helps (and is only safe) from WARN up.
        if (q.minSeverity() != null && q.minSeverity().compareTo(Severity.WARN) >= 0) {
            List<String> parts = new ArrayList<>();
            for (Severity s : Severity.values()) {
                if (s.atLeast(q.minSeverity())) parts.add("$.severity = \"" + s.name() + "\"");
            }
            return "{ " + String.join(" || ", parts) + " }";
        }
        return null;
    }

    /** FilterLogEvents' endTime is inclusive and in milliseconds; {@code until} is exclusive and exact. */
    static Long endTime(Instant until) {
        if (until == null) return null;
        long ms = until.toEpochMilli();
        boolean whole = until.getNano() % 1_000_000 == 0;
        return whole ? ms - 1 : ms;
    }

    private record Hit(SearchCursor.Key key, LogLine line) {}

    /** One FilterLogEvents answer: the token and start time it was asked with, and its matching lines. */
    private static final class ScanPage {
        final String token;
        final long startTime;
        final List<Hit> matches = new ArrayList<>();

        ScanPage(String token, long startTime) {
            this.token = token;
            this.startTime = startTime;
        }
    }

    /** The reading of one customer's group (its instances' streams among those searched) during one page. */
    private static final class Scan {
        final String customerId;
        final Set<String> instanceIds;
        final long startTime;
        String token;
        boolean exhausted;
        long lastSeen = -1;
        SearchCursor.Key firstMatch;
        int calls;
        int batch;
        final List<ScanPage> pages = new ArrayList<>();

        Scan(String customerId, Set<String> instanceIds, long startTime, String token) {
            this.customerId = customerId;
            this.instanceIds = Set.copyOf(instanceIds);
            this.startTime = startTime;
            this.token = token;
        }
    }
}

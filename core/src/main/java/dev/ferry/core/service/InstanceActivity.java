package dev.ferry.core.service;

import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionQuery;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.Page;
import dev.ferry.core.port.ExecutionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * An instance's activity, counted when it is read from the executions index the execution lists
 * use (newest first): executions queued in a time range by status per time bucket, the durations
 * of those that ended (percentiles), and its failures in the last 24 hours. Nothing is written per
 * execution for it; instead one read counts at most {@value #MAX_EXECUTIONS} executions of the range
 * and {@value #MAX_FAILURES} failures, and says when it stopped ({@code truncated}: the range's
 * older part, before {@code countedFrom}, is not in the counts).
 */
public final class InstanceActivity {
    /** Executions of the range one read counts at most. */
    public static final int MAX_EXECUTIONS = 2_000;
    /** Failures of the last 24 hours one read counts at most. */
    public static final int MAX_FAILURES = 1_000;
    static final Duration DAY = Duration.ofHours(24);
    private static final int READ_PAGE = 100;

    private final ExecutionStore executions;
    private final Clock clock;

    public InstanceActivity(ExecutionStore executions, Clock clock) {
        this.executions = executions;
        this.clock = clock;
    }

    /** One bucket: executions queued in [{@code start}, {@code start} + bucket) by status. */
    public record Bucket(Instant start, Map<ExecutionStatus, Integer> counts) {}

    /** Percentiles (nearest rank) of the durations of the ended executions counted; null when none ended. */
    public record Durations(int count, Long p50, Long p90, Long p99, Long max) {}

    /**
     * {@code counted}: executions counted; {@code truncated}: the bound stopped the count, so only
     * executions queued from {@code countedFrom} on are in it. {@code failuresLast24h} is counted up to
     * {@value #MAX_FAILURES} ({@code failuresTruncated} beyond).
     */
    public record Activity(Instant since, Instant until, Duration bucket, List<Bucket> buckets,
                           Map<ExecutionStatus, Integer> byStatus, int counted, boolean truncated, Instant countedFrom,
                           Durations durations, int failuresLast24h, boolean failuresTruncated, Instant now) {}

    /** The instance's activity in [{@code since}, {@code until}), in buckets of {@code bucket} aligned to the epoch. */
    public Activity of(String instanceId, Instant since, Instant until, Duration bucket) {
        Instant now = clock.instant();
        long size = bucket.toMillis();
        Instant first = Instant.ofEpochMilli(Math.floorDiv(since.toEpochMilli(), size) * size);
        List<Map<ExecutionStatus, Integer>> counts = new ArrayList<>();
        List<Bucket> buckets = new ArrayList<>();
        for (Instant b = first; b.isBefore(until); b = b.plus(bucket)) {
            Map<ExecutionStatus, Integer> c = zeros();
            counts.add(c);
            buckets.add(new Bucket(b, c));
        }
        Map<ExecutionStatus, Integer> byStatus = zeros();
        List<Long> durations = new ArrayList<>();
        Read range = read(new ExecutionQuery(instanceId, null, null, null, null, since, until, false, false, READ_PAGE, null),
                MAX_EXECUTIONS, e -> {
                    if (e.queuedAt() == null || e.queuedAt().isBefore(since) || !e.queuedAt().isBefore(until)) return;
                    int i = (int) ((e.queuedAt().toEpochMilli() - first.toEpochMilli()) / size);
                    if (i >= 0 && i < counts.size()) counts.get(i).merge(e.status(), 1, Integer::sum);
                    byStatus.merge(e.status(), 1, Integer::sum);
                    if (e.status().terminal() && e.durationMs() != null) durations.add(e.durationMs());
                });

        // The last 24 h: counted with the range when the range holds all of them, else read on their own.
        Instant dayAgo = now.minus(DAY);
        int failures;
        boolean failuresTruncated;
        if (!since.isAfter(dayAgo) && !until.isBefore(now) && !range.truncated) {
            failures = range.failedSince(dayAgo);
            failuresTruncated = false;
        } else {
            Read f = read(new ExecutionQuery(instanceId, null, null, ExecutionStatus.FAILED, null, dayAgo, null, false, false,
                    READ_PAGE, null), MAX_FAILURES, e -> { });
            failures = f.count;
            failuresTruncated = f.truncated;
        }
        return new Activity(since, until, bucket, buckets, byStatus, range.count, range.truncated,
                range.truncated ? range.oldest : since, percentiles(durations), failures, failuresTruncated, now);
    }

    private static Map<ExecutionStatus, Integer> zeros() {
        Map<ExecutionStatus, Integer> m = new EnumMap<>(ExecutionStatus.class);
        for (ExecutionStatus s : ExecutionStatus.values()) m.put(s, 0);
        return m;
    }

    /** What one bounded read saw. */
    private static final class Read {
        int count;
        boolean truncated;
        Instant oldest;
        final List<Execution> failed = new ArrayList<>();

        int failedSince(Instant from) {
            return (int) failed.stream().filter(e -> !e.queuedAt().isBefore(from)).count();
        }
    }

    /** Follows the query's cursor, newest first, until the end or {@code max} executions. */
    private Read read(ExecutionQuery query, int max, java.util.function.Consumer<Execution> each) {
        Read r = new Read();
        ExecutionQuery q = query;
        while (true) {
            Page<Execution> page = executions.list(q);
            for (Execution e : page.items()) {
                if (r.count == max) {
                    r.truncated = true;
                    return r;
                }
                r.count++;
                each.accept(e);
                if (e.status() == ExecutionStatus.FAILED && e.queuedAt() != null) r.failed.add(e);
                if (e.queuedAt() != null && (r.oldest == null || e.queuedAt().isBefore(r.oldest))) r.oldest = e.queuedAt();
            }
            if (page.nextCursor() == null) return r;
            if (r.count == max) {
                r.truncated = true;
                return r;
            }
            q = q.withCursor(page.nextCursor());
        }
    }

    static Durations percentiles(List<Long> durations) {
        if (durations.isEmpty()) return new Durations(0, null, null, null, null);
        List<Long> sorted = new ArrayList<>(durations);
        sorted.sort(null);
        return new Durations(sorted.size(), rank(sorted, 50), rank(sorted, 90), rank(sorted, 99), sorted.getLast());
    }

    /** The nearest-rank percentile: the smallest value with at least {@code p}% of the values at or below it. */
    private static Long rank(List<Long> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(i, sorted.size() - 1)));
    }
}

package dev.ferry.core.service;

import dev.ferry.core.error.QuotaExceededException;
import dev.ferry.core.model.Page;
import dev.ferry.core.model.ReplayJobStatus;
import dev.ferry.core.port.ApiKeyStore;
import dev.ferry.core.port.InstanceStore;
import dev.ferry.core.port.MonitorStore;
import dev.ferry.core.port.QuotaCounters;
import dev.ferry.core.port.ReplayJobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Per-customer quotas (docs/security.md, "Quotas"), checked before anything is written. Every check takes
 * the caller's customer ({@code null} for an admin key, which no quota binds). Counts come from the stores
 * that hold the things counted (instances, API keys) or from {@link QuotaCounters}' holders pruned against
 * their store (monitors, running bulk jobs); a burst of concurrent creations may pass a count quota by the
 * number of requests in flight. The log-search rate is one atomic counter per customer and minute.
 */
public final class Quotas {
    public static final String INSTANCES = "instances";
    public static final String MONITORS = "monitors";
    public static final String CHANNELS_PER_MONITOR = "channelsPerMonitor";
    public static final String API_KEYS = "apiKeys";
    public static final String BULK_JOBS_RUNNING = "bulkJobsRunning";
    public static final String LOG_SEARCHES_PER_MINUTE = "logSearchesPerMinute";
    private static final int PAGE = 100;

    private final QuotaLimits limits;
    private final QuotaCounters counters;
    private final InstanceStore instances;
    private final ApiKeyStore apiKeys;
    private final MonitorStore monitors;
    private final ReplayJobStore replayJobs;
    private final Clock clock;

    public Quotas(QuotaLimits limits, QuotaCounters counters, InstanceStore instances, ApiKeyStore apiKeys,
                  MonitorStore monitors, ReplayJobStore replayJobs, Clock clock) {
        this.limits = limits;
        this.counters = counters;
        this.instances = instances;
        this.apiKeys = apiKeys;
        this.monitors = monitors;
        this.replayJobs = replayJobs;
        this.clock = clock;
    }

    public QuotaLimits limits() {
        return limits;
    }

    /** Before a customer's key creates an instance: 409 when the customer has its quota of instances. */
    public void beforeInstance(String customerId) {
        if (customerId == null) return;
        if (countUpTo(limits.instances(), c -> instances.list(customerId, PAGE, c)) >= limits.instances()) {
            throw QuotaExceededException.count(INSTANCES, limits.instances(), "instances");
        }
    }

    /** Before a customer's key creates an API key: 409 when the customer has its quota of keys. */
    public void beforeApiKey(String customerId) {
        if (customerId == null) return;
        if (countUpTo(limits.apiKeys(), c -> apiKeys.list(customerId, PAGE, c)) >= limits.apiKeys()) {
            throw QuotaExceededException.count(API_KEYS, limits.apiKeys(), "API keys");
        }
    }

    /** Before a customer's key creates a monitor with {@code channels} channels: 409 for either quota. */
    public void beforeMonitor(String customerId, int channels) {
        if (customerId == null) return;
        if (channels > limits.channelsPerMonitor()) {
            throw QuotaExceededException.count(CHANNELS_PER_MONITOR, limits.channelsPerMonitor(), "channels on a monitor");
        }
        if (held(monitorsKey(customerId), limits.monitors(), id -> monitors.get(id).isPresent()) >= limits.monitors()) {
            throw QuotaExceededException.count(MONITORS, limits.monitors(), "monitors");
        }
    }

    /** After a customer's key created a monitor: it counts until it is deleted. */
    public void monitorCreated(String customerId, String monitorId) {
        if (customerId != null) counters.hold(monitorsKey(customerId), monitorId, null);
    }

    /** After a monitor was deleted. */
    public void monitorDeleted(String customerId, String monitorId) {
        if (customerId != null) counters.release(monitorsKey(customerId), monitorId);
    }

    /** Before a customer's key starts a bulk replay job: 409 when its quota of jobs is running. */
    public void beforeBulkJob(String customerId) {
        if (customerId == null) return;
        Predicate<String> running = id -> replayJobs.get(id).map(j -> j.status() == ReplayJobStatus.RUNNING).orElse(false);
        if (held(jobsKey(customerId), limits.bulkJobsRunning(), running) >= limits.bulkJobsRunning()) {
            throw QuotaExceededException.count(BULK_JOBS_RUNNING, limits.bulkJobsRunning(), "bulk jobs running at once");
        }
    }

    /** After a customer's key started a bulk job: it counts while it runs (checked when the quota is reached). */
    public void bulkJobStarted(String customerId, String jobId, Instant expiresAt) {
        if (customerId != null) counters.hold(jobsKey(customerId), jobId, expiresAt);
    }

    /** Counts one log search of a customer's key: 429 with the seconds to the next minute past the quota. */
    public void logSearch(String customerId) {
        if (customerId == null) return;
        Instant now = clock.instant();
        Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
        Instant next = minute.plus(Duration.ofMinutes(1));
        if (!counters.take("LOGSEARCH#" + customerId, minute, limits.logSearchesPerMinute(), next.plus(Duration.ofHours(1)))) {
            int wait = (int) Math.max(1, (Duration.between(now, next).toMillis() + 999) / 1000);
            throw QuotaExceededException.rate(LOG_SEARCHES_PER_MINUTE, limits.logSearchesPerMinute(), "log searches a minute", wait);
        }
    }

    private static String monitorsKey(String customerId) {
        return "MONITORS#" + customerId;
    }

    private static String jobsKey(String customerId) {
        return "BULKJOBS#" + customerId;
    }

    /**
     * The holders of {@code key}; when they reach {@code limit}, those no longer {@code alive} are released
     * first, so a count never stays blocked by a deletion or an end the counters missed.
     */
    private int held(String key, int limit, Predicate<String> alive) {
        List<String> holders = counters.holders(key);
        if (holders.size() < limit) return holders.size();
        int live = 0;
        for (String h : holders) {
            if (alive.test(h)) live++;
            else counters.release(key, h);
        }
        return live;
    }

    /** How many items the pages hold, reading no further than {@code max}. */
    private static int countUpTo(int max, Function<String, Page<?>> page) {
        int n = 0;
        String cursor = null;
        do {
            Page<?> p = page.apply(cursor);
            n += p.items().size();
            cursor = p.nextCursor();
        } while (cursor != null && n < max);
        return n;
    }
}

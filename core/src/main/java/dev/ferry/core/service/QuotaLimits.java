package dev.ferry.core.service;

import java.util.Map;

/**
 * Per-customer quotas (docs/security.md, "Quotas"), from the template's parameters through the management
 * function's environment. They bind customer keys; admin keys are not limited.
 *
 * @param instances            FERRY_QUOTA_INSTANCES (default 100): instances per customer
 * @param monitors             FERRY_QUOTA_MONITORS (default 50): monitors a customer's keys created
 * @param channelsPerMonitor   FERRY_QUOTA_CHANNELS_PER_MONITOR (default 5, at most 10): channels on one such monitor
 * @param apiKeys              FERRY_QUOTA_API_KEYS (default 20): API keys per customer
 * @param bulkJobsRunning      FERRY_QUOTA_BULK_JOBS_RUNNING (default 2): bulk replay jobs running at once
 * @param logSearchesPerMinute FERRY_QUOTA_LOG_SEARCHES_PER_MINUTE (default 30): log searches per minute
 */
public record QuotaLimits(int instances, int monitors, int channelsPerMonitor, int apiKeys, int bulkJobsRunning,
                          int logSearchesPerMinute) {
    /** The hard limit of channels on any monitor, whoever creates it. */
    public static final int MAX_CHANNELS = 10;

    public QuotaLimits {
        positive("FERRY_QUOTA_INSTANCES", instances);
        positive("FERRY_QUOTA_MONITORS", monitors);
        positive("FERRY_QUOTA_CHANNELS_PER_MONITOR", channelsPerMonitor);
        if (channelsPerMonitor > MAX_CHANNELS) {
            throw new IllegalArgumentException("FERRY_QUOTA_CHANNELS_PER_MONITOR must be 1 to " + MAX_CHANNELS + ", got "
                    + channelsPerMonitor);
        }
        positive("FERRY_QUOTA_API_KEYS", apiKeys);
        positive("FERRY_QUOTA_BULK_JOBS_RUNNING", bulkJobsRunning);
        positive("FERRY_QUOTA_LOG_SEARCHES_PER_MINUTE", logSearchesPerMinute);
    }

    public static QuotaLimits fromEnv(Map<String, String> env) {
        return new QuotaLimits(
                intOf(env, "FERRY_QUOTA_INSTANCES", 100),
                intOf(env, "FERRY_QUOTA_MONITORS", 50),
                intOf(env, "FERRY_QUOTA_CHANNELS_PER_MONITOR", 5),
                intOf(env, "FERRY_QUOTA_API_KEYS", 20),
                intOf(env, "FERRY_QUOTA_BULK_JOBS_RUNNING", 2),
                intOf(env, "FERRY_QUOTA_LOG_SEARCHES_PER_MINUTE", 30));
    }

    public static QuotaLimits defaults() {
        return fromEnv(Map.of());
    }

    private static void positive(String name, int v) {
        if (v < 1) throw new IllegalArgumentException(name + " must be at least 1, got " + v);
    }

    private static int intOf(Map<String, String> env, String key, int fallback) {
        String v = env.get(key);
        if (v == null || v.isBlank()) return fallback;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got '" + v + "'");
        }
    }
}

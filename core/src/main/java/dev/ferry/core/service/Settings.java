package dev.ferry.core.service;

import java.time.Duration;
import java.util.Map;

/**
 * Runtime settings, read once from the function's environment.
 *
 * @param retentionDays     FERRY_RETENTION_DAYS (default 14): how long executions, payloads and logs are kept
 * @param adminKeySha256    FERRY_ADMIN_API_KEY_SHA256: hex SHA-256 of the admin API key
 * @param publicBaseUrl     FERRY_PUBLIC_URL: base of webhook URLs; when unset, taken from the request's domain
 * @param maxBodyBytes      largest webhook body accepted (6 MB, the Lambda synchronous payload limit)
 * @param syncWait          FERRY_SYNC_WAIT_SECONDS (default and most {@value #MAX_SYNC_WAIT_SECONDS}): how long a
 *                          synchronous webhook waits for its execution, inside API Gateway's 30 s with a margin
 *                          for the lookups before and the answer after
 * @param routeCacheTtl     how long a warm container trusts a cached webhook route (FERRY_ROUTE_CACHE_SECONDS, 5 s)
 * @param executionTimeout  FERRY_EXECUTION_TIMEOUT_SECONDS (default 900): the flow execution function's timeout;
 *                          a RUNNING execution older than this (plus a minute) is stuck
 * @param apiKeyCacheTtl    FERRY_API_KEY_CACHE_SECONDS (default 5): how long a warm container trusts an API key it
 *                          has looked up; a key revoked elsewhere stops working within this time (at once in the
 *                          container that revoked it)
 * @param unacknowledgedAfter FERRY_UNACKNOWLEDGED_AFTER_SECONDS (default 900): how long a webhook's execution
 *                          may stay QUEUED without being claimed before the sweep withdraws it as not
 *                          acknowledged to its sender (its write was applied after the sender got a 5xx)
 * @param quotas           per-customer quotas ({@link QuotaLimits}: FERRY_QUOTA_*)
 * @param alertEmailFrom    FERRY_ALERT_EMAIL_FROM (template parameter AlertEmailSender): the address alert emails
 *                          are sent from, verified in Amazon SES; unset, email channels cannot be created
 * @param workInRequest     FERRY_WORK_IN_REQUEST_SECONDS (default 10, 0 to {@value #MAX_WORK_IN_REQUEST_SECONDS}): how
 *                          long an unpause releases held executions, and an instance deletion deletes executions,
 *                          within the request (a page at least) before the rest goes on through the execution queue
 */
public record Settings(
        int retentionDays,
        String adminKeySha256,
        String publicBaseUrl,
        long maxBodyBytes,
        Duration syncWait,
        Duration routeCacheTtl,
        Duration executionTimeout,
        Duration apiKeyCacheTtl,
        Duration unacknowledgedAfter,
        String alertEmailFrom,
        QuotaLimits quotas,
        Duration workInRequest) {

    public static final long SIX_MB = 6L * 1024 * 1024;
    /** The longest synchronous-webhook wait: API Gateway stops waiting for the function at 30 s. */
    public static final int MAX_SYNC_WAIT_SECONDS = 25;
    /** The most of a request an unpause or a deletion spends before handing the rest to the queue. */
    public static final int MAX_WORK_IN_REQUEST_SECONDS = 20;

    public static Settings fromEnv(Map<String, String> env) {
        return new Settings(
                intOf(env, "FERRY_RETENTION_DAYS", 14),
                blankToNull(env.get("FERRY_ADMIN_API_KEY_SHA256")),
                blankToNull(env.get("FERRY_PUBLIC_URL")),
                SIX_MB,
                Duration.ofSeconds(syncWaitSeconds(env)),
                Duration.ofSeconds(intOf(env, "FERRY_ROUTE_CACHE_SECONDS", 5)),
                Duration.ofSeconds(intOf(env, "FERRY_EXECUTION_TIMEOUT_SECONDS", 900)),
                Duration.ofSeconds(intOf(env, "FERRY_API_KEY_CACHE_SECONDS", 5)),
                Duration.ofSeconds(intOf(env, "FERRY_UNACKNOWLEDGED_AFTER_SECONDS", 900)),
                blankToNull(env.get("FERRY_ALERT_EMAIL_FROM")),
                QuotaLimits.fromEnv(env),
                Duration.ofSeconds(workInRequestSeconds(env)));
    }

    public static Settings defaults() {
        return fromEnv(Map.of());
    }

    public Settings withAdminKeySha256(String sha) {
        return new Settings(retentionDays, sha, publicBaseUrl, maxBodyBytes, syncWait, routeCacheTtl, executionTimeout,
                apiKeyCacheTtl, unacknowledgedAfter, alertEmailFrom, quotas, workInRequest);
    }

    public Settings withPublicBaseUrl(String url) {
        return new Settings(retentionDays, adminKeySha256, url, maxBodyBytes, syncWait, routeCacheTtl, executionTimeout,
                apiKeyCacheTtl, unacknowledgedAfter, alertEmailFrom, quotas, workInRequest);
    }

    public Settings withRouteCacheTtl(Duration ttl) {
        return new Settings(retentionDays, adminKeySha256, publicBaseUrl, maxBodyBytes, syncWait, ttl, executionTimeout,
                apiKeyCacheTtl, unacknowledgedAfter, alertEmailFrom, quotas, workInRequest);
    }

    public Settings withExecutionTimeout(Duration timeout) {
        return new Settings(retentionDays, adminKeySha256, publicBaseUrl, maxBodyBytes, syncWait, routeCacheTtl, timeout,
                apiKeyCacheTtl, unacknowledgedAfter, alertEmailFrom, quotas, workInRequest);
    }

    public Settings withApiKeyCacheTtl(Duration ttl) {
        return new Settings(retentionDays, adminKeySha256, publicBaseUrl, maxBodyBytes, syncWait, routeCacheTtl,
                executionTimeout, ttl, unacknowledgedAfter, alertEmailFrom, quotas, workInRequest);
    }

    public Settings withUnacknowledgedAfter(Duration after) {
        return new Settings(retentionDays, adminKeySha256, publicBaseUrl, maxBodyBytes, syncWait, routeCacheTtl,
                executionTimeout, apiKeyCacheTtl, after, alertEmailFrom, quotas, workInRequest);
    }

    public Settings withAlertEmailFrom(String from) {
        return new Settings(retentionDays, adminKeySha256, publicBaseUrl, maxBodyBytes, syncWait, routeCacheTtl,
                executionTimeout, apiKeyCacheTtl, unacknowledgedAfter, from, quotas, workInRequest);
    }

    public Settings withQuotas(QuotaLimits q) {
        return new Settings(retentionDays, adminKeySha256, publicBaseUrl, maxBodyBytes, syncWait, routeCacheTtl,
                executionTimeout, apiKeyCacheTtl, unacknowledgedAfter, alertEmailFrom, q, workInRequest);
    }

    public Settings withWorkInRequest(Duration work) {
        return new Settings(retentionDays, adminKeySha256, publicBaseUrl, maxBodyBytes, syncWait, routeCacheTtl,
                executionTimeout, apiKeyCacheTtl, unacknowledgedAfter, alertEmailFrom, quotas, work);
    }

    private static int workInRequestSeconds(Map<String, String> env) {
        int s = intOf(env, "FERRY_WORK_IN_REQUEST_SECONDS", 10);
        if (s < 0 || s > MAX_WORK_IN_REQUEST_SECONDS) {
            throw new IllegalArgumentException("FERRY_WORK_IN_REQUEST_SECONDS must be 0 to " + MAX_WORK_IN_REQUEST_SECONDS
                    + " (API Gateway answers 503 after 30 s), got " + s);
        }
        return s;
    }

    private static int syncWaitSeconds(Map<String, String> env) {
        int s = intOf(env, "FERRY_SYNC_WAIT_SECONDS", MAX_SYNC_WAIT_SECONDS);
        if (s < 1 || s > MAX_SYNC_WAIT_SECONDS) {
            throw new IllegalArgumentException("FERRY_SYNC_WAIT_SECONDS must be 1 to " + MAX_SYNC_WAIT_SECONDS
                    + " (API Gateway answers 503 after 30 s), got " + s);
        }
        return s;
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

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }
}

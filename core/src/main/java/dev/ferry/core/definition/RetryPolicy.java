package dev.ferry.core.definition;

/**
 * Automatic retry of failed asynchronous executions: up to {@code maxAttempts} retries, the first
 * after {@code delaySeconds}, then FIXED or doubling (EXPONENTIAL) up to {@code maxDelaySeconds}.
 * {@code uniqueRequestId} is an expression; a newer execution with the same value cancels the older
 * one's pending retries.
 */
public record RetryPolicy(
        int maxAttempts,
        int delaySeconds,
        String backoff,
        int maxDelaySeconds,
        boolean jitter,
        String uniqueRequestId) {

    public static final String FIXED = "FIXED";
    public static final String EXPONENTIAL = "EXPONENTIAL";
    public static final RetryPolicy NONE = new RetryPolicy(0, 60, FIXED, 86400, false, null);

    /**
     * The wait before retry number {@code retry} (1 = the first retry), without jitter: FIXED waits
     * {@code delaySeconds} every time, EXPONENTIAL {@code delaySeconds · 2^(retry−1)}; either is
     * capped at {@code maxDelaySeconds} (and never below one second).
     */
    public long baseDelaySeconds(int retry) {
        long delay = delaySeconds;
        if (EXPONENTIAL.equals(backoff)) {
            for (int i = 1; i < retry && delay < maxDelaySeconds; i++) delay *= 2;
        }
        return Math.max(1, Math.min(delay, maxDelaySeconds));
    }
}

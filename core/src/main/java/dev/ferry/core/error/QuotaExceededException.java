package dev.ferry.core.error;

/**
 * A customer's quota is used up (docs/security.md, "Quotas"): HTTP 409 for a count (instances, monitors,
 * channels per monitor, API keys, bulk jobs running), 429 with {@code Retry-After} for a rate (log searches
 * per minute). The message names the quota and its limit; nothing was written.
 */
public class QuotaExceededException extends FerryException {
    private final String quota;
    private final int limit;
    private final int retryAfterSeconds;

    private QuotaExceededException(String quota, int limit, int retryAfterSeconds, String message) {
        super("quota_exceeded", message);
        this.quota = quota;
        this.limit = limit;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** A count at its limit: 409. */
    public static QuotaExceededException count(String quota, int limit, String what) {
        return new QuotaExceededException(quota, limit, 0, "quota " + quota + " exceeded: a customer's keys may have at most "
                + limit + " " + what + "; delete one first, or ask the operator to raise the quota");
    }

    /** A rate at its limit: 429, to try again in {@code retryAfterSeconds}. */
    public static QuotaExceededException rate(String quota, int limit, String what, int retryAfterSeconds) {
        return new QuotaExceededException(quota, limit, retryAfterSeconds, "quota " + quota + " exceeded: a customer's keys may make at most "
                + limit + " " + what + "; try again in " + retryAfterSeconds + " s");
    }

    public String quota() {
        return quota;
    }

    public int limit() {
        return limit;
    }

    /** 0 for a count; the seconds until the rate's window ends otherwise. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public boolean isRate() {
        return retryAfterSeconds > 0;
    }
}

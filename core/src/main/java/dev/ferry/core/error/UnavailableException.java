package dev.ferry.core.error;

/**
 * Cannot be served now, try again later (HTTP 503 with Retry-After): a paused instance, or a
 * backing store that did not answer.
 */
public class UnavailableException extends FerryException {
    private final int retryAfterSeconds;

    public UnavailableException(String code, String message, int retryAfterSeconds) {
        super(code, message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public UnavailableException(String code, String message, int retryAfterSeconds, Throwable cause) {
        super(code, message, cause);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}

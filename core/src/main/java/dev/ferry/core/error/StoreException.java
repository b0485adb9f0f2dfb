package dev.ferry.core.error;

/**
 * A backing service (table, queue, bucket, log service) failed or could not be reached. The
 * caller's request was not completed; the HTTP edge answers 503 so the sender tries again.
 */
public class StoreException extends UnavailableException {
    public StoreException(String message, Throwable cause) {
        super("store_unavailable", message, 5, cause);
    }
}

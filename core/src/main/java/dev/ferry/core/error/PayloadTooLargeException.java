package dev.ferry.core.error;

/** The request body is over the limit (HTTP 413). */
public class PayloadTooLargeException extends FerryException {
    public PayloadTooLargeException(long size, long limit) {
        super("payload_too_large", "body is " + size + " bytes; the limit is " + limit);
    }
}

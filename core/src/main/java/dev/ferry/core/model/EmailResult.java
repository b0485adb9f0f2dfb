package dev.ferry.core.model;

/**
 * The email service's answer to one message: its HTTP status (2xx: accepted for delivery, with the
 * service's {@code messageId}; otherwise {@code error} says why), as an alert delivery records it.
 */
public record EmailResult(int status, String messageId, String error) {
    public boolean accepted() {
        return status >= 200 && status < 300;
    }
}

package dev.ferry.core.error;

/** The write lost a race or would duplicate something (HTTP 409). */
public class ConflictException extends FerryException {
    public ConflictException(String message) {
        super("conflict", message);
    }
}

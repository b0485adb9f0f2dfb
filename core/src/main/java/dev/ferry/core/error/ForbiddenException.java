package dev.ferry.core.error;

/** Valid credentials that may not do this (HTTP 403). */
public class ForbiddenException extends FerryException {
    public ForbiddenException(String message) {
        super("forbidden", message);
    }
}

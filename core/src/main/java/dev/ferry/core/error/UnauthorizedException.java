package dev.ferry.core.error;

/** Missing or wrong credentials (HTTP 401). */
public class UnauthorizedException extends FerryException {
    public UnauthorizedException(String message) {
        super("unauthorized", message);
    }
}

package dev.ferry.core.error;

import java.util.List;

/**
 * Base of every error Ferry reports to a caller. {@code code} is the stable machine-readable
 * name; the HTTP edge maps each subclass to its status.
 */
public abstract class FerryException extends RuntimeException {
    private final String code;

    protected FerryException(String code, String message) {
        super(message);
        this.code = code;
    }

    protected FerryException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }

    public List<FieldError> details() {
        return List.of();
    }
}

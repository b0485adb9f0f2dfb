package dev.ferry.cli.http;

import java.util.List;

/**
 * The API answered with an error: {@code {"error": {"code", "message", "details": [{"field", "reason"}]}}}.
 */
public final class ApiException extends RuntimeException {

    /** One invalid input field and why. */
    public record Detail(String field, String reason) {}

    private final int status;
    private final String code;
    private final List<Detail> details;
    private final String hint;

    public ApiException(int status, String code, String message, List<Detail> details) {
        this(status, code, message, details, null);
    }

    public ApiException(int status, String code, String message, List<Detail> details, String hint) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.details = details == null ? List.of() : List.copyOf(details);
        this.hint = hint;
    }

    /** The same error with a hint for the user (what to do about it), or null. */
    public ApiException withHint(String newHint) {
        return new ApiException(status, code, getMessage(), details, newHint);
    }

    public String hint() {
        return hint;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<Detail> details() {
        return details;
    }
}

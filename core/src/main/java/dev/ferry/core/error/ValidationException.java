package dev.ferry.core.error;

import java.util.List;

/** Invalid input (HTTP 400): says which fields and why. Nothing was written. */
public class ValidationException extends FerryException {
    private final List<FieldError> errors;

    public ValidationException(List<FieldError> errors) {
        super("invalid_input", summary(errors));
        this.errors = List.copyOf(errors);
    }

    public ValidationException(String field, String reason) {
        this(List.of(new FieldError(field, reason)));
    }

    @Override
    public List<FieldError> details() {
        return errors;
    }

    private static String summary(List<FieldError> errors) {
        if (errors.isEmpty()) return "invalid input";
        FieldError first = errors.get(0);
        String s = first.field() + ": " + first.reason();
        return errors.size() == 1 ? s : s + " (and " + (errors.size() - 1) + " more)";
    }
}

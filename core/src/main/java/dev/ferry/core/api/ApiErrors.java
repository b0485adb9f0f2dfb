package dev.ferry.core.api;

import dev.ferry.core.error.ConflictException;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.error.FieldError;
import dev.ferry.core.error.ForbiddenException;
import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.error.PayloadTooLargeException;
import dev.ferry.core.error.QuotaExceededException;
import dev.ferry.core.error.UnauthorizedException;
import dev.ferry.core.error.UnavailableException;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.log.Log;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place errors become HTTP answers: {@code {"error": {"code", "message", "details"}}},
 * domain errors to their 4xx/503, anything unexpected to a 500 without internals.
 */
public final class ApiErrors {
    private ApiErrors() {}

    public static ApiResponse toResponse(Throwable t) {
        if (t instanceof FerryException f) {
            ApiResponse r = error(status(f), f.code(), f.getMessage(), f.details());
            if (f instanceof QuotaExceededException q && q.isRate()) {
                r = r.withHeader("retry-after", Integer.toString(q.retryAfterSeconds()));
            }
            if (f instanceof UnavailableException u && u.retryAfterSeconds() > 0) {
                r = r.withHeader("retry-after", Integer.toString(u.retryAfterSeconds()));
            }
            return r;
        }
        String ref = Long.toHexString(System.nanoTime());
        Log.error("unhandled error", "ref", ref, "type", t.getClass().getName(), "reason", String.valueOf(t.getMessage()));
        return error(500, "internal", "internal error (ref " + ref + ")", List.of());
    }

    public static ApiResponse error(int status, String code, String message, List<FieldError> details) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("code", code);
        e.put("message", message);
        e.put("details", details);
        return ApiResponse.json(status, Map.of("error", e));
    }

    static int status(FerryException f) {
        if (f instanceof ValidationException) return 400;
        if (f instanceof UnauthorizedException) return 401;
        if (f instanceof ForbiddenException) return 403;
        if (f instanceof NotFoundException) return 404;
        if (f instanceof ConflictException) return 409;
        if (f instanceof PayloadTooLargeException) return 413;
        if (f instanceof QuotaExceededException q) return q.isRate() ? 429 : 409;
        if (f instanceof UnavailableException) return 503;
        return 500;
    }
}

package dev.ferry.core.fakes;

import dev.ferry.core.error.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque cursors of the fakes: base64url of "fake:" + the last returned sort key. */
final class FakeCursors {
    private static final String PREFIX = "fake:";

    private FakeCursors() {}

    static String encode(String sortKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + sortKey).getBytes(StandardCharsets.UTF_8));
    }

    /** The sort key after which the next page starts, null for the first page. */
    static String decode(String cursor) {
        if (cursor == null || cursor.isBlank()) return null;
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8);
            if (!s.startsWith(PREFIX)) throw invalid();
            return s.substring(PREFIX.length());
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    static ValidationException invalid() {
        return new ValidationException("cursor", "not a cursor returned by this listing");
    }

    static int pageSize(int limit) {
        return Math.max(1, Math.min(limit, 1000));
    }
}

package dev.ferry.core.api;

import dev.ferry.core.error.UnauthorizedException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * API-key authentication, checked in one place for every management route: {@code Authorization:
 * Bearer <key>}, compared by SHA-256 in constant time with the admin key's hash.
 */
public final class Auth {
    private final byte[] adminHash;

    public Auth(String adminKeySha256) {
        this.adminHash = adminKeySha256 == null ? null : HexFormat.of().parseHex(adminKeySha256.toLowerCase());
    }

    /** Returns the caller's principal or throws 401. */
    public Principal authenticate(ApiRequest request) {
        String header = request.header("authorization");
        if (header == null || header.isBlank()) {
            throw new UnauthorizedException("missing API key: send 'Authorization: Bearer <api key>'");
        }
        String key = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : header.trim();
        if (adminHash != null && MessageDigest.isEqual(sha256(key), adminHash)) {
            return Principal.ADMIN;
        }
        throw new UnauthorizedException("invalid API key");
    }

    public static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256Hex(String text) {
        return HexFormat.of().formatHex(sha256(text));
    }

    /** Who is calling: the admin, or (later) a customer-scoped key. */
    public record Principal(String name, String customerId) {
        public static final Principal ADMIN = new Principal("admin", null);

        public boolean admin() {
            return customerId == null;
        }
    }
}

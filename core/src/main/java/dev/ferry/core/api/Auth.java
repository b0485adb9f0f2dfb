package dev.ferry.core.api;

import dev.ferry.core.error.UnauthorizedException;
import dev.ferry.core.model.ApiKey;
import dev.ferry.core.port.ApiKeyStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API-key authentication, checked in one place for every management route: {@code Authorization:
 * Bearer <key>}. The bootstrap admin key (FERRY_ADMIN_API_KEY_SHA256) is compared by SHA-256 in
 * constant time; every other key is looked up by its SHA-256 in the {@link ApiKeyStore} (one read).
 * A key found is trusted for {@code cacheTtl} by this container; a key revoked here is forgotten at
 * once, one revoked in another container stops working here within {@code cacheTtl}.
 */
public final class Auth {
    /** Prefix of generated keys, so a leaked one is recognisable (secret scanners, logs). */
    public static final String KEY_PREFIX = "fry_";
    static final int MAX_CACHED = 1000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] adminHash;
    private final ApiKeyStore keys;
    private final Clock clock;
    private final Duration cacheTtl;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Principal principal, Instant until) {}

    /** Only the bootstrap admin key (no stored keys). */
    public Auth(String adminKeySha256) {
        this(adminKeySha256, null, Clock.systemUTC(), Duration.ZERO);
    }

    public Auth(String adminKeySha256, ApiKeyStore keys, Clock clock, Duration cacheTtl) {
        this.adminHash = adminKeySha256 == null ? null : HexFormat.of().parseHex(adminKeySha256.toLowerCase());
        this.keys = keys;
        this.clock = clock;
        this.cacheTtl = cacheTtl == null ? Duration.ZERO : cacheTtl;
    }

    /** Returns the caller's principal or throws 401. */
    public Principal authenticate(ApiRequest request) {
        String header = request.header("authorization");
        if (header == null || header.isBlank()) {
            throw new UnauthorizedException("missing API key: send 'Authorization: Bearer <api key>'");
        }
        String key = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : header.trim();
        // An empty or oversized key is no key: refused before any hash is compared, so a deployment whose
        // admin key hash is that of "" (an unset variable hashed) is never opened by "Bearer ".
        if (key.isEmpty() || key.length() > 200) throw new UnauthorizedException("invalid API key");
        byte[] hash = sha256(key);
        if (adminHash != null && MessageDigest.isEqual(hash, adminHash)) {
            return Principal.ADMIN;
        }
        if (keys == null) throw new UnauthorizedException("invalid API key");
        String hex = HexFormat.of().formatHex(hash);
        Instant now = clock.instant();
        Cached c = cache.get(hex);
        if (c != null && now.isBefore(c.until())) return c.principal();
        Optional<ApiKey> found = keys.byHash(hex);
        if (found.isEmpty()) {
            cache.remove(hex);
            throw new UnauthorizedException("invalid API key");
        }
        Principal p = new Principal(found.get().name(), found.get().customerId(), found.get().id());
        if (!cacheTtl.isZero()) {
            if (cache.size() >= MAX_CACHED) cache.entrySet().removeIf(e -> !now.isBefore(e.getValue().until()));
            if (cache.size() < MAX_CACHED) cache.put(hex, new Cached(p, now.plus(cacheTtl)));
        }
        return p;
    }

    /** Forgets a key this container may have cached: called when the key is revoked here. */
    public void forget(String keyHash) {
        cache.remove(keyHash);
    }

    /** A new API key: {@code fry_} and 192 random bits, base64url. Only its hash is ever stored. */
    public static String newKey() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
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

    /**
     * Who is calling: an admin key ({@code customerId} null) or a customer-scoped key. {@code keyId}
     * is the stored key's id (null for the bootstrap admin key).
     */
    public record Principal(String name, String customerId, String keyId) {
        public static final Principal ADMIN = new Principal("admin", null, null);

        public boolean admin() {
            return customerId == null;
        }
    }
}

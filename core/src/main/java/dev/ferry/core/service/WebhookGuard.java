package dev.ferry.core.service;

import dev.ferry.core.definition.WebhookSecurity;
import dev.ferry.core.error.UnauthorizedException;
import dev.ferry.core.log.Log;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.WebhookRoute;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A flow config's webhook security check (docs/flow-language.md, "Webhook security"), resolved for one route: the declared
 * {@link WebhookSecurity} and the instance's secret value. Comparisons are constant-time
 * ({@link MessageDigest#isEqual} on equal-length digests). A failed check throws 401 and writes a
 * WARN line to the function log naming the flow config and the reason — never the secret, the
 * key or the signature sent.
 */
final class WebhookGuard {
    static final WebhookGuard OPEN = new WebhookGuard(WebhookSecurity.NONE, null);
    private static final String MASK = "********";

    private final WebhookSecurity security;
    private final byte[] secret;

    WebhookGuard(WebhookSecurity security, String secretValue) {
        this.security = security == null ? WebhookSecurity.NONE : security;
        this.secret = secretValue == null || secretValue.isEmpty() ? null : secretValue.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Checks the request; returns it as it may be stored: for {@code api-key} the key header's
     * value is replaced by {@code ********}, so the key never reaches the execution, its
     * {@code $trigger.headers} or an API answer.
     */
    ExecutionRequest check(WebhookRoute route, ExecutionRequest request) {
        if (security.none()) return request;
        String sent = header(request, security.header());
        String reason;
        if (secret == null) {
            reason = "the instance has no value for its secret config variable '" + security.secretVariable() + "'";
        } else if (sent == null || sent.isBlank()) {
            reason = "missing header " + security.header();
        } else if (WebhookSecurity.API_KEY.equals(security.type())) {
            reason = MessageDigest.isEqual(sha256(sent.trim().getBytes(StandardCharsets.UTF_8)), sha256(secret))
                    ? null : "wrong API key in header " + security.header();
        } else {
            reason = signatureMatches(sent, request.body()) ? null : "wrong signature in header " + security.header();
        }
        if (reason != null) {
            warn(route, reason);
            throw new UnauthorizedException(secret == null ? "this webhook's security is not configured"
                    : "missing or invalid " + security.header() + " header");
        }
        return WebhookSecurity.API_KEY.equals(security.type()) ? masked(request, security.header()) : request;
    }

    /** {@code sha256=<hex>} or {@code <hex>}: 64 hex digits (either case) of HMAC-SHA256(secret, raw body). */
    private boolean signatureMatches(String sent, byte[] body) {
        String hex = sent.trim();
        if (hex.regionMatches(true, 0, "sha256=", 0, 7)) hex = hex.substring(7);
        byte[] given;
        try {
            if (hex.length() != 64) return false;
            given = HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        return MessageDigest.isEqual(hmac(secret, body), given);
    }

    static byte[] hmac(byte[] key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String header(ExecutionRequest request, String name) {
        for (Map.Entry<String, String> e : request.headers().entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) return e.getValue();
        }
        return null;
    }

    private static ExecutionRequest masked(ExecutionRequest request, String name) {
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers().forEach((k, v) -> headers.put(k, k.equalsIgnoreCase(name) ? MASK : v));
        return new ExecutionRequest(request.method(), request.body(), headers, request.query(), request.contentType());
    }

    private void warn(WebhookRoute route, String reason) {
        Log.warn("webhook rejected (401): " + reason, "flowConfigId", route.flowConfigId(), "instanceId", route.instanceId(),
                "customerId", route.customerId(), "security", security.type());
    }
}

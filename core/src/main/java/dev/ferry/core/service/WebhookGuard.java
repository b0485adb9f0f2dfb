package dev.ferry.core.service;

import dev.ferry.core.definition.WebhookSecurity;
import dev.ferry.core.error.UnauthorizedException;
import dev.ferry.core.log.Log;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.WebhookRoute;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
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
    ExecutionRequest check(WebhookRoute route, ExecutionRequest request, Instant now) {
        if (security.none()) return request;
        String sent = header(request, security.header());
        String reason;
        String answer = "missing or invalid " + security.header() + " header";
        if (secret == null) {
            reason = "the instance has no value for its secret config variable '" + security.secretVariable() + "'";
        } else if (sent == null || sent.isBlank()) {
            reason = "missing header " + security.header();
        } else if (WebhookSecurity.API_KEY.equals(security.type())) {
            reason = MessageDigest.isEqual(sha256(sent.trim().getBytes(StandardCharsets.UTF_8)), sha256(secret))
                    ? null : "wrong API key in header " + security.header();
        } else {
            String stamp = security.timed() ? header(request, security.timestampHeader()) : null;
            reason = security.timed() ? timeReason(stamp, now) : null;
            if (reason != null) {
                answer = "missing or invalid " + security.timestampHeader() + " header: it must be the Unix time in seconds, "
                        + "within " + security.tolerance() + " s of now";
            } else if (WebhookSecurity.STANDARD_WEBHOOKS.equals(security.type())) {
                reason = standardReason(request, stamp, sent);
            } else {
                byte[] signed = security.timed() ? concat((stamp.trim() + ".").getBytes(StandardCharsets.UTF_8), request.body())
                        : request.body();
                reason = signatureMatches(sent, signed) ? null : "wrong signature in header " + security.header();
            }
        }
        if (reason != null) {
            warn(route, reason);
            throw new UnauthorizedException(secret == null ? "this webhook's security is not configured" : answer);
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

    /** Null when {@code stamp} is a Unix time in seconds within the tolerance of {@code now}, else why not. */
    private String timeReason(String stamp, Instant now) {
        if (stamp == null || stamp.isBlank()) return "missing header " + security.timestampHeader();
        long seconds;
        try {
            seconds = Long.parseLong(stamp.trim());
        } catch (NumberFormatException e) {
            return "header " + security.timestampHeader() + " is not a Unix time in seconds";
        }
        long off = seconds - now.getEpochSecond();
        if (Math.abs(off) > security.tolerance()) {
            return "signed time " + (off < 0 ? -off + " s in the past" : off + " s in the future")
                    + ", beyond the tolerance of " + security.tolerance() + " s (a replay, or a clock off)";
        }
        return null;
    }

    /**
     * Standard Webhooks: the secret is {@code whsec_<base64>} (the base64 key alone is accepted too);
     * {@code webhook-signature} is a space-separated list of {@code v1,<base64 HMAC-SHA256 of id.timestamp.body>},
     * one of which must match.
     */
    private String standardReason(ExecutionRequest request, String stamp, String sent) {
        String id = header(request, WebhookSecurity.WEBHOOK_ID);
        if (id == null || id.isBlank()) return "missing header " + WebhookSecurity.WEBHOOK_ID;
        String text = new String(secret, StandardCharsets.UTF_8);
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text.startsWith("whsec_") ? text.substring(6) : text);
        } catch (IllegalArgumentException e) {
            return "the secret config variable '" + security.secretVariable() + "' is not whsec_<base64>";
        }
        byte[] expected = hmac(key, concat((id + "." + stamp.trim() + ".").getBytes(StandardCharsets.UTF_8), request.body()));
        for (String part : sent.trim().split(" +")) {
            int comma = part.indexOf(',');
            if (comma < 0 || !part.substring(0, comma).equals("v1")) continue;
            byte[] given;
            try {
                given = Base64.getDecoder().decode(part.substring(comma + 1));
            } catch (IllegalArgumentException notBase64) {
                continue;
            }
            if (MessageDigest.isEqual(expected, given)) return null;
        }
        return "no matching v1 signature in header " + WebhookSecurity.WEBHOOK_SIGNATURE;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
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

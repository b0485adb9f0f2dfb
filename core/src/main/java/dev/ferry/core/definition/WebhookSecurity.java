package dev.ferry.core.definition;

/**
 * How a webhook flow checks who sent a request (docs/flow-language.md, "Webhook security"), declared on its trigger:
 * {@code none}; {@code api-key} (the header must carry the secret itself); {@code hmac-sha256}
 * (the header carries the hex HMAC-SHA256 of the raw body — of {@code <timestamp>.<body>} when
 * {@code timestampHeader} is set — keyed with the secret); or {@code standard-webhooks} (the
 * Standard Webhooks headers {@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}, the
 * secret being {@code whsec_<base64>}). The secret is never in the definition: {@code secretVariable}
 * names the instance's secret config variable that holds it, so each instance — and so each flow config —
 * has its own.
 *
 * @param type             {@link #NONE_TYPE}, {@link #API_KEY}, {@link #HMAC_SHA256} or {@link #STANDARD_WEBHOOKS}
 * @param header           the request header checked, lower-case; null for none ({@code webhook-signature} for
 *                         standard-webhooks)
 * @param secretVariable   the config variable holding the key or HMAC secret; null for none
 * @param timestampHeader  hmac-sha256: the header carrying the Unix time (seconds) signed with the body; null
 *                         for none ({@code webhook-timestamp} for standard-webhooks)
 * @param toleranceSeconds how far the signed time may be from now, either way (default
 *                         {@value #DEFAULT_TOLERANCE_SECONDS}); null when no time is signed
 */
public record WebhookSecurity(String type, String header, String secretVariable, String timestampHeader,
                              Integer toleranceSeconds) {
    public static final String NONE_TYPE = "none";
    public static final String API_KEY = "api-key";
    public static final String HMAC_SHA256 = "hmac-sha256";
    public static final String STANDARD_WEBHOOKS = "standard-webhooks";
    public static final int DEFAULT_TOLERANCE_SECONDS = 300;
    public static final int MAX_TOLERANCE_SECONDS = 3600;
    public static final String WEBHOOK_ID = "webhook-id";
    public static final String WEBHOOK_TIMESTAMP = "webhook-timestamp";
    public static final String WEBHOOK_SIGNATURE = "webhook-signature";
    public static final WebhookSecurity NONE = new WebhookSecurity(NONE_TYPE, null, null);

    /** A check without a signed time. */
    public WebhookSecurity(String type, String header, String secretVariable) {
        this(type, header, secretVariable, null, null);
    }

    /** Whether a time is signed with the request: then it must be within {@link #tolerance()} of now. */
    public boolean timed() {
        return timestampHeader != null;
    }

    /** The tolerance in seconds, its default when not given. */
    public int tolerance() {
        return toleranceSeconds == null ? DEFAULT_TOLERANCE_SECONDS : toleranceSeconds;
    }

    public boolean none() {
        return NONE_TYPE.equals(type);
    }

    /** The definition field that names the secret: {@code key} for api-key, {@code secret} for hmac-sha256. */
    public String secretField() {
        return API_KEY.equals(type) ? "key" : "secret";
    }
}

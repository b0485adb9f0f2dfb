package dev.ferry.core.definition;

/**
 * How a webhook flow checks who sent a request (docs/flow-language.md, "Webhook security"), declared on its trigger:
 * {@code none}; {@code api-key} (the header must carry the secret itself); or {@code hmac-sha256}
 * (the header carries the hex HMAC-SHA256 of the raw body, keyed with the secret). The secret is
 * never in the definition: {@code secretVariable} names the instance's secret config variable
 * that holds it, so each instance — and so each flow config — has its own.
 *
 * @param type           {@link #NONE_TYPE}, {@link #API_KEY} or {@link #HMAC_SHA256}
 * @param header         the request header checked, lower-case; null for none
 * @param secretVariable the config variable holding the key or HMAC secret; null for none
 */
public record WebhookSecurity(String type, String header, String secretVariable) {
    public static final String NONE_TYPE = "none";
    public static final String API_KEY = "api-key";
    public static final String HMAC_SHA256 = "hmac-sha256";
    public static final WebhookSecurity NONE = new WebhookSecurity(NONE_TYPE, null, null);

    public boolean none() {
        return NONE_TYPE.equals(type);
    }

    /** The definition field that names the secret: {@code key} for api-key, {@code secret} for hmac-sha256. */
    public String secretField() {
        return API_KEY.equals(type) ? "key" : "secret";
    }
}

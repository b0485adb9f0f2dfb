package dev.ferry.core.model;

import java.util.List;
import java.util.Map;

/**
 * Where a monitor's alerts go, by {@code type}:
 * <ul>
 *   <li>"webhook" — a POST to {@code url} with {@code headers}, the default JSON body or {@code template}
 *       with its $VARIABLES filled in; signed with {@code x-ferry-signature: sha256=<hex HMAC-SHA256 of the
 *       body>} when {@code secret} is set, and the Standard Webhooks way ({@code webhook-id},
 *       {@code webhook-timestamp}, {@code webhook-signature}) when {@code standardWebhooksSecret}
 *       ({@code whsec_<base64>}) is set;</li>
 *   <li>"slack" — a POST to a Slack incoming webhook {@code url}: a Block Kit message by default, or
 *       {@code template};</li>
 *   <li>"email" — an email to the addresses {@code to}, from the deployment's sender, through Amazon
 *       SES: a plain-text message by default, or {@code template} as its text.</li>
 * </ul>
 */
public record AlertChannel(String type, String url, Map<String, String> headers, String template, String secret,
                           String standardWebhooksSecret, List<String> to) {
    public static final String WEBHOOK = "webhook";
    public static final String SLACK = "slack";
    public static final String EMAIL = "email";
    public static final List<String> TYPES = List.of(WEBHOOK, SLACK, EMAIL);

    public AlertChannel {
        type = type == null ? WEBHOOK : type;
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        to = to == null ? List.of() : List.copyOf(to);
    }

    /** A webhook channel without the Standard Webhooks signature (how channels were made before it). */
    public AlertChannel(String type, String url, Map<String, String> headers, String template, String secret) {
        this(type, url, headers, template, secret, null, null);
    }

    public static AlertChannel webhook(String url) {
        return new AlertChannel(WEBHOOK, url, Map.of(), null, null);
    }

    public static AlertChannel slack(String url, String template) {
        return new AlertChannel(SLACK, url, Map.of(), template, null, null, null);
    }

    public static AlertChannel email(List<String> to, String template) {
        return new AlertChannel(EMAIL, null, Map.of(), template, null, null, to);
    }

    /**
     * What a delivery records and the API shows as the channel's destination: the webhook's URL, a
     * Slack URL with its secret last segment masked, {@code mailto:} and the addresses for email.
     */
    public String target() {
        return switch (type) {
            case EMAIL -> "mailto:" + String.join(",", to);
            case SLACK -> maskLastSegment(url);
            default -> url;
        };
    }

    /**
     * A Slack incoming webhook's URL is its credential: the path's last segment (and any query) is
     * masked, so {@code https://hooks.slack.com/services/T0/B0/XXXX} shows as {@code …/B0/********}.
     */
    public static String maskLastSegment(String url) {
        if (url == null) return null;
        int query = url.indexOf('?');
        String path = query < 0 ? url : url.substring(0, query);
        String masked = query < 0 ? "" : "?********";
        int schemeEnd = path.indexOf("://");
        int pathStart = path.indexOf('/', schemeEnd < 0 ? 0 : schemeEnd + 3);
        int slash = path.lastIndexOf('/');
        if (pathStart < 0 || slash == path.length() - 1) return path + masked;
        return path.substring(0, slash + 1) + "********" + masked;
    }
}

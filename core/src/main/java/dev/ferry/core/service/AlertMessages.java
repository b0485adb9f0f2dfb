package dev.ferry.core.service;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.Alert;
import dev.ferry.core.model.AlertChannel;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What an alert sends to each kind of channel: a webhook's default JSON body (docs/api.md, "What an
 * alert webhook receives") or its template with the $VARIABLES filled in, and its signatures
 * (Ferry's and Standard Webhooks'); a Slack message (Block Kit); an email's subject and text.
 */
public final class AlertMessages {
    /** Every $VARIABLE a template may use, in the order docs/api.md lists them. */
    public static final List<String> VARIABLES = List.of("SUBJECT", "NAME", "INSTANCE", "INSTANCE_ID",
            "EXECUTION_ID", "CUSTOMER", "CUSTOMER_EXTERNAL_ID", "FLOW", "TRIGGER", "STEP", "URL", "STATUS", "ERROR");
    /** Longest first, so $INSTANCE_ID is not read as $INSTANCE followed by "_ID". */
    private static final List<String> BY_LENGTH = VARIABLES.stream()
            .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    public static final String SIGNATURE_HEADER = "x-ferry-signature";
    /** The Standard Webhooks headers (standardwebhooks.com): a message id, its Unix time, and "v1,<signature>". */
    public static final String WEBHOOK_ID = "webhook-id";
    public static final String WEBHOOK_TIMESTAMP = "webhook-timestamp";
    public static final String WEBHOOK_SIGNATURE = "webhook-signature";
    public static final String STANDARD_SECRET_PREFIX = "whsec_";

    private AlertMessages() {}

    /** The body for this channel: its template filled in, or the default JSON. */
    public static byte[] body(Alert alert, AlertChannel channel) {
        if (channel.template() == null || channel.template().isEmpty()) return Json.writeBytes(defaultBody(alert));
        return render(channel.template(), alert.variables()).getBytes(StandardCharsets.UTF_8);
    }

    /** application/json for the default body and for templates that are JSON, else text/plain. */
    public static String contentType(AlertChannel channel) {
        return channel.template() == null || channel.template().isEmpty() || looksLikeJson(channel.template())
                ? "application/json" : "text/plain; charset=utf-8";
    }

    public static Map<String, Object> defaultBody(Alert a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alertId", a.id());
        m.put("monitorId", a.monitorId());
        m.put("monitor", a.monitorName());
        m.put("trigger", a.trigger());
        m.put("subject", a.subject());
        m.put("instanceId", a.instanceId());
        m.put("customerId", a.customerId());
        m.put("flow", a.flow());
        m.put("executionId", a.executionId());
        m.put("firedAt", a.firedAt());
        m.put("url", a.url());
        return m;
    }

    // ------------------------------------------------------------------ Slack

    /** Slack's limits: a header's text, a section's text, one field's text. */
    static final int SLACK_HEADER = 150;
    static final int SLACK_TEXT = 3000;
    static final int SLACK_FIELD = 2000;

    /**
     * A Slack message: the channel's template when it has one (a JSON template is the whole payload, a
     * text template becomes its {@code text}, values escaped for Slack's mrkdwn), else Block Kit — a
     * header, the subject, the instance, customer, flow, status, step and execution as fields, the
     * error, and a context line with the monitor and a link — with the subject as the notification text.
     */
    public static byte[] slackBody(Alert alert, AlertChannel channel) {
        Map<String, String> v = alert.variables();
        if (channel.template() != null && !channel.template().isEmpty()) {
            if (looksLikeJson(channel.template())) return render(channel.template(), v).getBytes(StandardCharsets.UTF_8);
            Map<String, String> escaped = new LinkedHashMap<>();
            v.forEach((k, val) -> escaped.put(k, mrkdwn(val)));
            return Json.writeBytes(Map.of("text", render(channel.template(), escaped)));
        }
        List<Object> blocks = new ArrayList<>();
        blocks.add(Map.of("type", "header", "text", Map.of("type", "plain_text",
                "text", cut(label(alert) + " · " + nonNull(alert.monitorName()), SLACK_HEADER))));
        blocks.add(section(cut(mrkdwn(alert.subject()), SLACK_TEXT)));
        List<Object> fields = new ArrayList<>();
        field(fields, "Instance", join(v.get("INSTANCE"), code(v.get("INSTANCE_ID"))));
        field(fields, "Customer", join(v.get("CUSTOMER"), paren(v.get("CUSTOMER_EXTERNAL_ID"))));
        field(fields, "Flow", mrkdwn(v.get("FLOW")));
        field(fields, "Status", mrkdwn(v.get("STATUS")));
        field(fields, "Step", mrkdwn(v.get("STEP")));
        field(fields, "Execution", code(v.get("EXECUTION_ID")));
        if (!fields.isEmpty()) blocks.add(Map.of("type", "section", "fields", fields));
        String error = v.get("ERROR");
        if (error != null && !error.isEmpty()) {
            blocks.add(section(cut("*Error*\n```" + mrkdwn(error).replace("```", "'''") + "```", SLACK_TEXT)));
        }
        String context = "Monitor *" + mrkdwn(nonNull(alert.monitorName())) + "* · " + alert.trigger()
                + (alert.firedAt() == null ? "" : " · " + alert.firedAt());
        if (alert.url() != null && (alert.url().startsWith("https://") || alert.url().startsWith("http://"))) {
            context += " · <" + alert.url().replace("|", "%7C").replace(">", "%3E") + "|Open in Ferry>";
        }
        blocks.add(Map.of("type", "context", "elements", List.of(Map.of("type", "mrkdwn", "text", cut(context, SLACK_TEXT)))));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", cut(nonNull(alert.subject()), SLACK_TEXT));
        m.put("blocks", blocks);
        return Json.writeBytes(m);
    }

    private static Map<String, Object> section(String mrkdwn) {
        return Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", mrkdwn));
    }

    private static void field(List<Object> fields, String name, String value) {
        if (value == null || value.isBlank()) return;
        fields.add(Map.of("type", "mrkdwn", "text", cut("*" + name + "*\n" + value, SLACK_FIELD)));
    }

    /** Slack's mrkdwn control characters: '&', '<' and '>' are escaped, so no text can make a link or a mention. */
    static String mrkdwn(String text) {
        if (text == null) return "";
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String code(String id) {
        return id == null || id.isEmpty() ? "" : "`" + mrkdwn(id).replace("`", "'") + "`";
    }

    private static String paren(String s) {
        return s == null || s.isEmpty() ? "" : "(" + mrkdwn(s) + ")";
    }

    private static String join(String first, String second) {
        String a = first == null || first.isEmpty() ? "" : mrkdwn(first);
        if (second == null || second.isEmpty()) return a;
        return a.isEmpty() ? second : a + " " + second;
    }

    // ------------------------------------------------------------------ email

    /** The longest subject line sent; the alert's subject is cut to fit. */
    static final int EMAIL_SUBJECT = 200;

    /** {@code [Ferry] <the alert's subject>} on one line. */
    public static String emailSubject(Alert alert) {
        return cut("[Ferry] " + nonNull(alert.subject()).replaceAll("[\\r\\n\\t]+", " "), EMAIL_SUBJECT);
    }

    /**
     * The email's text: the channel's template with its $VARIABLES filled in, else the subject, one
     * line per detail that is known (monitor, instance, customer, flow, execution, status, step,
     * error, time) and the link.
     */
    public static String emailText(Alert alert, AlertChannel channel) {
        Map<String, String> v = alert.variables();
        if (channel.template() != null && !channel.template().isEmpty()) return render(channel.template(), v);
        StringBuilder t = new StringBuilder();
        t.append(nonNull(alert.subject())).append("\n\n");
        line(t, "Monitor", nonNull(alert.monitorName()) + " (" + alert.trigger() + ")");
        line(t, "Instance", join2(v.get("INSTANCE"), v.get("INSTANCE_ID")));
        line(t, "Customer", join2(v.get("CUSTOMER"), v.get("CUSTOMER_EXTERNAL_ID")));
        line(t, "Flow", v.get("FLOW"));
        line(t, "Execution", v.get("EXECUTION_ID"));
        line(t, "Status", v.get("STATUS"));
        line(t, "Step", v.get("STEP"));
        line(t, "Error", v.get("ERROR"));
        line(t, "Fired at", alert.firedAt() == null ? null : alert.firedAt().toString());
        if (alert.url() != null && !alert.url().isEmpty()) t.append("\nOpen: ").append(alert.url()).append('\n');
        t.append("\n-- \nSent by Ferry for monitor ").append(alert.monitorId()).append(", alert ").append(alert.id())
                .append('\n');
        return t.toString();
    }

    private static void line(StringBuilder t, String name, String value) {
        if (value == null || value.isBlank()) return;
        t.append(String.format("%-11s", name + ":")).append(value).append('\n');
    }

    private static String join2(String name, String id) {
        boolean hasName = name != null && !name.isEmpty();
        boolean hasId = id != null && !id.isEmpty();
        if (hasName && hasId) return name + " (" + id + ")";
        return hasName ? name : hasId ? id : null;
    }

    /** "Execution failed retry pending" for EXECUTION_FAILED_RETRY_PENDING. */
    static String label(Alert alert) {
        if (alert.trigger() == null) return "Alert";
        String words = alert.trigger().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    /** At most {@code max} characters, the last of them '…' when cut. */
    static String cut(String s, int max) {
        if (s == null) return "";
        if (s.length() <= max) return s;
        int end = max - 1;
        if (Character.isHighSurrogate(s.charAt(end - 1))) end--;
        return s.substring(0, end) + "…";
    }

    /**
     * Replaces each {@code $NAME} of {@link #VARIABLES} with its value (empty when unknown). In a
     * template that is JSON (starts with '{' or '['), values are JSON-string-escaped so that a
     * quote in an error message cannot break the document.
     */
    public static String render(String template, Map<String, String> values) {
        boolean json = looksLikeJson(template);
        StringBuilder out = new StringBuilder(template.length() + 64);
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '$') {
                String name = variableAt(template, i + 1);
                if (name != null) {
                    String v = values.getOrDefault(name, "");
                    if (v == null) v = "";
                    out.append(json ? new String(JsonStringEncoder.getInstance().quoteAsString(v)) : v);
                    i += 1 + name.length();
                    continue;
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    private static String variableAt(String s, int at) {
        for (String name : BY_LENGTH) {
            if (s.startsWith(name, at)) return name;
        }
        return null;
    }

    private static boolean looksLikeJson(String template) {
        String t = template.stripLeading();
        return t.startsWith("{") || t.startsWith("[");
    }

    /** {@code sha256=<hex HMAC-SHA256 of body with secret>}. */
    public static String signature(String secret, byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(hmacSha256(secret.getBytes(StandardCharsets.UTF_8), body));
    }

    /**
     * The Standard Webhooks signature: {@code v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">}, keyed
     * with the bytes the secret's base64 (after {@code whsec_}) encodes. Any Standard Webhooks library
     * verifies it with the same secret.
     */
    public static String standardSignature(String secret, String id, long timestamp, byte[] body) {
        byte[] key = standardSecretKey(secret);
        byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, content, 0, prefix.length);
        System.arraycopy(body, 0, content, prefix.length, body.length);
        return "v1," + Base64.getEncoder().encodeToString(hmacSha256(key, content));
    }

    /**
     * The key of a {@code whsec_<base64>} secret; an {@link IllegalArgumentException} when it is not
     * one (the API checks secrets when a monitor is created, so a delivery never meets a bad one).
     */
    public static byte[] standardSecretKey(String secret) {
        if (secret == null || !secret.startsWith(STANDARD_SECRET_PREFIX)) {
            throw new IllegalArgumentException("a Standard Webhooks secret starts with " + STANDARD_SECRET_PREFIX);
        }
        return Base64.getDecoder().decode(secret.substring(STANDARD_SECRET_PREFIX.length()));
    }

    private static byte[] hmacSha256(byte[] key, byte[] content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}

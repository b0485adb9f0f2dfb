package dev.ferry.core.service;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.Alert;
import dev.ferry.core.model.AlertChannel;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What an alert's webhook sends: the default JSON body (docs/api.md, "What an alert webhook receives") or the channel's template
 * with its $VARIABLES filled in, and the signature header.
 */
public final class AlertMessages {
    /** Every $VARIABLE a template may use, in the order docs/api.md lists them. */
    public static final List<String> VARIABLES = List.of("SUBJECT", "NAME", "INSTANCE", "INSTANCE_ID",
            "EXECUTION_ID", "CUSTOMER", "CUSTOMER_EXTERNAL_ID", "FLOW", "TRIGGER", "STEP", "URL");
    /** Longest first, so $INSTANCE_ID is not read as $INSTANCE followed by "_ID". */
    private static final List<String> BY_LENGTH = VARIABLES.stream()
            .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    public static final String SIGNATURE_HEADER = "x-ferry-signature";

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
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}

package dev.ferry.core.service;

import dev.ferry.core.error.SecretUnreadableException;
import dev.ferry.core.log.Log;
import dev.ferry.core.model.AlertChannel;
import dev.ferry.core.model.AlertDelivery;
import dev.ferry.core.model.Monitor;
import dev.ferry.core.model.SecretOwner;
import dev.ferry.core.port.SecretCipher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Alert channels' credentials at rest (docs/security.md, "Secrets at rest"). A webhook's or a Slack
 * channel's URL, a webhook's header values, its {@code secret} and {@code standardWebhooksSecret}
 * are sealed when a monitor is written, with one data key for the write bound to the monitor, each
 * value bound to its place ({@code channels[0].url}, {@code channels[0].headers.Authorization},
 * {@code channels[0].secret}…). They are opened only where they are needed: to deliver an alert, and
 * to show the monitor's owner where its alerts go. An email channel's addresses, a template and the
 * header names stay plain.
 *
 * <p>A value stored plain before channels were sealed is read as it is and sealed by the monitor's
 * next write (any {@code PATCH}, even one that only mutes it); a write seals what it sets and what is
 * still plain, and keeps the sealed values it does not set.
 */
public final class ChannelSecrets {
    /** How the owner's view shows a value that can never be opened (altered, or copied from another monitor). */
    public static final String UNREADABLE = "********";

    private final SecretCipher cipher;

    public ChannelSecrets(SecretCipher cipher) {
        this.cipher = cipher;
    }

    /**
     * The monitor as it is to be stored: each channel value sealed if {@code channelsGiven} (this write
     * sets the channels, whatever their values look like) or if it is not sealed yet. One call to the
     * cipher (one data key) for all of them, none when nothing needs sealing.
     */
    public Monitor sealForStore(Monitor monitor, boolean channelsGiven) {
        Map<String, String> plain = new TreeMap<>();
        for (int i = 0; i < monitor.channels().size(); i++) {
            values(i, monitor.channels().get(i)).forEach((name, value) -> {
                if (channelsGiven || !SecretCipher.isSealed(value)) plain.put(name, value);
            });
        }
        if (plain.isEmpty()) return monitor;
        Map<String, String> sealed = cipher.seal(SecretOwner.monitor(monitor.id()), plain);
        return withChannels(monitor, i -> replaced(i, monitor.channels().get(i), sealed));
    }

    /**
     * Channel {@code index} with its values opened, to deliver to it. A value that can never be opened
     * throws {@link SecretUnreadableException} (naming it, never its content); a key service that
     * cannot answer, {@link dev.ferry.core.error.StoreException}.
     */
    public AlertChannel open(Monitor monitor, int index) {
        AlertChannel c = monitor.channels().get(index);
        Map<String, String> plain = new LinkedHashMap<>();
        values(index, c).forEach((name, value) -> plain.put(name, open(monitor.id(), name, value)));
        return replaced(index, c, plain);
    }

    /**
     * The monitor with its channels' values opened, for the view of a caller who sees its destinations
     * (an admin key, the customer whose key created it): a value that can never be opened is shown as
     * {@link #UNREADABLE}; a key service that cannot answer throws. Opens nothing when nothing is sealed.
     */
    public Monitor openForOwner(Monitor monitor) {
        boolean anySealed = false;
        for (int i = 0; i < monitor.channels().size() && !anySealed; i++) {
            anySealed = values(i, monitor.channels().get(i)).values().stream().anyMatch(SecretCipher::isSealed);
        }
        if (!anySealed) return monitor;
        return withChannels(monitor, i -> {
            Map<String, String> plain = new LinkedHashMap<>();
            values(i, monitor.channels().get(i)).forEach((name, value) -> plain.put(name, shown(monitor.id(), name, value)));
            return replaced(i, monitor.channels().get(i), plain);
        });
    }

    /**
     * A delivery as the owner of its monitor sees it: a webhook's URL, recorded sealed, opened (or shown
     * as {@link #UNREADABLE}).
     */
    public AlertDelivery openForOwner(String monitorId, AlertDelivery d) {
        if (!SecretCipher.isSealed(d.url())) return d;
        return new AlertDelivery(d.channel(), shown(monitorId, name(d.channel()) + "url", d.url()), d.attempt(), d.at(),
                d.status(), d.error(), d.delivered(), d.nextAttemptAt());
    }

    /**
     * What a delivery to a channel records as its destination: a webhook's URL as the monitor stores
     * it (sealed, so the alert holds no more than the monitor does), a Slack URL with its secret last
     * segment masked, an email's {@code mailto:} addresses. {@code opened} is null when the channel's
     * values could not be opened.
     */
    static String recordedTarget(AlertChannel stored, AlertChannel opened) {
        return switch (stored.type()) {
            case AlertChannel.EMAIL -> stored.target();
            case AlertChannel.SLACK -> opened == null ? UNREADABLE : opened.target();
            default -> stored.url();
        };
    }

    private String open(String monitorId, String name, String value) {
        if (!SecretCipher.isSealed(value)) return value;
        return cipher.open(SecretOwner.monitor(monitorId), name, value);
    }

    private String shown(String monitorId, String name, String value) {
        try {
            return open(monitorId, name, value);
        } catch (SecretUnreadableException e) {
            Log.warn("alert channel value cannot be opened", "monitorId", monitorId, "reason", e.getMessage());
            return UNREADABLE;
        }
    }

    private static String name(int index) {
        return "channels[" + index + "].";
    }

    /** A channel's sealable values by name (null and empty ones left out). */
    private static Map<String, String> values(int index, AlertChannel c) {
        Map<String, String> out = new LinkedHashMap<>();
        String p = name(index);
        put(out, p + "url", c.url());
        c.headers().forEach((k, v) -> put(out, p + "headers." + k, v));
        put(out, p + "secret", c.secret());
        put(out, p + "standardWebhooksSecret", c.standardWebhooksSecret());
        return out;
    }

    private static void put(Map<String, String> out, String name, String value) {
        if (value != null && !value.isEmpty()) out.put(name, value);
    }

    /** The channel with each value named in {@code by} replaced by its entry there. */
    private static AlertChannel replaced(int index, AlertChannel c, Map<String, String> by) {
        String p = name(index);
        Map<String, String> headers = new LinkedHashMap<>();
        c.headers().forEach((k, v) -> headers.put(k, by.getOrDefault(p + "headers." + k, v)));
        return new AlertChannel(c.type(), by.getOrDefault(p + "url", c.url()), headers, c.template(),
                by.getOrDefault(p + "secret", c.secret()),
                by.getOrDefault(p + "standardWebhooksSecret", c.standardWebhooksSecret()), c.to());
    }

    private static Monitor withChannels(Monitor m, java.util.function.IntFunction<AlertChannel> channel) {
        List<AlertChannel> channels = new ArrayList<>();
        for (int i = 0; i < m.channels().size(); i++) channels.add(channel.apply(i));
        return new Monitor(m.id(), m.name(), m.scope(), m.triggers(), channels, m.createdAt(), m.creatorCustomerId(),
                m.mutedUntil(), m.updatedAt());
    }
}

package dev.ferry.core.net;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** An address range such as {@code 10.0.0.0/8} or {@code fd12:3456::/32}. */
public final class Cidr {
    private final byte[] network;
    private final int prefix;
    private final String text;

    private Cidr(byte[] network, int prefix, String text) {
        this.network = network;
        this.prefix = prefix;
        this.text = text;
    }

    /** Parses {@code address/prefix} (an address alone is a /32 or /128); a bad range is an IllegalArgumentException. */
    public static Cidr parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        String address = slash < 0 ? t : t.substring(0, slash);
        InetAddress a = Addresses.literal(address)
                .orElseThrow(() -> new IllegalArgumentException("not an address range: " + text));
        byte[] bytes = a.getAddress();
        int prefix;
        try {
            prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(t.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an address range: " + text);
        }
        if (prefix < 0 || prefix > bytes.length * 8) throw new IllegalArgumentException("not an address range: " + text);
        return new Cidr(bytes, prefix, t);
    }

    /** A comma- or space-separated list; empty for a blank one. */
    public static List<Cidr> parseList(String text) {
        List<Cidr> out = new ArrayList<>();
        if (text == null) return out;
        for (String part : text.split("[,\\s]+")) {
            if (!part.isBlank()) out.add(parse(part));
        }
        return out;
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) return false;
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) if (a[i] != network[i]) return false;
        int rest = prefix % 8;
        if (rest == 0) return true;
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[whole] & mask) == (network[whole] & mask);
    }

    @Override
    public String toString() {
        return text;
    }
}

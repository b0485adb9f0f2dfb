package dev.ferry.core.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Address literals as a URL host spells them, and what kind of address each is. IPv4 hosts are
 * read as browsers and {@code inet_aton} read them (the WHATWG URL host parser): one to four parts,
 * each decimal, octal ({@code 0177}) or hex ({@code 0x7f}), so {@code 2130706433}, {@code 0x7f.1}
 * and {@code 017700000001} are all 127.0.0.1; a host whose last label is a number but which is no
 * such address is invalid. IPv6 literals are read without a lookup.
 */
public final class Addresses {
    private Addresses() {}

    /** What an address is, when it is not a public unicast one. */
    public enum Kind {
        LOOPBACK("a loopback address"),
        UNSPECIFIED("an unspecified address (this host)"),
        LINK_LOCAL("a link-local address"),
        CLOUD_METADATA("an address of the cloud instance's own services (metadata, DNS, time)"),
        PRIVATE("a private address"),
        UNIQUE_LOCAL("a unique local IPv6 address (fc00::/7)"),
        SHARED("a shared (carrier-grade NAT) address (100.64.0.0/10)"),
        MULTICAST("a multicast or broadcast address"),
        RESERVED("a reserved address (not routed on the internet)");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }

        /** Whether a deployer may allow addresses of this kind by listing their range. */
        public boolean listable() {
            return this == PRIVATE || this == UNIQUE_LOCAL || this == SHARED || this == RESERVED;
        }
    }

    /**
     * The address a URL host spells, without any lookup: an IPv4 literal in any of its forms, an
     * IPv6 literal (with or without brackets), {@code localhost} and names under {@code .localhost}
     * (always loopback, RFC 6761). Empty for a host name to resolve; a host that looks numeric but
     * is not an address is an {@link IllegalArgumentException}.
     */
    public static Optional<InetAddress> literal(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".") && h.length() > 1) h = h.substring(0, h.length() - 1);
        if (h.startsWith("[") || h.contains(":")) return Optional.of(ipv6(h));
        if (h.equals("localhost") || h.endsWith(".localhost")) return Optional.of(bytes(host, new byte[] {127, 0, 0, 1}));
        String[] parts = h.split("\\.", -1);
        if (!isNumber(parts[parts.length - 1])) return Optional.empty();
        if (parts.length > 4) throw notAnAddress(host);
        long[] numbers = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            numbers[i] = number(parts[i], host);
            if (i < parts.length - 1 && numbers[i] > 255) throw notAnAddress(host);
        }
        long last = numbers[parts.length - 1];
        if (last >= 1L << (8 * (5 - parts.length))) throw notAnAddress(host);
        long value = last;
        for (int i = 0; i < parts.length - 1; i++) value += numbers[i] << (8 * (3 - i));
        return Optional.of(bytes(host, new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value}));
    }

    private static InetAddress ipv6(String h) {
        String inner = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        if (!inner.matches("[0-9a-f:.%a-z]+") || !inner.contains(":")) throw notAnAddress(h);
        try {
            // Parsed as a literal (it has a colon): InetAddress never looks such a string up.
            return InetAddress.getByName("[" + inner + "]");
        } catch (UnknownHostException e) {
            throw notAnAddress(h);
        }
    }

    private static boolean isNumber(String part) {
        if (part.isEmpty()) return false;
        if (part.matches("[0-9]+")) return true;
        return part.matches("0x[0-9a-f]*");
    }

    private static long number(String part, String host) {
        if (part.isEmpty()) throw notAnAddress(host);
        try {
            if (part.startsWith("0x")) return part.length() == 2 ? 0 : Long.parseLong(part.substring(2), 16);
            if (part.length() > 1 && part.startsWith("0")) return Long.parseLong(part.substring(1), 8);
            return Long.parseLong(part);
        } catch (NumberFormatException e) {
            throw notAnAddress(host);
        }
    }

    private static IllegalArgumentException notAnAddress(String host) {
        return new RefusedDestinationException(host + " looks like a numeric address but is not a valid one");
    }

    private static InetAddress bytes(String host, byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw notAnAddress(host);
        }
    }

    /**
     * The IPv4 address an IPv6 address carries, for the forms that reach it: IPv4-mapped
     * (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002::/16).
     */
    public static Optional<InetAddress> embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) return Optional.empty();
        byte[] b = address.getAddress();
        boolean zeros80 = true;
        for (int i = 0; i < 10; i++) zeros80 &= b[i] == 0;
        boolean mapped = zeros80 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = zeros80 && b[10] == 0 && b[11] == 0 && !isZeroOrOne(b);
        boolean nat64 = (b[0] & 0xff) == 0 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                && allZero(b, 4, 12);
        if (mapped || compatible || nat64) return Optional.of(bytes(address.getHostAddress(), new byte[] {b[12], b[13], b[14], b[15]}));
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            return Optional.of(bytes(address.getHostAddress(), new byte[] {b[2], b[3], b[4], b[5]}));
        }
        return Optional.empty();
    }

    private static boolean isZeroOrOne(byte[] b) {
        return allZero(b, 0, 15) && (b[15] == 0 || b[15] == 1);
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] != 0) return false;
        return true;
    }

    /** The kind of a non-public address; empty for a public unicast one. An embedded IPv4 address is judged itself. */
    public static Optional<Kind> kind(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) return ipv4Kind(b);
        Optional<InetAddress> v4 = embeddedIpv4(address);
        if (v4.isPresent()) {
            Optional<Kind> inner = ipv4Kind(v4.get().getAddress());
            boolean compatible = allZero(b, 0, 12);
            boolean mapped = allZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
            // The deprecated IPv4-compatible form has no public use: refuse it whatever it carries.
            if (inner.isEmpty() && compatible && !mapped) return Optional.of(Kind.RESERVED);
            return inner;
        }
        int b0 = b[0] & 0xff, b1 = b[1] & 0xff;
        if (allZero(b, 0, 16)) return Optional.of(Kind.UNSPECIFIED);
        if (allZero(b, 0, 15) && b[15] == 1) return Optional.of(Kind.LOOPBACK);
        if (b0 == 0xfd && b1 == 0x00 && (b[2] & 0xff) == 0x0e && (b[3] & 0xff) == 0xc2) return Optional.of(Kind.CLOUD_METADATA);
        if ((b0 & 0xfe) == 0xfc) return Optional.of(Kind.UNIQUE_LOCAL);
        if (b0 == 0xfe && (b1 & 0xc0) == 0x80) return Optional.of(Kind.LINK_LOCAL);
        if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) return Optional.of(Kind.PRIVATE); // site-local, deprecated
        if (b0 == 0xff) return Optional.of(Kind.MULTICAST);
        if (b0 == 0x20 && b1 == 0x01 && b[2] == 0 && b[3] == 0) return Optional.of(Kind.RESERVED); // Teredo
        if (b0 == 0x20 && b1 == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) return Optional.of(Kind.RESERVED); // documentation
        if (b0 == 0x01 && b1 == 0x00 && allZero(b, 2, 8)) return Optional.of(Kind.RESERVED); // discard-only
        if (b0 == 0x00 && b1 == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) return Optional.of(Kind.RESERVED); // local-use NAT64
        if ((b0 & 0xe0) != 0x20) return Optional.of(Kind.RESERVED); // outside 2000::/3, the global unicast space
        return Optional.empty();
    }

    private static Optional<Kind> ipv4Kind(byte[] b) {
        int a = b[0] & 0xff, c = b[1] & 0xff, d = b[2] & 0xff, e = b[3] & 0xff;
        if (a == 0) return Optional.of(Kind.UNSPECIFIED);
        if (a == 127) return Optional.of(Kind.LOOPBACK);
        if (a == 169 && c == 254) {
            boolean services = d == 169 && (e == 254 || e == 253 || e == 123) || d == 170 && (e == 2 || e == 23);
            return Optional.of(services ? Kind.CLOUD_METADATA : Kind.LINK_LOCAL);
        }
        if (a == 10 || a == 172 && (c & 0xf0) == 16 || a == 192 && c == 168) return Optional.of(Kind.PRIVATE);
        if (a == 100 && (c & 0xc0) == 64) return Optional.of(Kind.SHARED);
        if (a >= 224 && a < 240) return Optional.of(Kind.MULTICAST);
        if (a >= 240) return Optional.of(a == 255 && c == 255 && d == 255 && e == 255 ? Kind.MULTICAST : Kind.RESERVED);
        if (a == 192 && c == 0 && (d == 0 || d == 2)) return Optional.of(Kind.RESERVED);
        if (a == 192 && c == 88 && d == 99) return Optional.of(Kind.RESERVED);
        if (a == 198 && (c & 0xfe) == 18) return Optional.of(Kind.RESERVED);
        if (a == 198 && c == 51 && d == 100 || a == 203 && c == 0 && d == 113) return Optional.of(Kind.RESERVED);
        return Optional.empty();
    }
}

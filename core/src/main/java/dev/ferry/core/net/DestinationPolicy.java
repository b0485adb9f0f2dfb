package dev.ferry.core.net;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which addresses an outbound request may reach. Public unicast addresses always; loopback only
 * where the policy allows it (the local stack, so a flow can call a mock on the developer's
 * machine) and then never on the ports it denies (the stack's own emulator, HTTP API and Lambda
 * API); private, unique local, shared (CGNAT) and reserved ranges only when the deployer lists
 * them; link-local, the cloud instance's own services, unspecified and multicast addresses never.
 * IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4) are judged by that
 * address. A host is allowed only if every address it resolves to is.
 */
public final class DestinationPolicy {
    /** Comma-separated CIDRs the deployer allows besides public addresses (template parameter OutboundAllowedCidrs). */
    public static final String ALLOWED_CIDRS_ENV = "FERRY_OUTBOUND_ALLOWED_CIDRS";
    /** {@code allow}: loopback addresses may be reached (the local stack). */
    public static final String LOOPBACK_ENV = "FERRY_OUTBOUND_LOOPBACK";
    /** Ports never reached on an allowed non-public address, with what they are: {@code 4566=the AWS emulator,3000=…}. */
    public static final String DENIED_PORTS_ENV = "FERRY_OUTBOUND_DENIED_PORTS";

    private final List<Cidr> allowed;
    private final boolean loopback;
    private final Map<Integer, String> deniedPorts;

    private DestinationPolicy(List<Cidr> allowed, boolean loopback, Map<Integer, String> deniedPorts) {
        this.allowed = List.copyOf(allowed);
        this.loopback = loopback;
        this.deniedPorts = Collections.unmodifiableMap(new LinkedHashMap<>(deniedPorts));
    }

    /** Public addresses only: what a deployment on AWS gets when it lists nothing. */
    public static DestinationPolicy publicOnly() {
        return new DestinationPolicy(List.of(), false, Map.of());
    }

    /** This policy with these ranges allowed too (private, unique local, shared or reserved ones; others stay refused). */
    public DestinationPolicy allowing(List<Cidr> ranges) {
        List<Cidr> all = new ArrayList<>(allowed);
        all.addAll(ranges);
        return new DestinationPolicy(all, loopback, deniedPorts);
    }

    /** This policy with loopback allowed, except on {@code denied} ports (port → what listens there). */
    public DestinationPolicy withLoopback(Map<Integer, String> denied) {
        Map<Integer, String> ports = new LinkedHashMap<>(deniedPorts);
        ports.putAll(denied);
        return new DestinationPolicy(allowed, true, ports);
    }

    /** From a function's environment ({@link #ALLOWED_CIDRS_ENV}, {@link #LOOPBACK_ENV}, {@link #DENIED_PORTS_ENV}). */
    public static DestinationPolicy fromEnv(Map<String, String> env) {
        DestinationPolicy p = publicOnly().allowing(Cidr.parseList(env.get(ALLOWED_CIDRS_ENV)));
        if ("allow".equalsIgnoreCase(String.valueOf(env.get(LOOPBACK_ENV)).trim())) {
            p = p.withLoopback(parsePorts(env.get(DENIED_PORTS_ENV)));
        }
        return p;
    }

    /** {@code 4566=the AWS emulator,3000=the HTTP API} (a port alone is "a port of this stack"). */
    public static Map<Integer, String> parsePorts(String text) {
        Map<Integer, String> out = new LinkedHashMap<>();
        if (text == null) return out;
        for (String part : text.split(",")) {
            if (part.isBlank()) continue;
            int eq = part.indexOf('=');
            String port = (eq < 0 ? part : part.substring(0, eq)).trim();
            try {
                out.put(Integer.parseInt(port), eq < 0 ? "a port of this stack" : part.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(DENIED_PORTS_ENV + ": not a port: " + port);
            }
        }
        return out;
    }

    /** The inverse of {@link #parsePorts}. */
    public static String formatPorts(Map<Integer, String> ports) {
        List<String> parts = new ArrayList<>();
        ports.forEach((port, what) -> parts.add(port + "=" + what.replace(",", " ")));
        return String.join(",", parts);
    }

    /**
     * Resolves the URL's host (once) and answers the destination to dial: its first address, every
     * address having been checked. Refused: a {@link RefusedDestinationException}, nothing sent.
     */
    public Destination check(URI url, Resolver resolver) throws UnknownHostException {
        String host = host(url);
        int port = port(url);
        Optional<InetAddress> literal = Addresses.literal(host);
        InetAddress[] addresses = literal.isPresent() ? new InetAddress[] {literal.get()} : resolver.resolve(host);
        if (addresses == null || addresses.length == 0) throw new UnknownHostException(host + ": no address");
        for (InetAddress a : addresses) {
            String why = refusal(a, port);
            if (why != null) {
                String what = literal.isPresent() ? display(a) : host + " resolves to " + display(a) + ", which";
                throw new RefusedDestinationException(what + " " + why);
            }
        }
        return new Destination(host, port, addresses[0]);
    }

    /**
     * What can be known without a lookup: a URL whose host is an address literal (or localhost)
     * that {@link #check} would refuse is refused now. Host names are checked when they are called.
     */
    public void checkWithoutLookup(URI url) {
        String host = host(url);
        Optional<InetAddress> literal = Addresses.literal(host);
        if (literal.isEmpty()) return;
        String why = refusal(literal.get(), port(url));
        if (why != null) throw new RefusedDestinationException(display(literal.get()) + " " + why);
    }

    /** Why the address may not be reached on this port, or null when it may. */
    String refusal(InetAddress address, int port) {
        Optional<Addresses.Kind> kind = Addresses.kind(address);
        if (kind.isEmpty()) return null;
        Addresses.Kind k = kind.get();
        boolean allowedHere = k == Addresses.Kind.LOOPBACK ? loopback : k.listable() && listed(address);
        if (!allowedHere) return "is " + k.description() + advice(k);
        String own = deniedPorts.get(port);
        return own == null ? null : "is " + k.description() + " and port " + port + " is " + own
                + ", never a destination";
    }

    private String advice(Addresses.Kind k) {
        if (k == Addresses.Kind.LOOPBACK) return ", never a destination in this deployment";
        if (k.listable()) return "; the deployment allows such a range only when it lists it (OutboundAllowedCidrs)";
        return ", never a destination";
    }

    private boolean listed(InetAddress address) {
        Optional<InetAddress> inner = Addresses.embeddedIpv4(address);
        for (Cidr c : allowed) {
            if (c.contains(address) || inner.isPresent() && c.contains(inner.get())) return true;
        }
        return false;
    }

    private static String display(InetAddress a) {
        String text = a.getHostAddress();
        Optional<InetAddress> inner = Addresses.embeddedIpv4(a);
        return inner.map(i -> text + " (" + i.getHostAddress() + ")").orElse(text);
    }

    private static String host(URI url) {
        String host = url.getHost();
        if (host == null || host.isEmpty()) throw new RefusedDestinationException(url + " has no host");
        return host.toLowerCase(Locale.ROOT);
    }

    static int port(URI url) {
        if (url.getPort() >= 0) return url.getPort();
        return "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }

    public boolean allowsLoopback() {
        return loopback;
    }

    @Override
    public String toString() {
        return "DestinationPolicy[public" + (loopback ? ", loopback except " + deniedPorts.keySet() : "")
                + (allowed.isEmpty() ? "" : ", " + allowed) + "]";
    }
}

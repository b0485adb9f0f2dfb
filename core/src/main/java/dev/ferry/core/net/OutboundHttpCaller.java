package dev.ferry.core.net;

import dev.ferry.core.model.HttpCallRequest;
import dev.ferry.core.model.HttpCallResult;
import dev.ferry.core.port.HttpCaller;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@link HttpCaller} Ferry sends every outbound request through (the {@code http} step, webhook
 * and Slack alert channels). For each hop it resolves the host once, checks every address against
 * the {@link DestinationPolicy} and has the {@link Transport} dial the address it checked, so a
 * second DNS answer cannot move the request elsewhere. It follows up to {@value #MAX_REDIRECTS}
 * redirects itself, checking each hop again; https → http is not followed (the 3xx is the answer);
 * on a hop to another origin it drops the credentials ({@code Authorization}, cookies, and any
 * header whose name says key, token, secret, signature, session, password or auth). 301/302 turn a
 * POST into a GET and 303 anything but HEAD into a GET, without the body, as browsers do. The
 * request's timeout (default {@value #DEFAULT_TIMEOUT_SECONDS} s) is the deadline of the whole
 * call: every hop, connect and body included.
 */
public final class OutboundHttpCaller implements HttpCaller {
    public static final int MAX_REDIRECTS = 5;
    public static final int DEFAULT_TIMEOUT_SECONDS = 30;
    /** Set by the transport and by {@link java.net.http.HttpClient}: never taken from the request. */
    static final Set<String> RESTRICTED = Set.of(
            "host", "content-length", "connection", "expect", "upgrade", "keep-alive", "transfer-encoding", "te", "trailer");
    private static final Set<String> CREDENTIAL_WORDS = Set.of(
            "auth", "cookie", "key", "token", "secret", "signature", "session", "password", "credential");

    private final DestinationPolicy policy;
    private final Resolver resolver;
    private final Transport transport;
    private final Clock clock;

    public OutboundHttpCaller(DestinationPolicy policy, Resolver resolver, Transport transport, Clock clock) {
        this.policy = policy;
        this.resolver = resolver;
        this.transport = transport;
        this.clock = clock;
    }

    /** The production caller: the system resolver and an {@link ApacheTransport}. */
    public static OutboundHttpCaller create(DestinationPolicy policy) {
        return new OutboundHttpCaller(policy, Resolver.SYSTEM, new ApacheTransport(), Clock.systemUTC());
    }

    public DestinationPolicy policy() {
        return policy;
    }

    @Override
    public void checkDestination(String url) {
        policy.checkWithoutLookup(uri(url));
    }

    @Override
    public HttpCallResult call(HttpCallRequest request) throws IOException {
        Duration timeout = request.timeout() == null ? Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS) : request.timeout();
        Instant deadline = clock.instant().plus(timeout);
        URI url = uri(request.url());
        String method = request.method();
        byte[] body = request.body();
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers().forEach((name, value) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) headers.put(name, value);
        });
        for (int redirects = 0; ; redirects++) {
            Destination to = policy.check(url, resolver);
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) throw new HttpTimeoutException("timed out after " + timeout.toMillis() + " ms");
            HttpCallResult result = transport.exchange(new Transport.Hop(method, url, to.address(), headers, body), left);
            URI next = redirect(url, result);
            if (next == null) return result;
            if (redirects == MAX_REDIRECTS) {
                throw new IOException("more than " + MAX_REDIRECTS + " redirects (the last to " + next + ")");
            }
            if (!sameOrigin(url, next)) headers.keySet().removeIf(OutboundHttpCaller::credential);
            int status = result.status();
            boolean toGet = status == 303 && !method.equals("HEAD") || (status == 301 || status == 302) && method.equals("POST");
            if (toGet) {
                method = "GET";
                body = null;
                headers.keySet().removeIf(h -> h.equalsIgnoreCase("content-type"));
            }
            url = next;
        }
    }

    /** Where a 3xx answer sends the request next, or null when it is the answer. */
    private static URI redirect(URI from, HttpCallResult result) {
        int status = result.status();
        if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) return null;
        String location = result.header("location").orElse(null);
        if (location == null || location.isBlank()) return null;
        URI next;
        try {
            next = from.resolve(URI.create(location.trim()));
        } catch (IllegalArgumentException e) {
            return null;
        }
        String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) return null;
        if (from.getScheme().equalsIgnoreCase("https") && scheme.equals("http")) return null;
        return next;
    }

    static boolean credential(String header) {
        String h = header.toLowerCase(Locale.ROOT);
        for (String word : CREDENTIAL_WORDS) if (h.contains(word)) return true;
        return false;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && DestinationPolicy.port(a) == DestinationPolicy.port(b);
    }

    private static URI uri(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid URL: " + url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("not an absolute http(s) URL: " + url);
        }
        return uri;
    }
}

package dev.ferry.core.net;

import dev.ferry.core.model.HttpCallResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Sends one request to one checked address and reads the whole answer, redirects not followed:
 * the part of {@link OutboundHttpCaller} that touches the network, so tests can record what would
 * be dialled instead.
 */
public interface Transport {
    /**
     * One exchange. {@code address} is the address to dial; the URL's host stays the name sent as
     * {@code Host} and in TLS (SNI, certificate check). The exchange, body included, ends within
     * {@code timeout}: past it, a {@link java.net.http.HttpTimeoutException}.
     */
    HttpCallResult exchange(Hop hop, Duration timeout) throws IOException;

    /** One request as sent: method, URL, the address to dial, headers and body (null for none). */
    record Hop(String method, URI url, InetAddress address, Map<String, String> headers, byte[] body) {
        public Hop {
            headers = Map.copyOf(headers);
        }

        @Override
        public String toString() {
            return "Hop[" + method + " " + url + " via " + address.getHostAddress() + "]";
        }
    }
}

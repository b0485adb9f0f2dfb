package dev.ferry.core.net;

import dev.ferry.core.model.HttpCallResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * {@link Transport} on Apache HttpClient 5 (classic), HTTP/1.1: it dials the hop's checked address
 * (the target {@link HttpHost} carries it, so the client's resolver is never asked: the one it has
 * refuses every lookup), while the URL's host name stays the {@code Host} header, the TLS server
 * name and the name the certificate is checked against. No redirects, retries, cookies or proxy.
 * The exchange runs on a virtual thread and the caller waits at most the timeout: past it the
 * request is aborted (its connection closed), so a server that sends its body slowly cannot hold
 * the caller. Bodies are capped at {@value #MAX_RESPONSE_BYTES} bytes.
 */
public final class ApacheTransport implements Transport, AutoCloseable {
    public static final int MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final DnsResolver NO_LOOKUPS = new DnsResolver() {
        @Override
        public java.net.InetAddress[] resolve(String host) throws UnknownHostException {
            throw new UnknownHostException(host + ": the transport dials checked addresses only");
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            throw new UnknownHostException(host + ": the transport dials checked addresses only");
        }
    };

    private final CloseableHttpClient client;
    private final ExecutorService exchanges = Executors.newVirtualThreadPerTaskExecutor();

    public ApacheTransport() {
        PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(NO_LOOKUPS)
                .setMaxConnTotal(64)
                .setMaxConnPerRoute(16)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(CONNECT_TIMEOUT))
                        .setTimeToLive(TimeValue.ofMinutes(1))
                        .build())
                .build();
        this.client = HttpClients.custom()
                .setConnectionManager(connections)
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .setUserAgent("Ferry")
                .build();
    }

    @Override
    public HttpCallResult exchange(Hop hop, Duration timeout) throws IOException {
        HttpUriRequestBase request = new HttpUriRequestBase(hop.method(), hop.url());
        hop.headers().forEach(request::addHeader);
        if (hop.body() != null) request.setEntity(new ByteArrayEntity(hop.body(), null));
        request.setConfig(RequestConfig.custom()
                .setResponseTimeout(Timeout.of(timeout))
                .setConnectionRequestTimeout(Timeout.of(timeout))
                .build());
        String host = hop.url().getHost();
        if (host.startsWith("[")) host = host.substring(1, host.length() - 1);
        HttpHost target = new HttpHost(hop.url().getScheme().toLowerCase(java.util.Locale.ROOT), hop.address(), host,
                DestinationPolicy.port(hop.url()));
        Future<HttpCallResult> exchange = exchanges.submit(() -> client.execute(target, request, response -> read(request, response)));
        try {
            return exchange.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            request.cancel();
            exchange.cancel(true);
            throw new HttpTimeoutException("no complete answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            request.cancel();
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SocketTimeoutException t) {
                HttpTimeoutException timedOut = new HttpTimeoutException("no answer within " + timeout.toMillis() + " ms");
                timedOut.initCause(t);
                throw timedOut;
            }
            if (cause instanceof UncheckedIOException u) throw u.getCause();
            if (cause instanceof IOException io) throw io;
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new IOException(cause);
        }
    }

    private static HttpCallResult read(HttpUriRequestBase request, ClassicHttpResponse response) throws IOException {
        byte[] body = new byte[0];
        HttpEntity entity = response.getEntity();
        if (entity != null) {
            InputStream in = entity.getContent();
            body = in.readNBytes(MAX_RESPONSE_BYTES + 1);
            if (body.length > MAX_RESPONSE_BYTES) {
                request.cancel(); // drop the connection: closing the stream would read the rest
                throw new IOException("response body is larger than " + MAX_RESPONSE_BYTES + " bytes");
            }
            in.close();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : response.getHeaders()) headers.merge(h.getName(), h.getValue(), (a, b) -> a + ", " + b);
        return new HttpCallResult(response.getCode(), headers, body);
    }

    @Override
    public void close() throws IOException {
        exchanges.shutdownNow();
        client.close();
    }
}

package dev.ferry.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.ferry.core.model.HttpCallRequest;
import dev.ferry.core.model.HttpCallResult;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real transport against a server on 127.0.0.1 (loopback allowed, as on the local stack): a
 * name is dialled at the address the policy checked while the name stays the Host, and a server
 * that sends its body slowly cannot hold a call past its timeout.
 */
class ApacheTransportTest {
    private static HttpServer server;
    private static int port;
    private static final List<String> HOSTS = new CopyOnWriteArrayList<>();
    private static final CountDownLatch RELEASE = new CountDownLatch(1);

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/host", ex -> {
            HOSTS.add(ex.getRequestHeaders().getFirst("Host"));
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        // Headers at once, then one byte of a 1,000-byte body every 50 ms: no single read waits long.
        server.createContext("/slow-body", ex -> {
            ex.sendResponseHeaders(200, 1000);
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 1000 && RELEASE.getCount() > 0; i++) {
                    out.write('x');
                    out.flush();
                    RELEASE.await(50, TimeUnit.MILLISECONDS);
                }
            } catch (IOException | InterruptedException e) {
                // the caller gave up and closed the connection: what the test wants
            }
        });
        server.start();
        port = server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        RELEASE.countDown();
        server.stop(0);
    }

    private static OutboundHttpCaller caller(Resolver resolver) {
        return new OutboundHttpCaller(DestinationPolicy.publicOnly().withLoopback(Map.of()), resolver, new ApacheTransport(),
                Clock.systemUTC());
    }

    @Test
    void aNameIsDialledAtTheCheckedAddressAndStaysTheHost() throws Exception {
        List<String> lookups = new CopyOnWriteArrayList<>();
        Resolver resolver = host -> {
            lookups.add(host);
            return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
        };

        HttpCallResult r = caller(resolver).call(new HttpCallRequest("GET", "http://orders.test:" + port + "/host",
                Map.of(), null, Duration.ofSeconds(10)));

        assertThat(r.status()).isEqualTo(200);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("ok");
        assertThat(lookups).containsExactly("orders.test");
        assertThat(HOSTS).contains("orders.test:" + port);
    }

    @Test
    void aSlowBodyCannotHoldTheCallPastItsTimeout() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> caller(Resolver.SYSTEM).call(new HttpCallRequest("GET",
                "http://127.0.0.1:" + port + "/slow-body", Map.of(), null, Duration.ofSeconds(1))))
                .isInstanceOf(HttpTimeoutException.class);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.out.println("slow body: the call ended after " + took.toMillis() + " ms (timeout 1000 ms, body 50 s)");
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(900)).isLessThan(Duration.ofSeconds(5));
    }
}

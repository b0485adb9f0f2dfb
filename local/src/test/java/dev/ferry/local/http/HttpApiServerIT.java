package dev.ferry.local.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.local.lambda.FunctionError;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The local HTTP API as API Gateway behaves in front of Lambda: the payload 2.0 event's shape, the
 * 30-second integration timeout (set shorter here), and the size limits of a function's event. A
 * recording function stands in for the template's; traffic stays on 127.0.0.1 and no emulator is
 * needed.
 */
class HttpApiServerIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch slowDone = new CountDownLatch(1);
    private final HttpClient client = HttpClient.newHttpClient();
    private HttpApiServer server;

    @BeforeEach
    void start() throws Exception {
        server = new HttpApiServer(0, () -> Map.of("status", "ok"));
        HttpRouter router = new HttpRouter();
        router.add(new HttpRouter.Route("ANY", "/echo", "Echo", "Echo"));
        router.add(new HttpRouter.Route("GET", "/slow", "Slow", "Slow"));
        server.serve(router, name -> Optional.of(new HttpApiServer.Target(name, event -> answer(name, event))));
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.close();
    }

    private byte[] answer(String function, byte[] event) {
        try {
            events.add(JSON.readTree(event));
            if (function.equals("Slow")) {
                if (!release.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
                slowDone.countDown();
            }
            return "{\"statusCode\": 200, \"headers\": {\"content-type\": \"text/plain\"}, \"body\": \"done\"}"
                    .getBytes(StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new FunctionError(function, e);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    @Test
    void cookiesHaveTheirOwnArrayHeaderNamesAreLowerCasedAndRepeatedHeadersCommaJoined() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/echo?a=1&a=2"))
                .header("X-Custom-Header", "one")
                .header("X-Custom-Header", "two")
                .header("Cookie", "session=s-42; theme=dark")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode event = events.get(0);
        assertThat(event.path("version").asText()).isEqualTo("2.0");
        assertThat(event.path("cookies")).extracting(JsonNode::asText).containsExactly("session=s-42", "theme=dark");
        assertThat(event.path("headers").has("cookie")).isFalse();
        assertThat(event.path("headers").path("x-custom-header").asText()).isEqualTo("one,two");
        event.path("headers").fieldNames().forEachRemaining(n -> assertThat(n).isLowerCase());
        assertThat(event.path("queryStringParameters").path("a").asText()).isEqualTo("1,2");
    }

    @Test
    void aFunctionStillRunningAtTheIntegrationTimeoutIsAnswered503AsApiGatewayAnswersAndRunsOn() throws Exception {
        server.integrationTimeout(Duration.ofMillis(300));
        long start = System.nanoTime();

        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/slow")).GET());

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(r.body()).path("message").asText()).isEqualTo("Service Unavailable");
        assertThat(r.headers().firstValue("apigw-requestid")).isPresent();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(slowDone.getCount()).as("the function is still running").isEqualTo(1);
        release.countDown();
        assertThat(slowDone.await(20, TimeUnit.SECONDS)).as("the function ran to its end").isTrue();
    }

    @Test
    void aBinaryBodyCountsAgainstLambdasSixMegabytesAsBase64AndIs413BeforeTheFunction() throws Exception {
        byte[] binary = new byte[5 * 1024 * 1024]; // 6.67 MB as base64
        Arrays.fill(binary, (byte) 0xff); // never valid UTF-8

        HttpResponse<String> refused = send(HttpRequest.newBuilder(uri("/echo"))
                .header("content-type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(binary)));

        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(refused.body()).path("error").path("message").asText())
                .contains("over Lambda's limit of 6291456 bytes").contains("base64");
        assertThat(events).as("the function was not invoked").isEmpty();

        byte[] text = new byte[5 * 1024 * 1024]; // the same size as text: the event stays under 6 MB
        Arrays.fill(text, (byte) 'a');
        HttpResponse<String> accepted = send(HttpRequest.newBuilder(uri("/echo"))
                .header("content-type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofByteArray(text)));
        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(events).hasSize(1);
    }
}

package dev.ferry.local;

import static dev.ferry.local.StackFixture.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local Lambda Invoke API answers programs on this machine, never a web page: requests as a
 * browser sends them (an Origin, a cross-site fetch, a preflight, a rebound host name) and requests
 * without a SigV4 Authorization header are 403 and invoke nothing — a replay a page asks for is
 * never made. The requests are written on a socket, byte for byte, so every header is the test's.
 */
class LambdaApiBrowserIT {
    private static final AtomicInteger TRIED = new AtomicInteger();
    private static final AtomicInteger REFUSED = new AtomicInteger();
    private static StackFixture local;
    private static String executionId;

    @BeforeAll
    static void start() throws Exception {
        local = StackFixture.start("lambda-api-it", b -> b.demo(true));
        executionId = local.webhook(local.stack.demo().orElseThrow().webhookUrl(), "{\"id\": 1, \"total\": 2.5}");
        local.awaitEnd(executionId);
    }

    @AfterAll
    static void stop() {
        if (local == null) return;
        int written = replays();
        local.close();
        System.out.println("LambdaApiBrowserIT: cases tried " + TRIED + ", refused " + REFUSED + ", replays written " + written);
    }

    private static int replays() {
        return local.call("GET", "/executions/" + executionId, null, 200).path("replays").size();
    }

    private record Answer(int status, String head, String body) {}

    /** Writes one HTTP/1.1 request to the Lambda API's port and reads the answer. */
    private static Answer raw(String method, String host, String extraHeaders) throws IOException {
        return raw(method, host, extraHeaders, executionId);
    }

    private static Answer raw(String method, String host, String extraHeaders, String replayOf) throws IOException {
        byte[] body = ("{\"executionId\": \"" + replayOf + "\"}").getBytes(StandardCharsets.UTF_8);
        String request = method + " /2015-03-31/functions/ReplayFunction/invocations HTTP/1.1\r\n"
                + "Host: " + host + "\r\n" + extraHeaders
                + "Content-Type: text/plain\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        try (Socket s = new Socket("127.0.0.1", local.stack.lambdaUrl().getPort())) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String head = split < 0 ? text : text.substring(0, split);
            return new Answer(Integer.parseInt(head.split(" ")[1]), head, split < 0 ? "" : text.substring(split + 4));
        }
    }

    private static String signed() {
        String date = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
        return "X-Amz-Date: " + date + "\r\nAuthorization: AWS4-HMAC-SHA256 Credential=test/" + date.substring(0, 8)
                + "/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + "0".repeat(64) + "\r\n";
    }

    private static String loopback() {
        return "127.0.0.1:" + local.stack.lambdaUrl().getPort();
    }

    private static void assertRefused(Answer a, String type, String says) {
        TRIED.incrementAndGet();
        assertThat(a.status()).as(a.head() + "\n" + a.body()).isEqualTo(403);
        assertThat(a.head()).containsIgnoringCase("x-amzn-ErrorType: " + type);
        assertThat(a.body()).contains(says);
        REFUSED.incrementAndGet();
        assertThat(replays()).as("replays of " + executionId).isZero();
    }

    @Test
    void aPageOfAnotherOriginIsRefusedEvenWithASignature() throws IOException {
        assertRefused(raw("POST", loopback(), signed() + "Origin: https://evil.example\r\n"), "AccessDeniedException", "Origin");
        assertRefused(raw("POST", loopback(), "Origin: null\r\n"), "AccessDeniedException", "web pages");
    }

    @Test
    void aCrossSiteFetchAndAPreflightAreRefused() throws IOException {
        assertRefused(raw("POST", loopback(), signed() + "Sec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: no-cors\r\n"),
                "AccessDeniedException", "Sec-Fetch-Site");
        assertRefused(raw("OPTIONS", loopback(), "Origin: https://evil.example\r\nAccess-Control-Request-Method: POST\r\n"
                + "Access-Control-Request-Headers: authorization\r\n"), "AccessDeniedException", "web pages");
    }

    @Test
    void aHostNameThatIsNotLoopbackIsRefused() throws IOException {
        // A page on rebind.example whose name now resolves to 127.0.0.1 sends its own name as Host.
        assertRefused(raw("POST", "rebind.example:" + local.stack.lambdaUrl().getPort(), signed()),
                "AccessDeniedException", "loopback");
    }

    @Test
    void aRequestWithoutASigV4AuthorizationIsRefused() throws IOException {
        assertRefused(raw("POST", loopback(), ""), "MissingAuthenticationTokenException", "SigV4");
        assertRefused(raw("POST", loopback(), "Authorization: Bearer " + local.stack.adminApiKey() + "\r\n"),
                "IncompleteSignatureException", "SigV4");
        assertRefused(raw("POST", loopback(), "Authorization: AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/lambda/"
                + "aws4_request, SignedHeaders=host;x-amz-date, Signature=" + "0".repeat(64) + "\r\n"),
                "IncompleteSignatureException", "X-Amz-Date");
    }

    @Test
    void aSignedRequestFromAProgramIsAnswered() throws Exception {
        // Its own execution, so the refused cases' "no replay" still holds whatever the order.
        String other = local.webhook(local.stack.demo().orElseThrow().webhookUrl(), "{\"id\": 2, \"total\": 1}");
        local.awaitEnd(other);
        Answer a = raw("POST", "localhost:" + local.stack.lambdaUrl().getPort(), signed() + "Sec-Fetch-Site: none\r\n", other);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(a.body());
        assertThat(answer.path("replayOf").asText()).as(a.body()).isEqualTo(other);
        assertThat(answer.path("executionId").asText()).isNotBlank();
    }
}

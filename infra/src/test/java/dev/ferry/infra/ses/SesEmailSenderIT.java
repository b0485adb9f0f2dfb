package dev.ferry.infra.ses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.Email;
import dev.ferry.core.model.EmailResult;
import dev.ferry.infra.TestResources;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Alert emails through SES v2 on the emulator: a verified sender's message is accepted and kept by
 * the emulator as sent (subject, text, addresses); an unverified sender's is refused, and the refusal
 * is a result with SES's status and error, not an exception.
 */
class SesEmailSenderIT {
    private final SesEmailSender sender = new SesEmailSender(() -> TestResources.clients().ses());

    @Test
    void aVerifiedSendersEmailIsAcceptedAndSent() throws Exception {
        String from = TestResources.unique("alerts") + "@example.test";
        TestResources.clients().ses().createEmailIdentity(b -> b.emailIdentity(from));

        EmailResult r = sender.send(new Email(from, List.of("ops@example.test", "oncall@example.test"),
                "[Ferry] Execution failed: ünïcode ✓", "line one\nline two"));

        assertThat(r.accepted()).as(String.valueOf(r)).isTrue();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.messageId()).isNotBlank();
        JsonNode sent = sentMessage(r.messageId());
        assertThat(sent.path("source").asText()).isEqualTo(from);
        assertThat(sent.path("subject").asText()).isEqualTo("[Ferry] Execution failed: ünïcode ✓");
        assertThat(sent.path("body").asText()).isEqualTo("line one\nline two");
        assertThat(sent.at("/destinations/ToAddresses").toString()).isEqualTo("[\"ops@example.test\",\"oncall@example.test\"]");
    }

    @Test
    void anUnverifiedSenderIsRefusedWithSesStatusAndError() throws Exception {
        EmailResult r = sender.send(new Email(TestResources.unique("nobody") + "@example.test", List.of("ops@example.test"),
                "s", "t"));

        assertThat(r.accepted()).isFalse();
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.error()).startsWith("MessageRejected: ");
        assertThat(r.messageId()).isNull();
    }

    /** The message the emulator kept under {@code id} ({@code GET /moto-api/data.json}, {@code ses.Message}). */
    private static JsonNode sentMessage(String id) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(TestResources.endpoint() + "/moto-api/data.json"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            for (JsonNode m : Json.tree(r.body()).path("ses").path("Message")) {
                if (m.path("id").asText().equals(id)) return m;
            }
            throw new AssertionError("the emulator kept no message " + id + ": " + r.body());
        }
    }
}

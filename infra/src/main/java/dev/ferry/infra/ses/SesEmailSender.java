package dev.ferry.infra.ses;

import dev.ferry.core.model.Email;
import dev.ferry.core.model.EmailResult;
import dev.ferry.core.port.EmailSender;
import java.io.IOException;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.Body;
import software.amazon.awssdk.services.sesv2.model.Content;
import software.amazon.awssdk.services.sesv2.model.SendEmailResponse;
import software.amazon.awssdk.services.sesv2.model.SesV2Exception;

/**
 * Alert emails through Amazon SES (API v2 {@code SendEmail}): a simple message, UTF-8 subject and
 * text. SES's answer is the result — its HTTP status and, when it refuses, its error code and
 * message (a sender not verified, sending paused, throttled…); no answer at all is an
 * {@link IOException}, so the delivery is tried again. The SDK's own retries (throttling, 5xx) run
 * first.
 */
public final class SesEmailSender implements EmailSender {
    private final Supplier<SesV2Client> ses;

    /** {@code ses} is asked for the client at the first email, so a container that sends none never builds it. */
    public SesEmailSender(Supplier<SesV2Client> ses) {
        this.ses = ses;
    }

    @Override
    public EmailResult send(Email email) throws IOException {
        try {
            SendEmailResponse r = ses.get().sendEmail(b -> b
                    .fromEmailAddress(email.from())
                    .destination(d -> d.toAddresses(email.to()))
                    .content(c -> c.simple(m -> m
                            .subject(utf8(email.subject()))
                            .body(Body.builder().text(utf8(email.text())).build()))));
            return new EmailResult(r.sdkHttpResponse().statusCode(), r.messageId(), null);
        } catch (SesV2Exception e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
            return new EmailResult(e.statusCode(), null, (code == null ? "" : code + ": ") + message);
        } catch (SdkClientException e) {
            throw new IOException("Amazon SES did not answer: " + e.getMessage(), e);
        }
    }

    private static Content utf8(String text) {
        return Content.builder().charset("UTF-8").data(text).build();
    }
}

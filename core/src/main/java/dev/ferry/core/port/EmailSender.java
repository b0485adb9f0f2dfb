package dev.ferry.core.port;

import dev.ferry.core.model.Email;
import dev.ferry.core.model.EmailResult;
import java.io.IOException;

/**
 * Sends alert emails (Amazon SES in AWS). Any answer of the service is a result, whatever its
 * status; an {@link IOException} means no answer came (network error, timeout) and the delivery is
 * tried again.
 */
@FunctionalInterface
public interface EmailSender {
    EmailResult send(Email email) throws IOException;

    /** A deployment without a sender: refuses every message (email channels cannot be created there). */
    EmailSender UNCONFIGURED = email -> {
        throw new IllegalStateException("email alerts are not set up: FERRY_ALERT_EMAIL_FROM is not set");
    };
}

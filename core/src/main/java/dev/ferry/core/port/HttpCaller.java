package dev.ferry.core.port;

import dev.ferry.core.model.HttpCallRequest;
import dev.ferry.core.model.HttpCallResult;
import java.io.IOException;

/**
 * Sends the {@code http} step's request. An {@link IOException} (refused, reset, timed out) is a
 * retryable step failure, an {@link IllegalArgumentException} (a request that cannot be sent) a
 * non-retryable one; any answer, whatever its status, is a result.
 */
@FunctionalInterface
public interface HttpCaller {
    HttpCallResult call(HttpCallRequest request) throws IOException;
}

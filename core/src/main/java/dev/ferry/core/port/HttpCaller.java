package dev.ferry.core.port;

import dev.ferry.core.model.HttpCallRequest;
import dev.ferry.core.model.HttpCallResult;
import java.io.IOException;

/**
 * Sends an outbound request (the {@code http} step, webhook and Slack alert channels); in every
 * deployment it is {@link dev.ferry.core.net.OutboundHttpCaller}, which holds the destination
 * policy. An {@link IOException} (refused, reset, timed out) is a retryable failure, an
 * {@link IllegalArgumentException} (a request that cannot be sent, a destination the policy
 * refuses) a non-retryable one; any answer, whatever its status, is a result.
 */
@FunctionalInterface
public interface HttpCaller {
    HttpCallResult call(HttpCallRequest request) throws IOException;

    /**
     * Refuses now, with an {@link IllegalArgumentException}, a URL whose destination is known
     * without a lookup to be one {@link #call} would refuse (an address literal, localhost): a
     * monitor's channel URL is checked so when it is created. Allows everything by default.
     */
    default void checkDestination(String url) {}
}

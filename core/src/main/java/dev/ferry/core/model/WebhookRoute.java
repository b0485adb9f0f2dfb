package dev.ferry.core.model;

/**
 * What the webhook edge needs to accept a request for a token, in one read: the flow config and
 * its instance's state.
 */
public record WebhookRoute(
        String token,
        String flowConfigId,
        String instanceId,
        String customerId,
        String flow,
        boolean enabled,
        PauseMode pauseMode) {}

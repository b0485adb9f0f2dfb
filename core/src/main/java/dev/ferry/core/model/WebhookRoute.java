package dev.ferry.core.model;

/**
 * What the webhook edge needs to accept a request for a token, in one read: the flow config and
 * its instance's state, and the instance's integration version (whose flow may declare a webhook
 * security check). {@code integrationId} is null (and {@code integrationVersion} 0) for a route
 * stored before routes carried them; the edge then reads the instance.
 */
public record WebhookRoute(
        String token,
        String flowConfigId,
        String instanceId,
        String customerId,
        String flow,
        boolean enabled,
        PauseMode pauseMode,
        String integrationId,
        int integrationVersion) {

    public WebhookRoute(String token, String flowConfigId, String instanceId, String customerId, String flow,
                        boolean enabled, PauseMode pauseMode) {
        this(token, flowConfigId, instanceId, customerId, flow, enabled, pauseMode, null, 0);
    }
}

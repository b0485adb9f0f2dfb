package dev.ferry.core.model;

import dev.ferry.core.definition.RetryPolicy;

/**
 * An instance's configuration of one flow of its integration version. Webhook-triggered flows
 * carry an unguessable {@code webhookToken}; scheduled ones a {@code schedule} and {@code timezone}.
 */
public record FlowConfig(
        String id,
        String instanceId,
        String customerId,
        String flow,
        String triggerType,
        String webhookToken,
        String schedule,
        String timezone,
        RetryPolicy retry) {}

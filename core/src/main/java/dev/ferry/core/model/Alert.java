package dev.ferry.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One alert a monitor raised. {@code key} makes it unique per monitor: the execution for
 * per-execution triggers (one alert per execution per monitor), the episode for state triggers.
 * {@code variables} are the template's $VARIABLES (redacted), kept so a delivery retried later
 * sends the same content; {@code clearedAt} is when a state condition cleared.
 *
 * <p>{@code muted}: recorded but never delivered, {@code mutedReason} says why (the monitor was
 * muted, or the instance was paused on purpose). {@code acknowledgedBy}/{@code acknowledgedAt}:
 * who acknowledged it and when (null until someone does).
 */
public record Alert(
        String id,
        String monitorId,
        String monitorName,
        String key,
        MonitorTriggerType trigger,
        String subject,
        String instanceId,
        String customerId,
        String flowConfigId,
        String flow,
        String executionId,
        Instant firedAt,
        Instant clearedAt,
        String url,
        Map<String, String> variables,
        List<AlertDelivery> deliveries,
        Instant expiresAt,
        boolean muted,
        String mutedReason,
        String acknowledgedBy,
        Instant acknowledgedAt) {

    public Alert {
        variables = variables == null ? Map.of() : Map.copyOf(variables);
        deliveries = deliveries == null ? List.of() : List.copyOf(deliveries);
    }

    /** An alert delivered as usual, not acknowledged. */
    public Alert(String id, String monitorId, String monitorName, String key, MonitorTriggerType trigger, String subject,
                 String instanceId, String customerId, String flowConfigId, String flow, String executionId,
                 Instant firedAt, Instant clearedAt, String url, Map<String, String> variables,
                 List<AlertDelivery> deliveries, Instant expiresAt) {
        this(id, monitorId, monitorName, key, trigger, subject, instanceId, customerId, flowConfigId, flow, executionId,
                firedAt, clearedAt, url, variables, deliveries, expiresAt, false, null, null, null);
    }

    public Alert withDeliveries(List<AlertDelivery> value) {
        return new Alert(id, monitorId, monitorName, key, trigger, subject, instanceId, customerId, flowConfigId, flow,
                executionId, firedAt, clearedAt, url, variables, value, expiresAt, muted, mutedReason, acknowledgedBy,
                acknowledgedAt);
    }

    public Alert withClearedAt(Instant value) {
        return new Alert(id, monitorId, monitorName, key, trigger, subject, instanceId, customerId, flowConfigId, flow,
                executionId, firedAt, value, url, variables, deliveries, expiresAt, muted, mutedReason, acknowledgedBy,
                acknowledgedAt);
    }

    /** Recorded muted: {@code reason} says why; it is never delivered. */
    public Alert withMuted(String reason) {
        return new Alert(id, monitorId, monitorName, key, trigger, subject, instanceId, customerId, flowConfigId, flow,
                executionId, firedAt, clearedAt, url, variables, deliveries, expiresAt, true, reason, acknowledgedBy,
                acknowledgedAt);
    }

    public Alert withAcknowledged(String by, Instant at) {
        return new Alert(id, monitorId, monitorName, key, trigger, subject, instanceId, customerId, flowConfigId, flow,
                executionId, firedAt, clearedAt, url, variables, deliveries, expiresAt, muted, mutedReason, by, at);
    }
}

package dev.ferry.core.model;

import java.time.Instant;

/**
 * A filter over executions, newest first. At most one of instanceId, customerId and flowConfigId
 * picks the index; the rest narrow the page.
 */
public record ExecutionQuery(
        String instanceId,
        String customerId,
        String flowConfigId,
        ExecutionStatus status,
        Trigger trigger,
        Instant since,
        Instant until,
        boolean originalsOnly,
        boolean unresolved,
        int limit,
        String cursor) {

    public static ExecutionQuery forInstance(String instanceId, int limit) {
        return new ExecutionQuery(instanceId, null, null, null, null, null, null, false, false, limit, null);
    }

    public ExecutionQuery withCursor(String next) {
        return new ExecutionQuery(instanceId, customerId, flowConfigId, status, trigger, since, until,
                originalsOnly, unresolved, limit, next);
    }
}

package dev.ferry.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * The EventBridge Scheduler schedule of one scheduled flow config, as Ferry wants it: named by the
 * flow config's id, firing the scheduled trigger with the flow config's id as input.
 *
 * @param flowConfigId the schedule's name
 * @param expression   {@code cron(…)}, {@code rate(…)} or {@code at(…)}
 * @param timezone     IANA zone the expression is evaluated in
 * @param enabled      ENABLED, or DISABLED while the instance is paused
 * @param startDate    rates only: the first fire time (epoch-aligned, so fire times match {@code nextRunAt}); else null
 */
public record ScheduleSpec(
        String flowConfigId,
        String expression,
        String timezone,
        boolean enabled,
        Instant startDate) {

    public ScheduleSpec {
        Objects.requireNonNull(flowConfigId, "flowConfigId");
        Objects.requireNonNull(expression, "expression");
        timezone = timezone == null ? "UTC" : timezone;
    }

    public ScheduleSpec withEnabled(boolean value) {
        return new ScheduleSpec(flowConfigId, expression, timezone, value, startDate);
    }
}

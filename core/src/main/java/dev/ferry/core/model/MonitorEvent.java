package dev.ferry.core.model;

import java.time.Instant;
import java.util.List;

/**
 * What the monitor queue carries to the evaluation function: an execution that started or ended
 * (a summary, without request or steps, with its WARN and ERROR log lines), an instance that was
 * enabled, disabled or removed, or an alert delivery to retry.
 *
 * <p>{@code includesStart} (EXECUTION_ENDED only): the execution's start was not published as an
 * EXECUTION_STARTED event of its own, so this event stands for the start as well. Absent (false)
 * in events written before it existed, whose start always had its own event.
 */
public record MonitorEvent(
        Type type,
        Instant at,
        Execution execution,
        List<LogLine> logs,
        InstanceRef instance,
        Retry retry,
        boolean includesStart) {

    public enum Type { EXECUTION_STARTED, EXECUTION_ENDED, INSTANCE_ENABLED, INSTANCE_DISABLED, INSTANCE_REMOVED, ALERT_DELIVERY }

    /** What an instance event needs to know (never config values: they may be secret). */
    public record InstanceRef(String id, String name, String customerId, boolean enabled) {
        public static InstanceRef of(Instance i) {
            return new InstanceRef(i.id(), i.name(), i.customerId(), i.enabled());
        }
    }

    /** The next attempt to deliver an alert to one channel. */
    public record Retry(String monitorId, String alertKey, int channel, int attempt) {}

    public MonitorEvent {
        logs = logs == null ? List.of() : List.copyOf(logs);
    }

    public static MonitorEvent executionStarted(Execution e, Instant at) {
        return new MonitorEvent(Type.EXECUTION_STARTED, at, summary(e), List.of(), null, null, false);
    }

    /** The end of an execution whose start had its own event. */
    public static MonitorEvent executionEnded(Execution e, List<LogLine> warnings, Instant at) {
        return executionEnded(e, warnings, at, false);
    }

    /** The end of an execution; {@code includesStart} when its start was not published on its own. */
    public static MonitorEvent executionEnded(Execution e, List<LogLine> warnings, Instant at, boolean includesStart) {
        return new MonitorEvent(Type.EXECUTION_ENDED, at, summary(e), warnings, null, null, includesStart);
    }

    public static MonitorEvent instance(Type type, Instance i, Instant at) {
        return new MonitorEvent(type, at, null, List.of(), InstanceRef.of(i), null, false);
    }

    public static MonitorEvent delivery(Retry retry, Instant at) {
        return new MonitorEvent(Type.ALERT_DELIVERY, at, null, List.of(), null, retry, false);
    }

    private static Execution summary(Execution e) {
        return e.toBuilder().request(null).steps(List.of()).build();
    }
}

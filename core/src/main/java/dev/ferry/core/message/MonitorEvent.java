package dev.ferry.core.message;

import dev.ferry.core.model.Execution;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.LogLine;
import java.time.Instant;
import java.util.List;

/**
 * An execution that started or ended (a summary, without request or steps, with its WARN and ERROR
 * log lines), or an instance that was enabled, disabled or removed — the monitor queue's events.
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
        boolean includesStart) implements MonitorMessage {

    public enum Type { EXECUTION_STARTED, EXECUTION_ENDED, INSTANCE_ENABLED, INSTANCE_DISABLED, INSTANCE_REMOVED }

    /** What an instance event needs to know (never config values: they may be secret). */
    public record InstanceRef(String id, String name, String customerId, boolean enabled) {
        public static InstanceRef of(Instance i) {
            return new InstanceRef(i.id(), i.name(), i.customerId(), i.enabled());
        }
    }

    public MonitorEvent {
        logs = logs == null ? List.of() : List.copyOf(logs);
    }

    public static MonitorEvent executionStarted(Execution e, Instant at) {
        return new MonitorEvent(Type.EXECUTION_STARTED, at, summary(e), List.of(), null, false);
    }

    /** The end of an execution whose start had its own event. */
    public static MonitorEvent executionEnded(Execution e, List<LogLine> warnings, Instant at) {
        return executionEnded(e, warnings, at, false);
    }

    /** The end of an execution; {@code includesStart} when its start was not published on its own. */
    public static MonitorEvent executionEnded(Execution e, List<LogLine> warnings, Instant at, boolean includesStart) {
        return new MonitorEvent(Type.EXECUTION_ENDED, at, summary(e), warnings, null, includesStart);
    }

    public static MonitorEvent instance(Type type, Instance i, Instant at) {
        return new MonitorEvent(type, at, null, List.of(), InstanceRef.of(i), false);
    }

    /** Whether this is an execution's event (else an instance's). */
    public boolean aboutExecution() {
        return type == Type.EXECUTION_STARTED || type == Type.EXECUTION_ENDED;
    }

    @Override
    public String summary() {
        if (execution != null && execution.id() != null) return type + " executionId " + execution.id();
        if (instance != null && instance.id() != null) return type + " instanceId " + instance.id();
        return type.name();
    }

    private static Execution summary(Execution e) {
        return e.toBuilder().request(null).steps(List.of()).build();
    }
}

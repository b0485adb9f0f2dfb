package dev.ferry.core.service;

import dev.ferry.core.json.Json;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.LogLine;
import dev.ferry.core.model.MonitorEvent;
import dev.ferry.core.model.Severity;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.port.MonitorEventQueue;
import java.time.Clock;
import java.util.List;

/**
 * Tells the monitors what happened: the runner at each execution's start and end, instance
 * operations when an instance is enabled, disabled or removed. Test runs (trigger TEST) answer the
 * operator who started them and publish nothing. Publishing never fails the
 * operation that publishes — an event that cannot be sent is logged, and the sweep still finds
 * what is time-based (stuck, overdue, failure rate, disabled).
 */
public final class MonitorEvents {
    /** At most this many WARN/ERROR lines ride along with an execution's end, each cut to {@value #MAX_LINE} characters. */
    public static final int MAX_LINES = 20;
    public static final int MAX_LINE = 1000;

    private final MonitorEventQueue queue;
    private final Clock clock;

    public MonitorEvents(MonitorEventQueue queue, Clock clock) {
        this.queue = queue;
        this.clock = clock;
    }

    public void executionStarted(Execution execution) {
        if (execution.trigger() == Trigger.TEST) return;
        publish(MonitorEvent.executionStarted(execution, clock.instant()), execution.id());
    }

    /** The execution as it ended, with the WARN and ERROR lines among the log lines it wrote. */
    public void executionEnded(Execution execution, List<LogLine> lines) {
        if (execution.trigger() == Trigger.TEST) return;
        List<LogLine> warnings = lines.stream()
                .filter(l -> l.severity() != null && l.severity().atLeast(Severity.WARN))
                .limit(MAX_LINES)
                .map(l -> l.message() == null || l.message().length() <= MAX_LINE ? l
                        : new LogLine(l.timestamp(), l.severity(), l.message().substring(0, MAX_LINE) + "…",
                        l.instanceId(), l.executionId(), l.flowConfigId(), l.step(), l.attempt()))
                .toList();
        publish(MonitorEvent.executionEnded(execution, warnings, clock.instant()), execution.id());
    }

    /** After an instance was enabled (unpaused) or disabled (paused): publishes its new state. */
    public void instanceEnabledChanged(Instance instance) {
        publish(MonitorEvent.instance(instance.enabled() ? MonitorEvent.Type.INSTANCE_ENABLED
                : MonitorEvent.Type.INSTANCE_DISABLED, instance, clock.instant()), instance.id());
    }

    /** After an instance was deleted. */
    public void instanceRemoved(Instance instance) {
        publish(MonitorEvent.instance(MonitorEvent.Type.INSTANCE_REMOVED, instance, clock.instant()), instance.id());
    }

    private void publish(MonitorEvent event, String about) {
        try {
            queue.publish(event);
        } catch (RuntimeException e) {
            System.err.println("{\"level\":\"WARN\",\"message\":\"could not publish a monitor event\",\"type\":\""
                    + event.type() + "\",\"id\":" + Json.write(about) + ",\"reason\":"
                    + Json.write(String.valueOf(e.getMessage())) + "}");
        }
    }
}

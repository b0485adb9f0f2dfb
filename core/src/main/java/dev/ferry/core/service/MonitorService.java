package dev.ferry.core.service;

import dev.ferry.core.model.MonitorEvent;
import java.util.concurrent.Executor;

/**
 * Monitors and alerts as the functions see them: the events to publish ({@link #events()}), the
 * evaluation of one queued event, and the every-minute sweep. Monitor and alert routes are in
 * the management API.
 */
public final class MonitorService {
    private final MonitorEvents events;
    private final MonitorEvaluator evaluator;

    public MonitorService(Ports ports, Settings settings, Definitions definitions, ExecutionRunner runner,
                          Executor deliveries) {
        this.events = new MonitorEvents(ports.monitorEvents(), ports.clock());
        this.evaluator = new MonitorEvaluator(ports, settings, runner,
                new AlertNotifier(ports, settings, definitions, deliveries));
    }

    /** What the runner and instance operations publish to (never throws). */
    public MonitorEvents events() {
        return events;
    }

    /** Evaluates one event from the monitor queue. */
    public void handle(MonitorEvent event) {
        evaluator.handle(event);
    }

    /** The every-minute sweep (ScheduleV2, or {@code {"sweep": true}} invoked directly). */
    public MonitorEvaluator.SweepResult sweep() {
        return evaluator.sweep();
    }
}

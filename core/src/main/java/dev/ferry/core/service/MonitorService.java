package dev.ferry.core.service;

import dev.ferry.core.log.Log;
import dev.ferry.core.message.AlertDeliveryRetry;
import dev.ferry.core.message.MonitorEvent;
import dev.ferry.core.message.MonitorMessage;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.Monitor;
import dev.ferry.core.model.MonitorEpisode;
import dev.ferry.core.port.MonitorStore;
import java.util.List;

/**
 * Monitors and alerts as the functions see them: the events to publish ({@link #events()}), the
 * evaluation of one queued event, and the every-minute sweep. Monitor and alert routes are in
 * the management API.
 */
public final class MonitorService {
    private final MonitorStore monitors;
    private final MonitorEvents events;
    private final MonitorEvaluator evaluator;

    public MonitorService(MonitorStore monitors, MonitorEvents events, MonitorEvaluator evaluator) {
        this.monitors = monitors;
        this.events = events;
        this.evaluator = evaluator;
    }

    /** What the runner and instance operations publish to (never throws). */
    public MonitorEvents events() {
        return events;
    }

    /**
     * The monitor side of deleting an instance (before its other data goes): INSTANCE_REMOVED raised
     * and delivered now for the monitors scoped to it, which are then deleted with their episodes;
     * the customer's and the global monitors' open episodes about it are closed. The queued
     * INSTANCE_REMOVED event ({@link MonitorEvents#instanceRemoved}) reaches those monitors once the
     * instance is gone. Idempotent. Returns the ids of the monitors deleted. A failed first delivery
     * to an instance-scoped monitor's channel is recorded on the alert but not retried: the retry
     * would need the monitor, which went with the instance.
     */
    public List<String> instanceRemoving(Instance instance) {
        evaluator.instanceRemoved(MonitorEvent.InstanceRef.of(instance), true);
        List<String> deleted = monitors.deleteForInstance(instance.id());
        for (Monitor m : monitors.inScope(instance.id(), instance.customerId())) {
            if (instance.id().equals(m.scope().instanceId())) continue;
            for (MonitorEpisode ep : monitors.episodes(m.id())) {
                if (ep.subject() != null && ep.subject().contains(instance.id())) monitors.closeEpisode(m.id(), ep.subject());
            }
        }
        return deleted;
    }

    /** Evaluates one message from the monitor queue: an event, or an alert delivery to retry. */
    public void handle(MonitorMessage message) {
        try (Log.Scope about = about(message)) {
            evaluator.handle(message);
        }
    }

    private static Log.Scope about(MonitorMessage message) {
        if (message instanceof MonitorEvent e && e.execution() != null) {
            return Log.with(Log.INSTANCE_ID, e.execution().instanceId(), Log.FLOW_CONFIG_ID, e.execution().flowConfigId(),
                    Log.EXECUTION_ID, e.execution().id());
        }
        if (message instanceof MonitorEvent e && e.instance() != null) return Log.with(Log.INSTANCE_ID, e.instance().id());
        if (message instanceof AlertDeliveryRetry r) return Log.with("monitorId", r.monitorId());
        return Log.with();
    }

    /** The every-minute sweep (ScheduleV2, or {@code {"sweep": true}} invoked directly). */
    public MonitorEvaluator.SweepResult sweep() {
        return evaluator.sweep();
    }
}

package dev.ferry.core.service;

import dev.ferry.core.definition.IntegrationDefinition;
import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.log.Log;
import dev.ferry.core.message.ExecutionMessage;
import dev.ferry.core.model.FlowConfig;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.MonitorTriggerType;
import dev.ferry.core.model.Page;
import dev.ferry.core.port.AlertStore;
import dev.ferry.core.port.ExecutionQueue;
import dev.ferry.core.port.ExecutionStore;
import dev.ferry.core.port.InstanceStore;
import dev.ferry.core.port.LogStore;
import dev.ferry.core.port.UniqueRequestStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Deletes an instance and everything kept for it ({@code DELETE /instances/{id}?confirm=<name>},
 * docs/architecture.md, "Delete"), in an order that a crash at any point leaves resumable:
 * <ol>
 *   <li>the instance is <em>marked</em> as being deleted: from then on it is gone to everyone else —
 *       its webhooks answer 404 and create nothing, its schedule ticks, retries, replays, held
 *       releases and queued executions are dropped (each with a log line), pause/unpause/PATCH/GET
 *       are 404 — while a repeated DELETE (or the queued continuation) still finds it and resumes;</li>
 *   <li>its schedules;</li>
 *   <li>its monitors: INSTANCE_REMOVED is raised and delivered now for the monitors scoped to it,
 *       which are then deleted; other monitors' open episodes about it are closed; the alerts about
 *       it (except the INSTANCE_REMOVED ones: the record that it was removed);</li>
 *   <li>its executions with their step outputs, S3 payloads and index entries (held, running,
 *       unresolved), a page at a time — for up to the request's work budget ({@code FERRY_WORK_IN_REQUEST_SECONDS}) in the request, the rest
 *       through a deletion request on the execution queue ({@link #BUDGET_IN_QUEUE} per message);</li>
 *   <li>the unique-request holders of its flow configs and its log group;</li>
 *   <li>its flow configs and webhook routes, and last the instance record;</li>
 *   <li>the INSTANCE_REMOVED event for the customer's and the global monitors.</li>
 * </ol>
 * Every step is idempotent, so each run simply redoes them all. After a complete deletion the
 * instance is unknown (404).
 */
public final class InstanceDeletion {
    /** How long one queued deletion request deletes executions before queueing its continuation. */
    public static final Duration BUDGET_IN_QUEUE = Duration.ofMinutes(10);
    /** Executions deleted per store call. */
    static final int PAGE = 100;
    private static final Set<MonitorTriggerType> KEEP_ALERTS = Set.of(MonitorTriggerType.INSTANCE_REMOVED);

    /** What one run did: the executions it deleted, and whether the deletion goes on through the queue. */
    public record Result(Instance instance, long executionsDeleted, boolean more) {}

    private final InstanceStore instances;
    private final ExecutionStore executions;
    private final AlertStore alerts;
    private final UniqueRequestStore uniqueRequests;
    /** How long a DELETE request deletes executions (a page at least) before leaving the rest to the queue. */
    private final Duration workInRequest;
    private final LogStore logs;
    private final ExecutionQueue queue;
    private final Clock clock;
    private final Definitions definitions;
    private final ScheduleService schedules;
    private final MonitorService monitors;

    public InstanceDeletion(InstanceStore instances, ExecutionStore executions, AlertStore alerts,
                            UniqueRequestStore uniqueRequests, LogStore logs, ExecutionQueue queue, Clock clock,
                            Definitions definitions, ScheduleService schedules, MonitorService monitors,
                            Duration workInRequest) {
        this.workInRequest = workInRequest;
        this.instances = instances;
        this.executions = executions;
        this.alerts = alerts;
        this.uniqueRequests = uniqueRequests;
        this.logs = logs;
        this.queue = queue;
        this.clock = clock;
        this.definitions = definitions;
        this.schedules = schedules;
        this.monitors = monitors;
    }

    /**
     * Deletes the instance if {@code confirm} is its name (else a 400 on {@code confirm}, nothing
     * changed); resumes a deletion that was started before. NotFound when there is no such instance.
     */
    public Result delete(String instanceId, String confirm) {
        Instance instance = instances.get(instanceId)
                .or(() -> instances.getDeleting(instanceId))
                .orElseThrow(() -> new NotFoundException("instance", instanceId));
        if (confirm == null || confirm.isEmpty()) {
            throw new ValidationException("confirm", "is required: the instance's name, to confirm the deletion");
        }
        if (!confirm.equals(instance.name())) {
            throw new ValidationException("confirm", "does not match the instance's name; nothing was deleted");
        }
        instances.markDeleting(instanceId);
        return run(instance, clock.instant().plus(workInRequest), true);
    }

    /**
     * A queued deletion request: goes on deleting the instance (for up to {@link #BUDGET_IN_QUEUE},
     * queueing its own continuation if more is left). Nothing happens when the deletion is complete.
     */
    public Optional<Result> continueDeletion(String instanceId) {
        Optional<Instance> instance = instances.getDeleting(instanceId);
        if (instance.isEmpty()) {
            log("INFO", "deletion request for an instance that is not being deleted: nothing to do", instanceId, null);
            return Optional.empty();
        }
        return Optional.of(run(instance.get(), clock.instant().plus(BUDGET_IN_QUEUE), false));
    }

    /**
     * One run. The request does every step; a queued continuation starts at the executions, because
     * the request that queued it had done the steps before (so the flow execution function, which
     * serves the queue, needs no Scheduler or MonitorsTable rights).
     */
    private Result run(Instance instance, Instant deadline, boolean fromRequest) {
        List<FlowConfig> flowConfigs = instances.listFlowConfigs(instance.id());
        if (fromRequest) {
            IntegrationDefinition def = definitions.definition(instance.integrationId(), instance.integrationVersion());
            schedules.deleteFor(flowConfigs, def);
            monitors.instanceRemoving(instance);
            alerts.deleteForInstance(instance.id(), KEEP_ALERTS);
        }

        long deleted = 0;
        String cursor = null;
        do {
            Page<String> page = executions.deleteForInstance(instance.id(), PAGE, cursor);
            deleted += page.items().size();
            cursor = page.nextCursor();
            if (cursor != null && !clock.instant().isBefore(deadline)) {
                queue.send(new ExecutionMessage.ContinueDeletion(instance.id()));
                log("INFO", "instance deletion continues through the queue", instance.id(), deleted);
                return new Result(instance, deleted, true);
            }
        } while (cursor != null);

        for (FlowConfig fc : flowConfigs) uniqueRequests.deleteForFlowConfig(fc.id());
        logs.deleteInstance(instance.customerId(), instance.id());
        instances.delete(instance.id());
        monitors.events().instanceRemoved(instance);
        log("INFO", "instance deleted", instance.id(), deleted);
        return new Result(instance, deleted, false);
    }

    /** Logs that something arriving for a deleted (or being deleted) instance was dropped. */
    public static void dropped(String what, String instanceId, String id) {
        Log.info(what + " dropped: its instance is deleted", "instanceId", instanceId, "id", id);
    }

    private static void log(String level, String message, String instanceId, Long executionsDeleted) {
        Log.write(Log.Level.valueOf(level), message, "instanceId", instanceId, "executionsDeleted", executionsDeleted);
    }
}

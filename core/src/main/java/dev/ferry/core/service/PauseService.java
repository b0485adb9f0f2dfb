package dev.ferry.core.service;

import dev.ferry.core.definition.IntegrationDefinition;
import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.message.ExecutionMessage;
import dev.ferry.core.model.FlowConfig;
import dev.ferry.core.model.Instance;
import dev.ferry.core.port.ExecutionQueue;
import dev.ferry.core.port.InstanceStore;
import dev.ferry.core.service.HeldExecutions.Release;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Pause and unpause (docs/architecture.md, "Pause and unpause"). Pausing marks the instance disabled (its webhook routes follow
 * in the same write) and sets its schedules DISABLED. Unpausing marks it enabled, releases its
 * HELD executions in arrival order — each moved back to QUEUED and enqueued, oldest first — and
 * sets its schedules ENABLED. Both are idempotent and redo every step, so repeating one after a
 * failure finishes it.
 *
 * <p>HELD executions come from webhooks in {@code HOLD} mode, from replays, and from anything the
 * flow execution function picks up for a paused instance (executions queued before the pause,
 * retries falling due while paused): it stores them HELD instead of running them. Whoever stores
 * one HELD calls {@link HeldExecutions#releaseIfUnpaused} afterwards, so one held just as the instance is
 * unpaused is not left behind.
 */
public final class PauseService {
    /** How long one queued release request works before queueing its own continuation. */
    public static final Duration RELEASE_BUDGET_IN_QUEUE = Duration.ofMinutes(10);

    /** An instance after pause or unpause, with what it took. */
    public record Result(Instance instance, List<FlowConfig> flowConfigs, int schedulesUpdated, Release release) {}

    private final InstanceStore instances;
    private final ExecutionQueue queue;
    private final Clock clock;
    private final Definitions definitions;
    private final ScheduleService schedules;
    private final HeldExecutions held;
    private final Duration workInRequest;

    /** @param workInRequest how long an unpause request releases held executions before leaving the rest to the queue */
    public PauseService(InstanceStore instances, ExecutionQueue queue, Clock clock, Definitions definitions,
                        ScheduleService schedules, HeldExecutions held, Duration workInRequest) {
        this.workInRequest = workInRequest;
        this.instances = instances;
        this.queue = queue;
        this.clock = clock;
        this.definitions = definitions;
        this.schedules = schedules;
        this.held = held;
    }

    /** Pauses as no person does (a program): the instance's INSTANCE_DISABLED alerts are delivered. */
    public Result pause(String instanceId) {
        return pause(instanceId, null);
    }

    /**
     * Pauses: instance (and its webhook routes) disabled, then every schedule DISABLED. {@code by}:
     * the person's pause (who, when, why), recorded on the instance so that the INSTANCE_DISABLED
     * alerts it causes are recorded muted; pausing again keeps the first pause's record.
     */
    public Result pause(String instanceId, Instance.Pause by) {
        Instance instance = instance(instanceId);
        List<FlowConfig> flowConfigs = instances.listFlowConfigs(instance.id());
        IntegrationDefinition def = definitions.definition(instance.integrationId(), instance.integrationVersion());
        if (instance.enabled() || (by != null && instance.pause() == null)) {
            instance = by == null ? instance.withEnabled(false) : instance.pausedBy(by);
            instances.update(instance);
        }
        int updated = schedules.setEnabled(flowConfigs, def, false);
        return new Result(instance, flowConfigs, updated, new Release(0, false));
    }

    /**
     * Unpauses: instance enabled, held executions released in arrival order (for up to
     * the request's work budget ({@code FERRY_WORK_IN_REQUEST_SECONDS}); the rest, and a second pass for any held in the meantime,
     * through the queue), then every schedule ENABLED.
     */
    public Result unpause(String instanceId) {
        Instance instance = instance(instanceId);
        List<FlowConfig> flowConfigs = instances.listFlowConfigs(instance.id());
        IntegrationDefinition def = definitions.definition(instance.integrationId(), instance.integrationVersion());
        if (!instance.enabled()) {
            instance = instance.withEnabled(true);
            instances.update(instance);
        }
        Release release = held.release(instance.id(), clock.instant().plus(workInRequest));
        queue.send(new ExecutionMessage.ReleaseHeld(instance.id()));
        int updated = schedules.setEnabled(flowConfigs, def, true);
        return new Result(instance, flowConfigs, updated, release);
    }

    /**
     * A queued release request: releases the instance's held executions if it is enabled, and
     * queues a continuation when there are more than it could do in {@link #RELEASE_BUDGET_IN_QUEUE}.
     */
    public Release continueRelease(String instanceId) {
        Release r = held.release(instanceId, clock.instant().plus(RELEASE_BUDGET_IN_QUEUE));
        if (r.more()) queue.send(new ExecutionMessage.ReleaseHeld(instanceId));
        return r;
    }

    private Instance instance(String id) {
        return instances.get(id).orElseThrow(() -> new NotFoundException("instance", id));
    }
}

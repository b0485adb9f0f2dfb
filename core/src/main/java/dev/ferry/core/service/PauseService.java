package dev.ferry.core.service;

import dev.ferry.core.definition.IntegrationDefinition;
import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.json.Json;
import dev.ferry.core.message.ExecutionMessage;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.FlowConfig;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.Page;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Pause and unpause (CONTRACT §6). Pausing marks the instance disabled (its webhook routes follow
 * in the same write) and sets its schedules DISABLED. Unpausing marks it enabled, releases its
 * HELD executions in arrival order — each moved back to QUEUED and enqueued, oldest first — and
 * sets its schedules ENABLED. Both are idempotent and redo every step, so repeating one after a
 * failure finishes it.
 *
 * <p>HELD executions come from webhooks in {@code HOLD} mode, from replays, and from anything the
 * flow execution function picks up for a paused instance (executions queued before the pause,
 * retries falling due while paused): it stores them HELD instead of running them. Whoever stores
 * one HELD calls {@link #releaseIfUnpaused} afterwards, so one held just as the instance is
 * unpaused is not left behind.
 */
public final class PauseService {
    /** How long an unpause request releases held executions before leaving the rest to the queue. */
    public static final Duration RELEASE_BUDGET_IN_REQUEST = Duration.ofSeconds(10);
    /** How long one queued release request works before queueing its own continuation. */
    public static final Duration RELEASE_BUDGET_IN_QUEUE = Duration.ofMinutes(10);
    static final int PAGE = 100;

    /** What an unpause released: how many held executions, and whether more follow through the queue. */
    public record Release(int released, boolean more) {}

    /** An instance after pause or unpause, with what it took. */
    public record Result(Instance instance, List<FlowConfig> flowConfigs, int schedulesUpdated, Release release) {}

    private final Ports ports;
    private final Definitions definitions;
    private final ScheduleService schedules;

    public PauseService(Ports ports, Definitions definitions, ScheduleService schedules) {
        this.ports = ports;
        this.definitions = definitions;
        this.schedules = schedules;
    }

    /** Pauses: instance (and its webhook routes) disabled, then every schedule DISABLED. */
    public Result pause(String instanceId) {
        Instance instance = instance(instanceId);
        List<FlowConfig> flowConfigs = ports.instances().listFlowConfigs(instance.id());
        IntegrationDefinition def = definitions.definition(instance.integrationId(), instance.integrationVersion());
        if (instance.enabled()) {
            instance = instance.withEnabled(false);
            ports.instances().update(instance);
        }
        int updated = schedules.setEnabled(flowConfigs, def, false);
        return new Result(instance, flowConfigs, updated, new Release(0, false));
    }

    /**
     * Unpauses: instance enabled, held executions released in arrival order (for up to
     * {@link #RELEASE_BUDGET_IN_REQUEST}; the rest, and a second pass for any held in the meantime,
     * through the queue), then every schedule ENABLED.
     */
    public Result unpause(String instanceId) {
        Instance instance = instance(instanceId);
        List<FlowConfig> flowConfigs = ports.instances().listFlowConfigs(instance.id());
        IntegrationDefinition def = definitions.definition(instance.integrationId(), instance.integrationVersion());
        if (!instance.enabled()) {
            instance = instance.withEnabled(true);
            ports.instances().update(instance);
        }
        Release release = release(instance.id(), ports.clock().instant().plus(RELEASE_BUDGET_IN_REQUEST));
        ports.queue().send(new ExecutionMessage.ReleaseHeld(instance.id()));
        int updated = schedules.setEnabled(flowConfigs, def, true);
        return new Result(instance, flowConfigs, updated, release);
    }

    /**
     * A queued release request: releases the instance's held executions if it is enabled, and
     * queues a continuation when there are more than it could do in {@link #RELEASE_BUDGET_IN_QUEUE}.
     */
    public Release continueRelease(String instanceId) {
        Release r = release(instanceId, ports.clock().instant().plus(RELEASE_BUDGET_IN_QUEUE));
        if (r.more()) ports.queue().send(new ExecutionMessage.ReleaseHeld(instanceId));
        return r;
    }

    /** Releases held executions oldest first until none are left or {@code deadline} passed (checked per page). */
    Release release(String instanceId, Instant deadline) {
        Optional<Instance> instance = ports.instances().get(instanceId);
        if (instance.isEmpty() || !instance.get().enabled()) return new Release(0, false);
        int released = 0;
        String cursor = null;
        do {
            Page<String> page = ports.executions().listHeld(instanceId, PAGE, cursor);
            for (String id : page.items()) {
                if (releaseOne(ports, id)) released++;
            }
            cursor = page.nextCursor();
            if (cursor != null && !ports.clock().instant().isBefore(deadline)) return new Release(released, true);
        } while (cursor != null);
        return new Release(released, false);
    }

    /** HELD → QUEUED, then enqueued; if the enqueue fails it is put back to HELD (best effort) and the failure thrown. */
    private static boolean releaseOne(Ports ports, String id) {
        if (!ports.executions().release(id)) return false;
        try {
            ports.queue().enqueue(id);
            return true;
        } catch (RuntimeException e) {
            try {
                ports.executions().get(id).filter(x -> x.status() == ExecutionStatus.QUEUED)
                        .ifPresent(x -> ports.executions().save(x.toBuilder().status(ExecutionStatus.HELD).build()));
            } catch (RuntimeException ignored) {
                System.err.println("{\"level\":\"ERROR\",\"message\":\"released execution could not be enqueued nor held"
                        + " again; it stays QUEUED until replayed\",\"executionId\":" + Json.write(id) + "}");
            }
            throw e;
        }
    }

    /**
     * To be called right after storing {@code held} as HELD: if its instance was unpaused in the
     * meantime (the unpause's release may have looked before this write), releases it now. Returns
     * the execution as it then is.
     */
    public static Execution releaseIfUnpaused(Ports ports, Execution held) {
        Optional<Instance> instance = ports.instances().get(held.instanceId());
        if (instance.isEmpty()) {
            // Deleted meanwhile (a webhook through a route cached before the deletion): nothing would
            // ever release it, so it goes the way of the instance's other executions.
            ports.executions().delete(held.id());
            InstanceDeletion.dropped("held execution", held.instanceId(), held.id());
            return held;
        }
        boolean enabled = instance.get().enabled();
        if (enabled && releaseOne(ports, held.id())) {
            return held.toBuilder().status(ExecutionStatus.QUEUED).build();
        }
        return held;
    }

    private Instance instance(String id) {
        return ports.instances().get(id).orElseThrow(() -> new NotFoundException("instance", id));
    }
}

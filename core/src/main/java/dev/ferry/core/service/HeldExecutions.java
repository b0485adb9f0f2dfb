package dev.ferry.core.service;

import dev.ferry.core.log.Log;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.Page;
import dev.ferry.core.port.ExecutionQueue;
import dev.ferry.core.port.ExecutionStore;
import dev.ferry.core.port.InstanceStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Releasing HELD executions: an unpause releases an instance's held executions oldest first (each
 * moved back to QUEUED and enqueued), and whoever stores one HELD — the webhook edge, a replay, the
 * runner finding the instance paused — calls {@link #releaseIfUnpaused} right after, so one held
 * just as the instance is unpaused is not left behind.
 */
public final class HeldExecutions {
    /** Held executions read per store call. */
    static final int PAGE = 100;

    /** What a release did: how many held executions it released, and whether more follow through the queue. */
    public record Release(int released, boolean more) {}

    private final ExecutionStore executions;
    private final InstanceStore instances;
    private final ExecutionQueue queue;
    private final Clock clock;

    public HeldExecutions(ExecutionStore executions, InstanceStore instances, ExecutionQueue queue, Clock clock) {
        this.executions = executions;
        this.instances = instances;
        this.queue = queue;
        this.clock = clock;
    }

    /** Releases held executions oldest first until none are left or {@code deadline} passed (checked per page). */
    public Release release(String instanceId, Instant deadline) {
        Optional<Instance> instance = instances.get(instanceId);
        if (instance.isEmpty() || !instance.get().enabled()) return new Release(0, false);
        int released = 0;
        String cursor = null;
        do {
            Page<String> page = executions.listHeld(instanceId, PAGE, cursor);
            for (String id : page.items()) {
                if (releaseOne(id)) released++;
            }
            cursor = page.nextCursor();
            if (cursor != null && !clock.instant().isBefore(deadline)) return new Release(released, true);
        } while (cursor != null);
        return new Release(released, false);
    }

    /**
     * To be called right after storing {@code held} as HELD: if its instance was unpaused in the
     * meantime (the unpause's release may have looked before this write), releases it now. Returns
     * the execution as it then is.
     */
    public Execution releaseIfUnpaused(Execution held) {
        Optional<Instance> instance = instances.get(held.instanceId());
        if (instance.isEmpty()) {
            // Deleted meanwhile (a webhook through a route cached before the deletion): nothing would
            // ever release it, so it goes the way of the instance's other executions.
            executions.delete(held.id());
            InstanceDeletion.dropped("held execution", held.instanceId(), held.id());
            return held;
        }
        boolean enabled = instance.get().enabled();
        if (enabled && releaseOne(held.id())) {
            return held.toBuilder().status(ExecutionStatus.QUEUED).build();
        }
        return held;
    }

    /** HELD → QUEUED, then enqueued; if the enqueue fails it is put back to HELD (best effort) and the failure thrown. */
    private boolean releaseOne(String id) {
        if (!executions.release(id)) return false;
        try {
            queue.enqueue(id);
            return true;
        } catch (RuntimeException e) {
            try {
                executions.get(id).filter(x -> x.status() == ExecutionStatus.QUEUED)
                        .ifPresent(x -> executions.save(x.toBuilder().status(ExecutionStatus.HELD).build()));
            } catch (RuntimeException ignored) {
                Log.error("released execution could not be enqueued nor held again; it stays QUEUED until replayed",
                        "executionId", id);
            }
            throw e;
        }
    }
}

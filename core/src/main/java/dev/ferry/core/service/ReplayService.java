package dev.ferry.core.service;

import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.port.ExecutionQueue;
import dev.ferry.core.port.ExecutionStore;
import dev.ferry.core.port.IdGenerator;
import dev.ferry.core.port.InstanceStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Manual replay: a new execution with the original's request (or a given body), linked to the
 * original, run on the instance's current integration version. The original's {@code replays} gets
 * the new id by an atomic append (never a read-modify-write that could lose a concurrent change).
 */
public final class ReplayService {
    private final ExecutionStore executions;
    private final InstanceStore instances;
    private final ExecutionQueue queue;
    private final IdGenerator ids;
    private final Clock clock;
    private final Settings settings;
    private final HeldExecutions held;

    public ReplayService(ExecutionStore executions, InstanceStore instances, ExecutionQueue queue, IdGenerator ids,
                         Clock clock, Settings settings, HeldExecutions held) {
        this.executions = executions;
        this.instances = instances;
        this.queue = queue;
        this.ids = ids;
        this.clock = clock;
        this.settings = settings;
        this.held = held;
    }

    /** Replays {@code executionId}; {@code body} null keeps the original body. Returns the new execution. */
    public Execution replay(String executionId, byte[] body) {
        Execution source = executions.get(executionId)
                .orElseThrow(() -> new NotFoundException("execution", executionId));
        Instance instance = instances.get(source.instanceId())
                .orElseThrow(() -> new NotFoundException("instance", source.instanceId()));
        Execution replay = replayOf(source, instance, ids.newId("exe"), null, body);
        executions.create(replay);
        executions.linkReplay(replay.replayOf(), replay.id(), false);
        if (replay.status() == ExecutionStatus.QUEUED) queue.enqueue(replay.id());
        // Held because the instance looked paused: if an unpause raced us, release it now.
        return replay.status() == ExecutionStatus.HELD ? held.releaseIfUnpaused(replay) : replay;
    }

    /**
     * The replay of {@code source} (an original, a retry or a replay: {@code replayOf} is always the
     * original) as a new execution: QUEUED, or HELD when the instance is paused; on the instance's
     * current integration version.
     */
    Execution replayOf(Execution source, Instance instance, String id, String jobId, byte[] body) {
        ExecutionRequest request = body == null || source.request() == null ? source.request()
                : source.request().withBody(body);
        Instant now = clock.instant();
        return Execution.builder()
                .id(id)
                .instanceId(instance.id())
                .customerId(instance.customerId())
                .flowConfigId(source.flowConfigId())
                .flow(source.flow())
                .trigger(Trigger.REPLAY)
                .status(instance.enabled() ? ExecutionStatus.QUEUED : ExecutionStatus.HELD)
                .queuedAt(now)
                .attempt(1)
                .replayOf(source.originalId())
                .request(request)
                .expiresAt(now.plus(Duration.ofDays(settings.retentionDays())))
                .replayJobId(jobId)
                .build();
    }
}

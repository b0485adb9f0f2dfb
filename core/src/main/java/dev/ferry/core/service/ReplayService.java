package dev.ferry.core.service;

import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Manual replay: a new execution with the original's request (or a given body), linked to the
 * original, run on the instance's current integration version.
 */
public final class ReplayService {
    private final Ports ports;
    private final Settings settings;

    public ReplayService(Ports ports, Settings settings) {
        this.ports = ports;
        this.settings = settings;
    }

    /** Replays {@code executionId}; {@code body} null keeps the original body. Returns the new execution. */
    public Execution replay(String executionId, byte[] body) {
        Execution source = ports.executions().get(executionId)
                .orElseThrow(() -> new NotFoundException("execution", executionId));
        Execution original = source.original() ? source
                : ports.executions().get(source.originalId()).orElse(source);
        Instance instance = ports.instances().get(source.instanceId())
                .orElseThrow(() -> new NotFoundException("instance", source.instanceId()));
        ExecutionRequest request = body == null ? source.request() : source.request().withBody(body);
        Instant now = ports.clock().instant();
        boolean paused = !instance.enabled();
        Execution replay = Execution.builder()
                .id(ports.ids().newId("exe"))
                .instanceId(instance.id())
                .customerId(instance.customerId())
                .flowConfigId(source.flowConfigId())
                .flow(source.flow())
                .trigger(Trigger.REPLAY)
                .status(paused ? ExecutionStatus.HELD : ExecutionStatus.QUEUED)
                .queuedAt(now)
                .attempt(1)
                .replayOf(original.id())
                .integrationVersion(instance.integrationVersion())
                .request(request)
                .expiresAt(now.plus(Duration.ofDays(settings.retentionDays())))
                .build();
        ports.executions().create(replay);
        List<String> replays = new ArrayList<>(original.replays());
        replays.add(replay.id());
        ports.executions().save(original.toBuilder().replays(replays).build());
        if (!paused) ports.queue().enqueue(replay.id());
        return paused ? PauseService.releaseIfUnpaused(ports, replay) : replay;
    }
}

package dev.ferry.core.service;

import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.error.StoreException;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionError;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.FlowConfig;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.port.ExecutionQueue;
import dev.ferry.core.port.ExecutionStore;
import dev.ferry.core.port.IdGenerator;
import dev.ferry.core.port.InstanceStore;
import dev.ferry.core.port.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A flow config's test run ({@code POST /flow-configs/{id}/test}), run where flows run: the
 * management function stores a QUEUED execution with trigger TEST and sends it to the execution
 * queue, and FlowExecutionFunction runs it (even while the instance is paused) and writes its log
 * lines as they come. The request then waits {@link #WAIT} for the end: a short test answers
 * finished, a longer one answers with its id and the client follows it. Nothing long rides the
 * request, so API Gateway's 30 s never cuts a run, and the management function never runs a step.
 */
public final class TestRuns {
    /** How long a test request waits for its run to end before it answers with the run still going. */
    public static final Duration WAIT = Duration.ofSeconds(10);

    private final ExecutionStore executions;
    private final InstanceStore instances;
    private final ExecutionQueue queue;
    private final IdGenerator ids;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Settings settings;

    public TestRuns(ExecutionStore executions, InstanceStore instances, ExecutionQueue queue, IdGenerator ids, Clock clock,
                    Sleeper sleeper, Settings settings) {
        this.executions = executions;
        this.instances = instances;
        this.queue = queue;
        this.ids = ids;
        this.clock = clock;
        this.sleeper = sleeper;
        this.settings = settings;
    }

    /**
     * Stores the test run QUEUED and sends it to the execution queue; returns it. When it cannot be
     * sent it is withdrawn ({@code CANCELLED}) and this throws a {@link StoreException} (a 503).
     */
    public Execution start(String flowConfigId, ExecutionRequest request) {
        FlowConfig flowConfig = instances.getFlowConfig(flowConfigId)
                .orElseThrow(() -> new NotFoundException("flow config", flowConfigId));
        Instance instance = instances.get(flowConfig.instanceId())
                .orElseThrow(() -> new NotFoundException("instance", flowConfig.instanceId()));
        Instant now = clock.instant();
        Execution execution = Execution.builder()
                .id(ids.newId("exe"))
                .instanceId(instance.id())
                .customerId(instance.customerId())
                .flowConfigId(flowConfig.id())
                .flow(flowConfig.flow())
                .trigger(Trigger.TEST)
                .status(ExecutionStatus.QUEUED)
                .queuedAt(now)
                .attempt(1)
                .integrationVersion(instance.integrationVersion())
                .request(request)
                .expiresAt(now.plus(Duration.ofDays(settings.retentionDays())))
                .build();
        executions.create(execution);
        try {
            queue.enqueue(execution.id());
        } catch (RuntimeException notSent) {
            try {
                executions.save(execution.toBuilder().end(ExecutionStatus.CANCELLED, clock.instant())
                        .error(new ExecutionError("not enqueued: " + notSent.getMessage() + "; the test was answered 503",
                                null, true))
                        .build());
            } catch (RuntimeException ignored) {
                // Best effort: the unacknowledged sweep withdraws a QUEUED execution nothing claims.
            }
            throw notSent instanceof StoreException s ? s : new StoreException("could not enqueue the test run", notSent);
        }
        return execution;
    }

    /** Polls the run until it ends or {@code wait} passes; the last state seen. */
    public Execution awaitEnd(Execution started, Duration wait) {
        Instant deadline = clock.instant().plus(wait);
        long pauseMs = 50;
        Execution current = started;
        while (!current.status().terminal() && clock.instant().isBefore(deadline)) {
            try {
                sleeper.sleep(Duration.ofMillis(pauseMs));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            pauseMs = Math.min(pauseMs * 2, 500);
            current = executions.get(started.id()).orElse(current);
        }
        return current;
    }
}

package dev.ferry.core.service;

import dev.ferry.core.error.ConflictException;
import dev.ferry.core.message.RetryMessage;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.port.ExecutionQueue;
import dev.ferry.core.port.ExecutionStore;
import dev.ferry.core.port.RetryQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Handles the retry queue's messages (RetryDispatchFunction). A message that arrives before its
 * due time (a delay longer than one SQS delay) is sent again with what remains. When it is due,
 * the retry is created as an ordinary execution — trigger RETRY, attempt n+1, {@code retryOf} the
 * original, the same request — and queued, so it goes through the runner like any other: held
 * while the instance is paused, deleted (not run) if the instance has been deleted. The retry's id is derived from
 * the failed execution ({@code <original>_r<attempt>}), so a message delivered twice creates it once.
 * Before creating it the failed execution is marked as having its retry started, conditionally on
 * it still being FAILED: a cancel of the waiting execution and the dispatch are decided by the store.
 */
public final class RetryDispatcher {
    /** What became of one message. */
    public enum Outcome {
        /** Not due yet: sent again with the remaining delay. */
        DEFERRED,
        /** The retry was created and queued. */
        DISPATCHED,
        /** The retry existed already (a re-delivered message): queued again, which runs it at most once. */
        ALREADY_DISPATCHED,
        /** Nothing to retry: the failed execution is gone (expired) or its retries were cancelled. */
        DROPPED
    }

    private final RetryQueue retries;
    private final ExecutionStore executions;
    private final ExecutionQueue queue;
    private final Clock clock;
    private final Settings settings;

    public RetryDispatcher(RetryQueue retries, ExecutionStore executions, ExecutionQueue queue, Clock clock,
                           Settings settings) {
        this.retries = retries;
        this.executions = executions;
        this.queue = queue;
        this.clock = clock;
        this.settings = settings;
    }

    public Outcome dispatch(RetryMessage message) {
        Instant now = clock.instant();
        if (message.dueAt().isAfter(now)) {
            Duration remaining = Duration.between(now, message.dueAt());
            retries.send(message, remaining.compareTo(RetryQueue.MAX_DELAY) > 0 ? RetryQueue.MAX_DELAY : remaining);
            return Outcome.DEFERRED;
        }
        Optional<Execution> found = executions.get(message.executionId());
        if (found.isEmpty()) return Outcome.DROPPED;
        Execution failed = found.get();
        if (failed.status() == ExecutionStatus.CANCELLED || failed.cancelledBy() != null) return Outcome.DROPPED;
        // Conditional on the failed execution still being FAILED: a cancel that got there first wins, and
        // one that comes later finds the retry started and is refused.
        if (!executions.startRetry(failed.id(), now)) return Outcome.DROPPED;
        Execution retry = Execution.builder()
                .id(retryId(failed))
                .instanceId(failed.instanceId())
                .customerId(failed.customerId())
                .flowConfigId(failed.flowConfigId())
                .flow(failed.flow())
                .trigger(Trigger.RETRY)
                .status(ExecutionStatus.QUEUED)
                .queuedAt(now)
                .attempt(failed.attempt() + 1)
                .retryOf(failed.originalId())
                .request(failed.request())
                .expiresAt(now.plus(Duration.ofDays(settings.retentionDays())))
                .build();
        boolean created = true;
        try {
            executions.create(retry);
        } catch (ConflictException alreadyThere) {
            created = false;
        }
        queue.enqueue(retry.id());
        return created ? Outcome.DISPATCHED : Outcome.ALREADY_DISPATCHED;
    }

    /** The id of the retry that follows {@code failed}: {@code <original id>_r<its attempt number>}. */
    public static String retryId(Execution failed) {
        return failed.originalId() + "_r" + (failed.attempt() + 1);
    }
}

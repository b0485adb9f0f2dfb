package dev.ferry.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.definition.DefinitionParser;
import dev.ferry.core.definition.RetryPolicy;
import dev.ferry.core.engine.Expressions;
import dev.ferry.core.json.Json;
import dev.ferry.core.message.RetryMessage;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.Severity;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.port.ExecutionStore;
import dev.ferry.core.port.LogSink;
import dev.ferry.core.port.RetryQueue;
import dev.ferry.core.port.UniqueRequestStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Automatic retries of failed asynchronous executions (docs/flow-language.md, "Retries"). When an execution of a
 * webhook or schedule (or a retry of one) fails with a retryable error and its flow's policy has
 * attempts left, the failed execution gets {@code nextRetryAt} and {@code retriesRemaining}, and a
 * message goes to the retry queue; the {@link RetryDispatcher} starts the retry when it is due.
 * TEST runs are never retried; nor are REPLAYs (an operator's deliberate re-run: its failure is
 * reported, and the operator replays again).
 *
 * <p>{@code uniqueRequestId}: when an original execution starts it becomes the holder of its
 * value; the older chain it displaces has its pending retry cancelled (the execution waiting for
 * it, and the chain's original, become CANCELLED with {@code cancelledBy}). A chain that is
 * displaced while one of its executions runs schedules no further retry.
 */
public final class Retries {
    /** Triggers whose failures are retried automatically. */
    public static final Set<Trigger> RETRIED = EnumSet.of(Trigger.WEBHOOK, Trigger.SCHEDULE, Trigger.RETRY);

    private final ExecutionStore executions;
    private final UniqueRequestStore uniqueRequests;
    private final RetryQueue retryQueue;
    private final Clock clock;
    private final Settings settings;

    public Retries(ExecutionStore executions, UniqueRequestStore uniqueRequests, RetryQueue retryQueue, Clock clock,
                   Settings settings) {
        this.executions = executions;
        this.uniqueRequests = uniqueRequests;
        this.retryQueue = retryQueue;
        this.clock = clock;
        this.settings = settings;
    }

    /** What {@link #start} learned: the unique request value (null if none) and who superseded the chain. */
    public record Chain(String uniqueValue, String supersededBy) {
        static final Chain NONE = new Chain(null, null);
    }

    /**
     * Called when an execution starts running: for an original execution of a flow with a
     * {@code uniqueRequestId}, claims the value and cancels the pending retry of the chain it displaces.
     */
    public Chain start(Execution execution, RetryPolicy policy, JsonNode trigger, LogSink log) {
        if (!retried(execution, policy) || policy.uniqueRequestId() == null) return Chain.NONE;
        String value = uniqueValue(policy, trigger, log);
        if (value == null || !execution.original()) return new Chain(value, null);
        UniqueRequestStore.Claim claim = uniqueRequests.claim(execution.flowConfigId(), value, execution.id(),
                execution.queuedAt(), expiry());
        if (claim.superseded()) {
            log.log(Severity.WARN, null, "a newer execution with the same unique request id (" + claim.supersededBy()
                    + ") exists: this one will not be retried");
            return new Chain(value, claim.supersededBy());
        }
        if (claim.displacedPendingId() != null) {
            boolean cancelled = cancelPending(claim.displacedOriginalId(), claim.displacedPendingId(), execution.id());
            if (cancelled) {
                log.log(Severity.INFO, null, "cancelled the pending retry of execution " + claim.displacedPendingId()
                        + " (same unique request id)");
            }
        }
        return new Chain(value, null);
    }

    /**
     * Decides what follows a failed execution and returns it as it must be saved: with
     * {@code nextRetryAt} and {@code retriesRemaining} once its retry message is sent; with
     * {@code retriesRemaining} 0 when the policy has nothing left, the error is not retryable or the
     * message could not be sent; CANCELLED with {@code cancelledBy} when a newer execution with the
     * same unique request id took over the chain.
     */
    public Execution onFailure(Execution failed, RetryPolicy policy, Duration retryAfter, Chain chain, LogSink log) {
        if (!retried(failed, policy)) return failed;
        int remaining = policy.maxAttempts() - (failed.attempt() - 1);
        if (failed.error() != null && !failed.error().retryable()) {
            log.log(Severity.INFO, failed.error().step(), "not retried: the error is not retryable");
            return failed.toBuilder().retriesRemaining(0).build();
        }
        if (remaining <= 0) {
            log.log(Severity.INFO, null, "not retried: all " + policy.maxAttempts() + " retries were used");
            return failed.toBuilder().retriesRemaining(0).build();
        }
        String supersededBy = chain.supersededBy();
        if (supersededBy == null && chain.uniqueValue() != null) {
            supersededBy = uniqueRequests.markPending(failed.flowConfigId(), chain.uniqueValue(),
                    failed.originalId(), failed.id()).orElse(null);
        }
        if (supersededBy != null) {
            log.log(Severity.INFO, null, "not retried: superseded by execution " + supersededBy
                    + " with the same unique request id");
            if (!failed.original()) cancelPending(failed.originalId(), null, supersededBy);
            return cancelled(failed, supersededBy);
        }
        Instant now = clock.instant();
        Instant due = (failed.endedAt() != null ? failed.endedAt() : now)
                .plus(delay(policy, failed.attempt(), failed.id(), retryAfter));
        Duration wait = due.isAfter(now) ? Duration.between(now, due) : Duration.ZERO;
        try {
            retryQueue.send(new RetryMessage(failed.id(), due),
                    wait.compareTo(RetryQueue.MAX_DELAY) > 0 ? RetryQueue.MAX_DELAY : wait);
        } catch (RuntimeException e) {
            log.log(Severity.ERROR, null, "retry could not be scheduled (" + e.getMessage()
                    + "); replay this execution to run it again");
            return failed.toBuilder().retriesRemaining(0).build();
        }
        log.log(Severity.INFO, null, "retry " + failed.attempt() + " of " + policy.maxAttempts() + " scheduled at "
                + due + (retryAfter != null ? " (the server asked to retry after " + retryAfter.toSeconds() + " s)" : ""));
        return failed.toBuilder().nextRetryAt(due).retriesRemaining(remaining).build();
    }

    /**
     * The wait before retrying after attempt {@code attempt} failed: the policy's delay for retry
     * number {@code attempt}; with jitter, between half of it and all of it (a fraction fixed by the
     * execution id, so many executions failing together spread out); at least the server's
     * {@code Retry-After}; at most {@value DefinitionParser#MAX_RETRY_DELAY_SECONDS} seconds.
     */
    public static Duration delay(RetryPolicy policy, int attempt, String executionId, Duration retryAfter) {
        long baseMs = policy.baseDelaySeconds(attempt) * 1000L;
        long ms = policy.jitter() ? baseMs / 2 + (long) (baseMs / 2.0 * fraction(executionId)) : baseMs;
        if (retryAfter != null && retryAfter.toMillis() > ms) ms = retryAfter.toMillis();
        ms = Math.max(1000, Math.min(ms, DefinitionParser.MAX_RETRY_DELAY_SECONDS * 1000L));
        return Duration.ofMillis(ms);
    }

    /** A stable number in [0, 1) from the id. */
    static double fraction(String id) {
        long h = (id == null ? 0 : id.hashCode()) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
        return (h >>> 11) * 0x1.0p-53;
    }

    private static boolean retried(Execution e, RetryPolicy policy) {
        return policy != null && policy.maxAttempts() > 0 && RETRIED.contains(e.trigger());
    }

    /** The uniqueRequestId expression's value on {@code $trigger}; null when empty or it fails (logged). */
    private static String uniqueValue(RetryPolicy policy, JsonNode trigger, LogSink log) {
        try {
            var bindings = Json.object();
            bindings.set("trigger", trigger);
            JsonNode v = Expressions.evaluate(Json.MAPPER.getNodeFactory().textNode(policy.uniqueRequestId()), bindings);
            if (v == null || v.isNull() || v.isMissingNode()) return null;
            String text = v.isValueNode() ? v.asText() : v.toString();
            return text.isEmpty() ? null : text;
        } catch (RuntimeException e) {
            log.log(Severity.WARN, null, "uniqueRequestId could not be evaluated: " + e.getMessage());
            return null;
        }
    }

    /**
     * Cancels a chain's pending retry: the execution waiting for it ({@code pendingId}, if its retry is
     * still in the future) and the chain's original, when FAILED, become CANCELLED by {@code by}.
     * Returns whether a pending retry was cancelled.
     */
    private boolean cancelPending(String originalId, String pendingId, String by) {
        Instant now = clock.instant();
        boolean cancelled = false;
        if (pendingId != null) {
            Optional<Execution> pending = executions.get(pendingId);
            if (pending.isEmpty() || pending.get().status() != ExecutionStatus.FAILED
                    || pending.get().nextRetryAt() == null || !pending.get().nextRetryAt().isAfter(now)) {
                return false; // its retry is already under way (or it is gone)
            }
            executions.save(cancelled(pending.get(), by));
            cancelled = true;
        }
        Set<String> rest = new LinkedHashSet<>();
        if (originalId != null && !originalId.equals(pendingId)) rest.add(originalId);
        for (String id : rest) {
            executions.get(id).filter(o -> o.status() == ExecutionStatus.FAILED && !o.resolved())
                    .ifPresent(o -> executions.save(cancelled(o, by)));
        }
        return cancelled || pendingId == null;
    }

    private static Execution cancelled(Execution e, String by) {
        return e.toBuilder().status(ExecutionStatus.CANCELLED).cancelledBy(by).nextRetryAt(null).retriesRemaining(0)
                .build();
    }

    private Instant expiry() {
        return clock.instant().plus(Duration.ofDays(settings.retentionDays()));
    }
}

package dev.ferry.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One run of a flow for one instance, with its request, step results and lineage. Built and
 * changed through {@link #toBuilder()}; stores keep it whole. {@code integrationVersion} is the
 * version its run used: null while it is queued, held or running (a queued execution runs on the
 * instance's version at the time it runs, which an update may still change).
 * {@code outputsDiscarded}/{@code logsDiscarded}: its instance keeps no step outputs, or no log lines,
 * of its executions, and the run kept none (false, the default, in anything written before).
 * {@code logLinesDropped}: lines of its run the log store finally could not write (after its own
 * retries), so a gap in its logs is never silent; 0 in anything written before.
 */
public record Execution(
        String id,
        String instanceId,
        String customerId,
        String flowConfigId,
        String flow,
        Trigger trigger,
        ExecutionStatus status,
        Instant queuedAt,
        Instant startedAt,
        Instant endedAt,
        Long durationMs,
        ExecutionError error,
        int attempt,
        String retryOf,
        Instant nextRetryAt,
        Integer retriesRemaining,
        String replayOf,
        List<String> replays,
        boolean resolved,
        String cancelledBy,
        // Left out of queue messages while null, so a message of an execution never cancelled reads as before.
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        Instant cancelledAt,
        Integer integrationVersion,
        ExecutionRequest request,
        List<StepResult> steps,
        Instant expiresAt,
        String replayJobId,
        // Written only when true, so the messages that carry an execution read as they did before.
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean outputsDiscarded,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean logsDiscarded,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int logLinesDropped) {

    public Execution {
        replays = replays == null ? List.of() : List.copyOf(replays);
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    /** The execution this one descends from through retries or a replay; itself for an original. */
    public String originalId() {
        return retryOf != null ? retryOf : replayOf != null ? replayOf : id;
    }

    public boolean original() {
        return retryOf == null && replayOf == null;
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Mutable builder: the one way executions are created and changed. */
    public static final class Builder {
        private String id, instanceId, customerId, flowConfigId, flow, retryOf, replayOf, cancelledBy;
        private Trigger trigger;
        private ExecutionStatus status = ExecutionStatus.QUEUED;
        private Instant queuedAt, startedAt, endedAt, nextRetryAt, expiresAt, cancelledAt;
        private Long durationMs;
        private ExecutionError error;
        private int attempt = 1;
        private Integer integrationVersion;
        private Integer retriesRemaining;
        private List<String> replays = List.of();
        private boolean resolved;
        private ExecutionRequest request;
        private List<StepResult> steps = List.of();
        private String replayJobId;
        private boolean outputsDiscarded;
        private boolean logsDiscarded;
        private int logLinesDropped;

        private Builder() {}

        private Builder(Execution e) {
            id = e.id; instanceId = e.instanceId; customerId = e.customerId; flowConfigId = e.flowConfigId;
            flow = e.flow; trigger = e.trigger; status = e.status; queuedAt = e.queuedAt; startedAt = e.startedAt;
            endedAt = e.endedAt; durationMs = e.durationMs; error = e.error; attempt = e.attempt; retryOf = e.retryOf;
            nextRetryAt = e.nextRetryAt; retriesRemaining = e.retriesRemaining; replayOf = e.replayOf;
            replays = e.replays; resolved = e.resolved; cancelledBy = e.cancelledBy; cancelledAt = e.cancelledAt;
            integrationVersion = e.integrationVersion; request = e.request; steps = e.steps; expiresAt = e.expiresAt;
            replayJobId = e.replayJobId; outputsDiscarded = e.outputsDiscarded; logsDiscarded = e.logsDiscarded;
            logLinesDropped = e.logLinesDropped;
        }

        public Builder id(String v) { id = v; return this; }
        public Builder instanceId(String v) { instanceId = v; return this; }
        public Builder customerId(String v) { customerId = v; return this; }
        public Builder flowConfigId(String v) { flowConfigId = v; return this; }
        public Builder flow(String v) { flow = v; return this; }
        public Builder trigger(Trigger v) { trigger = v; return this; }
        public Builder status(ExecutionStatus v) { status = v; return this; }
        public Builder queuedAt(Instant v) { queuedAt = v; return this; }
        public Builder startedAt(Instant v) { startedAt = v; return this; }
        public Builder endedAt(Instant v) { endedAt = v; return this; }
        public Builder durationMs(Long v) { durationMs = v; return this; }
        public Builder error(ExecutionError v) { error = v; return this; }
        public Builder attempt(int v) { attempt = v; return this; }
        public Builder retryOf(String v) { retryOf = v; return this; }
        public Builder nextRetryAt(Instant v) { nextRetryAt = v; return this; }
        public Builder retriesRemaining(Integer v) { retriesRemaining = v; return this; }
        public Builder replayOf(String v) { replayOf = v; return this; }
        public Builder replays(List<String> v) { replays = v; return this; }
        public Builder resolved(boolean v) { resolved = v; return this; }
        public Builder cancelledBy(String v) { cancelledBy = v; return this; }
        /** When an operator cancelled it (null otherwise). */
        public Builder cancelledAt(Instant v) { cancelledAt = v; return this; }
        /** The integration version the execution ran on; null until its run records one. */
        public Builder integrationVersion(Integer v) { integrationVersion = v; return this; }
        public Builder request(ExecutionRequest v) { request = v; return this; }
        public Builder steps(List<StepResult> v) { steps = v; return this; }
        public Builder expiresAt(Instant v) { expiresAt = v; return this; }
        /** The bulk replay job that created this replay (null otherwise). */
        public Builder replayJobId(String v) { replayJobId = v; return this; }
        public Builder outputsDiscarded(boolean v) { outputsDiscarded = v; return this; }
        public Builder logsDiscarded(boolean v) { logsDiscarded = v; return this; }
        /** Lines of the run the log store could not write. */
        public Builder logLinesDropped(int v) { logLinesDropped = v; return this; }

        /** Marks the execution ended at {@code at} with the given status, computing its duration. */
        public Builder end(ExecutionStatus terminal, Instant at) {
            status = terminal;
            endedAt = at;
            if (startedAt != null) durationMs = Duration.between(startedAt, at).toMillis();
            return this;
        }

        public Execution build() {
            return new Execution(id, instanceId, customerId, flowConfigId, flow, trigger, status, queuedAt,
                    startedAt, endedAt, durationMs, error, attempt, retryOf, nextRetryAt, retriesRemaining,
                    replayOf, replays, resolved, cancelledBy, cancelledAt, integrationVersion, request, steps, expiresAt, replayJobId,
                    outputsDiscarded, logsDiscarded, logLinesDropped);
        }
    }
}

package dev.ferry.core.port;

import java.time.Instant;
import java.util.Optional;

/**
 * For flows with a {@code uniqueRequestId}: per flow config and value, which execution chain is the
 * newest and which of its executions has a retry pending — one keyed item each, never a scan — so a
 * newer execution with the same value can cancel the older chain's pending retries.
 */
public interface UniqueRequestStore {
    /**
     * The outcome of {@link #claim}: either this execution is now the newest holder of the value (and
     * {@code displacedOriginalId}/{@code displacedPendingId} name the older chain it took over from,
     * null when there was none or it had no retry pending), or a newer execution already holds it
     * ({@code supersededBy}).
     */
    record Claim(String supersededBy, String displacedOriginalId, String displacedPendingId) {
        public boolean superseded() {
            return supersededBy != null;
        }
    }

    /**
     * Makes the original execution {@code executionId} (queued at {@code queuedAt}) the holder of
     * {@code (flowConfigId, value)} unless an execution queued later holds it. Idempotent for the holder.
     */
    Claim claim(String flowConfigId, String value, String executionId, Instant queuedAt, Instant expiresAt);

    /**
     * Records that the chain of {@code originalId} has a retry pending after {@code pendingExecutionId},
     * if that chain still holds the value. Returns the newer holder when it does not (the retry must
     * not be scheduled), else empty.
     */
    Optional<String> markPending(String flowConfigId, String value, String originalId, String pendingExecutionId);

    /** Deletes every holder of this flow config's values (when its instance is deleted). */
    void deleteForFlowConfig(String flowConfigId);
}

package dev.ferry.core.message;

/**
 * What the execution queue carries to the flow execution function. On the wire each is a JSON
 * object with one field ({@link #CODEC}):
 *
 * <ul>
 *   <li>{@link Run} {@code {"executionId": "<id>"}}</li>
 *   <li>{@link ReleaseHeld} {@code {"releaseHeldOf": "<instanceId>"}}</li>
 *   <li>{@link ContinueDeletion} {@code {"deleteInstance": "<instanceId>"}}</li>
 * </ul>
 *
 * A body with {@code releaseHeldOf} is a release whatever else it holds, then one with
 * {@code deleteInstance} a deletion; any other body must have an {@code executionId}. Unknown
 * fields are ignored.
 */
public sealed interface ExecutionMessage extends QueueMessage {
    MessageCodec<ExecutionMessage> CODEC = new ExecutionMessageCodec();

    /**
     * Run (claim) the stored execution: sent by the webhook, a schedule tick, the retry dispatcher, a
     * replay, a bulk replay job and an unpause's release.
     */
    record Run(String executionId) implements ExecutionMessage {
        public Run {
            Fields.requireId(ExecutionMessageCodec.EXECUTION_ID, executionId);
        }

        @Override
        public String summary() {
            return "executionId " + executionId;
        }
    }

    /** Release the instance's held executions: the rest of an unpause's release (10 minutes per message). */
    record ReleaseHeld(String instanceId) implements ExecutionMessage {
        public ReleaseHeld {
            Fields.requireText(ExecutionMessageCodec.RELEASE_HELD_OF, instanceId);
        }

        @Override
        public String summary() {
            return "releaseHeldOf " + instanceId;
        }
    }

    /** Go on deleting the instance: the rest of a {@code DELETE /instances/{id}} that did not finish in its request. */
    record ContinueDeletion(String instanceId) implements ExecutionMessage {
        public ContinueDeletion {
            Fields.requireText(ExecutionMessageCodec.DELETE_INSTANCE, instanceId);
        }

        @Override
        public String summary() {
            return "deleteInstance " + instanceId;
        }
    }
}

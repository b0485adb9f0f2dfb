package dev.ferry.core.port;

/** The queue that feeds executions to the flow execution function. */
public interface ExecutionQueue {
    /** Enqueues the execution for running; durable when this returns. */
    void enqueue(String executionId);

    /**
     * Enqueues a request to release an unpaused instance's held executions (the rest of an
     * unpause's release, done by the flow execution function). Durable when this returns. The
     * queue adapter and its fake carry these; a queue that cannot refuses.
     */
    default void enqueueRelease(String instanceId) {
        throw new UnsupportedOperationException("this queue does not carry release requests");
    }

    /**
     * Enqueues a request to go on deleting an instance (the rest of a {@code DELETE /instances/{id}}
     * that did not finish within its request, done by the flow execution function). Durable when this
     * returns. The queue adapter and its fake carry these; a queue that cannot refuses.
     */
    default void enqueueDeletion(String instanceId) {
        throw new UnsupportedOperationException("this queue does not carry deletion requests");
    }

    /** Enqueues many (adapters send them in batches); durable when this returns. */
    default void enqueueAll(java.util.List<String> executionIds) {
        executionIds.forEach(this::enqueue);
    }
}

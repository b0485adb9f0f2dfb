package dev.ferry.core.port;

/** The queue that feeds executions to the flow execution function. */
public interface ExecutionQueue {
    /** Enqueues the execution for running; durable when this returns. */
    void enqueue(String executionId);

    /** Enqueues many (adapters send them in batches); durable when this returns. */
    default void enqueueAll(java.util.List<String> executionIds) {
        executionIds.forEach(this::enqueue);
    }
}

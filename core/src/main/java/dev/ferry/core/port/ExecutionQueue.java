package dev.ferry.core.port;

import java.time.Duration;

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

    /**
     * Brings a received message that failed back after {@code delay} rather than after the queue's
     * visibility timeout ({@code receiptHandle}: the handle its delivery came with). The execution
     * queue's visibility timeout is 90 minutes (six times the flow execution function's), so without
     * this an execution whose message failed during a short store outage would wait that long once
     * the store is back. Never later than the queue would bring it back by itself: a queue whose
     * visibility timeout is shorter than {@code delay} keeps to its own. A queue that holds no
     * received messages (a benchmark's discarding queue) has nothing to bring back.
     */
    default void redeliverAfter(String receiptHandle, Duration delay) {}
}

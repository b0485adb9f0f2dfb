package dev.ferry.core.port;

import dev.ferry.core.message.ExecutionMessage;
import java.time.Duration;
import java.util.List;

/** The queue that feeds the flow execution function: executions to run, and the instance work it continues. */
public interface ExecutionQueue {
    /** Sends the message; durable when this returns. */
    void send(ExecutionMessage message);

    /** Enqueues the execution for running; durable when this returns. */
    default void enqueue(String executionId) {
        send(new ExecutionMessage.Run(executionId));
    }

    /** Enqueues many executions (adapters send them in batches); durable when this returns. */
    default void enqueueAll(List<String> executionIds) {
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

package dev.ferry.core.port;

import dev.ferry.core.message.ExecutionMessage;
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
}

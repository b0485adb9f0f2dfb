package dev.ferry.core.fakes;

import dev.ferry.core.port.ExecutionQueue;
import java.util.ArrayList;
import java.util.List;

/** Records enqueued execution ids, in order, until drained. Thread-safe. */
public final class InMemoryExecutionQueue implements ExecutionQueue {
    private final List<String> pending = new ArrayList<>();

    @Override
    public synchronized void enqueue(String executionId) {
        pending.add(executionId);
    }

    /** The ids enqueued since the last drain, oldest first; empties the queue. */
    public synchronized List<String> drain() {
        List<String> out = List.copyOf(pending);
        pending.clear();
        return out;
    }

    /** The ids waiting, without removing them. */
    public synchronized List<String> pending() {
        return List.copyOf(pending);
    }

    public synchronized int size() {
        return pending.size();
    }
}

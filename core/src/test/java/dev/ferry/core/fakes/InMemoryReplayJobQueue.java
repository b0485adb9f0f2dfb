package dev.ferry.core.fakes;

import dev.ferry.core.port.ReplayJobQueue;
import java.util.ArrayList;
import java.util.List;

/** Records queued replay job ids, in order, until drained. Thread-safe. */
public final class InMemoryReplayJobQueue implements ReplayJobQueue {
    private final List<String> pending = new ArrayList<>();

    @Override
    public synchronized void enqueue(String jobId) {
        pending.add(jobId);
    }

    public synchronized List<String> drain() {
        List<String> out = List.copyOf(pending);
        pending.clear();
        return out;
    }

    public synchronized List<String> pending() {
        return List.copyOf(pending);
    }
}

package dev.ferry.core.fakes;

import dev.ferry.core.port.ExecutionQueue;
import java.util.ArrayList;
import java.util.List;

/** Records enqueued execution ids, in order, until drained; release requests apart. Thread-safe. */
public final class InMemoryExecutionQueue implements ExecutionQueue {
    private final List<String> pending = new ArrayList<>();
    private final List<String> releases = new ArrayList<>();
    private final List<String> deletions = new ArrayList<>();

    @Override
    public synchronized void enqueue(String executionId) {
        pending.add(executionId);
    }

    @Override
    public synchronized void enqueueRelease(String instanceId) {
        releases.add(instanceId);
    }

    @Override
    public synchronized void enqueueDeletion(String instanceId) {
        deletions.add(instanceId);
    }

    /** The instance ids of deletion requests since the last call, oldest first; empties them. */
    public synchronized List<String> drainDeletions() {
        List<String> out = List.copyOf(deletions);
        deletions.clear();
        return out;
    }

    /** The ids enqueued since the last drain, oldest first; empties the queue. */
    public synchronized List<String> drain() {
        List<String> out = List.copyOf(pending);
        pending.clear();
        return out;
    }

    /** The instance ids of release requests since the last call, oldest first; empties them. */
    public synchronized List<String> drainReleases() {
        List<String> out = List.copyOf(releases);
        releases.clear();
        return out;
    }

    /** The ids waiting, without removing them. */
    public synchronized List<String> pending() {
        return List.copyOf(pending);
    }

    /** Release requests waiting, without removing them. */
    public synchronized List<String> pendingReleases() {
        return List.copyOf(releases);
    }

    public synchronized int size() {
        return pending.size();
    }
}

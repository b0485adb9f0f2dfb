package dev.ferry.core.fakes;

import dev.ferry.core.port.ExecutionQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records enqueued execution ids, in order, until drained; release requests apart; and the delay
 * each failed delivery was handed back with (by receipt handle). Thread-safe.
 */
public final class InMemoryExecutionQueue implements ExecutionQueue {
    private final Map<String, Duration> redeliveries = new LinkedHashMap<>();
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

    @Override
    public synchronized void redeliverAfter(String receiptHandle, Duration delay) {
        redeliveries.put(receiptHandle, delay);
    }

    /** Receipt handle → the delay its message was handed back with, in the order they were. */
    public synchronized Map<String, Duration> redeliveries() {
        return new LinkedHashMap<>(redeliveries);
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

package dev.ferry.core.fakes;

import dev.ferry.core.message.ExecutionMessage;
import dev.ferry.core.port.ExecutionQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The execution queue in memory. What a test receives went through the wire format: each message is
 * written and read back with {@link ExecutionMessage#CODEC} when it is drained or looked at (not when
 * it is sent, which stays as quick as a list append, as the tests of concurrent senders expect).
 * Executions, release requests and deletion requests are drained apart, each in the order sent;
 * the delay each failed delivery was handed back with is kept by receipt handle. Thread-safe.
 */
public final class InMemoryExecutionQueue implements ExecutionQueue {
    private final List<ExecutionMessage> sent = new ArrayList<>();
    private final Map<String, Duration> redeliveries = new LinkedHashMap<>();

    @Override
    public synchronized void send(ExecutionMessage message) {
        sent.add(message);
    }

    @Override
    public synchronized void redeliverAfter(String receiptHandle, Duration delay) {
        redeliveries.put(receiptHandle, delay);
    }

    /** Receipt handle → the delay its message was handed back with, in the order they were. */
    public synchronized Map<String, Duration> redeliveries() {
        return new LinkedHashMap<>(redeliveries);
    }

    /** Takes the message running this execution off the queue, as its consumer would; false when there is none. */
    public synchronized boolean take(String executionId) {
        for (Iterator<ExecutionMessage> it = sent.iterator(); it.hasNext(); ) {
            if (it.next() instanceof ExecutionMessage.Run run && run.executionId().equals(executionId)) {
                it.remove();
                return true;
            }
        }
        return false;
    }

    /** The ids enqueued since the last drain, oldest first; empties the queue of them. */
    public synchronized List<String> drain() {
        return take(ExecutionMessage.Run.class, true).stream().map(ExecutionMessage.Run::executionId).toList();
    }

    /** The instance ids of release requests since the last call, oldest first; empties them. */
    public synchronized List<String> drainReleases() {
        return take(ExecutionMessage.ReleaseHeld.class, true).stream().map(ExecutionMessage.ReleaseHeld::instanceId).toList();
    }

    /** The instance ids of deletion requests since the last call, oldest first; empties them. */
    public synchronized List<String> drainDeletions() {
        return take(ExecutionMessage.ContinueDeletion.class, true).stream()
                .map(ExecutionMessage.ContinueDeletion::instanceId).toList();
    }

    /** The ids waiting, without removing them. */
    public synchronized List<String> pending() {
        return take(ExecutionMessage.Run.class, false).stream().map(ExecutionMessage.Run::executionId).toList();
    }

    /** Release requests waiting, without removing them. */
    public synchronized List<String> pendingReleases() {
        return take(ExecutionMessage.ReleaseHeld.class, false).stream().map(ExecutionMessage.ReleaseHeld::instanceId).toList();
    }

    /** How many executions wait. */
    public synchronized int size() {
        return pending().size();
    }

    private <M extends ExecutionMessage> List<M> take(Class<M> kind, boolean remove) {
        List<M> out = new ArrayList<>();
        for (Iterator<ExecutionMessage> it = sent.iterator(); it.hasNext(); ) {
            ExecutionMessage m = ExecutionMessage.CODEC.read(ExecutionMessage.CODEC.write(it.next()));
            if (!kind.isInstance(m)) continue;
            out.add(kind.cast(m));
            if (remove) it.remove();
        }
        return out;
    }
}

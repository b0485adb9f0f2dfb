package dev.ferry.core.fakes;

import dev.ferry.core.message.ExecutionMessage;
import dev.ferry.core.port.ExecutionQueue;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The execution queue in memory: each message is kept as the body the SQS adapter sends
 * ({@link ExecutionMessage#CODEC}) and read back with the same codec, so what a test receives went
 * through the wire format. Executions, release requests and deletion requests are drained apart,
 * each in the order sent. Thread-safe.
 */
public final class InMemoryExecutionQueue implements ExecutionQueue {
    private final List<String> bodies = new ArrayList<>();

    @Override
    public synchronized void send(ExecutionMessage message) {
        bodies.add(ExecutionMessage.CODEC.write(message));
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
        for (Iterator<String> it = bodies.iterator(); it.hasNext(); ) {
            ExecutionMessage m = ExecutionMessage.CODEC.read(it.next());
            if (!kind.isInstance(m)) continue;
            out.add(kind.cast(m));
            if (remove) it.remove();
        }
        return out;
    }
}

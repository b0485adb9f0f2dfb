package dev.ferry.core.fakes;

import dev.ferry.core.message.ReplayJobMessage;
import dev.ferry.core.port.ReplayJobQueue;
import java.util.ArrayList;
import java.util.List;

/**
 * Queued replay job ids, in order, until drained; each kept as the body the SQS adapter sends
 * ({@link ReplayJobMessage#CODEC}) and read back with it. Thread-safe.
 */
public final class InMemoryReplayJobQueue implements ReplayJobQueue {
    private final List<String> bodies = new ArrayList<>();

    @Override
    public synchronized void enqueue(String jobId) {
        bodies.add(ReplayJobMessage.CODEC.write(new ReplayJobMessage(jobId)));
    }

    public synchronized List<String> drain() {
        List<String> out = pending();
        bodies.clear();
        return out;
    }

    public synchronized List<String> pending() {
        return bodies.stream().map(b -> ReplayJobMessage.CODEC.read(b).replayJobId()).toList();
    }
}

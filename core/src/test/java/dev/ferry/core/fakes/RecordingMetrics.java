package dev.ferry.core.fakes;

import dev.ferry.core.model.DeadLetterQueue;
import dev.ferry.core.model.Execution;
import dev.ferry.core.port.Metrics;
import java.util.ArrayList;
import java.util.List;

/**
 * Metrics kept as readable lines, in order: {@code "execution FAILED WEBHOOK 1200ms retry"},
 * {@code "replays 1 single"}, {@code "alert slack sent"}, {@code "dead letter execution"}.
 */
public final class RecordingMetrics implements Metrics {
    private final List<String> recorded = new ArrayList<>();

    @Override
    public synchronized void executionEnded(Execution e) {
        recorded.add("execution " + e.status() + " " + e.trigger() + " " + e.durationMs() + "ms"
                + (e.nextRetryAt() != null ? " retry" : ""));
    }

    @Override
    public synchronized void replaysCreated(int count, boolean bulk) {
        recorded.add("replays " + count + (bulk ? " bulk" : " single"));
    }

    @Override
    public synchronized void alertDelivery(String channelType, boolean delivered) {
        recorded.add("alert " + channelType + (delivered ? " sent" : " failed"));
    }

    @Override
    public synchronized void deadLettered(DeadLetterQueue queue) {
        recorded.add("dead letter " + queue.wireName());
    }

    public synchronized List<String> recorded() {
        return List.copyOf(recorded);
    }
}

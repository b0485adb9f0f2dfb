package dev.ferry.core.fakes;

import dev.ferry.core.message.MonitorEvent;
import dev.ferry.core.message.MonitorMessage;
import dev.ferry.core.port.MonitorEventQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Monitor queue messages in memory, each due at the clock's time plus its delay. Messages are kept as
 * the body the SQS adapter sends ({@link MonitorMessage#CODEC}), so what a test receives went through
 * the wire format. Thread-safe.
 */
public final class InMemoryMonitorEventQueue implements MonitorEventQueue {
    public record Sent(String json, Instant dueAt, Duration delay) {
        public MonitorMessage message() {
            return MonitorMessage.CODEC.read(json);
        }

        /** The message as an event (ClassCastException for an alert delivery retry). */
        public MonitorEvent event() {
            return (MonitorEvent) message();
        }
    }

    private final Clock clock;
    private final List<Sent> pending = new ArrayList<>();

    public InMemoryMonitorEventQueue(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void send(MonitorMessage message, Duration delay) {
        if (delay.isNegative() || delay.toSeconds() > 900) throw new IllegalArgumentException("delay must be 0 to 900 s");
        pending.add(new Sent(MonitorMessage.CODEC.write(message), clock.instant().plus(delay), delay));
    }

    /** The messages due now (oldest first), removed from the queue. */
    public synchronized List<MonitorMessage> drainDue() {
        List<MonitorMessage> out = new ArrayList<>();
        Instant now = clock.instant();
        for (Iterator<Sent> it = pending.iterator(); it.hasNext(); ) {
            Sent s = it.next();
            if (!s.dueAt().isAfter(now)) {
                out.add(s.message());
                it.remove();
            }
        }
        return out;
    }

    /** Everything waiting, due or not, without removing it. */
    public synchronized List<Sent> pending() {
        return List.copyOf(pending);
    }

    public synchronized void clear() {
        pending.clear();
    }
}

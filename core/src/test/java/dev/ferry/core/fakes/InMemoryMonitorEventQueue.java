package dev.ferry.core.fakes;

import dev.ferry.core.json.Json;
import dev.ferry.core.model.MonitorEvent;
import dev.ferry.core.port.MonitorEventQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Monitor events in memory, each due at the clock's time plus its delay. Events are kept as the
 * JSON the SQS adapter would send, so what a test receives went through the same serialization.
 * Thread-safe.
 */
public final class InMemoryMonitorEventQueue implements MonitorEventQueue {
    public record Sent(String json, Instant dueAt, Duration delay) {
        public MonitorEvent event() {
            return Json.read(json, MonitorEvent.class);
        }
    }

    private final Clock clock;
    private final List<Sent> pending = new ArrayList<>();

    public InMemoryMonitorEventQueue(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void send(MonitorEvent event, Duration delay) {
        if (delay.isNegative() || delay.toSeconds() > 900) throw new IllegalArgumentException("delay must be 0 to 900 s");
        pending.add(new Sent(Json.write(event), clock.instant().plus(delay), delay));
    }

    /** The events due now (oldest first), removed from the queue. */
    public synchronized List<MonitorEvent> drainDue() {
        List<MonitorEvent> out = new ArrayList<>();
        Instant now = clock.instant();
        for (Iterator<Sent> it = pending.iterator(); it.hasNext(); ) {
            Sent s = it.next();
            if (!s.dueAt().isAfter(now)) {
                out.add(s.event());
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

package dev.ferry.core.fakes;

import dev.ferry.core.model.DeadLetter;
import dev.ferry.core.model.DeadLetterQueue;
import dev.ferry.core.port.DeadLetters;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Dead-letter queues in memory: {@link #put} a message as SQS would after its last receive; a redrive
 * hands each body to the source queue ({@code redeliver}, e.g. the execution queue fake) and removes
 * it. Oldest first; a listing counts as a receive, as on SQS. Thread-safe.
 */
public final class InMemoryDeadLetters implements DeadLetters {
    private record Stored(String id, Instant sentAt, int receives, String body) {}

    private final Clock clock;
    private final BiConsumer<DeadLetterQueue, String> redeliver;
    private final Map<DeadLetterQueue, List<Stored>> queues = new EnumMap<>(DeadLetterQueue.class);
    private final Map<DeadLetterQueue, List<String>> redriven = new EnumMap<>(DeadLetterQueue.class);
    private int next;

    public InMemoryDeadLetters(Clock clock, BiConsumer<DeadLetterQueue, String> redeliver) {
        this.clock = clock;
        this.redeliver = redeliver;
        for (DeadLetterQueue q : DeadLetterQueue.values()) {
            queues.put(q, new ArrayList<>());
            redriven.put(q, new ArrayList<>());
        }
    }

    /** A message that failed {@code receives} times and was moved here; returns its id. */
    public synchronized String put(DeadLetterQueue queue, String body, int receives) {
        String id = String.format("msg-%04d", ++next);
        queues.get(queue).add(new Stored(id, clock.instant(), receives, body));
        return id;
    }

    /** Bodies moved back to the source queue, in order. */
    public synchronized List<String> redriven(DeadLetterQueue queue) {
        return List.copyOf(redriven.get(queue));
    }

    @Override
    public synchronized List<DeadLetter> list(DeadLetterQueue queue, int limit) {
        List<Stored> q = queues.get(queue);
        List<DeadLetter> out = new ArrayList<>();
        for (int i = 0; i < q.size() && out.size() < Math.max(1, Math.min(limit, MAX)); i++) {
            Stored s = q.get(i);
            Stored seen = new Stored(s.id(), s.sentAt(), s.receives() + 1, s.body());
            q.set(i, seen);
            out.add(DeadLetters.of(seen.id(), queue, seen.sentAt(), seen.receives(), seen.body()));
        }
        return out;
    }

    @Override
    public Redrive redrive(DeadLetterQueue queue, Collection<String> messageIds) {
        List<Stored> moving = new ArrayList<>();
        Set<String> wanted = messageIds == null ? null : new HashSet<>(messageIds);
        synchronized (this) {
            for (Stored s : List.copyOf(queues.get(queue))) {
                if (moving.size() >= MAX) break;
                if (wanted == null || wanted.contains(s.id())) moving.add(s);
            }
        }
        List<String> moved = new ArrayList<>();
        for (Stored s : moving) {
            redeliver.accept(queue, s.body()); // sent before it is deleted, as the adapter does
            synchronized (this) {
                queues.get(queue).remove(s);
                redriven.get(queue).add(s.body());
            }
            moved.add(s.id());
        }
        List<String> notFound = wanted == null ? List.of()
                : messageIds.stream().distinct().filter(id -> !moved.contains(id)).toList();
        return new Redrive(moved, notFound);
    }
}

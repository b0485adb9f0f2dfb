package dev.ferry.core.fakes;

import dev.ferry.core.message.RetryMessage;
import dev.ferry.core.port.RetryQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Retry messages held until the clock reaches their delivery time (the delay rounded up to whole
 * seconds, as SQS counts it); delays over 15 minutes are rejected like SQS rejects them. Each message
 * goes through the wire format ({@link RetryMessage#CODEC}) on its way in. Thread-safe.
 */
public final class InMemoryRetryQueue implements RetryQueue {
    /** A sent message and when the queue delivers it. */
    public record Sent(RetryMessage message, Duration delay, Instant deliverAt) {}

    private final Clock clock;
    private final List<Sent> waiting = new ArrayList<>();
    private final List<Sent> history = new ArrayList<>();

    public InMemoryRetryQueue(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void send(RetryMessage message, Duration delay) {
        if (delay.isNegative() || delay.compareTo(MAX_DELAY) > 0) {
            throw new IllegalArgumentException("a retry message delay must be 0 to 900 seconds, got " + delay);
        }
        long seconds = (delay.toMillis() + 999) / 1000;
        RetryMessage received = RetryMessage.CODEC.read(RetryMessage.CODEC.write(message));
        Sent sent = new Sent(received, delay, clock.instant().plusSeconds(seconds));
        waiting.add(sent);
        history.add(sent);
    }

    /** The messages deliverable now (delivery time reached), in delivery order; removes them. */
    public synchronized List<RetryMessage> receive() {
        Instant now = clock.instant();
        List<Sent> due = waiting.stream().filter(s -> !s.deliverAt().isAfter(now))
                .sorted(Comparator.comparing(Sent::deliverAt)).toList();
        waiting.removeAll(due);
        return due.stream().map(Sent::message).toList();
    }

    /** Messages not delivered yet. */
    public synchronized List<Sent> waiting() {
        return List.copyOf(waiting);
    }

    /** Every message ever sent, in order (deferrals included). */
    public synchronized List<Sent> sent() {
        return List.copyOf(history);
    }

    /** When the next waiting message is delivered, or null when none waits. */
    public synchronized Instant nextDelivery() {
        return waiting.stream().map(Sent::deliverAt).min(Comparator.naturalOrder()).orElse(null);
    }
}

package dev.ferry.core.port;

import dev.ferry.core.message.QueueMessage;
import dev.ferry.core.model.DeadLetter;
import dev.ferry.core.model.DeadLetterQueue;
import java.util.Collection;
import java.util.List;

/**
 * The dead-letter queues of the execution, retry, monitor and replay job queues: what is in them, and
 * moving messages back to their source queue once the cause is fixed. Every consumer is idempotent
 * (claims, deterministic ids, markers), so a message moved twice runs its effects once.
 */
public interface DeadLetters {
    /** For a function not given the dead-letter queues: every call answers 503. */
    DeadLetters UNCONFIGURED = new DeadLetters() {
        @Override
        public List<DeadLetter> list(DeadLetterQueue queue, int limit) {
            throw unconfigured();
        }

        @Override
        public Redrive redrive(DeadLetterQueue queue, Collection<String> messageIds) {
            throw unconfigured();
        }

        private RuntimeException unconfigured() {
            return new dev.ferry.core.error.StoreException("this function is not given the dead-letter queues", null);
        }
    };

    /** Most messages one call lists or redrives. */
    int MAX = 100;

    /**
     * Up to {@code limit} (1..{@value #MAX}) messages of the queue's dead-letter queue, oldest sent
     * first. Listing leaves them there.
     */
    List<DeadLetter> list(DeadLetterQueue queue, int limit);

    /**
     * Moves the named messages (or, with {@code messageIds} null, up to {@value #MAX} of them) back to
     * the source queue, each sent there before it is deleted from the dead-letter queue.
     */
    Redrive redrive(DeadLetterQueue queue, Collection<String> messageIds);

    /** What a redrive did: the ids moved, and the ids asked for that were not found. */
    record Redrive(List<String> moved, List<String> notFound) {
        public Redrive {
            moved = List.copyOf(moved);
            notFound = List.copyOf(notFound);
        }
    }

    /**
     * A dead letter with its body cut to {@link DeadLetter#BODY_MAX} characters, summarised by its queue's
     * codec ({@link QueueMessage#summarize}).
     */
    static DeadLetter of(String id, DeadLetterQueue queue, java.time.Instant sentAt, int receiveCount, String body) {
        boolean cut = body.length() > DeadLetter.BODY_MAX;
        return new DeadLetter(id, queue, sentAt, receiveCount, QueueMessage.summarize(queue, body),
                cut ? body.substring(0, DeadLetter.BODY_MAX) : body, cut);
    }
}

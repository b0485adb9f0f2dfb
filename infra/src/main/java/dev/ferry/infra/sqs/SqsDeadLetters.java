package dev.ferry.infra.sqs;

import static dev.ferry.infra.AwsFailures.storeFailure;

import dev.ferry.core.model.DeadLetter;
import dev.ferry.core.model.DeadLetterQueue;
import dev.ferry.core.port.DeadLetters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The dead-letter queues on SQS. Listing receives up to the limit with a short visibility timeout and
 * then makes them visible again at once (ChangeMessageVisibilityBatch to 0), so the messages stay.
 * A redrive receives, sends each chosen message's body to the source queue (SendMessageBatch) and
 * only then deletes it (DeleteMessageBatch); the others are made visible again. A failure between the
 * send and the delete leaves a copy in both queues — the consumers are idempotent, so it runs once.
 * SQS's StartMessageMoveTask moves a whole queue but cannot pick messages (and moto lacks it), hence
 * the three calls.
 *
 * <p>The schedule dead-letter queue's source is a function, not a queue (ScheduledTriggerFunction's
 * on-failure destination): its redrive hands each body to the {@code redeliverer} given for it,
 * then deletes it.
 */
public final class SqsDeadLetters implements DeadLetters {
    /** How long a listed or redriven message stays hidden if we fail before giving it back. */
    static final int HOLD_SECONDS = 30;
    /** Receives that find nothing new before a pass gives up (short polling samples a subset of servers). */
    private static final int EMPTY_RECEIVES = 2;

    /** A queue and its dead-letter queue; {@code source} is null for a queue whose messages go back through a redeliverer. */
    public record Urls(String source, String deadLetter) {}

    private final SqsClient sqs;
    private final Map<DeadLetterQueue, Urls> queues;
    private final Map<DeadLetterQueue, Consumer<String>> redeliverers;

    public SqsDeadLetters(SqsClient sqs, Map<DeadLetterQueue, Urls> queues) {
        this(sqs, queues, Map.of());
    }

    /**
     * @param redeliverers for a dead-letter queue whose source is not a queue, what takes a message back
     *                     (a body at a time; one that throws stops the redrive, the message stays)
     */
    public SqsDeadLetters(SqsClient sqs, Map<DeadLetterQueue, Urls> queues, Map<DeadLetterQueue, Consumer<String>> redeliverers) {
        this.sqs = sqs;
        this.queues = new EnumMap<>(queues);
        this.redeliverers = redeliverers.isEmpty() ? Map.of() : new EnumMap<>(redeliverers);
        this.queues.forEach((q, u) -> {
            if (u.source() == null && !this.redeliverers.containsKey(q)) {
                throw new IllegalArgumentException(q.wireName() + ": neither a source queue nor a redeliverer");
            }
        });
    }

    private Urls urls(DeadLetterQueue queue) {
        Urls u = queues.get(queue);
        if (u == null) throw new dev.ferry.core.error.StoreException("no dead-letter queue configured for " + queue.wireName(), null);
        return u;
    }

    @Override
    public List<DeadLetter> list(DeadLetterQueue queue, int limit) {
        Urls u = urls(queue);
        int max = Math.max(1, Math.min(limit, MAX));
        List<Message> seen = receive(u.deadLetter(), max);
        try {
            return seen.stream()
                    .map(m -> DeadLetters.of(m.messageId(), queue, sentAt(m), receiveCount(m), m.body()))
                    .sorted(Comparator.comparing(DeadLetter::sentAt, Comparator.nullsLast(Comparator.naturalOrder())))
                    .toList();
        } finally {
            release(u.deadLetter(), seen);
        }
    }

    @Override
    public Redrive redrive(DeadLetterQueue queue, Collection<String> messageIds) {
        Urls u = urls(queue);
        Set<String> wanted = messageIds == null ? null : new HashSet<>(messageIds);
        List<String> moved = new ArrayList<>();
        List<Message> others = new ArrayList<>();
        try {
            int empty = 0;
            Set<String> received = new HashSet<>();
            while (moved.size() < MAX && empty < EMPTY_RECEIVES && (wanted == null || !received.containsAll(wanted))) {
                List<Message> batch = receiveBatch(u.deadLetter(), Math.min(10, MAX - moved.size()));
                List<Message> chosen = new ArrayList<>();
                boolean anyNew = false;
                for (Message m : batch) {
                    if (!received.add(m.messageId())) {
                        others.add(m);
                        continue;
                    }
                    anyNew = true;
                    if (wanted == null || wanted.contains(m.messageId())) chosen.add(m);
                    else others.add(m);
                }
                empty = anyNew ? 0 : empty + 1;
                moved.addAll(move(queue, u, chosen));
            }
        } finally {
            release(u.deadLetter(), others);
        }
        List<String> notFound = wanted == null ? List.of()
                : messageIds.stream().distinct().filter(id -> !moved.contains(id)).toList();
        return new Redrive(moved, notFound);
    }

    /** Sends the messages to the source queue, then deletes those sent from the dead-letter queue; returns their ids. */
    private List<String> move(DeadLetterQueue queue, Urls u, List<Message> messages) {
        if (messages.isEmpty()) return List.of();
        Consumer<String> redeliverer = redeliverers.get(queue);
        if (redeliverer != null) return redeliver(queue, u, messages, redeliverer);
        Map<String, Message> byEntry = new LinkedHashMap<>();
        for (int i = 0; i < messages.size(); i++) byEntry.put(Integer.toString(i), messages.get(i));
        SendMessageBatchResponse sent;
        try {
            sent = sqs.sendMessageBatch(b -> b.queueUrl(u.source()).entries(byEntry.entrySet().stream()
                    .map(e -> SendMessageBatchRequestEntry.builder().id(e.getKey()).messageBody(e.getValue().body())
                            .messageAttributes(e.getValue().messageAttributes()).build())
                    .toList()));
        } catch (SdkException e) {
            throw storeFailure("SQS SendMessageBatch to " + u.source(), e);
        }
        List<Message> done = sent.successful().stream().map(s -> byEntry.get(s.id())).toList();
        if (!done.isEmpty()) {
            try {
                List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
                for (int i = 0; i < done.size(); i++) {
                    entries.add(DeleteMessageBatchRequestEntry.builder().id("d" + i).receiptHandle(done.get(i).receiptHandle()).build());
                }
                sqs.deleteMessageBatch(b -> b.queueUrl(u.deadLetter()).entries(entries));
            } catch (SdkException e) {
                throw storeFailure("SQS DeleteMessageBatch on " + u.deadLetter(), e);
            }
        }
        if (!sent.failed().isEmpty()) {
            throw new dev.ferry.core.error.StoreException("SQS refused " + sent.failed().size()
                    + " messages of a redrive to " + u.source() + ": " + sent.failed().get(0).message(), null);
        }
        return done.stream().map(Message::messageId).toList();
    }

    /** Hands each message to the redeliverer in turn, deleting each once taken; a refusal stops the redrive. */
    private List<String> redeliver(DeadLetterQueue queue, Urls u, List<Message> messages, Consumer<String> redeliverer) {
        List<String> done = new ArrayList<>();
        for (Message m : messages) {
            try {
                redeliverer.accept(m.body());
            } catch (RuntimeException e) {
                throw new dev.ferry.core.error.StoreException("redriving " + queue.wireName() + " dead letter " + m.messageId()
                        + " failed after " + done.size() + " moved: " + e.getMessage(), e);
            }
            try {
                sqs.deleteMessage(b -> b.queueUrl(u.deadLetter()).receiptHandle(m.receiptHandle()));
            } catch (SdkException e) {
                throw storeFailure("SQS DeleteMessage on " + u.deadLetter(), e);
            }
            done.add(m.messageId());
        }
        return done;
    }

    /** Up to {@code max} distinct messages, hidden for {@link #HOLD_SECONDS}. */
    private List<Message> receive(String url, int max) {
        Map<String, Message> out = new LinkedHashMap<>();
        int empty = 0;
        while (out.size() < max && empty < EMPTY_RECEIVES) {
            boolean anyNew = false;
            for (Message m : receiveBatch(url, Math.min(10, max - out.size()))) {
                if (out.putIfAbsent(m.messageId(), m) == null) anyNew = true;
            }
            empty = anyNew ? 0 : empty + 1;
        }
        return new ArrayList<>(out.values());
    }

    private List<Message> receiveBatch(String url, int n) {
        try {
            return sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(Math.max(1, n)).waitTimeSeconds(0)
                    .visibilityTimeout(HOLD_SECONDS).messageAttributeNames("All")
                    .messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP,
                            MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
        } catch (SdkException e) {
            throw storeFailure("SQS ReceiveMessage on " + url, e);
        }
    }

    /** Makes received messages visible again now; if this fails they reappear after {@link #HOLD_SECONDS}. */
    private void release(String url, List<Message> messages) {
        Map<String, Message> unique = new HashMap<>();
        for (Message m : messages) unique.put(m.receiptHandle(), m);
        List<Message> all = new ArrayList<>(unique.values());
        for (int i = 0; i < all.size(); i += 10) {
            List<Message> chunk = all.subList(i, Math.min(all.size(), i + 10));
            try {
                List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
                for (int j = 0; j < chunk.size(); j++) {
                    entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id("m" + j)
                            .receiptHandle(chunk.get(j).receiptHandle()).visibilityTimeout(0).build());
                }
                sqs.changeMessageVisibilityBatch(b -> b.queueUrl(url).entries(entries));
            } catch (SdkException ignored) {
                // visible again after HOLD_SECONDS anyway
            }
        }
    }

    private static Instant sentAt(Message m) {
        String v = m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
        return v == null ? null : Instant.ofEpochMilli(Long.parseLong(v));
    }

    private static int receiveCount(Message m) {
        String v = m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        return v == null ? 0 : Integer.parseInt(v);
    }
}

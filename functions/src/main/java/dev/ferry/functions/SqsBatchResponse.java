package dev.ferry.functions;

import dev.ferry.core.log.Log;
import dev.ferry.core.model.DeadLetterQueue;
import dev.ferry.core.port.Metrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/** Partial batch failures: only the listed messages are retried by SQS (ReportBatchItemFailures). */
public record SqsBatchResponse(List<ItemFailure> batchItemFailures) {
    /** Receives before SQS moves a message to its dead-letter queue: template.yaml's {@code maxReceiveCount} of every queue. */
    public static final int MAX_RECEIVE_COUNT = 5;

    public record ItemFailure(String itemIdentifier) {}

    /** How long a failed message waits before it comes back, by its receive count: 30 s, 2 min, 8 min, then 15 min. */
    public static Duration redeliveryDelay(int receiveCount) {
        int n = Math.max(1, Math.min(receiveCount, 4));
        return Duration.ofSeconds(Math.min(15 * 60, 30L << (2 * (n - 1))));
    }

    /**
     * Hands each message of the batch to {@code handler}. A message whose handling throws is logged
     * ({@code "<what> failed"}, with its id and the reason) and reported as failed, so SQS brings
     * back only that one; the others are done.
     */
    public static SqsBatchResponse handleEach(SqsEvent event, String what, Consumer<SqsEvent.Message> handler) {
        return handleEach(event, what, handler, m -> { });
    }

    /**
     * As {@link #handleEach(SqsEvent, String, Consumer)}, and a message that fails its last receive
     * ({@link #MAX_RECEIVE_COUNT}), so SQS moves it to {@code queue}'s dead-letter queue, is counted
     * in {@code metrics} as a dead letter.
     */
    public static SqsBatchResponse handleEach(SqsEvent event, String what, DeadLetterQueue queue, Metrics metrics,
                                              Consumer<SqsEvent.Message> handler) {
        return handleEach(event, what, queue, metrics, handler, m -> { });
    }

    /** Both: dead letters counted, and each failed message given to {@code redeliver} (see below). */
    public static SqsBatchResponse handleEach(SqsEvent event, String what, DeadLetterQueue queue, Metrics metrics,
                                              Consumer<SqsEvent.Message> handler, Consumer<SqsEvent.Message> redeliver) {
        return handleEach(event, what, queue, metrics, handler, redeliver, null, Duration.ZERO);
    }

    /** The same, with the invocation's time budget of the last form below. */
    public static SqsBatchResponse handleEach(SqsEvent event, String what, DeadLetterQueue queue, Metrics metrics,
                                              Consumer<SqsEvent.Message> handler, Consumer<SqsEvent.Message> redeliver,
                                              LongSupplier remainingMs, Duration minToStart) {
        return handleEach(event, what, handler, m -> {
            if (m.receiveCount() >= MAX_RECEIVE_COUNT) metrics.deadLettered(queue);
            redeliver.accept(m);
        }, remainingMs, minToStart);
    }

    /**
     * As {@link #handleEach(SqsEvent, String, Consumer)}, and each failed message is also given to
     * {@code redeliver} (e.g. to come back after {@link #redeliveryDelay} rather than the queue's
     * visibility timeout). That is best effort: if it throws, the failure is logged and the message
     * comes back after the visibility timeout.
     */
    public static SqsBatchResponse handleEach(SqsEvent event, String what, Consumer<SqsEvent.Message> handler,
                                              Consumer<SqsEvent.Message> redeliver) {
        return handleEach(event, what, handler, redeliver, null, Duration.ZERO);
    }

    /**
     * As {@link #handleEach(SqsEvent, String, Consumer, Consumer)}, within the invocation's time:
     * before each message the time left ({@code remainingMs}, the Lambda context's; null: no limit)
     * must be at least {@code minToStart} and at least the longest message of the batch so far took.
     * Otherwise that message and every later one are not started: they are reported as failed and
     * handed to {@code redeliver}, so SQS brings them back for another invocation instead of the
     * whole batch timing out with one of them cut off half-run (and the finished ones counted as
     * failed too).
     */
    public static SqsBatchResponse handleEach(SqsEvent event, String what, Consumer<SqsEvent.Message> handler,
                                              Consumer<SqsEvent.Message> redeliver, LongSupplier remainingMs,
                                              Duration minToStart) {
        List<ItemFailure> failures = new ArrayList<>();
        List<SqsEvent.Message> messages = event.records() == null ? List.of() : event.records();
        long longestMs = 0;
        for (int i = 0; i < messages.size(); i++) {
            SqsEvent.Message m = messages.get(i);
            long before = remainingMs == null ? Long.MAX_VALUE : remainingMs.getAsLong();
            long needMs = Math.max(minToStart.toMillis(), longestMs);
            if (before < needMs) {
                List<SqsEvent.Message> unstarted = messages.subList(i, messages.size());
                Log.warn(what + "s not started: too little time left in the invocation; returned to the queue",
                        "leftMs", before, "neededMs", needMs,
                        "messageIds", String.join(",", unstarted.stream().map(SqsEvent.Message::messageId).toList()));
                for (SqsEvent.Message u : unstarted) {
                    failures.add(new ItemFailure(u.messageId()));
                    handBack(what, u, redeliver);
                }
                break;
            }
            try (Log.Scope message = Log.with("messageId", m.messageId())) {
                handler.accept(m);
            } catch (RuntimeException e) {
                Log.error(what + " failed", "messageId", m.messageId(), "reason", String.valueOf(e.getMessage()));
                failures.add(new ItemFailure(m.messageId()));
                handBack(what, m, redeliver);
            }
            if (remainingMs != null) longestMs = Math.max(longestMs, before - remainingMs.getAsLong());
        }
        return new SqsBatchResponse(failures);
    }

    private static void handBack(String what, SqsEvent.Message m, Consumer<SqsEvent.Message> redeliver) {
        try {
            redeliver.accept(m);
        } catch (RuntimeException notHandedBack) {
            Log.warn(what + " not handed back early: it comes back after the queue's visibility timeout",
                    "messageId", m.messageId(), "reason", String.valueOf(notHandedBack.getMessage()));
        }
    }
}

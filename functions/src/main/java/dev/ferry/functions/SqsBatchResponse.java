package dev.ferry.functions;

import dev.ferry.core.log.Log;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Partial batch failures: only the listed messages are retried by SQS (ReportBatchItemFailures). */
public record SqsBatchResponse(List<ItemFailure> batchItemFailures) {
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
     * As {@link #handleEach(SqsEvent, String, Consumer)}, and each failed message is also given to
     * {@code redeliver} (e.g. to come back after {@link #redeliveryDelay} rather than the queue's
     * visibility timeout). That is best effort: if it throws, the failure is logged and the message
     * comes back after the visibility timeout.
     */
    public static SqsBatchResponse handleEach(SqsEvent event, String what, Consumer<SqsEvent.Message> handler,
                                              Consumer<SqsEvent.Message> redeliver) {
        List<ItemFailure> failures = new ArrayList<>();
        for (SqsEvent.Message m : event.records() == null ? List.<SqsEvent.Message>of() : event.records()) {
            try (Log.Scope message = Log.with("messageId", m.messageId())) {
                handler.accept(m);
            } catch (RuntimeException e) {
                Log.error(what + " failed", "messageId", m.messageId(), "reason", String.valueOf(e.getMessage()));
                failures.add(new ItemFailure(m.messageId()));
                try {
                    redeliver.accept(m);
                } catch (RuntimeException notHandedBack) {
                    Log.warn(what + " not handed back early: it comes back after the queue's visibility timeout",
                            "messageId", m.messageId(), "reason", String.valueOf(notHandedBack.getMessage()));
                }
            }
        }
        return new SqsBatchResponse(failures);
    }
}

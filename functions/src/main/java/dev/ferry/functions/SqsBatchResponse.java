package dev.ferry.functions;

import dev.ferry.core.json.Json;
import dev.ferry.core.model.DeadLetterQueue;
import dev.ferry.core.port.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Partial batch failures: only the listed messages are retried by SQS (ReportBatchItemFailures). */
public record SqsBatchResponse(List<ItemFailure> batchItemFailures) {
    /** Receives before SQS moves a message to its dead-letter queue: template.yaml's {@code maxReceiveCount} of every queue. */
    public static final int MAX_RECEIVE_COUNT = 5;

    public record ItemFailure(String itemIdentifier) {}

    /**
     * Hands each message of the batch to {@code handler}. A message whose handling throws is logged
     * ({@code "<what> failed"}, with its id and the reason) and reported as failed, so SQS brings
     * back only that one; the others are done. A message that fails its last receive
     * ({@link #MAX_RECEIVE_COUNT}) goes to {@code queue}'s dead-letter queue: it is counted in
     * {@code metrics} as a dead letter.
     */
    public static SqsBatchResponse handleEach(SqsEvent event, String what, DeadLetterQueue queue, Metrics metrics,
                                              Consumer<SqsEvent.Message> handler) {
        List<ItemFailure> failures = new ArrayList<>();
        for (SqsEvent.Message m : event.records() == null ? List.<SqsEvent.Message>of() : event.records()) {
            try {
                handler.accept(m);
            } catch (RuntimeException e) {
                System.err.println("{\"level\":\"ERROR\",\"message\":" + Json.write(what + " failed") + ",\"messageId\":"
                        + Json.write(m.messageId()) + ",\"reason\":" + Json.write(String.valueOf(e.getMessage())) + "}");
                failures.add(new ItemFailure(m.messageId()));
                if (receiveCount(m) >= MAX_RECEIVE_COUNT) metrics.deadLettered(queue);
            }
        }
        return new SqsBatchResponse(failures);
    }

    /** SQS's ApproximateReceiveCount of the message (1 on its first receive); 0 when it is not given. */
    static int receiveCount(SqsEvent.Message m) {
        String count = m.attributes() == null ? null : m.attributes().get("ApproximateReceiveCount");
        try {
            return count == null ? 0 : Integer.parseInt(count.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

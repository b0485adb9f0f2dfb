package dev.ferry.functions;

import dev.ferry.core.log.Log;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Partial batch failures: only the listed messages are retried by SQS (ReportBatchItemFailures). */
public record SqsBatchResponse(List<ItemFailure> batchItemFailures) {
    public record ItemFailure(String itemIdentifier) {}

    /**
     * Hands each message of the batch to {@code handler}. A message whose handling throws is logged
     * ({@code "<what> failed"}, with its id and the reason) and reported as failed, so SQS brings
     * back only that one; the others are done.
     */
    public static SqsBatchResponse handleEach(SqsEvent event, String what, Consumer<SqsEvent.Message> handler) {
        List<ItemFailure> failures = new ArrayList<>();
        for (SqsEvent.Message m : event.records() == null ? List.<SqsEvent.Message>of() : event.records()) {
            try (Log.Scope message = Log.with("messageId", m.messageId())) {
                handler.accept(m);
            } catch (RuntimeException e) {
                Log.error(what + " failed", "messageId", m.messageId(), "reason", String.valueOf(e.getMessage()));
                failures.add(new ItemFailure(m.messageId()));
            }
        }
        return new SqsBatchResponse(failures);
    }
}

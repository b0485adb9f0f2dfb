package dev.ferry.functions;

import java.util.List;

/** Partial batch failures: only the listed messages are retried by SQS (ReportBatchItemFailures). */
public record SqsBatchResponse(List<ItemFailure> batchItemFailures) {
    public record ItemFailure(String itemIdentifier) {}
}

package dev.ferry.infra.sqs;

import static dev.ferry.infra.AwsFailures.storeFailure;

import dev.ferry.core.message.ExecutionMessage;
import dev.ferry.core.port.ExecutionQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * One SendMessage to the execution queue per message, its body written by
 * {@link ExecutionMessage#CODEC}; {@link #enqueueAll} sends ten executions per SendMessageBatch
 * (entries SQS refuses are sent once more, then it fails).
 * {@link #redeliverAfter} is one ChangeMessageVisibility (and, once per container, a
 * GetQueueAttributes of the queue's visibility timeout).
 */
public final class SqsExecutionQueue implements ExecutionQueue {
    private final SqsClient sqs;
    private final String queueUrl;

    public SqsExecutionQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    /** Longest visibility SQS accepts: 12 hours. */
    static final Duration MAX_VISIBILITY = Duration.ofHours(12);
    /** The queue's own VisibilityTimeout in seconds, read on first use (null until read). */
    private volatile Long visibilityTimeoutSeconds;

    /**
     * ChangeMessageVisibility to {@code delay}, or to the queue's own visibility timeout if that is
     * shorter (read once per container with GetQueueAttributes), so a message never comes back later
     * than the queue would bring it back by itself.
     */
    @Override
    public void redeliverAfter(String receiptHandle, Duration delay) {
        long seconds = Math.max(0, Math.min(delay.toSeconds(), visibilityTimeoutSeconds()));
        try {
            sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(receiptHandle).visibilityTimeout((int) seconds));
        } catch (SdkException e) {
            throw storeFailure("SQS ChangeMessageVisibility on " + queueUrl, e);
        }
    }

    private long visibilityTimeoutSeconds() {
        Long known = visibilityTimeoutSeconds;
        if (known != null) return known;
        try {
            String v = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT))
                    .attributes().get(QueueAttributeName.VISIBILITY_TIMEOUT);
            visibilityTimeoutSeconds = known = v == null ? MAX_VISIBILITY.toSeconds() : Long.parseLong(v.trim());
            return known;
        } catch (SdkException | NumberFormatException unknown) {
            return MAX_VISIBILITY.toSeconds(); // not known now: the delay alone, and ask again next time
        }
    }

    @Override
    public void send(ExecutionMessage message) {
        String body = ExecutionMessage.CODEC.write(message);
        try {
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
        } catch (SdkException e) {
            throw storeFailure("SQS SendMessage to " + queueUrl, e);
        }
    }

    @Override
    public void enqueueAll(List<String> executionIds) {
        for (int from = 0; from < executionIds.size(); from += 10) {
            List<String> batch = executionIds.subList(from, Math.min(from + 10, executionIds.size()));
            for (int round = 0; !batch.isEmpty(); round++) {
                List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                for (int i = 0; i < batch.size(); i++) {
                    String body = ExecutionMessage.CODEC.write(new ExecutionMessage.Run(batch.get(i)));
                    entries.add(SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(body).build());
                }
                SendMessageBatchResponse res;
                try {
                    res = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
                } catch (SdkException e) {
                    throw storeFailure("SQS SendMessageBatch to " + queueUrl, e);
                }
                if (!res.hasFailed() || res.failed().isEmpty()) break;
                if (round == 1) {
                    throw new dev.ferry.core.error.StoreException("SQS SendMessageBatch to " + queueUrl + " refused "
                            + res.failed().size() + " messages: " + res.failed().getFirst().message(), null);
                }
                List<String> again = new ArrayList<>();
                for (var f : res.failed()) again.add(batch.get(Integer.parseInt(f.id().substring(1))));
                batch = again;
            }
        }
    }
}

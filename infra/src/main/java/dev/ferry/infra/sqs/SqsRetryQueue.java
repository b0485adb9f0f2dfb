package dev.ferry.infra.sqs;

import static dev.ferry.infra.AwsFailures.storeFailure;

import dev.ferry.core.message.RetryMessage;
import dev.ferry.core.port.RetryQueue;
import java.time.Duration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The retry queue on SQS: one SendMessage of {@code {"executionId","dueAt"}} ({@link RetryMessage#CODEC})
 * with {@code DelaySeconds} = the delay rounded up to whole seconds (at most 900, SQS's limit; the
 * dispatcher chains longer waits).
 */
public final class SqsRetryQueue implements RetryQueue {
    private final SqsClient sqs;
    private final String queueUrl;

    public SqsRetryQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void send(RetryMessage message, Duration delay) {
        if (delay.isNegative() || delay.compareTo(MAX_DELAY) > 0) {
            throw new IllegalArgumentException("a retry message delay must be 0 to 900 seconds, got " + delay);
        }
        int seconds = (int) ((delay.toMillis() + 999) / 1000);
        String body = RetryMessage.CODEC.write(message);
        try {
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body).delaySeconds(seconds));
        } catch (SdkException e) {
            throw storeFailure("SQS SendMessage to " + queueUrl, e);
        }
    }
}

package dev.ferry.infra.sqs;

import static dev.ferry.infra.AwsFailures.storeFailure;

import dev.ferry.core.message.MonitorMessage;
import dev.ferry.core.port.MonitorEventQueue;
import java.time.Duration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One SendMessage per message, its body written by {@link MonitorMessage#CODEC}; a delay becomes the
 * message's DelaySeconds (at most 900).
 */
public final class SqsMonitorEventQueue implements MonitorEventQueue {
    private final SqsClient sqs;
    private final String queueUrl;

    /** @param queueUrl the MonitorQueue (FERRY_MONITOR_QUEUE_URL); null fails on first use, with the reason */
    public SqsMonitorEventQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void send(MonitorMessage message, Duration delay) {
        if (queueUrl == null || queueUrl.isBlank()) {
            throw new IllegalStateException("FERRY_MONITOR_QUEUE_URL is not set: the function's environment comes from template.yaml");
        }
        int seconds = (int) Math.max(0, Math.min(900, delay.toSeconds()));
        String body = MonitorMessage.CODEC.write(message);
        try {
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body).delaySeconds(seconds));
        } catch (SdkException e) {
            throw storeFailure("SQS SendMessage to " + queueUrl, e);
        }
    }
}

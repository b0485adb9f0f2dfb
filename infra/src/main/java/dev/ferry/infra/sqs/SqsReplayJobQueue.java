package dev.ferry.infra.sqs;

import static dev.ferry.infra.AwsFailures.storeFailure;

import dev.ferry.core.message.ReplayJobMessage;
import dev.ferry.core.port.ReplayJobQueue;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One SendMessage of {@code {"replayJobId":"…"}} ({@link ReplayJobMessage#CODEC}) to the replay job queue
 * (ReplayFunction's worker).
 */
public final class SqsReplayJobQueue implements ReplayJobQueue {
    private final SqsClient sqs;
    private final String queueUrl;

    public SqsReplayJobQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void enqueue(String jobId) {
        String body = ReplayJobMessage.CODEC.write(new ReplayJobMessage(jobId));
        try {
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
        } catch (SdkException e) {
            throw storeFailure("SQS SendMessage to " + queueUrl, e);
        }
    }
}

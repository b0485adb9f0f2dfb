package dev.ferry.infra.sqs;

import static dev.ferry.infra.AwsFailures.storeFailure;

import dev.ferry.core.json.Json;
import dev.ferry.core.port.ReplayJobQueue;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/** One SendMessage of {@code {"replayJobId":"…"}} to the replay job queue (ReplayFunction's worker). */
public final class SqsReplayJobQueue implements ReplayJobQueue {
    private final SqsClient sqs;
    private final String queueUrl;

    public SqsReplayJobQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    public static String messageBody(String jobId) {
        return Json.write(Map.of("replayJobId", jobId));
    }

    @Override
    public void enqueue(String jobId) {
        try {
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(messageBody(jobId)));
        } catch (SdkException e) {
            throw storeFailure("SQS SendMessage to " + queueUrl, e);
        }
    }
}

package dev.ferry.infra.sqs;

import static dev.ferry.infra.AwsFailures.storeFailure;

import dev.ferry.core.json.Json;
import dev.ferry.core.port.ExecutionQueue;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One SendMessage of {@code {"executionId":"…"}} to the execution queue per enqueued execution, and
 * of {@code {"releaseHeldOf":"<instanceId>"}} per release request.
 */
public final class SqsExecutionQueue implements ExecutionQueue {
    private final SqsClient sqs;
    private final String queueUrl;

    public SqsExecutionQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    /** The message body for an execution, as the flow execution function reads it. */
    public static String messageBody(String executionId) {
        return Json.write(Map.of("executionId", executionId));
    }

    /** The message body of a release request. */
    public static String releaseBody(String instanceId) {
        return Json.write(Map.of(RELEASE_HELD_OF, instanceId));
    }

    /** The field that marks a release request. */
    public static final String RELEASE_HELD_OF = "releaseHeldOf";

    @Override
    public void enqueue(String executionId) {
        send(messageBody(executionId));
    }

    @Override
    public void enqueueRelease(String instanceId) {
        send(releaseBody(instanceId));
    }

    private void send(String body) {
        try {
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
        } catch (SdkException e) {
            throw storeFailure("SQS SendMessage to " + queueUrl, e);
        }
    }
}

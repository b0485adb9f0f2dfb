package dev.ferry.infra.sqs;

import static dev.ferry.infra.AwsFailures.storeFailure;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.RetryMessage;
import dev.ferry.core.port.RetryQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The retry queue on SQS: one SendMessage of {@code {"executionId","dueAt"}} with {@code DelaySeconds}
 * = the delay rounded up to whole seconds (at most 900, SQS's limit; the dispatcher chains longer waits).
 */
public final class SqsRetryQueue implements RetryQueue {
    private final SqsClient sqs;
    private final String queueUrl;

    public SqsRetryQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    public static String messageBody(RetryMessage m) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("executionId", m.executionId());
        body.put("dueAt", m.dueAt().toString());
        return Json.write(body);
    }

    /** Reads a message body as {@link #messageBody} writes it; IllegalArgumentException if it is not one. */
    public static RetryMessage parse(String body) {
        try {
            JsonNode n = Json.tree(body);
            String id = n.path("executionId").asText("");
            if (id.isBlank()) throw new IllegalArgumentException("no executionId");
            return new RetryMessage(id, Instant.parse(n.path("dueAt").asText()));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a retry message: " + e.getMessage(), e);
        }
    }

    @Override
    public void send(RetryMessage message, Duration delay) {
        if (delay.isNegative() || delay.compareTo(MAX_DELAY) > 0) {
            throw new IllegalArgumentException("a retry message delay must be 0 to 900 seconds, got " + delay);
        }
        int seconds = (int) ((delay.toMillis() + 999) / 1000);
        try {
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(messageBody(message)).delaySeconds(seconds));
        } catch (SdkException e) {
            throw storeFailure("SQS SendMessage to " + queueUrl, e);
        }
    }
}

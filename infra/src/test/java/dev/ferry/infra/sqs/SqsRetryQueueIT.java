package dev.ferry.infra.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.message.RetryMessage;
import dev.ferry.core.port.RetryQueue;
import dev.ferry.core.port.RetryQueueContract;
import dev.ferry.infra.TestResources;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

class SqsRetryQueueIT extends RetryQueueContract {
    private final String queueUrl = TestResources.createQueue(TestResources.clients().sqs(), "RetryQueue");
    private final SqsRetryQueue queue = new SqsRetryQueue(TestResources.clients().sqs(), queueUrl);

    @BeforeAll
    static void resetEmulator() {
        TestResources.reset();
    }

    @Override
    protected RetryQueue queue() {
        return queue;
    }

    @Override
    protected List<RetryMessage> receiveAll() {
        return TestResources.receiveAll(TestResources.clients().sqs(), queueUrl).stream()
                .map(m -> RetryMessage.CODEC.read(m.body())).toList();
    }

    @Test
    void messageIsJsonNamingTheExecutionAndItsDueTime() {
        queue.send(new RetryMessage("exe_01JABC", Instant.parse("2026-11-27T10:00:00Z")), Duration.ZERO);

        List<Message> messages = TestResources.receiveAll(TestResources.clients().sqs(), queueUrl);

        assertThat(messages).singleElement().extracting(Message::body)
                .isEqualTo("{\"executionId\":\"exe_01JABC\",\"dueAt\":\"2026-11-27T10:00:00Z\"}");
    }

    @Test
    void aSubSecondDelayIsRoundedUpSoTheMessageIsNeverEarly() {
        queue.send(new RetryMessage("exe_01JABD", Instant.parse("2026-11-27T10:00:00Z")), Duration.ofMillis(1));

        assertThat(receiveAll()).isEmpty();
    }
}

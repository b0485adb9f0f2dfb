package dev.ferry.infra.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.message.ExecutionMessage;
import dev.ferry.core.port.ExecutionQueue;
import dev.ferry.core.port.ExecutionQueueContract;
import dev.ferry.infra.TestResources;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

class SqsExecutionQueueIT extends ExecutionQueueContract {
    private final String queueUrl = TestResources.createQueue(TestResources.clients().sqs(), "ExecutionQueue");
    private final SqsExecutionQueue queue = new SqsExecutionQueue(TestResources.clients().sqs(), queueUrl);

    @BeforeAll
    static void resetEmulator() {
        TestResources.reset();
    }

    @Override
    protected ExecutionQueue queue() {
        return queue;
    }

    private final List<String> releases = new ArrayList<>();
    private final List<String> deletions = new ArrayList<>();

    @Override
    protected List<String> receiveAll() {
        List<String> ids = new ArrayList<>();
        for (Message m : receive()) {
            switch (ExecutionMessage.CODEC.read(m.body())) {
                case ExecutionMessage.Run run -> ids.add(run.executionId());
                case ExecutionMessage.ReleaseHeld release -> releases.add(release.instanceId());
                case ExecutionMessage.ContinueDeletion deletion -> deletions.add(deletion.instanceId());
            }
        }
        return ids;
    }

    @Override
    protected List<String> receiveAllReleases() {
        receiveAll().forEach(id -> { throw new AssertionError("an execution message among releases: " + id); });
        List<String> out = List.copyOf(releases);
        releases.clear();
        return out;
    }

    @Override
    protected List<String> receiveAllDeletions() {
        receiveAll().forEach(id -> { throw new AssertionError("an execution message among deletions: " + id); });
        List<String> out = List.copyOf(deletions);
        deletions.clear();
        return out;
    }

    private List<Message> receive() {
        var sqs = TestResources.clients().sqs();
        List<Message> out = new ArrayList<>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0))
                    .messages();
            if (batch.isEmpty()) return out;
            for (Message m : batch) {
                out.add(m);
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
    }

    /** Receives once (no wait), leaving what it gets in flight. */
    private List<Message> receiveOnce(String url) {
        return TestResources.clients().sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0))
                .messages();
    }

    @Test
    void aFailedMessageHandedBackComesBackAfterItsDelayNotTheQueuesVisibilityTimeout() {
        queue.enqueue("exe_failed_once");
        List<Message> first = receiveOnce(queueUrl);
        assertThat(first).hasSize(1);
        assertThat(receiveOnce(queueUrl)).as("in flight for the queue's visibility timeout (90 min)").isEmpty();

        queue.redeliverAfter(first.get(0).receiptHandle(), java.time.Duration.ZERO);

        assertThat(receiveOnce(queueUrl)).extracting(Message::body).containsExactly(ExecutionMessage.CODEC.write(new ExecutionMessage.Run("exe_failed_once")));
    }

    @Test
    void aDelayLongerThanTheQueuesVisibilityTimeoutKeepsToTheQueues() throws InterruptedException {
        var sqs = TestResources.clients().sqs();
        String shortUrl = TestResources.createQueue(sqs, "ExecutionQueue");
        sqs.setQueueAttributes(b -> b.queueUrl(shortUrl).attributesWithStrings(java.util.Map.of("VisibilityTimeout", "1")));
        SqsExecutionQueue shortQueue = new SqsExecutionQueue(sqs, shortUrl);
        shortQueue.enqueue("exe_short");
        List<Message> first = receiveOnce(shortUrl);
        assertThat(first).hasSize(1);

        shortQueue.redeliverAfter(first.get(0).receiptHandle(), java.time.Duration.ofMinutes(30));

        long end = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        List<Message> again = List.of();
        while (again.isEmpty() && System.nanoTime() < end) {
            again = sqs.receiveMessage(b -> b.queueUrl(shortUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
        }
        assertThat(again).as("back after the queue's 1 s, not 30 min").extracting(Message::body)
                .containsExactly(ExecutionMessage.CODEC.write(new ExecutionMessage.Run("exe_short")));
    }

    @Test
    void messageBodyIsTheExecutionIdAsJson() {
        queue.enqueue("exe_01JABC");

        List<Message> messages = receive();

        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).body()).isEqualTo("{\"executionId\":\"exe_01JABC\"}");
    }
}

package dev.ferry.infra.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.message.AlertDeliveryRetry;
import dev.ferry.core.message.MonitorMessage;
import dev.ferry.core.port.MonitorEventQueue;
import dev.ferry.core.port.MonitorEventQueueContract;
import dev.ferry.infra.TestResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

class SqsMonitorEventQueueIT extends MonitorEventQueueContract {
    private final String queueUrl = TestResources.createQueue(TestResources.clients().sqs(), "MonitorQueue");
    private final SqsMonitorEventQueue queue = new SqsMonitorEventQueue(TestResources.clients().sqs(), queueUrl);

    @BeforeAll
    static void resetEmulator() {
        TestResources.reset();
    }

    @Override
    protected MonitorEventQueue queue() {
        return queue;
    }

    @Override
    protected List<MonitorMessage> receiveAll() {
        List<MonitorMessage> out = new ArrayList<>();
        for (Message m : receive()) out.add(MonitorMessage.CODEC.read(m.body()));
        return out;
    }

    private List<Message> receive() {
        var sqs = TestResources.clients().sqs();
        List<Message> out = new ArrayList<>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (batch.isEmpty()) return out;
            for (Message m : batch) {
                out.add(m);
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
    }

    @Test
    void aDelayLongerThanSqsAllowsIsCappedAt15Minutes() {
        queue.send(new AlertDeliveryRetry("mon_1", "k", 0, 2, T0), Duration.ofHours(2));

        var attributes = TestResources.clients().sqs().getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNamesWithStrings("ApproximateNumberOfMessagesDelayed")).attributesAsStrings();
        assertThat(attributes.get("ApproximateNumberOfMessagesDelayed")).isEqualTo("1");
        assertThat(receive()).isEmpty();
    }
}

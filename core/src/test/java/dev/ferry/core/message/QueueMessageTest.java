package dev.ferry.core.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.model.DeadLetterQueue;
import org.junit.jupiter.api.Test;

/** Dead-letter summaries come from the queues' codecs. */
class QueueMessageTest {

    @Test
    void eachQueuesMessagesAreSummarisedByWhatTheyAreAbout() {
        assertThat(QueueMessage.summarize(DeadLetterQueue.EXECUTION, "{\"executionId\":\"exe_1\"}")).isEqualTo("executionId exe_1");
        assertThat(QueueMessage.summarize(DeadLetterQueue.EXECUTION, "{\"releaseHeldOf\":\"ins_1\"}")).isEqualTo("releaseHeldOf ins_1");
        assertThat(QueueMessage.summarize(DeadLetterQueue.EXECUTION, "{\"deleteInstance\":\"ins_1\"}")).isEqualTo("deleteInstance ins_1");
        assertThat(QueueMessage.summarize(DeadLetterQueue.RETRY, "{\"executionId\":\"exe_1\",\"dueAt\":\"2026-11-27T10:00:00Z\"}"))
                .isEqualTo("executionId exe_1");
        assertThat(QueueMessage.summarize(DeadLetterQueue.REPLAY_JOB, "{\"replayJobId\":\"rpj_1\"}")).isEqualTo("replayJobId rpj_1");
        assertThat(QueueMessage.summarize(DeadLetterQueue.MONITOR, MonitorMessageTest.DISABLED)).isEqualTo("INSTANCE_DISABLED instanceId ins_1");
        assertThat(QueueMessage.summarize(DeadLetterQueue.MONITOR, MonitorMessageTest.DELIVERY)).isEqualTo("ALERT_DELIVERY monitorId mon_1");
    }

    @Test
    void anotherQueuesMessageIsStillNamedAndAnythingElseSaysSo() {
        assertThat(QueueMessage.summarize(DeadLetterQueue.MONITOR, "{\"replayJobId\":\"rpj_1\"}")).isEqualTo("replayJobId rpj_1");
        assertThat(QueueMessage.summarize(DeadLetterQueue.EXECUTION, "{\"hello\":1}")).isEqualTo("unrecognised message");
        assertThat(QueueMessage.summarize(DeadLetterQueue.RETRY, "hello")).isEqualTo("not JSON");
    }
}

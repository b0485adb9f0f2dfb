package dev.ferry.infra.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.infra.AwsClients;
import dev.ferry.infra.CallCounter;
import dev.ferry.infra.TestResources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** The replay job queue's message, and the execution queue's batched sends. */
class SqsReplayJobQueueIT {
    private static final CallCounter calls = new CallCounter();
    private static AwsClients counted;

    @BeforeAll
    static void resetEmulator() {
        TestResources.reset();
        counted = AwsClients.fromEnv(TestResources.env(), List.of(calls));
    }

    @AfterAll
    static void close() {
        counted.close();
    }

    @Test
    void jobMessageNamesTheJob() {
        String url = TestResources.createQueue(counted.sqs(), "ReplayJobQueue");
        new SqsReplayJobQueue(counted.sqs(), url).enqueue("rpj_01JABC");

        assertThat(TestResources.receiveAll(counted.sqs(), url)).singleElement().extracting(Message::body)
                .isEqualTo("{\"replayJobId\":\"rpj_01JABC\"}");
    }

    @Test
    void twentyFiveExecutionsAreQueuedInThreeBatchCalls() {
        String url = TestResources.createQueue(counted.sqs(), "ReplayJobQueue");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 25; i++) ids.add("exe_" + i);
        calls.reset();

        new SqsExecutionQueue(counted.sqs(), url).enqueueAll(ids);

        assertThat(calls.snapshot()).isEqualTo(Map.of("Sqs.SendMessageBatch", 3L));
        assertThat(TestResources.receiveAll(counted.sqs(), url)).extracting(Message::body)
                .containsExactlyInAnyOrderElementsOf(ids.stream().map(id -> "{\"executionId\":\"" + id + "\"}").toList());
    }
}

package dev.ferry.infra.sqs;

import dev.ferry.core.model.DeadLetterQueue;
import dev.ferry.core.port.DeadLetters;
import dev.ferry.core.port.DeadLettersContract;
import dev.ferry.infra.AwsClients;
import dev.ferry.infra.TestResources;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.sqs.model.Message;

/** The dead-letter contract on SQS (moto): template.yaml's source queue and dead-letter queue per kind, fresh for each test. */
class SqsDeadLettersIT extends DeadLettersContract {
    /** Each kind's source queue in template.yaml; its dead-letter queue is named after it. */
    private static final Map<DeadLetterQueue, String> SOURCES = Map.of(DeadLetterQueue.EXECUTION, "ExecutionQueue",
            DeadLetterQueue.RETRY, "RetryQueue", DeadLetterQueue.MONITOR, "MonitorQueue",
            DeadLetterQueue.REPLAY_JOB, "ReplayJobQueue");
    private static AwsClients clients;

    private final Map<DeadLetterQueue, SqsDeadLetters.Urls> urls = new EnumMap<>(DeadLetterQueue.class);
    private final Map<DeadLetterQueue, List<String>> arrived = new EnumMap<>(DeadLetterQueue.class);
    private final SqsDeadLetters deadLetters;

    @BeforeAll
    static void resetEmulator() {
        TestResources.reset();
        clients = AwsClients.fromEnv(TestResources.env());
    }

    @AfterAll
    static void close() {
        clients.close();
    }

    SqsDeadLettersIT() {
        for (DeadLetterQueue q : DeadLetterQueue.values()) {
            arrived.put(q, new ArrayList<>());
            if (q == DeadLetterQueue.SCHEDULE) continue;
            String source = SOURCES.get(q);
            String deadLetter = source.replace("Queue", "DeadLetterQueue");
            Map<String, String> created = TestResources.createQueues(clients.sqs(), source, deadLetter);
            urls.put(q, new SqsDeadLetters.Urls(created.get(source), created.get(deadLetter)));
        }
        // ScheduledTriggerFunction's on-failure destination: its source is the function, here a recorder.
        String scheduleDlq = TestResources.createQueues(clients.sqs(), "ScheduledTriggerDeadLetterQueue")
                .get("ScheduledTriggerDeadLetterQueue");
        urls.put(DeadLetterQueue.SCHEDULE, new SqsDeadLetters.Urls(null, scheduleDlq));
        deadLetters = new SqsDeadLetters(clients.sqs(), urls,
                Map.of(DeadLetterQueue.SCHEDULE, body -> arrived.get(DeadLetterQueue.SCHEDULE).add(body)));
    }

    @Override
    protected DeadLetters deadLetters() {
        return deadLetters;
    }

    @Override
    protected String deadLetter(DeadLetterQueue queue, String body) {
        return clients.sqs().sendMessage(b -> b.queueUrl(urls.get(queue).deadLetter()).messageBody(body)).messageId();
    }

    @Override
    protected List<String> sourceBodies(DeadLetterQueue queue) {
        if (queue == DeadLetterQueue.SCHEDULE) return List.copyOf(arrived.get(queue));
        TestResources.receiveAll(clients.sqs(), urls.get(queue).source()).stream().map(Message::body)
                .forEach(arrived.get(queue)::add);
        return List.copyOf(arrived.get(queue));
    }
}

package dev.ferry.core.port;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.model.DeadLetter;
import dev.ferry.core.model.DeadLetterQueue;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The rules every {@link DeadLetters} keeps. Each test starts with empty queues. */
public abstract class DeadLettersContract {
    protected abstract DeadLetters deadLetters();

    /** Puts a message into the queue's dead-letter queue, as SQS does after its last receive; returns its id. */
    protected abstract String deadLetter(DeadLetterQueue queue, String body);

    /** The bodies that have arrived at the source queue. */
    protected abstract List<String> sourceBodies(DeadLetterQueue queue);

    @ParameterizedTest
    @EnumSource(DeadLetterQueue.class)
    void aDeadLetterIsListedWithWhatItIsAbout(DeadLetterQueue queue) {
        String id = deadLetter(queue, "{\"executionId\":\"exe_1\"}");

        List<DeadLetter> listed = deadLetters().list(queue, 10);

        assertThat(listed).singleElement().satisfies(d -> {
            assertThat(d.id()).isEqualTo(id);
            assertThat(d.queue()).isEqualTo(queue);
            assertThat(d.summary()).isEqualTo("executionId exe_1");
            assertThat(d.body()).isEqualTo("{\"executionId\":\"exe_1\"}");
            assertThat(d.truncated()).isFalse();
            assertThat(d.sentAt()).isNotNull();
            assertThat(d.receiveCount()).isPositive();
        });
        assertThat(deadLetters().list(queue, 10)).as("listing leaves it there").extracting(DeadLetter::id).containsExactly(id);
    }

    @Test
    void aLongBodyIsCutAndAMonitorEventIsSummarisedByItsExecution() {
        String big = "{\"type\":\"EXECUTION_ENDED\",\"execution\":{\"id\":\"exe_9\"},\"pad\":\"" + "x".repeat(3000) + "\"}";
        deadLetter(DeadLetterQueue.MONITOR, big);

        DeadLetter d = deadLetters().list(DeadLetterQueue.MONITOR, 10).get(0);

        assertThat(d.summary()).isEqualTo("EXECUTION_ENDED executionId exe_9");
        assertThat(d.body()).hasSize(DeadLetter.BODY_MAX).isEqualTo(big.substring(0, DeadLetter.BODY_MAX));
        assertThat(d.truncated()).isTrue();
    }

    @Test
    void listingStopsAtTheLimit() {
        for (int i = 0; i < 5; i++) deadLetter(DeadLetterQueue.RETRY, "{\"executionId\":\"exe_" + i + "\"}");

        assertThat(deadLetters().list(DeadLetterQueue.RETRY, 3)).hasSize(3);
        assertThat(deadLetters().list(DeadLetterQueue.RETRY, 10)).hasSize(5);
    }

    @Test
    void redrivingNamedMessagesMovesOnlyThoseAndReportsUnknownIds() {
        String a = deadLetter(DeadLetterQueue.EXECUTION, "{\"executionId\":\"exe_a\"}");
        String b = deadLetter(DeadLetterQueue.EXECUTION, "{\"executionId\":\"exe_b\"}");

        DeadLetters.Redrive r = deadLetters().redrive(DeadLetterQueue.EXECUTION, List.of(a, "no-such-message"));

        assertThat(r.moved()).containsExactly(a);
        assertThat(r.notFound()).containsExactly("no-such-message");
        assertThat(sourceBodies(DeadLetterQueue.EXECUTION)).containsExactly("{\"executionId\":\"exe_a\"}");
        assertThat(deadLetters().list(DeadLetterQueue.EXECUTION, 10)).extracting(DeadLetter::id).containsExactly(b);
    }

    @Test
    void redrivingAllMovesEveryMessageBackToItsSourceQueue() {
        deadLetter(DeadLetterQueue.REPLAY_JOB, "{\"replayJobId\":\"rpj_1\"}");
        deadLetter(DeadLetterQueue.REPLAY_JOB, "{\"replayJobId\":\"rpj_2\"}");

        DeadLetters.Redrive r = deadLetters().redrive(DeadLetterQueue.REPLAY_JOB, null);

        assertThat(r.moved()).hasSize(2);
        assertThat(r.notFound()).isEmpty();
        assertThat(sourceBodies(DeadLetterQueue.REPLAY_JOB))
                .containsExactlyInAnyOrder("{\"replayJobId\":\"rpj_1\"}", "{\"replayJobId\":\"rpj_2\"}");
        assertThat(deadLetters().list(DeadLetterQueue.REPLAY_JOB, 10)).isEmpty();
        assertThat(sourceBodies(DeadLetterQueue.EXECUTION)).as("other queues untouched").isEmpty();
    }

    /** Lambda's invocation record of a failed asynchronous run, as it arrives at an on-failure destination. */
    public static final String SCHEDULE_RECORD = "{\"version\":\"1.0\",\"timestamp\":\"2026-12-05T10:00:03.000Z\","
            + "\"requestContext\":{\"requestId\":\"5f1c\",\"functionArn\":\"arn:aws:lambda:us-east-1:123456789012:function:trigger:live\","
            + "\"condition\":\"RetriesExhausted\",\"approximateInvokeCount\":3},"
            + "\"requestPayload\":{\"flowConfigId\":\"fc_1\",\"scheduledTime\":\"2026-12-05T10:00:00Z\"},"
            + "\"responseContext\":{\"statusCode\":200,\"executedVersion\":\"7\",\"functionError\":\"Unhandled\"},"
            + "\"responsePayload\":{\"errorMessage\":\"DynamoDB throttled\",\"errorType\":\"StoreException\"}}";

    @Test
    void aScheduleTickLambdaGaveUpOnIsSummarisedByItsTickAndRedrivenToItsFunction() {
        String id = deadLetter(DeadLetterQueue.SCHEDULE, SCHEDULE_RECORD);

        assertThat(deadLetters().list(DeadLetterQueue.SCHEDULE, 10)).singleElement().extracting(DeadLetter::summary)
                .isEqualTo("flowConfigId fc_1 at 2026-12-05T10:00:00Z: RetriesExhausted after 3 attempts (DynamoDB throttled)");

        DeadLetters.Redrive r = deadLetters().redrive(DeadLetterQueue.SCHEDULE, null);

        assertThat(r.moved()).containsExactly(id);
        assertThat(sourceBodies(DeadLetterQueue.SCHEDULE)).containsExactly(SCHEDULE_RECORD);
        assertThat(deadLetters().list(DeadLetterQueue.SCHEDULE, 10)).isEmpty();
    }

    @Test
    void redrivingAnEmptyQueueMovesNothing() {
        assertThat(deadLetters().redrive(DeadLetterQueue.MONITOR, null).moved()).isEmpty();
        assertThat(deadLetters().list(DeadLetterQueue.MONITOR, 10)).isEmpty();
    }
}

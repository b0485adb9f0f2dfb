package dev.ferry.core.port;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.message.ExecutionMessage;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link ExecutionQueue} does: each enqueued id and each release request reaches the consumer. */
public abstract class ExecutionQueueContract {
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    protected abstract ExecutionQueue queue();

    /** Every id a consumer would receive now, removing them from the queue. */
    protected abstract List<String> receiveAll();

    /** The instance ids of every release request a consumer would receive now, removing them. */
    protected abstract List<String> receiveAllReleases();

    /** The instance ids of every deletion request a consumer would receive now, removing them. */
    protected abstract List<String> receiveAllDeletions();

    @Test
    void everyEnqueuedIdIsDelivered() {
        List<String> ids = List.of("exe_" + run + "_1", "exe_" + run + "_2", "exe_" + run + "_3");

        ids.forEach(queue()::enqueue);

        assertThat(receiveAll()).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void nothingEnqueuedNothingDelivered() {
        assertThat(receiveAll()).isEmpty();
        assertThat(receiveAllReleases()).isEmpty();
    }

    @Test
    void releaseRequestsReachTheConsumerApartFromExecutions() {
        queue().enqueue("exe_" + run + "_1");
        queue().send(new ExecutionMessage.ReleaseHeld("ins_" + run));

        assertThat(receiveAll()).containsExactly("exe_" + run + "_1");
        assertThat(receiveAllReleases()).containsExactly("ins_" + run);
    }

    @Test
    void deletionRequestsReachTheConsumerApartFromExecutionsAndReleases() {
        queue().enqueue("exe_" + run + "_1");
        queue().send(new ExecutionMessage.ReleaseHeld("ins_" + run + "_r"));
        queue().send(new ExecutionMessage.ContinueDeletion("ins_" + run + "_d"));

        assertThat(receiveAll()).containsExactly("exe_" + run + "_1");
        assertThat(receiveAllReleases()).containsExactly("ins_" + run + "_r");
        assertThat(receiveAllDeletions()).containsExactly("ins_" + run + "_d");
    }
}

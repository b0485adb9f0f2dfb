package dev.ferry.core.port;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link ExecutionQueue} does: each enqueued id reaches the consumer. */
public abstract class ExecutionQueueContract {
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    protected abstract ExecutionQueue queue();

    /** Every id a consumer would receive now, removing them from the queue. */
    protected abstract List<String> receiveAll();

    @Test
    void everyEnqueuedIdIsDelivered() {
        List<String> ids = List.of("exe_" + run + "_1", "exe_" + run + "_2", "exe_" + run + "_3");

        ids.forEach(queue()::enqueue);

        assertThat(receiveAll()).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void nothingEnqueuedNothingDelivered() {
        assertThat(receiveAll()).isEmpty();
    }
}

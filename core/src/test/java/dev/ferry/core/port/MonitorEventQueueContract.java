package dev.ferry.core.port;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.message.AlertDeliveryRetry;
import dev.ferry.core.message.MonitorEvent;
import dev.ferry.core.message.MonitorMessage;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionError;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.LogLine;
import dev.ferry.core.model.PauseMode;
import dev.ferry.core.model.Severity;
import dev.ferry.core.model.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What every {@link MonitorEventQueue} does: events reach the consumer whole, delayed ones later. */
public abstract class MonitorEventQueueContract {
    protected static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    protected abstract MonitorEventQueue queue();

    /** Every message a consumer would receive now, removing them from the queue. */
    protected abstract List<MonitorMessage> receiveAll();

    static Execution failed() {
        return Execution.builder().id("exe_1").instanceId("ins_1").customerId("cus_1").flowConfigId("flc_1")
                .flow("On new order").trigger(Trigger.WEBHOOK).status(ExecutionStatus.RUNNING).queuedAt(T0)
                .startedAt(T0).attempt(2).retryOf("exe_0").nextRetryAt(T0.plusSeconds(120)).retriesRemaining(1)
                .integrationVersion(3).error(new ExecutionError("HTTP 500 from api", "fetch", true))
                .end(ExecutionStatus.FAILED, T0.plusMillis(1234)).build();
    }

    @Test
    void executionEventsArriveWithTheExecutionAndItsWarnings() {
        LogLine warn = new LogLine(T0, Severity.ERROR, "execution failed at step 'fetch'", "ins_1", "exe_1", "flc_1", "fetch", 2);
        MonitorEvent ended = MonitorEvent.executionEnded(failed(), List.of(warn), T0.plusSeconds(2));

        queue().publish(ended);

        assertThat(receiveAll()).containsExactly(ended);
    }

    @Test
    void anEndedEventThatCarriesItsStartArrivesWithTheFlag() {
        MonitorEvent both = MonitorEvent.executionEnded(failed(), List.of(), T0.plusSeconds(2), true);

        queue().publish(both);

        assertThat(receiveAll()).singleElement().satisfies(e -> {
            assertThat(e).isEqualTo(both);
            assertThat(((MonitorEvent) e).includesStart()).isTrue();
        });
    }

    @Test
    void instanceAndDeliveryEventsArriveWhole() {
        Instance instance = new Instance("ins_1", "Acme orders", "cus_1", "int_1", 1, false, PauseMode.HOLD,
                Map.of("apiKey", "s3cr3t"), T0, null);
        MonitorEvent disabled = MonitorEvent.instance(MonitorEvent.Type.INSTANCE_DISABLED, instance, T0);
        AlertDeliveryRetry retry = new AlertDeliveryRetry("mon_1", "EXECUTION#exe_1", 1, 2, T0);

        queue().publish(disabled);
        queue().publish(retry);

        List<MonitorMessage> received = receiveAll();
        assertThat(received).containsExactlyInAnyOrder(disabled, retry);
        assertThat(received.toString()).doesNotContain("s3cr3t");
    }

    @Test
    void aDelayedEventIsNotReceivedBeforeItsDelay() {
        queue().send(new AlertDeliveryRetry("mon_1", "k", 0, 2, T0), Duration.ofSeconds(30));

        assertThat(receiveAll()).isEmpty();
    }
}

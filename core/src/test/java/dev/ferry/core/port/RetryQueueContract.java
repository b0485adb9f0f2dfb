package dev.ferry.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.message.RetryMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link RetryQueue} does: messages come back whole, never before their delay, and delays stay within SQS's. */
public abstract class RetryQueueContract {
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    protected abstract RetryQueue queue();

    /** Every message a consumer would receive now, removing them from the queue. */
    protected abstract List<RetryMessage> receiveAll();

    @Test
    void messageWithoutDelayIsDeliveredWithItsExecutionAndDueTime() {
        RetryMessage m = new RetryMessage("exe_" + run, Instant.parse("2026-11-27T10:00:00.123Z"));

        queue().send(m, Duration.ZERO);

        assertThat(receiveAll()).containsExactly(m);
    }

    @Test
    void delayedMessageIsNotDeliveredBeforeItsDelay() {
        queue().send(new RetryMessage("exe_" + run, Instant.parse("2026-11-27T10:00:00Z")), Duration.ofMinutes(10));

        assertThat(receiveAll()).isEmpty();
    }

    @Test
    void delayLongerThanFifteenMinutesIsRefused() {
        RetryMessage m = new RetryMessage("exe_" + run, Instant.parse("2026-11-27T10:00:00Z"));

        assertThatThrownBy(() -> queue().send(m, Duration.ofSeconds(901))).isInstanceOf(IllegalArgumentException.class);
        assertThat(receiveAll()).isEmpty();
    }
}

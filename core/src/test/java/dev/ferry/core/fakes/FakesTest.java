package dev.ferry.core.fakes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FakesTest {
    @Test
    void mutableClockStandsStillUntilMoved() {
        MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));

        clock.advance(Duration.ofMinutes(5));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2025-01-01T00:05:00Z"));

        clock.set(Instant.parse("2030-01-01T00:00:00Z"));
        assertThat(clock.millis()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z").toEpochMilli());
    }

    @Test
    void sequentialIdsSortInCreationOrder() {
        SequentialIdGenerator ids = new SequentialIdGenerator();
        String a = ids.newId("exe");
        String b = ids.newId("exe");
        assertThat(a).isEqualTo("exe_00000000000000000000000001");
        assertThat(a).isLessThan(b);
        assertThat(ids.newToken()).hasSize(32).isNotEqualTo(ids.newToken());
    }

    @Test
    void queueDrainsInOrder() {
        InMemoryExecutionQueue q = new InMemoryExecutionQueue();
        q.enqueue("a");
        q.enqueue("b");
        assertThat(q.pending()).containsExactly("a", "b");
        assertThat(q.drain()).containsExactly("a", "b");
        assertThat(q.size()).isZero();
    }
}

package dev.ferry.core.port;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.port.UniqueRequestStore.Claim;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link UniqueRequestStore} does: the newest chain per (flow config, value) holds it. */
public abstract class UniqueRequestStoreContract {
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final Instant EXPIRES = T0.plusSeconds(14 * 86400);
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String flc = "flc_" + run;

    protected abstract UniqueRequestStore store();

    private Claim claim(String value, String id, int second) {
        return store().claim(flc, value, id, T0.plusSeconds(second), EXPIRES);
    }

    @Test
    void firstExecutionWithAValueHoldsItAndDisplacesNothing() {
        assertThat(claim("req-1", "exe_a", 0)).isEqualTo(new Claim(null, null, null));
    }

    @Test
    void newerExecutionDisplacesTheOlderChainAndLearnsItsPendingExecution() {
        claim("req-1", "exe_a", 0);
        assertThat(store().markPending(flc, "req-1", "exe_a", "exe_a_r2")).isEmpty();

        assertThat(claim("req-1", "exe_b", 5)).isEqualTo(new Claim(null, "exe_a", "exe_a_r2"));
        assertThat(store().markPending(flc, "req-1", "exe_a", "exe_a_r3")).isEqualTo(Optional.of("exe_b"));
    }

    @Test
    void olderExecutionArrivingLateIsSupersededAndChangesNothing() {
        claim("req-1", "exe_b", 5);

        assertThat(claim("req-1", "exe_a", 0)).isEqualTo(new Claim("exe_b", null, null));
        assertThat(store().markPending(flc, "req-1", "exe_b", "exe_b")).isEmpty();
    }

    @Test
    void claimingAgainIsHarmlessForTheHolder() {
        claim("req-1", "exe_a", 0);
        store().markPending(flc, "req-1", "exe_a", "exe_a");

        assertThat(claim("req-1", "exe_a", 0)).isEqualTo(new Claim(null, null, null));
        assertThat(claim("req-1", "exe_b", 1)).isEqualTo(new Claim(null, "exe_a", "exe_a"));
    }

    @Test
    void valuesAndFlowConfigsAreKeptApart() {
        claim("req-1", "exe_a", 0);
        store().claim("flc_other_" + run, "req-1", "exe_x", T0.plusSeconds(9), EXPIRES);

        assertThat(claim("req-2", "exe_b", 5)).isEqualTo(new Claim(null, null, null));
        assertThat(store().markPending(flc, "req-1", "exe_a", "exe_a")).isEmpty();
    }

    @Test
    void markingAValueNobodyClaimedAllowsTheRetry() {
        assertThat(store().markPending(flc, "req-never", "exe_a", "exe_a")).isEmpty();
    }

    @Test
    void deleteForFlowConfigForgetsItsHoldersAndNoOthers() {
        claim("req-1", "exe_a", 0);
        claim("req-2", "exe_b", 1);
        store().claim(flc + "_other", "req-1", "exe_c", T0, EXPIRES);

        store().deleteForFlowConfig(flc);

        // Forgotten: an older execution now holds the value as if none had before.
        assertThat(claim("req-1", "exe_0", -10)).isEqualTo(new Claim(null, null, null));
        assertThat(store().markPending(flc, "req-2", "exe_b", "exe_b_r2")).isEmpty();
        assertThat(store().claim(flc + "_other", "req-1", "exe_d", T0.minusSeconds(5), EXPIRES).superseded()).isTrue();
    }
}

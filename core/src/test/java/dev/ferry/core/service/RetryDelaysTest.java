package dev.ferry.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.definition.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wait before each retry: FIXED, EXPONENTIAL doubling with its cap, jitter, Retry-After. */
class RetryDelaysTest {
    private static List<Long> seconds(RetryPolicy p, int retries) {
        List<Long> out = new ArrayList<>();
        for (int attempt = 1; attempt <= retries; attempt++) out.add(Retries.delay(p, attempt, "exe_1", null).toSeconds());
        return out;
    }

    @Test
    void fixedBackoffWaitsTheSameDelayBeforeEveryRetry() {
        RetryPolicy p = new RetryPolicy(4, 60, RetryPolicy.FIXED, 86400, false, null);
        assertThat(seconds(p, 4)).containsExactly(60L, 60L, 60L, 60L);
    }

    @Test
    void exponentialBackoffDoublesUpToMaxDelay() {
        RetryPolicy p = new RetryPolicy(10, 60, RetryPolicy.EXPONENTIAL, 600, false, null);
        assertThat(seconds(p, 7)).containsExactly(60L, 120L, 240L, 480L, 600L, 600L, 600L);
    }

    @Test
    void exponentialBackoffNeverWaitsMoreThanADay() {
        RetryPolicy p = new RetryPolicy(10, 3600, RetryPolicy.EXPONENTIAL, 86400, false, null);
        assertThat(seconds(p, 10)).containsExactly(3600L, 7200L, 14400L, 28800L, 57600L, 86400L, 86400L, 86400L,
                86400L, 86400L);
    }

    @Test
    void jitterWaitsBetweenHalfAndAllOfTheDelayAndSpreadsExecutionsOut() {
        RetryPolicy p = new RetryPolicy(3, 100, RetryPolicy.FIXED, 86400, true, null);
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 50; i++) waits.add(Retries.delay(p, 1, "exe_" + i, null).toMillis());

        assertThat(waits).allSatisfy(ms -> assertThat(ms).isBetween(50_000L, 100_000L));
        assertThat(waits.stream().distinct().count()).isGreaterThan(40);
        assertThat(Retries.delay(p, 1, "exe_7", null)).isEqualTo(Retries.delay(p, 1, "exe_7", null));
    }

    @Test
    void retryAfterFromTheServerMovesTheRetryLaterButNeverEarlier() {
        RetryPolicy p = new RetryPolicy(3, 60, RetryPolicy.FIXED, 86400, false, null);
        assertThat(Retries.delay(p, 1, "exe_1", Duration.ofSeconds(300))).isEqualTo(Duration.ofSeconds(300));
        assertThat(Retries.delay(p, 1, "exe_1", Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(60));
        assertThat(Retries.delay(p, 1, "exe_1", Duration.ofDays(3))).isEqualTo(Duration.ofDays(1));
    }
}

package dev.ferry.infra.kms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.fakes.MutableClock;
import java.time.Duration;
import java.time.Instant;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The data key cache: hits while young, a miss once its age is reached (by an injected clock), at most N keys. */
class DataKeyCacheTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
    final SecretKey key = new SecretKeySpec(new byte[32], "AES");

    @Test
    void aKeyIsAnsweredUntilItsAgeThenAskedForAgain() {
        DataKeyCache cache = new DataKeyCache(clock, Duration.ofMinutes(5), 10);
        assertThat(cache.get("k")).isEmpty();
        cache.put("k", key);

        assertThat(cache.get("k")).contains(key);
        clock.advance(Duration.ofMinutes(5).minusMillis(1));
        assertThat(cache.get("k")).contains(key);
        clock.advance(Duration.ofMillis(1));
        assertThat(cache.get("k")).isEmpty();

        assertThat(cache.hits()).isEqualTo(2);
        assertThat(cache.misses()).isEqualTo(2);
        assertThat(cache.size()).as("an expired key is dropped").isZero();
    }

    @Test
    void theLeastRecentlyUsedKeyGoesPastTheBound() {
        DataKeyCache cache = new DataKeyCache(clock, Duration.ofMinutes(5), 2);
        cache.put("a", key);
        cache.put("b", key);
        cache.get("a");
        cache.put("c", key);

        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get("b")).as("least recently used").isEmpty();
        assertThat(cache.get("a")).isPresent();
        assertThat(cache.get("c")).isPresent();
    }
}

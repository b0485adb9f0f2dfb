package dev.ferry.infra.ids;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.fakes.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class UlidIdGeneratorTest {
    private static final String CROCKFORD = "[0-9A-HJKMNP-TV-Z]";

    @Test
    void idIsPrefixAndA26CharacterCrockfordUlid() {
        String id = new UlidIdGenerator().newId("exe");
        assertThat(id).matches("exe_" + CROCKFORD + "{26}");
    }

    @Test
    void timePartEncodesTheMillisecond() {
        MutableClock clock = new MutableClock(Instant.ofEpochMilli(1_469_918_176_385L));
        String ulid = new UlidIdGenerator(clock, new SecureRandom()).nextUlid();
        // from the ULID spec's example: 1469918176385 -> 01ARYZ6S41
        assertThat(ulid).startsWith("01ARYZ6S41");
    }

    @Test
    void idsIncreaseWithinOneMillisecondAndAcrossTime() {
        MutableClock clock = new MutableClock(Instant.parse("2025-06-01T00:00:00Z"));
        UlidIdGenerator ids = new UlidIdGenerator(clock, new SecureRandom());
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            seen.add(ids.newId("x"));
            if (i % 100 == 99) clock.advance(Duration.ofMillis(1));
        }
        clock.set(Instant.parse("2025-05-31T00:00:00Z")); // clock stepped back
        seen.add(ids.newId("x"));

        assertThat(seen).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void encodesTheMaximumValues() {
        assertThat(UlidIdGenerator.encode((1L << 48) - 1, 0xFFFF, -1L)).isEqualTo("7ZZZZZZZZZZZZZZZZZZZZZZZZZ");
        assertThat(UlidIdGenerator.encode(0, 0, 0)).isEqualTo("00000000000000000000000000");
        assertThat(UlidIdGenerator.encode(0, 0, 1)).isEqualTo("00000000000000000000000001");
        assertThat(UlidIdGenerator.encode(0, 1, 0)).isEqualTo("0000000000000G000000000000");
    }

    @Test
    void tokensAre32RandomBytesBase64Url() {
        UlidIdGenerator ids = new UlidIdGenerator();
        HashSet<String> tokens = new HashSet<>();
        for (int i = 0; i < 100; i++) tokens.add(ids.newToken());
        assertThat(tokens).hasSize(100).allSatisfy(t -> assertThat(t).matches("[A-Za-z0-9_-]{43}"));
    }
}

package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimesTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-01T12:00:00.750Z"), ZoneOffset.UTC);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "30s, 2025-06-01T11:59:30Z",
            "15m, 2025-06-01T11:45:00Z",
            "2h,  2025-06-01T10:00:00Z",
            "7d,  2025-05-25T12:00:00Z",
            "1w,  2025-05-25T12:00:00Z",
            "15M, 2025-06-01T11:45:00Z",
    })
    void relativeTimesMeanThatLongAgoInWholeSeconds(String given, String expected) {
        assertThat(Times.iso(given, CLOCK)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "2025-01-31T12:00:00Z,        2025-01-31T12:00:00Z",
            "2025-01-31T12:00:00.5Z,      2025-01-31T12:00:00.500Z",
            "2025-01-31T14:00:00+02:00,   2025-01-31T12:00:00Z",
            "2025-01-31T12:00:00,         2025-01-31T12:00:00Z",
            "2025-01-31,                  2025-01-31T00:00:00Z",
    })
    void isoTimesAreConvertedToUtc(String given, String expected) {
        assertThat(Times.iso(given, CLOCK)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "15", "m15", "-2h", "2025-13-01", ""})
    void anythingElseIsRejectedWithTheAcceptedForms(String given) {
        assertThatThrownBy(() -> Times.parse(given, CLOCK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("15m, 2h, 7d");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"90s, PT1M30S", "15m, PT15M", "2h, PT2H", "PT5M, PT5M"})
    void durationsAcceptTheSameUnitsAndIso(String given, String expected) {
        assertThat(Times.duration(given)).isEqualTo(Duration.parse(expected));
    }

    @org.junit.jupiter.api.Test
    void nullMeansNotGiven() {
        assertThat(Times.iso(null, CLOCK)).isNull();
    }
}

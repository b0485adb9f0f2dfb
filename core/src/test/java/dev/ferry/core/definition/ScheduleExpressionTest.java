package dev.ferry.core.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScheduleExpressionTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId UTC = ZoneId.of("UTC");

    private static ZonedDateTime next(String expression, String after, ZoneId zone) {
        return ScheduleExpression.parse(expression).nextAfter(ZonedDateTime.parse(after).withZoneSameInstant(zone)).orElseThrow();
    }

    private static ZonedDateTime at(String text) {
        return ZonedDateTime.parse(text);
    }

    @Test
    void cronSkipsALocalTimeThatSpringForwardRemoves() {
        // 2025-03-30 02:00 CET jumps to 03:00 CEST: 02:30 does not exist that day
        assertThat(next("cron(30 2 * * ? *)", "2025-03-29T03:00:00+01:00", BERLIN))
                .isEqualTo(at("2025-03-31T02:30:00+02:00[Europe/Berlin]"));
    }

    @Test
    void cronFiresOnceForALocalTimeThatFallBackRepeats() {
        // 2025-10-26 03:00 CEST falls back to 02:00 CET: 02:30 happens twice, it fires the first time only
        ZonedDateTime first = next("cron(30 2 * * ? *)", "2025-10-26T00:00:00+02:00", BERLIN);
        assertThat(first).isEqualTo(at("2025-10-26T02:30:00+02:00[Europe/Berlin]"));
        ScheduleExpression daily = ScheduleExpression.parse("cron(30 2 * * ? *)");
        assertThat(daily.nextAfter(first)).contains(at("2025-10-27T02:30:00+01:00[Europe/Berlin]"));
        assertThat(daily.nextAfter(at("2025-10-26T02:45:00+01:00[Europe/Berlin]")))
                .contains(at("2025-10-27T02:30:00+01:00[Europe/Berlin]"));
    }

    @Test
    void cronKeepsTheWallClockTimeAcrossDaylightSavingChange() {
        ZonedDateTime saturday = at("2025-03-29T09:00:00+01:00[Europe/Berlin]");
        ZonedDateTime sunday = ScheduleExpression.parse("cron(0 9 * * ? *)").nextAfter(saturday).orElseThrow();
        assertThat(sunday).isEqualTo(at("2025-03-30T09:00:00+02:00[Europe/Berlin]"));
        assertThat(Duration.between(saturday, sunday)).isEqualTo(Duration.ofHours(23));
    }

    @Test
    void cronEvaluatesInTheGivenZone() {
        assertThat(next("cron(0 8 * * ? *)", "2025-06-01T07:30:00Z", BERLIN))
                .isEqualTo(at("2025-06-02T08:00:00+02:00[Europe/Berlin]"));
        assertThat(next("cron(0 8 * * ? *)", "2025-06-01T07:30:00Z", UTC)).isEqualTo(at("2025-06-01T08:00:00Z[UTC]"));
    }

    @ParameterizedTest(name = "{0} after {1} is {2}")
    @CsvSource(delimiter = '|', value = {
            "cron(0/15 * * * ? *)       | 2025-03-01T10:07:00Z | 2025-03-01T10:15:00Z",
            "cron(1/10 * * * ? *)       | 2025-03-01T10:01:00Z | 2025-03-01T10:11:00Z",
            "cron(0/5 8-17 ? * MON-FRI *) | 2025-03-07T17:55:00Z | 2025-03-10T08:00:00Z",
            "cron(0 18 ? * MON-FRI *)   | 2025-03-07T18:00:00Z | 2025-03-10T18:00:00Z",
            "cron(15 12 * * ? *)        | 2025-03-01T12:15:00Z | 2025-03-02T12:15:00Z",
            "cron(0 8 1 * ? *)          | 2025-03-01T08:00:30Z | 2025-04-01T08:00:00Z",
            "cron(0 8 L * ? *)          | 2025-02-01T00:00:00Z | 2025-02-28T08:00:00Z",
            "cron(0 8 LW * ? *)         | 2025-08-01T00:00:00Z | 2025-08-29T08:00:00Z",
            "cron(0 8 15W * ? *)        | 2025-03-01T00:00:00Z | 2025-03-14T08:00:00Z",
            "cron(0 8 1W * ? *)         | 2025-02-28T09:00:00Z | 2025-03-03T08:00:00Z",
            "cron(0 8 ? * 2#1 *)        | 2025-03-01T00:00:00Z | 2025-03-03T08:00:00Z",
            "cron(0 8 ? * 6L *)         | 2025-03-01T00:00:00Z | 2025-03-28T08:00:00Z",
            "cron(0 8 ? * L *)          | 2025-03-03T00:00:00Z | 2025-03-08T08:00:00Z",
            "cron(0 12 ? JAN SUN *)     | 2025-12-31T00:00:00Z | 2026-01-04T12:00:00Z",
            "cron(0 12 ? 1 1 *)         | 2025-12-31T00:00:00Z | 2026-01-04T12:00:00Z",
            "cron(0 0 29 2 ? *)         | 2025-01-01T00:00:00Z | 2028-02-29T00:00:00Z",
            "cron(0 10 * * ? 2030)      | 2025-01-01T00:00:00Z | 2030-01-01T10:00:00Z",
            "cron(0,30 9,17 ? * 2,4 *)  | 2025-03-03T09:00:00Z | 2025-03-03T09:30:00Z",
    })
    void cronFindsTheNextFireTime(String expression, String after, String expected) {
        assertThat(next(expression.trim(), after.trim(), UTC).toInstant()).isEqualTo(Instant.parse(expected.trim()));
    }

    @Test
    void cronWhoseYearsArePastHasNoNextTime() {
        assertThat(ScheduleExpression.parse("cron(0 0 1 1 ? 2020)").nextAfter(at("2025-01-01T00:00:00Z"))).isEmpty();
        assertThat(ScheduleExpression.parse("cron(0 0 30 2 ? *)").nextAfter(at("2025-01-01T00:00:00Z"))).isEmpty();
    }

    @Test
    void rateIsMeasuredFromTheEpoch() {
        assertThat(next("rate(5 minutes)", "2025-03-01T10:07:30Z", UTC)).isEqualTo(at("2025-03-01T10:10:00Z[UTC]"));
        assertThat(next("rate(5 minutes)", "2025-03-01T10:10:00Z", UTC)).isEqualTo(at("2025-03-01T10:15:00Z[UTC]"));
        assertThat(next("rate(1 hour)", "2025-03-01T10:07:30Z", UTC)).isEqualTo(at("2025-03-01T11:00:00Z[UTC]"));
        assertThat(next("rate(1 day)", "2025-03-01T10:07:30Z", BERLIN))
                .isEqualTo(at("2025-03-02T01:00:00+01:00[Europe/Berlin]"));
    }

    @Test
    void rateCanBeMeasuredFromAnotherAnchor() {
        ScheduleExpression every2h = ScheduleExpression.parse("rate(2 hours)");
        Optional<ZonedDateTime> next = every2h.nextAfter(at("2025-03-01T10:00:00Z"), Instant.parse("2025-03-01T09:17:00Z"));
        assertThat(next).contains(at("2025-03-01T11:17:00Z"));
        assertThat(every2h.rate()).isEqualTo(Duration.ofHours(2));
        assertThat(every2h.kind()).isEqualTo(ScheduleExpression.Kind.RATE);
    }

    @Test
    void atFiresOnceAtItsLocalTime() {
        ScheduleExpression once = ScheduleExpression.parse("at(2025-06-01T12:00:00)");
        assertThat(once.nextAfter(at("2025-05-01T00:00:00+02:00[Europe/Berlin]")))
                .contains(at("2025-06-01T12:00:00+02:00[Europe/Berlin]"));
        assertThat(once.nextAfter(at("2025-06-01T12:00:00+02:00[Europe/Berlin]"))).isEmpty();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "rate(1 minutes)          | singular",
            "rate(5 minute)           | plural",
            "rate(0 minutes)          | at least 1",
            "rate(-5 minutes)         | positive whole number",
            "rate(5 weeks)            | minute(s), hour(s) or day(s)",
            "rate(5)                  | rate(value unit)",
            "cron(0 12 * * ?)         | 6 fields",
            "cron(0 12 * * MON *)     | exactly one of day-of-month and day-of-week",
            "cron(0 12 ? * ? *)       | exactly one of day-of-month and day-of-week",
            "cron(60 12 * * ? *)      | minutes: 60 is out of range 0-59",
            "cron(0 24 * * ? *)       | hours: 24 is out of range 0-23",
            "cron(0 12 0 * ? *)       | day-of-month: 0 is out of range 1-31",
            "cron(0 12 ? FOO * *)     | 'FOO' is not a number or a name (JAN-DEC)",
            "cron(0 12 ? * 8 *)       | day-of-week: 8 is out of range 1-7",
            "cron(0 12 ? * 3#1,6#3 *) | # takes a single weekday",
            "cron(0 12 ? * 2#6 *)     | 1-5",
            "cron(0 12 ? * */2 *)     | does not take /",
            "cron(0 12 * * ? 1969)    | year: 1969 is out of range 1970-2199",
            "cron(0 17-9 * * ? *)     | runs backwards",
            "cron(0/0 * * * ? *)      | step",
            "at(2025-02-30T00:00:00)  | not a valid date",
            "at(2025-02-01 10:00)     | at(yyyy-mm-ddThh:mm:ss)",
            "every 5 minutes          | cron(…), rate(…) or at(…)",
    })
    void rejectsInvalidExpressionsWithTheReason(String expression, String reason) {
        assertThatThrownBy(() -> ScheduleExpression.parse(expression.trim()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason.trim());
    }
}

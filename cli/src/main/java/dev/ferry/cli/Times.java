package dev.ferry.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times given to {@code --since}/{@code --until}: an ISO-8601 instant ({@code 2025-01-31T12:00:00Z},
 * any offset; none means UTC), a date ({@code 2025-01-31}, midnight UTC), or an age such as {@code 30s}, {@code 15m},
 * {@code 2h}, {@code 7d}, {@code 2w} meaning that long before now. Always sent as ISO-8601 UTC.
 */
public final class Times {

    private static final Pattern RELATIVE = Pattern.compile("(\\d+)\\s*(s|m|h|d|w)", Pattern.CASE_INSENSITIVE);

    private Times() {}

    /** Parses a time argument; throws {@link IllegalArgumentException} saying what is accepted. */
    public static Instant parse(String value, Clock clock) {
        String v = value == null ? "" : value.strip();
        Matcher m = RELATIVE.matcher(v);
        if (m.matches()) {
            Duration ago = amount(Long.parseLong(m.group(1)), m.group(2));
            return clock.instant().truncatedTo(ChronoUnit.SECONDS).minus(ago);
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException ignored) {
            // not an instant with an offset; try a date
        }
        try {
            return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            // no time of day; try a date
        }
        try {
            return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException ignored) {
            throw new IllegalArgumentException("'" + value + "' is not a time: use an ISO-8601 instant such as "
                    + "2025-01-31T12:00:00Z, a date such as 2025-01-31, or an age such as 15m, 2h, 7d");
        }
    }

    /** A length of time: {@code 90s}, {@code 15m}, {@code 2h}, {@code 1d}, {@code 1w}, or ISO-8601 ({@code PT15M}). */
    public static Duration duration(String value) {
        String v = value == null ? "" : value.strip();
        Matcher m = RELATIVE.matcher(v);
        if (m.matches()) {
            return amount(Long.parseLong(m.group(1)), m.group(2));
        }
        try {
            return Duration.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + value + "' is not a duration: use e.g. 90s, 15m, 2h");
        }
    }

    private static Duration amount(long amount, String unit) {
        return switch (unit.toLowerCase(java.util.Locale.ROOT)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> Duration.ofDays(7 * amount);
        };
    }

    /** {@link #parse} as ISO-8601 UTC text, or null for null. */
    public static String iso(String value, Clock clock) {
        return value == null ? null : parse(value, clock).toString();
    }
}

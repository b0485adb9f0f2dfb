package dev.ferry.core.definition;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EventBridge Scheduler schedule expression, validated, and the times it fires.
 *
 * <ul>
 *   <li>{@code cron(minutes hours day-of-month month day-of-week year)}: exactly one of day-of-month
 *       and day-of-week is {@code ?}; {@code , - * /}; {@code L}, {@code LW} and {@code nW} in
 *       day-of-month; {@code L} (Saturday), {@code nL} (last such weekday of the month) and {@code n#k}
 *       (k-th such weekday) in day-of-week; months 1-12 or JAN-DEC, weekdays 1-7 or SUN-SAT with 1 =
 *       Sunday; years 1970-2199. Evaluated in the caller's zone: a local time that does not exist
 *       (spring forward) is skipped, one that exists twice (fall back) fires once, the first time.</li>
 *   <li>{@code rate(n unit)}: n ≥ 1, unit {@code minute|hour|day} when n is 1, else
 *       {@code minutes|hours|days}. Fires at {@code anchor + k × period}; the anchor is the Unix epoch
 *       ({@link #RATE_ANCHOR}) unless one is given, so {@code rate(5 minutes)} fires at :00, :05, …
 *       and {@code rate(1 day)} at 00:00 UTC whatever the zone.</li>
 *   <li>{@code at(yyyy-mm-ddThh:mm:ss)}: once, at that local time in the caller's zone.</li>
 * </ul>
 */
public final class ScheduleExpression {
    public enum Kind { CRON, RATE, AT }

    /** Where rate schedules are measured from unless another anchor is given. */
    public static final Instant RATE_ANCHOR = Instant.EPOCH;
    static final int MIN_YEAR = 1970;
    static final int MAX_YEAR = 2199;

    private static final Pattern CRON = Pattern.compile("cron\\((.*)\\)", Pattern.DOTALL);
    private static final Pattern RATE = Pattern.compile("rate\\(\\s*(\\S+)\\s+(\\S+)\\s*\\)");
    private static final Pattern AT = Pattern.compile("at\\((\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})\\)");
    private static final Pattern NUMBER = Pattern.compile("\\d{1,4}");
    private static final Map<String, Integer> MONTHS = Map.ofEntries(
            Map.entry("JAN", 1), Map.entry("FEB", 2), Map.entry("MAR", 3), Map.entry("APR", 4),
            Map.entry("MAY", 5), Map.entry("JUN", 6), Map.entry("JUL", 7), Map.entry("AUG", 8),
            Map.entry("SEP", 9), Map.entry("OCT", 10), Map.entry("NOV", 11), Map.entry("DEC", 12));
    private static final Map<String, Integer> WEEKDAYS = Map.of(
            "SUN", 1, "MON", 2, "TUE", 3, "WED", 4, "THU", 5, "FRI", 6, "SAT", 7);

    private final String expression;
    private final Kind kind;
    private final Duration rate;
    private final LocalDateTime at;
    private final Cron cron;

    private ScheduleExpression(String expression, Kind kind, Duration rate, LocalDateTime at, Cron cron) {
        this.expression = expression;
        this.kind = kind;
        this.rate = rate;
        this.at = at;
        this.cron = cron;
    }

    /**
     * Parses and validates an expression.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static ScheduleExpression parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("schedule expression is empty");
        String t = text.trim();
        Matcher m;
        if ((m = CRON.matcher(t)).matches()) {
            return new ScheduleExpression(t, Kind.CRON, null, null, Cron.parse(m.group(1)));
        }
        if ((m = RATE.matcher(t)).matches()) {
            return new ScheduleExpression(t, Kind.RATE, parseRate(m.group(1), m.group(2)), null, null);
        }
        if (t.startsWith("rate(")) {
            throw new IllegalArgumentException("rate expression must be rate(value unit), e.g. rate(5 minutes)");
        }
        if ((m = AT.matcher(t)).matches()) {
            try {
                return new ScheduleExpression(t, Kind.AT, null, LocalDateTime.parse(m.group(1)), null);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("at(" + m.group(1) + ") is not a valid date and time");
            }
        }
        if (t.startsWith("at(")) {
            throw new IllegalArgumentException("at expression must be at(yyyy-mm-ddThh:mm:ss)");
        }
        throw new IllegalArgumentException("schedule must be cron(…), rate(…) or at(…), got " + t);
    }

    private static Duration parseRate(String value, String unit) {
        if (!value.matches("\\d{1,9}")) throw new IllegalArgumentException("rate value must be a positive whole number, got " + value);
        long n = Long.parseLong(value);
        if (n < 1) throw new IllegalArgumentException("rate value must be at least 1, got " + value);
        String base = switch (unit) {
            case "minute", "minutes" -> "minute";
            case "hour", "hours" -> "hour";
            case "day", "days" -> "day";
            default -> throw new IllegalArgumentException("rate unit must be minute(s), hour(s) or day(s), got " + unit);
        };
        boolean singular = unit.equals(base);
        if (n == 1 && !singular) throw new IllegalArgumentException("rate of 1 takes the singular unit: rate(1 " + base + ")");
        if (n > 1 && singular) throw new IllegalArgumentException("rate of " + n + " takes the plural unit: rate(" + n + " " + base + "s)");
        return switch (base) {
            case "minute" -> Duration.ofMinutes(n);
            case "hour" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    public Kind kind() {
        return kind;
    }

    /** The expression as parsed (trimmed). */
    public String expression() {
        return expression;
    }

    /** The period of a rate expression, else null. */
    public Duration rate() {
        return rate;
    }

    /** The local date-time of an at expression, else null. */
    public LocalDateTime at() {
        return at;
    }

    /**
     * The first fire time strictly after {@code after}, in {@code after}'s zone; empty when there is
     * none (an {@code at} in the past, a cron whose years are over). Rates use {@link #RATE_ANCHOR}.
     */
    public Optional<ZonedDateTime> nextAfter(ZonedDateTime after) {
        return nextAfter(after, RATE_ANCHOR);
    }

    /** As {@link #nextAfter(ZonedDateTime)}, measuring a rate from {@code rateAnchor} (e.g. its creation). */
    public Optional<ZonedDateTime> nextAfter(ZonedDateTime after, Instant rateAnchor) {
        Objects.requireNonNull(after, "after");
        ZoneId zone = after.getZone();
        return switch (kind) {
            case AT -> {
                ZonedDateTime fire = at.atZone(zone);
                yield fire.toInstant().isAfter(after.toInstant()) ? Optional.of(fire) : Optional.empty();
            }
            case RATE -> {
                Instant anchor = rateAnchor == null ? RATE_ANCHOR : rateAnchor;
                long period = rate.toMillis();
                long elapsed = after.toInstant().toEpochMilli() - anchor.toEpochMilli();
                long k = Math.floorDiv(elapsed, period) + 1;
                yield Optional.of(anchor.plusMillis(k * period).atZone(zone));
            }
            case CRON -> cron.nextAfter(after);
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScheduleExpression s && s.expression.equals(expression);
    }

    @Override
    public int hashCode() {
        return expression.hashCode();
    }

    @Override
    public String toString() {
        return expression;
    }

    /** A parsed cron expression: one bit set per field, plus the day-of-month/week special forms. */
    private static final class Cron {
        enum DayRule { ANY, SET, LAST, LAST_WEEKDAY, NEAREST_WEEKDAY, LAST_OF_MONTH, NTH }

        BitSet minutes, hours, months, years;
        DayRule domRule = DayRule.ANY, dowRule = DayRule.ANY;
        BitSet daysOfMonth, daysOfWeek;
        int domDay;          // NEAREST_WEEKDAY: the day
        int dowDay, dowNth;  // LAST_OF_MONTH / NTH: the weekday (1 = SUN) and which one

        static Cron parse(String body) {
            String[] f = body.trim().split("\\s+");
            if (body.isBlank() || f.length != 6) {
                throw new IllegalArgumentException("cron expression needs 6 fields (minutes hours day-of-month month"
                        + " day-of-week year), got " + (body.isBlank() ? 0 : f.length));
            }
            Cron c = new Cron();
            c.minutes = values("minutes", f[0], 0, 59, Map.of(), true);
            c.hours = values("hours", f[1], 0, 23, Map.of(), true);
            c.months = values("month", f[3], 1, 12, MONTHS, true);
            c.years = values("year", f[5], MIN_YEAR, MAX_YEAR, Map.of(), true);
            boolean domAny = f[2].equals("?");
            boolean dowAny = f[4].equals("?");
            if (domAny == dowAny) {
                throw new IllegalArgumentException("exactly one of day-of-month and day-of-week must be ?"
                        + " (e.g. cron(0 8 * * ? *) or cron(0 8 ? * MON-FRI *))");
            }
            if (!domAny) c.dayOfMonth(f[2]);
            if (!dowAny) c.dayOfWeek(f[4]);
            return c;
        }

        private void dayOfMonth(String f) {
            String u = f.toUpperCase(Locale.ROOT);
            if (u.equals("L")) {
                domRule = DayRule.LAST;
            } else if (u.equals("LW")) {
                domRule = DayRule.LAST_WEEKDAY;
            } else if (u.endsWith("W")) {
                String day = u.substring(0, u.length() - 1);
                if (!NUMBER.matcher(day).matches()) {
                    throw new IllegalArgumentException("day-of-month: W must follow a single day, e.g. 15W, got " + f);
                }
                domDay = Integer.parseInt(day);
                if (domDay < 1 || domDay > 31) throw new IllegalArgumentException("day-of-month: " + day + " is out of range 1-31");
                domRule = DayRule.NEAREST_WEEKDAY;
            } else if (u.contains("L") || u.contains("W")) {
                throw new IllegalArgumentException("day-of-month: L and W stand alone (L, LW or 15W), got " + f);
            } else {
                domRule = DayRule.SET;
                daysOfMonth = values("day-of-month", f, 1, 31, Map.of(), true);
            }
        }

        private void dayOfWeek(String f) {
            String u = f.toUpperCase(Locale.ROOT);
            if (u.contains("/")) throw new IllegalArgumentException("day-of-week does not take /, got " + f);
            if (u.contains("#")) {
                String[] parts = u.split("#", -1);
                if (parts.length != 2 || u.contains(",") || u.contains("-")) {
                    throw new IllegalArgumentException("day-of-week: # takes a single weekday and number, e.g. 2#1 (first Monday), got " + f);
                }
                dowDay = value("day-of-week", parts[0], 1, 7, WEEKDAYS);
                if (!parts[1].matches("[1-5]")) throw new IllegalArgumentException("day-of-week: the number after # must be 1-5, got " + f);
                dowNth = Integer.parseInt(parts[1]);
                dowRule = DayRule.NTH;
            } else if (u.equals("L")) {
                dowRule = DayRule.SET;
                daysOfWeek = new BitSet();
                daysOfWeek.set(7); // the last day of the week: Saturday
            } else if (u.endsWith("L")) {
                String day = u.substring(0, u.length() - 1);
                if (day.contains(",") || day.contains("-") || day.contains("*")) {
                    throw new IllegalArgumentException("day-of-week: L takes a single weekday, e.g. 6L (last Friday), got " + f);
                }
                dowDay = value("day-of-week", day, 1, 7, WEEKDAYS);
                dowRule = DayRule.LAST_OF_MONTH;
            } else if (u.contains("L")) {
                throw new IllegalArgumentException("day-of-week: L stands alone or after a weekday (L, 6L), got " + f);
            } else {
                dowRule = DayRule.SET;
                daysOfWeek = values("day-of-week", f, 1, 7, WEEKDAYS, false);
            }
        }

        /** A field of {@code ,}-separated {@code *}, values, ranges {@code a-b}, and steps {@code x/n}. */
        private static BitSet values(String field, String text, int min, int max, Map<String, Integer> names, boolean steps) {
            BitSet bits = new BitSet(max + 1);
            if (text.isEmpty()) throw new IllegalArgumentException(field + " is empty");
            for (String item : text.split(",", -1)) {
                if (item.isEmpty()) throw new IllegalArgumentException(field + ": empty item in " + text);
                String range = item;
                int step = 1;
                int slash = item.indexOf('/');
                if (slash >= 0) {
                    if (!steps) throw new IllegalArgumentException(field + " does not take /, got " + text);
                    String s = item.substring(slash + 1);
                    if (!NUMBER.matcher(s).matches() || Integer.parseInt(s) < 1) {
                        throw new IllegalArgumentException(field + ": the step after / must be a whole number ≥ 1, got " + item);
                    }
                    step = Integer.parseInt(s);
                    range = item.substring(0, slash);
                }
                int from;
                int to;
                if (range.equals("*")) {
                    from = min;
                    to = max;
                } else if (range.contains("-")) {
                    String[] ends = range.split("-", -1);
                    if (ends.length != 2) throw new IllegalArgumentException(field + ": bad range " + range);
                    from = value(field, ends[0], min, max, names);
                    to = value(field, ends[1], min, max, names);
                    if (from > to) throw new IllegalArgumentException(field + ": range " + range + " runs backwards");
                } else {
                    from = value(field, range, min, max, names);
                    to = slash >= 0 ? max : from;
                }
                for (int v = from; v <= to; v += step) bits.set(v);
            }
            return bits;
        }

        private static int value(String field, String text, int min, int max, Map<String, Integer> names) {
            String u = text.toUpperCase(Locale.ROOT);
            Integer named = names.get(u);
            if (named != null) return named;
            if (!NUMBER.matcher(u).matches()) {
                String expected = names.isEmpty() ? "a number" : "a number or a name ("
                        + (names == MONTHS ? "JAN-DEC" : "SUN-SAT") + ")";
                throw new IllegalArgumentException(field + ": '" + text + "' is not " + expected);
            }
            int v = Integer.parseInt(u);
            if (v < min || v > max) throw new IllegalArgumentException(field + ": " + v + " is out of range " + min + "-" + max);
            return v;
        }

        Optional<ZonedDateTime> nextAfter(ZonedDateTime after) {
            ZoneId zone = after.getZone();
            Instant limit = after.toInstant();
            LocalDateTime start = after.toLocalDateTime().truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
            LocalDate day = start.toLocalDate();
            while (day.getYear() <= MAX_YEAR) {
                if (!years.get(day.getYear())) {
                    int next = years.nextSetBit(day.getYear() + 1);
                    if (next < 0) return Optional.empty();
                    day = LocalDate.of(next, 1, 1);
                    continue;
                }
                if (!months.get(day.getMonthValue())) {
                    day = day.with(TemporalAdjusters.firstDayOfNextMonth());
                    continue;
                }
                if (matchesDay(day)) {
                    boolean first = day.equals(start.toLocalDate());
                    for (int h = hours.nextSetBit(first ? start.getHour() : 0); h >= 0; h = hours.nextSetBit(h + 1)) {
                        boolean firstHour = first && h == start.getHour();
                        for (int m = minutes.nextSetBit(firstHour ? start.getMinute() : 0); m >= 0; m = minutes.nextSetBit(m + 1)) {
                            LocalDateTime local = LocalDateTime.of(day, LocalTime.of(h, m));
                            if (zone.getRules().getValidOffsets(local).isEmpty()) continue; // skipped by spring forward
                            ZonedDateTime fire = ZonedDateTime.ofLocal(local, zone, null); // earlier offset: fires once
                            if (fire.toInstant().isAfter(limit)) return Optional.of(fire);
                        }
                    }
                }
                day = day.plusDays(1);
            }
            return Optional.empty();
        }

        private boolean matchesDay(LocalDate d) {
            int length = d.lengthOfMonth();
            int dom = d.getDayOfMonth();
            int dow = d.getDayOfWeek().getValue() % 7 + 1; // 1 = SUN … 7 = SAT
            boolean domOk = switch (domRule) {
                case ANY -> true;
                case SET -> daysOfMonth.get(dom);
                case LAST -> dom == length;
                case LAST_WEEKDAY -> dom == nearestWeekday(d, length);
                case NEAREST_WEEKDAY -> domDay <= length && dom == nearestWeekday(d, domDay);
                default -> false;
            };
            boolean dowOk = switch (dowRule) {
                case ANY -> true;
                case SET -> daysOfWeek.get(dow);
                case LAST_OF_MONTH -> dow == dowDay && dom + 7 > length;
                case NTH -> dow == dowDay && (dom - 1) / 7 + 1 == dowNth;
                default -> false;
            };
            return domOk && dowOk;
        }

        /** The weekday nearest to the given day of d's month, without leaving the month. */
        private static int nearestWeekday(LocalDate d, int target) {
            LocalDate t = d.withDayOfMonth(target);
            DayOfWeek w = t.getDayOfWeek();
            if (w == DayOfWeek.SATURDAY) return target == 1 ? 3 : target - 1;
            if (w == DayOfWeek.SUNDAY) return target == t.lengthOfMonth() ? target - 2 : target + 1;
            return target;
        }
    }
}

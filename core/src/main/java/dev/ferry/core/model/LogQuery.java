package dev.ferry.core.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A search over the log lines of one or more instances (docs/views.md, "Log search"), oldest first.
 *
 * <p>The meaning of a match is fixed here, once, for every {@link dev.ferry.core.port.LogStore}:
 * <ul>
 *   <li>{@code text}: words separated by spaces and {@code "quoted phrases"}; a line matches when
 *       <em>every</em> word and phrase occurs in its message, step, execution id, flow config id or
 *       instance id — as a substring, ignoring case. Blank text matches every line.</li>
 *   <li>{@code minSeverity}: the line's severity is at least this (null: any).</li>
 *   <li>{@code since} inclusive, {@code until} exclusive, on the line's own timestamp (null: open).</li>
 * </ul>
 *
 * @param scopes      whose logs to search: per customer, the instances among its own (a customer's
 *                    search names all its instances; the logs of one customer are kept together)
 * @param limit       page size; a page may hold fewer lines while {@code nextCursor} is set (a
 *                    store that reads logs in bounded steps stops early), so callers follow the
 *                    cursor until it is null
 * @param cursor      opaque, from the previous page of the same search
 */
public record LogQuery(
        List<Scope> scopes,
        String text,
        Severity minSeverity,
        Instant since,
        Instant until,
        int limit,
        String cursor) {

    /** Instances of one customer whose lines a search reads. */
    public record Scope(String customerId, List<String> instanceIds) {
        public Scope {
            instanceIds = List.copyOf(instanceIds);
        }
    }

    public LogQuery {
        scopes = List.copyOf(scopes);
    }

    public LogQuery withCursor(String next) {
        return new LogQuery(scopes, text, minSeverity, since, until, limit, next);
    }

    public LogQuery withScopes(List<Scope> in) {
        return new LogQuery(in, text, minSeverity, since, until, limit, cursor);
    }

    /** The query over one customer's instances. */
    public LogQuery withInstances(String customerId, List<String> ids) {
        return withScopes(List.of(new Scope(customerId, ids)));
    }

    public LogQuery withSince(Instant from) {
        return new LogQuery(scopes, text, minSeverity, from, until, limit, cursor);
    }

    /** Every instance the query reads, whatever its customer. */
    public List<String> instanceIds() {
        return scopes.stream().flatMap(sc -> sc.instanceIds().stream()).toList();
    }

    /** The words and quoted phrases of {@code text}, as typed (an unclosed quote runs to the end). */
    public List<String> terms() {
        List<String> out = new ArrayList<>();
        if (text == null) return out;
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                flush(current, out);
                quoted = !quoted;
            } else if (!quoted && Character.isWhitespace(c)) {
                flush(current, out);
            } else {
                current.append(c);
            }
        }
        flush(current, out);
        return out;
    }

    private static void flush(StringBuilder current, List<String> out) {
        if (!current.isEmpty() && !current.toString().isBlank()) out.add(current.toString());
        current.setLength(0);
    }

    /** Whether the line matches text, severity and time range (the scope is the store's concern). */
    public boolean matches(LogLine line) {
        if (since != null && line.timestamp().isBefore(since)) return false;
        if (until != null && !line.timestamp().isBefore(until)) return false;
        if (minSeverity != null && (line.severity() == null ? Severity.INFO : line.severity()).compareTo(minSeverity) < 0) {
            return false;
        }
        List<String> terms = terms();
        if (terms.isEmpty()) return true;
        String[] fields = {lower(line.message()), lower(line.step()), lower(line.executionId()),
                lower(line.flowConfigId()), lower(line.instanceId())};
        for (String term : terms) {
            String t = lower(term);
            boolean found = false;
            for (String f : fields) {
                if (f != null && f.contains(t)) {
                    found = true;
                    break;
                }
            }
            if (!found) return false;
        }
        return true;
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}

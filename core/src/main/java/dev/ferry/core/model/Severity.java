package dev.ferry.core.model;

import java.util.Locale;
import java.util.Optional;

/** Log severities, ordered so that "at least WARN" is a comparison. */
public enum Severity {
    DEBUG, INFO, WARN, ERROR;

    public boolean atLeast(Severity minimum) {
        return compareTo(minimum) >= 0;
    }

    public static Optional<Severity> parse(String text) {
        if (text == null) return Optional.empty();
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.equals("WARNING")) t = "WARN";
        try {
            return Optional.of(valueOf(t));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

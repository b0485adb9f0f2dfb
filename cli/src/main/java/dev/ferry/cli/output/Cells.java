package dev.ferry.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Reading fields out of JSON items and formatting them for people. */
public final class Cells {

    private Cells() {}

    /** The node at a dotted path ({@code error.message}), or a missing node. */
    public static JsonNode at(JsonNode node, String path) {
        JsonNode current = node;
        for (String part : path.split("\\.")) {
            if (current == null) {
                break;
            }
            current = current.path(part);
        }
        return current;
    }

    /** A scalar as text, a container as compact JSON, null/missing as null. */
    public static String text(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        return node.isValueNode() ? node.asText() : Json.compact(node);
    }

    public static String text(JsonNode node, String path) {
        return text(at(node, path));
    }

    /** An ISO-8601 time shortened to whole seconds for tables; other text is left as it is. */
    public static String time(String iso) {
        if (iso == null) {
            return null;
        }
        try {
            return Instant.parse(iso).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    /** Milliseconds as {@code 850ms}, {@code 1.2s}, {@code 2m03s}, {@code 1h02m}. */
    public static String duration(String millis) {
        if (millis == null) {
            return null;
        }
        long ms;
        try {
            ms = Math.round(Double.parseDouble(millis));
        } catch (NumberFormatException e) {
            return millis;
        }
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return String.format(java.util.Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(java.util.Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }

    /** One line: control characters and line breaks become spaces. */
    public static String oneLine(String s) {
        return s == null ? null : s.replaceAll("[\\r\\n\\t\\x00-\\x1f]+", " ").strip();
    }

    public static String truncate(String s, int max) {
        if (s == null || max <= 0 || s.length() <= max) {
            return s;
        }
        return s.substring(0, Math.max(0, max - 3)) + "...";
    }
}

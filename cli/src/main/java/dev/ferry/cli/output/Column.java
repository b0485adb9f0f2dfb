package dev.ferry.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;

/**
 * One column of a listing. Tables show {@code header} and the {@code display} value (shortened
 * times, human durations, long text cut at {@code maxWidth}); CSV uses {@code csvName} (the
 * JSON field path) and the {@code raw} value, for scripts.
 */
public record Column(
        String header,
        String csvName,
        Function<JsonNode, String> raw,
        Function<JsonNode, String> display,
        int maxWidth) {

    /** A field shown as it is. */
    public static Column field(String header, String path) {
        return new Column(header, path, n -> Cells.text(n, path), n -> Cells.text(n, path), 0);
    }

    /** A field whose text may be long: cut in tables. */
    public static Column longText(String header, String path, int maxWidth) {
        return new Column(header, path, n -> Cells.text(n, path), n -> Cells.text(n, path), maxWidth);
    }

    /** An ISO-8601 time field. */
    public static Column time(String header, String path) {
        return new Column(header, path, n -> Cells.text(n, path), n -> Cells.time(Cells.text(n, path)), 0);
    }

    /** A duration in milliseconds. */
    public static Column duration(String header, String path) {
        return new Column(header, path, n -> Cells.text(n, path), n -> Cells.duration(Cells.text(n, path)), 0);
    }

    /** A value computed from the item, the same in tables and CSV. */
    public static Column computed(String header, String csvName, Function<JsonNode, String> value) {
        return new Column(header, csvName, value, value, 0);
    }
}

package dev.ferry.core.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.json.Json;
import dev.ferry.core.log.Log;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The lines Ferry's {@link Log} writes while it is open, exactly as they would reach standard
 * error, instead of standard error:
 * {@code try (LogCapture log = LogCapture.start()) { …; assertThat(log.withMessage("…")).hasSize(1); }}.
 */
public final class LogCapture implements AutoCloseable {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Log.Sink previous;

    private LogCapture() {
        this.previous = Log.sink(lines::add);
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    /** Every line as written, each one JSON object. */
    public List<String> text() {
        return List.copyOf(lines);
    }

    /** Every line, parsed. */
    public List<JsonNode> lines() {
        return lines.stream().map(Json::tree).toList();
    }

    /** The lines whose {@code message} is exactly {@code message}. */
    public List<JsonNode> withMessage(String message) {
        return lines().stream().filter(l -> message.equals(l.path("message").asText(null))).toList();
    }

    /** The lines whose {@code message} contains {@code part}. */
    public List<JsonNode> withMessageContaining(String part) {
        return lines().stream().filter(l -> l.path("message").asText("").contains(part)).toList();
    }

    @Override
    public void close() {
        Log.sink(previous);
    }
}

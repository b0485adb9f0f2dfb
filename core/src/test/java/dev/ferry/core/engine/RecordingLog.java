package dev.ferry.core.engine;

import dev.ferry.core.model.Severity;
import dev.ferry.core.port.LogSink;
import java.util.ArrayList;
import java.util.List;

/** A LogSink that keeps its lines. */
final class RecordingLog implements LogSink {
    record Line(Severity severity, String step, String message) {}

    final List<Line> lines = new ArrayList<>();

    @Override
    public synchronized void log(Severity severity, String step, String message) {
        lines.add(new Line(severity, step, message));
    }

    List<String> messages() {
        return lines.stream().map(Line::message).toList();
    }

    String all() {
        return String.join("\n", messages());
    }
}

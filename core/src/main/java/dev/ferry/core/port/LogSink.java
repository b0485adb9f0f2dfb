package dev.ferry.core.port;

import dev.ferry.core.model.Severity;

/** Where a flow run's log lines go; {@code step} is the step's name, or null for the flow itself. */
@FunctionalInterface
public interface LogSink {
    void log(Severity severity, String step, String message);

    /** Discards everything. */
    LogSink NONE = (severity, step, message) -> {};
}

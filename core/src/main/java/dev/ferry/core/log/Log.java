package dev.ferry.core.log;

import dev.ferry.core.json.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ferry's own log: one JSON object per line on standard error, as CloudWatch Logs Insights reads
 * them — {@code {"level", "message", <the correlation keys in scope>, <the line's fields>}}.
 *
 * <p>The correlation keys ({@link #FUNCTION}, {@link #REQUEST_ID}, {@link #FLOW_CONFIG_ID},
 * {@link #INSTANCE_ID}, {@link #EXECUTION_ID}) are set once where a handler or service learns them,
 * with {@link #with} in a try-with-resources block, and every line logged on that thread inside
 * the block carries them. Work handed to another thread takes them along with {@link #carry}.
 *
 * <p>Lines go to a {@link Sink}: standard error by default, a capture in tests ({@link #sink}).
 * Logging never throws. This is not the execution log that flows write (the {@code log} step,
 * stored through {@link dev.ferry.core.port.LogStore}): that is the product's data; this is the
 * operator's view of the functions.
 */
public final class Log {
    /** The function handling the invocation (Lambda's function name). */
    public static final String FUNCTION = "function";
    /** The invocation's request id (Lambda's {@code awsRequestId}). */
    public static final String REQUEST_ID = "requestId";
    public static final String FLOW_CONFIG_ID = "flowConfigId";
    public static final String INSTANCE_ID = "instanceId";
    public static final String EXECUTION_ID = "executionId";

    public enum Level { DEBUG, INFO, WARN, ERROR }

    /** Where rendered lines go: one call per line, without its line break. */
    @FunctionalInterface
    public interface Sink {
        void write(String line);
    }

    /** Standard error as it is when the line is written, one line each. */
    public static final Sink STDERR = line -> System.err.println(line);

    /** Closes a {@link #with} block: the keys in scope are again those from before it. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    private static final ThreadLocal<Map<String, Object>> CONTEXT = ThreadLocal.withInitial(Map::of);
    private static volatile Sink sink = STDERR;

    private Log() {}

    public static void debug(String message, Object... fields) {
        write(Level.DEBUG, message, fields);
    }

    public static void info(String message, Object... fields) {
        write(Level.INFO, message, fields);
    }

    public static void warn(String message, Object... fields) {
        write(Level.WARN, message, fields);
    }

    public static void error(String message, Object... fields) {
        write(Level.ERROR, message, fields);
    }

    /**
     * Writes one line: {@code fields} are key, value pairs ({@code "monitorId", id, "attempt", 2});
     * a null value leaves its key out, a {@link Throwable} is written as its message.
     */
    public static void write(Level level, String message, Object... fields) {
        try {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("level", level.name());
            line.put("message", message);
            line.putAll(CONTEXT.get());
            put(line, fields);
            sink.write(render(line));
        } catch (RuntimeException e) {
            // A log line must never change what the code does.
        }
    }

    /**
     * Adds correlation keys ({@code key, value} pairs; a null value removes the key) to every line
     * this thread logs until the returned scope is closed.
     */
    public static Scope with(Object... keyValues) {
        Map<String, Object> previous = CONTEXT.get();
        Map<String, Object> next = new LinkedHashMap<>(previous);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            String key = String.valueOf(keyValues[i]);
            if (keyValues[i + 1] == null) next.remove(key);
            else next.put(key, keyValues[i + 1]);
        }
        CONTEXT.set(Collections.unmodifiableMap(next));
        return () -> CONTEXT.set(previous);
    }

    /** The correlation keys in scope on this thread. */
    public static Map<String, Object> context() {
        return CONTEXT.get();
    }

    /** {@code task} run on another thread with the correlation keys in scope here and now. */
    public static Runnable carry(Runnable task) {
        Map<String, Object> context = CONTEXT.get();
        return () -> {
            Map<String, Object> previous = CONTEXT.get();
            CONTEXT.set(context);
            try {
                task.run();
            } finally {
                CONTEXT.set(previous);
            }
        };
    }

    /** Sends every line to {@code next} from now on; answers the sink it replaces. */
    public static Sink sink(Sink next) {
        Sink previous = sink;
        sink = next == null ? STDERR : next;
        return previous;
    }

    private static void put(Map<String, Object> line, Object[] fields) {
        for (int i = 0; i + 1 < fields.length; i += 2) {
            Object value = fields[i + 1];
            if (value == null) continue;
            line.put(String.valueOf(fields[i]), value instanceof Throwable t ? reason(t) : value);
        }
    }

    private static String reason(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.getClass().getName();
    }

    private static String render(Map<String, Object> line) {
        try {
            return Json.write(line);
        } catch (RuntimeException unwritable) {
            Map<String, Object> plain = new LinkedHashMap<>();
            line.forEach((k, v) -> plain.put(k, v instanceof Number || v instanceof Boolean ? v : String.valueOf(v)));
            return Json.write(plain);
        }
    }
}

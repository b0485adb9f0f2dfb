package dev.ferry.cli;

import java.io.Console;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a command takes from its surroundings: the two output streams, the environment,
 * time and a sleeper for poll loops, and whether stderr is a terminal (progress bars redraw in
 * place only then).
 */
public record CliContext(
        PrintStream out,
        PrintStream err,
        Map<String, String> env,
        Clock clock,
        Sleeper sleeper,
        boolean interactive) {

    public CliContext {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        env = env == null ? Map.of() : Map.copyOf(env);
        clock = clock == null ? Clock.systemUTC() : clock;
        sleeper = sleeper == null ? Sleeper.SYSTEM : sleeper;
    }

    /** The real process: System streams and environment, the system clock, real sleeps. */
    public static CliContext system() {
        return new CliContext(System.out, System.err, System.getenv(), Clock.systemUTC(), Sleeper.SYSTEM,
                onTerminal());
    }

    /** An environment variable, or null when unset or blank. */
    public String env(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    private static boolean onTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try { // JDK 22+ returns a Console even when redirected; it then says whether it is a terminal.
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}

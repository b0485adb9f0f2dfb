package dev.ferry.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs the CLI in-process against a stub API, with a fake clock whose sleeps return at once. */
final class Cli {

    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    record Result(int exit, String out, String err) {}

    final FakeClock clock = new FakeClock(NOW);
    final List<Duration> sleeps = new ArrayList<>();
    final Map<String, String> env = new HashMap<>();
    boolean interactive;

    /** A CLI pointed at {@code stub} with API key {@code test-key}. */
    static Cli against(StubApi stub) {
        Cli cli = new Cli();
        cli.env.put("FERRY_API_URL", stub.url());
        cli.env.put("FERRY_API_KEY", "test-key");
        return cli;
    }

    Cli env(String name, String value) {
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        return this;
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        Sleeper sleeper = d -> {
            sleeps.add(d);
            clock.advance(d);
        };
        int exit = FerryCli.run(args, new CliContext(o, e, env, clock, sleeper, interactive));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A clock that moves only when told to. */
    static final class FakeClock extends Clock {
        private Instant now;

        FakeClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

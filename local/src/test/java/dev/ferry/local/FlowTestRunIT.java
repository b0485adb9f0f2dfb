package dev.ferry.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.cli.FerryCli;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A flow config's test run of 45 s end to end: {@code ferry instances:flow-configs:test --tail}
 * against the local stack, whose HTTP API cuts a request at API Gateway's 30 s. The test request is
 * answered within that limit (202), the run goes on in FlowExecutionFunction (even though the
 * instance is paused) to SUCCEEDED, and the CLI prints the run's log lines while it runs, not at the end.
 */
class FlowTestRunIT {
    static final int SLEEP_SECONDS = 45;
    static final String DEFINITION = """
            {"name": "Slow sync",
             "flows": [{"name": "Slow", "trigger": {"type": "webhook"},
               "steps": [
                 {"name": "before", "type": "log", "message": "before the wait"},
                 {"name": "wait", "type": "sleep", "seconds": %d},
                 {"name": "after", "type": "log", "message": "after the wait"}
               ]}]}""".formatted(SLEEP_SECONDS);

    private static StackFixture local;
    private static String flowConfigId;

    @BeforeAll
    static void startStack() throws Exception {
        local = StackFixture.start("flow-test-it", b -> {});
        String customer = local.call("POST", "/customers", "{\"name\": \"Slow Co\"}", 201).path("id").asText();
        String integration = local.call("POST", "/integrations", DEFINITION, 201).path("id").asText();
        JsonNode instance = local.call("POST", "/instances", "{\"name\": \"slow\", \"customerId\": \"" + customer
                + "\", \"integrationId\": \"" + integration + "\"}", 201);
        flowConfigId = instance.path("flowConfigs").get(0).path("id").asText();
        local.call("POST", "/instances/" + instance.path("id").asText() + "/pause", null, 200);
    }

    @AfterAll
    static void stop() {
        if (local != null) local.close();
    }

    @Test
    void aTestRunOf45SecondsIsAnsweredInTimeEndsSucceededAndTailPrintsItsLinesWhileItRuns() {
        long start = System.nanoTime();
        TimedLines out = new TimedLines(start);
        TimedLines err = new TimedLines(start);

        int status = FerryCli.run(new String[] {"instances:flow-configs:test", flowConfigId, "--tail", "--timeout", "3m"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("FERRY_STATE_DIR", local.stateDir.toString()));
        long endedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(status).as("out:\n%s\nerr:\n%s", out, err).isZero();
        assertThat(endedMs).as("the run took its %d s", SLEEP_SECONDS).isGreaterThanOrEqualTo(SLEEP_SECONDS * 1000L);
        // The request came back running (202) well within API Gateway's 30 s, and the CLI followed the run.
        TimedLine waiting = err.first("waiting up to 3m for it to end");
        assertThat(waiting.text()).matches("Execution exe_\\S+ is (QUEUED|RUNNING); waiting up to 3m for it to end\\.\\.\\.");
        assertThat(waiting.atMs()).isLessThan(30_000);
        // The line written before the sleep was printed while the run still had most of its 45 s to go.
        // The CLI's first poll follows the request's answer, which comes after the request's wait
        // (TestRuns.WAIT) while the run starts as soon as the queue hands it over, often a fraction of a
        // second after the request: so the lines are printed about SLEEP - WAIT apart, give or take that
        // pick-up and the 1 s poll. Printed at the end, they would be under a second apart.
        TimedLine before = out.first("before the wait");
        TimedLine after = out.first("after the wait");
        long expectedApartMs = (SLEEP_SECONDS - dev.ferry.core.service.TestRuns.WAIT.toSeconds()) * 1000L;
        assertThat(after.atMs() - before.atMs()).as("printed %s ms apart", after.atMs() - before.atMs())
                .isGreaterThanOrEqualTo(expectedApartMs - 5_000L);
        assertThat(out.toString()).contains(": SUCCEEDED");
    }

    record TimedLine(long atMs, String text) {}

    /** An output stream that notes when each line arrived, in ms since {@code start}. */
    static final class TimedLines extends OutputStream {
        private final long start;
        private final ByteArrayOutputStream current = new ByteArrayOutputStream();
        private final List<TimedLine> lines = new ArrayList<>();
        private final AtomicInteger written = new AtomicInteger();

        TimedLines(long start) {
            this.start = start;
        }

        @Override
        public synchronized void write(int b) {
            written.incrementAndGet();
            if (b == '\n') {
                lines.add(new TimedLine((System.nanoTime() - start) / 1_000_000, current.toString(StandardCharsets.UTF_8)));
                current.reset();
            } else {
                current.write(b);
            }
        }

        synchronized TimedLine first(String containing) {
            return lines.stream().filter(l -> l.text().contains(containing)).findFirst()
                    .orElseThrow(() -> new AssertionError("no line with '" + containing + "' in:\n" + this));
        }

        @Override
        public synchronized String toString() {
            StringBuilder s = new StringBuilder();
            for (TimedLine l : lines) s.append(l.atMs()).append(" ms: ").append(l.text()).append('\n');
            return s.append(current.toString(StandardCharsets.UTF_8)).toString();
        }
    }
}

package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.cli.output.TerminalSafe;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Control characters a sender or a flow wrote never reach the terminal: a request body, its
 * headers, log lines, an error message and names carrying escape sequences (clear screen, window
 * title, cursor moves), BEL, NUL, backspace, a lone carriage return and the one-byte C1 CSI are
 * printed without them, while newlines and tabs stay.
 */
class ControlCharactersTest extends CommandTest {
    /** ESC [2J (clear), OSC window title ending in BEL, a carriage return rewriting the line, NUL, backspace, C1 CSI. */
    private static final String NASTY = "\\u001b[2J\\u001b]0;owned\\u0007\\rfake\\u0000\\b\\u009b31m";
    private static int tried;
    private static int clean;

    private static final String EXECUTION = """
            {"id":"exe_1","instanceId":"ins_1","customerId":"cus_1","flowConfigId":"fc_1","flow":"Flow%1$s",
             "trigger":"WEBHOOK","status":"FAILED","queuedAt":"2025-06-01T11:00:00.000Z",
             "startedAt":"2025-06-01T11:00:00.250Z","endedAt":"2025-06-01T11:00:01.450Z","durationMs":1200,
             "error":{"message":"boom%1$s","step":"fetch","retryable":false},"attempt":1,"retryOf":null,
             "nextRetryAt":null,"retriesRemaining":0,"replayOf":null,"replays":[],
             "resolved":false,"cancelledBy":null,"integrationVersion":3,
             "request":{"method":"POST","body":"line one\\n\\tindented%1$s","headers":{"x-evil":"h%1$s"},
                        "query":{},"contentType":"text/plain"},
             "steps":[{"name":"fetch%1$s","type":"http","status":"FAILED","durationMs":1100,"output":null,
                       "error":{"message":"boom%1$s","step":"fetch","retryable":false}}]}""".formatted(NASTY);

    private static void assertClean(String printed) {
        tried++;
        for (char c : printed.toCharArray()) {
            boolean control = c < 0x20 && c != '\n' && c != '\t' || c == 0x7f || c >= 0x80 && c <= 0x9f;
            assertThat(control).as("U+%04X in %s", (int) c, printed).isFalse();
        }
        clean++;
    }

    @AfterAll
    static void counts() {
        System.out.println("control characters through the CLI: outputs tried " + tried + ", clean " + clean);
    }

    @Test
    void anExecutionsRequestStepsAndLogsArePrintedWithoutControlCharacters() {
        api.on("GET", "/executions/exe_1", 200, EXECUTION);
        api.on("GET", "/executions/exe_1/logs", 200, """
                {"items":[{"timestamp":"2025-06-01T11:00:00.260Z","severity":"INFO","message":"log%s","step":"fetch"}],
                 "nextCursor":null}""".formatted(NASTY));

        Cli.Result r = cli.run("executions:show", "exe_1", "--logs");

        assertClean(r.out());
        assertClean(r.err());
        assertThat(r.out()).contains("line one\n").contains("\tindented[2J]0;ownedfake31m").contains("log[2J");
    }

    @Test
    void anErrorMessageFromTheApiIsPrintedWithoutControlCharacters() {
        api.on("GET", "/executions/exe_1", 404, """
                {"error":{"code":"not_found","message":"no execution%s","details":[]}}""".formatted(NASTY));

        Cli.Result r = cli.run("executions:show", "exe_1");

        assertThat(r.exit()).isEqualTo(FerryCli.ERROR);
        assertClean(r.err());
        assertThat(r.err()).contains("no execution[2J");
    }

    @Test
    void tablesAndCsvStayClean() {
        api.on("GET", "/executions", 200, "{\"items\":[" + EXECUTION + "],\"nextCursor\":null}");
        api.on("GET", "/executions", 200, "{\"items\":[" + EXECUTION + "],\"nextCursor\":null}");

        Cli.Result table = cli.run("executions:list");
        Cli.Result csv = cli.run("executions:list", "-o", "csv");

        assertClean(table.out());
        assertThat(csv.out()).contains("\r\n");
        assertClean(csv.out().replace("\r\n", "\n"));
    }

    @Test
    void theFilterKeepsTextAndDropsEveryControlByteSequence() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream safe = TerminalSafe.wrap(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        safe.print("ok é £ °\tend\r\nx\ry\u001b[1m\u0085z\u009b\u007f\n");
        safe.flush();
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).isEqualTo("ok é £ °\tend\r\nxy[1mz\n");
        assertThat(TerminalSafe.strip("a\u001b[0m\rb\r\n")).isEqualTo("a[0mb\r\n");
    }
}

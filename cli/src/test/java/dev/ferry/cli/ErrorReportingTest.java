package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorReportingTest extends CommandTest {

    @Test
    void apiErrorIsPrintedWithFieldDetailsAndExitsNonZero() {
        api.on("POST", "/customers", 400, """
                {"error":{"code":"INVALID_INPUT","message":"customer is invalid",
                          "details":[{"field":"name","reason":"must not be blank"},
                                     {"field":"externalId","reason":"already used by cus_9"}]}}""");

        Cli.Result r = cli.run("customers:create", "--name", " ");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("""
                error: customer is invalid
                  name: must not be blank
                  externalId: already used by cus_9
                """);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aDetailThatRepeatsTheMessageIsPrintedOnce() {
        api.on("DELETE", "/instances/ins_1", 400, """
                {"error":{"code":"invalid_input","message":"confirm: does not match the instance's name; nothing was deleted",
                          "details":[{"field":"confirm","reason":"does not match the instance's name; nothing was deleted"}]}}""");

        Cli.Result r = cli.run("instances:delete", "ins_1", "--confirm", "wrong");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: confirm: does not match the instance's name; nothing was deleted\n");
    }

    @Test
    void notFoundPrintsTheApiMessage() {
        api.on("GET", "/executions/exe_x", 404,
                "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"execution exe_x not found\",\"details\":[]}}");

        Cli.Result r = cli.run("executions:show", "exe_x");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: execution exe_x not found\n");
    }

    @Test
    void errorWithoutTheApiShapeReportsStatusAndBody() {
        api.on("GET", "/customers", 502, "Bad gateway\n  upstream down");

        Cli.Result r = cli.run("customers:list");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: the API answered HTTP 502: Bad gateway upstream down\n");
    }

    @Test
    void unauthorizedWithoutAnyKeyHintsWhereKeysComeFrom() {
        api.on("GET", "/customers", 401,
                "{\"error\":{\"code\":\"UNAUTHORIZED\",\"message\":\"missing API key\",\"details\":[]}}");
        cli.env("FERRY_API_KEY", null);

        Cli.Result r = cli.run("customers:list");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(api.last().header("Authorization")).isNull();
        assertThat(r.err()).isEqualTo("""
                error: missing API key
                hint: no API key was sent: pass --api-key or set FERRY_API_KEY (./ferry local prints its admin key)
                """);
    }

    @Test
    void unreachableApiNamesTheUrlAndHintsAtTheLocalStack() throws IOException {
        int freePort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            freePort = s.getLocalPort();
        }
        cli.env("FERRY_API_URL", "http://127.0.0.1:" + freePort + "/");

        Cli.Result r = cli.run("instances:list");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: could not reach the Ferry API at http://127.0.0.1:" + freePort + " (")
                .contains("./ferry local")
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void malformedApiUrlIsAUsageError() {
        Cli.Result r = cli.run("instances:list", "--api-url", "127.0.0.1:3000");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("error: API URL must be an absolute http(s) URL, got '127.0.0.1:3000'");
    }

    @Test
    void unknownCommandIsAUsageErrorWithSuggestions() {
        Cli.Result r = cli.run("instances:lst");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("'instances:lst'").contains("instances:list").contains("See 'ferry --help'.");
    }

    @Test
    void noCommandPrintsUsageAndExitsTwo() {
        Cli.Result r = cli.run();

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Usage: ferry").contains("executions:replay-bulk");
    }

    @Test
    void helpListsEveryContractCommandAndExitsZero() {
        Cli.Result r = cli.run("--help");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("instances:list", "instances:pause", "instances:unpause", "instances:delete",
                "instances:flow-configs:list", "instances:flow-configs:test", "executions:list", "executions:show",
                "executions:replay", "executions:replay-bulk", "logs:search", "alerts:monitors:create",
                "alerts:monitors:list", "alerts:monitors:delete", "alerts:events:list", "customers:list",
                "customers:create", "integrations:list", "integrations:create", "instances:create");
    }

    @Test
    void limitAboveOneHundredIsAUsageError() {
        Cli.Result r = cli.run("executions:list", "--limit", "101");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("must be between 1 and 100, got 101");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void streamsEntryPointUsesTheGivenEnvironment() {
        api.on("GET", "/customers", 200, "{\"items\":[{\"id\":\"cus_1\",\"name\":\"Acme\"}],\"nextCursor\":null}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = FerryCli.run(new String[] {"customers:list"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("FERRY_API_URL", api.url(), "FERRY_API_KEY", "k2"));

        assertThat(exit).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("cus_1  Acme");
        assertThat(api.last().header("Authorization")).isEqualTo("Bearer k2");
    }
}

package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.cli.output.Json;
import org.junit.jupiter.api.Test;

class ExecutionCommandsTest extends CommandTest {

    static final String FAILED = """
            {"id":"exe_1","instanceId":"ins_1","customerId":"cus_1","flowConfigId":"fc_1","flow":"On new order",
             "trigger":"WEBHOOK","status":"FAILED","queuedAt":"2025-06-01T11:00:00.000Z",
             "startedAt":"2025-06-01T11:00:00.250Z","endedAt":"2025-06-01T11:00:01.450Z","durationMs":1200,
             "error":{"message":"HTTP 503 from acme","step":"fetch","retryable":true},"attempt":2,"retryOf":"exe_0",
             "nextRetryAt":"2025-06-01T11:02:00Z","retriesRemaining":1,"replayOf":null,"replays":["exe_5","exe_6"],
             "resolved":false,"cancelledBy":null,"integrationVersion":3,
             "request":{"method":"POST","body":"{\\"id\\":42}","headers":{"content-type":"application/json","x-request-id":"r-1"},
                        "query":{"dry":"1"},"contentType":"application/json"},
             "steps":[{"name":"log","type":"log","status":"SUCCEEDED","durationMs":3,"output":{"message":"order 42"}},
                      {"name":"fetch","type":"http","status":"FAILED","durationMs":1100,"output":null,
                       "error":{"message":"HTTP 503 from acme","step":"fetch","retryable":true}}]}""";

    static final String OK = """
            {"id":"exe_2","instanceId":"ins_1","flow":"On new order","trigger":"SCHEDULE","status":"SUCCEEDED",
             "queuedAt":"2025-06-01T10:00:00Z","durationMs":65000,"error":null}""";

    @Test
    void listSendsEveryFilterWithRelativeTimesAsIsoUtc() {
        api.on("GET", "/executions", 200, "{\"items\":[],\"nextCursor\":null}");

        Cli.Result r = cli.run("executions:list", "--instance", "ins_1", "--customer", "cus_1", "--flow-config", "fc_1",
                "--status", "failed", "--trigger", "WEBHOOK", "--unresolved", "--originals-only",
                "--since", "2h", "--until", "15m", "--limit", "50");

        assertThat(r.exit()).isZero();
        assertThat(api.last().path()).isEqualTo("/executions");
        assertThat(api.last().params()).containsExactly(
                entry("instanceId", "ins_1"), entry("customerId", "cus_1"), entry("flowConfigId", "fc_1"),
                entry("status", "FAILED"), entry("trigger", "WEBHOOK"),
                entry("since", "2025-06-01T10:00:00Z"), entry("until", "2025-06-01T11:45:00Z"),
                entry("originalsOnly", "true"), entry("unresolved", "true"), entry("limit", "50"));
        assertThat(r.err()).isEqualTo("No executions found.\n");
    }

    @Test
    void listPrintsExecutionColumnsWithHumanDurationsAndErrors() {
        api.on("GET", "/executions", 200, "{\"items\":[" + FAILED + "," + OK + "],\"nextCursor\":null}");

        Cli.Result r = cli.run("executions:list");

        assertThat(r.out()).isEqualTo("""
                ID     STATUS     TRIGGER   FLOW          INSTANCE  QUEUED AT             DURATION  ERROR
                exe_1  FAILED     WEBHOOK   On new order  ins_1     2025-06-01T11:00:00Z  1.2s      HTTP 503 from acme
                exe_2  SUCCEEDED  SCHEDULE  On new order  ins_1     2025-06-01T10:00:00Z  1m05s     -
                """);
        assertThat(api.last().rawQuery()).isNull();
    }

    @Test
    void listPrintsOnePageAndHintsOnStderrWhenMoreExist() {
        api.on("GET", "/executions", 200, "{\"items\":[" + OK + "],\"nextCursor\":\"c1\"}");

        Cli.Result r = cli.run("executions:list");

        assertThat(api.requests()).hasSize(1);
        assertThat(r.out()).contains("exe_2");
        assertThat(r.err()).isEqualTo("More executions exist: use --all to fetch every page.\n");
    }

    @Test
    void listWithAllFollowsNextCursorUntilTheLastPage() {
        api.on("GET", "/executions", 200, "{\"items\":[" + FAILED + "],\"nextCursor\":\"c1\"}");
        api.on("GET", "/executions", 200, "{\"items\":[" + OK + "],\"nextCursor\":\"c/2+\"}");
        api.on("GET", "/executions", 200, "{\"items\":[],\"nextCursor\":null}");

        Cli.Result r = cli.run("executions:list", "--status", "FAILED", "--all", "-o", "json");

        assertThat(api.requests()).extracting(req -> req.params().get("cursor")).containsExactly(null, "c1", "c/2+");
        assertThat(api.requests()).allMatch(req -> "FAILED".equals(req.params().get("status")));
        JsonNode merged = Json.parseOrNull(r.out());
        assertThat(merged.path("items")).extracting(n -> n.path("id").asText()).containsExactly("exe_1", "exe_2");
        assertThat(merged.path("nextCursor").isNull()).isTrue();
        assertThat(r.err()).isEmpty();
    }

    @Test
    void listInJsonModePrintsTheApiPagePretty() {
        api.on("GET", "/executions", 200, "{\"items\":[{\"id\":\"exe_2\",\"replays\":[]}],\"nextCursor\":\"c1\"}");

        Cli.Result r = cli.run("executions:list", "--output", "json");

        assertThat(r.out()).isEqualTo("""
                {
                  "items": [
                    {
                      "id": "exe_2",
                      "replays": []
                    }
                  ],
                  "nextCursor": "c1"
                }
                """);
        assertThat(r.err()).isEmpty();
    }

    @Test
    void listInCsvModeQuotesPerRfc4180AndKeepsRawValues() {
        api.on("GET", "/executions", 200, """
                {"items":[{"id":"exe_3","status":"FAILED","trigger":"WEBHOOK","flow":"Sync, \\"v2\\"","instanceId":"ins_1",
                           "queuedAt":"2025-06-01T11:00:00.500Z","durationMs":1200,
                           "error":{"message":"line one\\nline two"}}],"nextCursor":null}""");

        Cli.Result r = cli.run("executions:list", "-o", "csv");

        assertThat(r.out()).isEqualTo(
                "id,status,trigger,flow,instanceId,queuedAt,durationMs,error.message\r\n"
                        + "exe_3,FAILED,WEBHOOK,\"Sync, \"\"v2\"\"\",ins_1,2025-06-01T11:00:00.500Z,1200,\"line one\nline two\"\r\n");
    }

    @Test
    void invalidSinceIsAUsageErrorSayingWhatIsAccepted() {
        Cli.Result r = cli.run("executions:list", "--since", "yesterday");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: Invalid value for option '--since': 'yesterday' is not a time")
                .contains("15m, 2h, 7d");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void unknownStatusIsAUsageErrorListingTheValidOnes() {
        Cli.Result r = cli.run("executions:list", "--status", "BROKEN");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("QUEUED, HELD, RUNNING, SUCCEEDED, FAILED, CANCELLED");
    }

    @Test
    void showPrintsHeaderLineageRequestAndSteps() {
        api.on("GET", "/executions/exe_1", 200, FAILED);

        Cli.Result r = cli.run("executions:show", "exe_1");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("""
                Execution      exe_1
                Status         FAILED
                Trigger        WEBHOOK
                Flow           On new order (flow config fc_1)
                Instance       ins_1 (customer cus_1)
                Version        3
                Queued at      2025-06-01T11:00:00.000Z
                Started at     2025-06-01T11:00:00.250Z
                Ended at       2025-06-01T11:00:01.450Z
                Duration       1.2s
                Attempt        2
                Retry of       exe_0
                Replay of      -
                Replays        exe_5, exe_6
                Resolved       no
                Next retry at  2025-06-01T11:02:00Z
                Retries left   1
                Cancelled by   -
                Cancelled at   -
                Error          HTTP 503 from acme (step fetch, retryable)

                Request
                  Method        POST
                  Content type  application/json
                  Headers
                    content-type: application/json
                    x-request-id: r-1
                  Query
                    dry=1
                  Body
                    {
                      "id": 42
                    }

                Steps
                  1. log (log)  SUCCEEDED  3ms
                     Output:
                       {
                         "message": "order 42"
                       }
                  2. fetch (http)  FAILED  1.1s
                     Error: HTTP 503 from acme (step fetch, retryable)
                """);
        assertThat(api.requests()).hasSize(1);
    }

    @Test
    void showWithLogsFetchesEveryLogPageAndPrintsTheLines() {
        api.on("GET", "/executions/exe_1", 200, FAILED);
        api.on("GET", "/executions/exe_1/logs", 200, """
                {"items":[{"timestamp":"2025-06-01T11:00:00.260Z","severity":"INFO","message":"order 42","step":"log"}],
                 "nextCursor":"p2"}""");
        api.on("GET", "/executions/exe_1/logs", 200, """
                {"items":[{"timestamp":"2025-06-01T11:00:01.400Z","severity":"ERROR","message":"HTTP 503","step":"fetch"}],
                 "nextCursor":null}""");

        Cli.Result r = cli.run("executions:show", "exe_1", "--logs");

        assertThat(r.out()).endsWith("""
                Logs
                  2025-06-01T11:00:00Z  INFO  [log] order 42
                  2025-06-01T11:00:01Z  ERROR [fetch] HTTP 503
                """);
        assertThat(api.requests("GET", "/executions/exe_1/logs").get(1).params()).containsEntry("cursor", "p2");
    }

    @Test
    void replayPostsTheGivenBodyAndPrintsTheNewExecutionId() {
        api.on("POST", "/executions/exe_1/replay", 202, "{\"executionId\":\"exe_7\"}");

        Cli.Result r = cli.run("executions:replay", "exe_1", "--payload", "{\"id\":43}");

        assertThat(r.exit()).isZero();
        assertThat(Json.parseOrNull(api.last().body())).isEqualTo(Json.parseOrNull("{\"body\":\"{\\\"id\\\":43}\"}"));
        assertThat(r.out()).isEqualTo("Replay of exe_1 queued as execution exe_7.\n");
    }

    @Test
    void replayWithoutPayloadSendsAnEmptyObject() {
        api.on("POST", "/executions/exe_1/replay", 202, "{\"executionId\":\"exe_7\"}");

        cli.run("executions:replay", "exe_1");

        assertThat(api.last().body()).isEqualTo("{}");
    }

    @Test
    void replayBulkPostsTheFilterAndDrawsTheProgressBarToCompletion() {
        api.on("POST", "/replays", 202, "{\"id\":\"rpl_1\",\"matched\":4,\"status\":\"RUNNING\"}");
        api.on("GET", "/replays/rpl_1", 200, """
                {"id":"rpl_1","name":"june","matched":4,"dispatched":2,"succeeded":1,"failed":0,"status":"RUNNING"}""");
        api.on("GET", "/replays/rpl_1", 200, """
                {"id":"rpl_1","name":"june","matched":4,"dispatched":4,"succeeded":3,"failed":1,"status":"COMPLETED"}""");

        Cli.Result r = cli.run("executions:replay-bulk", "--instance", "ins_1", "--status", "FAILED",
                "--unresolved", "--originals-only", "--since", "7d", "--name", "june", "--rate", "5");

        assertThat(r.exit()).isZero();
        assertThat(Json.parseOrNull(api.requests("POST", "/replays").getFirst().body())).isEqualTo(Json.parseOrNull("""
                {"filter":{"instanceId":"ins_1","status":"FAILED","since":"2025-05-25T12:00:00Z",
                           "originalsOnly":true,"unresolved":true},
                 "dryRun":false,"name":"june","ratePerSecond":5}"""));
        assertThat(r.err()).isEqualTo("""
                [------------------------------]   0% 0/4 dispatched, 0 succeeded, 0 failed
                [###############---------------]  50% 2/4 dispatched, 1 succeeded, 0 failed
                [##############################] 100% 4/4 dispatched, 3 succeeded, 1 failed
                """);
        assertThat(r.out()).isEqualTo("""
                ID     NAME  STATUS     MATCHED  DISPATCHED  SUCCEEDED  FAILED
                rpl_1  june  COMPLETED  4        4           3          1
                """);
        assertThat(cli.sleeps).hasSize(2);
    }

    @Test
    void replayBulkOnATerminalRedrawsTheBarInPlace() {
        cli.interactive = true;
        api.on("POST", "/replays", 202, "{\"id\":\"rpl_1\",\"matched\":2,\"status\":\"RUNNING\"}");
        api.on("GET", "/replays/rpl_1", 200, """
                {"id":"rpl_1","matched":2,"dispatched":2,"succeeded":2,"failed":0,"status":"COMPLETED"}""");

        Cli.Result r = cli.run("executions:replay-bulk", "--instance", "ins_1");

        assertThat(r.err()).startsWith("\r[------------------------------]   0% 0/2")
                .contains("\r[##############################] 100% 2/2 dispatched, 2 succeeded, 0 failed")
                .endsWith("\n")
                .doesNotContain("0 failed\n[");
    }

    @Test
    void replayBulkDryRunPrintsOnlyTheMatchedCount() {
        api.on("POST", "/replays", 202, "{\"id\":\"rpl_2\",\"matched\":17,\"status\":\"COMPLETED\"}");

        Cli.Result r = cli.run("executions:replay-bulk", "--customer", "cus_1", "--dry-run");

        assertThat(r.exit()).isZero();
        assertThat(Json.parseOrNull(api.last().body())).isEqualTo(Json.parseOrNull(
                "{\"filter\":{\"customerId\":\"cus_1\"},\"dryRun\":true}"));
        assertThat(r.out()).isEqualTo("17 executions match (dry run: nothing replayed).\n");
        assertThat(r.err()).isEmpty();
        assertThat(api.requests()).hasSize(1);
    }

    @Test
    void replayBulkThatGetsCancelledExitsNonZero() {
        api.on("POST", "/replays", 202, "{\"id\":\"rpl_3\",\"matched\":10,\"status\":\"RUNNING\"}");
        api.on("GET", "/replays/rpl_3", 200, """
                {"id":"rpl_3","matched":10,"dispatched":3,"succeeded":3,"failed":0,"status":"CANCELLED"}""");

        Cli.Result r = cli.run("executions:replay-bulk", "--status", "FAILED");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).endsWith("error: replay job rpl_3 ended CANCELLED after dispatching 3 of 10\n");
    }
}

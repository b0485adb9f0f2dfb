package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.cli.output.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceCommandsTest extends CommandTest {

    static final String INSTANCE = """
            {"id":"ins_1","name":"Acme orders","customerId":"cus_1","integrationId":"int_1","integrationVersion":2,
             "enabled":true,"pauseMode":"REJECT","configVariables":{"apiBase":"https://acme.test"},
             "createdAt":"2025-05-01T10:00:00.123Z","lastExecutedAt":null}""";

    static final String FLOW_CONFIGS = """
            {"items":[
              {"id":"fc_1","flow":"On new order","webhookUrl":"http://127.0.0.1:3000/webhooks/tok123","trigger":"webhook",
               "schedule":null,"timezone":null,"retry":{"maxAttempts":3},"nextRunAt":null,
               "security":{"type":"hmac-sha256","header":"x-signature","secretVariable":"webhookSecret"}},
              {"id":"fc_2","flow":"Nightly sync","webhookUrl":null,"trigger":"schedule",
               "schedule":"cron(0 2 * * ? *)","timezone":"Europe/Berlin","retry":null,"nextRunAt":"2025-06-02T00:00:00Z"}
            ],"nextCursor":null}""";

    static final String TEST_EXECUTION = """
            {"id":"exe_9","instanceId":"ins_1","flowConfigId":"fc_1","flow":"On new order","trigger":"TEST",
             "status":"%s","durationMs":42,
             "steps":[{"name":"log","type":"log","status":"SUCCEEDED","durationMs":2,"output":null},
                      {"name":"fetch","type":"http","status":"%s","durationMs":40,"output":{"status":200}}]%s}""";

    @Test
    void listSendsBearerKeyAndCustomerFilterAndPrintsAlignedTable() {
        api.on("GET", "/instances", 200, "{\"items\":[" + INSTANCE + "],\"nextCursor\":null}");

        Cli.Result r = cli.run("instances:list", "--customer", "cus_1");

        assertThat(r.exit()).isZero();
        StubApi.Request req = api.last();
        assertThat(req.method()).isEqualTo("GET");
        assertThat(req.path()).isEqualTo("/instances");
        assertThat(req.params()).containsExactly(java.util.Map.entry("customerId", "cus_1"));
        assertThat(req.header("Authorization")).isEqualTo("Bearer test-key");
        assertThat(r.out()).isEqualTo("""
                ID     NAME         CUSTOMER  INTEGRATION  VERSION  STATE    PAUSE MODE  LAST EXECUTED
                ins_1  Acme orders  cus_1     int_1        2        enabled  REJECT      -
                """);
        assertThat(r.err()).isEmpty();
    }

    @Test
    void createPostsNameCustomerIntegrationVersionConfigAndPauseMode() {
        api.on("POST", "/instances", 201, INSTANCE);

        Cli.Result r = cli.run("instances:create", "--name", "Acme orders", "--customer", "cus_1",
                "--integration", "int_1", "--version", "2", "--config", "apiBase=https://acme.test",
                "--config", "apiKey=s3cr=t", "--pause-mode", "hold");

        assertThat(r.exit()).isZero();
        assertThat(api.last().header("Content-Type")).isEqualTo("application/json");
        assertThat(Json.parseOrNull(api.last().body())).isEqualTo(Json.parseOrNull("""
                {"name":"Acme orders","customerId":"cus_1","integrationId":"int_1","integrationVersion":2,
                 "configVariables":{"apiBase":"https://acme.test","apiKey":"s3cr=t"},"pauseMode":"HOLD"}"""));
        assertThat(r.out()).contains("ins_1  Acme orders");
    }

    @Test
    void pauseAndUnpausePostToTheirRoutesAndConfirm() {
        api.on("POST", "/instances/ins_1/pause", 200, INSTANCE.replace("\"enabled\":true", "\"enabled\":false"));
        api.on("POST", "/instances/ins_1/unpause", 200, INSTANCE);

        Cli.Result paused = cli.run("instances:pause", "ins_1");
        Cli.Result unpaused = cli.run("instances:unpause", "ins_1");

        assertThat(paused.exit()).isZero();
        assertThat(paused.out()).isEqualTo("Paused instance ins_1.\n");
        assertThat(unpaused.out()).isEqualTo("Unpaused instance ins_1.\n");
        assertThat(api.requests()).extracting(StubApi.Request::method, StubApi.Request::path).containsExactly(
                org.assertj.core.groups.Tuple.tuple("POST", "/instances/ins_1/pause"),
                org.assertj.core.groups.Tuple.tuple("POST", "/instances/ins_1/unpause"));
    }

    @Test
    void pausePrintsTheApiAnswerInJsonMode() {
        api.on("POST", "/instances/ins_1/pause", 200, INSTANCE.replace("\"enabled\":true", "\"enabled\":false"));

        Cli.Result r = cli.run("instances:pause", "ins_1", "--output", "json");

        assertThat(Json.parseOrNull(r.out()).path("enabled").asBoolean(true)).isFalse();
    }

    @Test
    void deleteSendsTheConfirmationNameAsQuery() {
        api.on("DELETE", "/instances/ins_1", 204, null);

        Cli.Result r = cli.run("instances:delete", "ins_1", "--confirm", "Acme orders");

        assertThat(r.exit()).isZero();
        assertThat(api.last().method()).isEqualTo("DELETE");
        assertThat(api.last().rawQuery()).isEqualTo("confirm=Acme%20orders");
        assertThat(r.out()).isEqualTo("Deleted instance ins_1 with its executions, logs, schedules and monitors.\n");
    }

    @Test
    void deleteOfALargeInstanceSaysTheRestGoesOnInTheBackground() {
        api.on("DELETE", "/instances/ins_1", 202,
                "{\"id\":\"ins_1\",\"status\":\"DELETING\",\"executionsDeleted\":2000,\"more\":true}");

        Cli.Result r = cli.run("instances:delete", "ins_1", "--confirm", "Acme orders");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Deleting instance ins_1: 2000 executions deleted so far")
                .contains("the rest is being deleted in the background");
    }

    @Test
    void deleteWithAWrongNameShowsTheApiErrorAndExitsNonZero() {
        api.on("DELETE", "/instances/ins_1", 400, "{\"error\":{\"code\":\"invalid\",\"message\":\"invalid input\","
                + "\"details\":[{\"field\":\"confirm\",\"reason\":\"does not match the instance's name; nothing was deleted\"}]}}");

        Cli.Result r = cli.run("instances:delete", "ins_1", "--confirm", "Acme");

        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("confirm").contains("does not match the instance's name");
    }

    @Test
    void deleteWithoutConfirmIsAUsageErrorAndSendsNothing() {
        Cli.Result r = cli.run("instances:delete", "ins_1");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("error: Missing required option: '--confirm=NAME'")
                .contains("See 'ferry instances:delete --help'.");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void flowConfigsListShowsIdFlowTriggerWebhookUrlAndSecurity() {
        api.on("GET", "/instances/ins_1/flow-configs", 200, FLOW_CONFIGS);

        Cli.Result r = cli.run("instances:flow-configs:list", "ins_1");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("""
                ID    FLOW          TRIGGER   WEBHOOK URL                            SECURITY                 SCHEDULE                         NEXT RUN
                fc_1  On new order  webhook   http://127.0.0.1:3000/webhooks/tok123  hmac-sha256 x-signature  -                                -
                fc_2  Nightly sync  schedule  -                                      -                        cron(0 2 * * ? *) Europe/Berlin  2025-06-02T00:00:00Z
                """);
    }

    @Test
    void flowConfigTestPostsPayloadVerbatimWithHeadersAndContentType() {
        api.on("POST", "/flow-configs/fc_1/test", 200, TEST_EXECUTION.formatted("SUCCEEDED", "SUCCEEDED", ""));
        String payload = "{\"id\": 42,\n  \"note\":\"kept as typed\"}";

        Cli.Result r = cli.run("instances:flow-configs:test", "fc_1", "--payload", payload,
                "--header", "x-request-id: abc-1", "--header", "X-Signature:  sig ");

        assertThat(r.exit()).isZero();
        JsonNode body = Json.parseOrNull(api.last().body());
        assertThat(body.path("body").asText()).isEqualTo(payload);
        assertThat(body.path("headers")).isEqualTo(Json.parseOrNull("{\"x-request-id\":\"abc-1\",\"X-Signature\":\"sig\"}"));
        assertThat(body.path("contentType").asText()).isEqualTo("application/json");
        assertThat(r.out()).isEqualTo("""
                Execution exe_9: SUCCEEDED in 42ms (trigger TEST, flow On new order)
                STEP   TYPE  STATUS     DURATION  ERROR
                log    log   SUCCEEDED  2ms       -
                fetch  http  SUCCEEDED  40ms      -
                """);
    }

    @Test
    void flowConfigTestReadsAtFilePayloadAndCustomContentType(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("order.xml");
        Files.writeString(file, "<order id=\"1\"/>\n");
        api.on("POST", "/flow-configs/fc_1/test", 200, TEST_EXECUTION.formatted("SUCCEEDED", "SUCCEEDED", ""));

        cli.run("instances:flow-configs:test", "fc_1", "--payload", "@" + file, "--content-type", "application/xml");

        JsonNode body = Json.parseOrNull(api.last().body());
        assertThat(body.path("body").asText()).isEqualTo("<order id=\"1\"/>\n");
        assertThat(body.path("contentType").asText()).isEqualTo("application/xml");
        assertThat(body.path("headers").isEmpty()).isTrue();
    }

    @Test
    void flowConfigTestWithMissingPayloadFileIsAUsageError() {
        Cli.Result r = cli.run("instances:flow-configs:test", "fc_1", "--payload", "@/no/such/file.json");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("cannot read file '/no/such/file.json' (no such file)");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void flowConfigTestRejectsAHeaderWithoutColon() {
        Cli.Result r = cli.run("instances:flow-configs:test", "fc_1", "--header", "nocolon");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("expected 'Name: value', got 'nocolon'");
    }

    @Test
    void flowConfigTestThatFailedExitsOneWithTheStepError() {
        api.on("POST", "/flow-configs/fc_1/test", 200, TEST_EXECUTION.formatted("FAILED", "FAILED",
                ",\"error\":{\"message\":\"HTTP 503 from acme\",\"step\":\"fetch\",\"retryable\":true}"));

        Cli.Result r = cli.run("instances:flow-configs:test", "fc_1");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("Error: HTTP 503 from acme (step fetch, retryable)");
        assertThat(r.err()).isEqualTo("error: execution exe_9 FAILED: HTTP 503 from acme (step fetch, retryable)\n");
        assertThat(Json.parseOrNull(api.last().body()).has("body")).isFalse();
    }

    @Test
    void flowConfigTestTailPrintsLogLinesOfAFinishedExecution() {
        api.on("POST", "/flow-configs/fc_1/test", 200, TEST_EXECUTION.formatted("SUCCEEDED", "SUCCEEDED", ""));
        api.on("GET", "/executions/exe_9/logs", 200, """
                {"items":[{"timestamp":"2025-06-01T12:00:00.100Z","severity":"INFO","message":"order 42","step":"log"},
                          {"timestamp":"2025-06-01T12:00:00.140Z","severity":"DEBUG","message":"GET /orders/42","step":"fetch"}],
                 "nextCursor":null}""");

        Cli.Result r = cli.run("instances:flow-configs:test", "fc_1", "--tail");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("""
                Logs
                  2025-06-01T12:00:00Z  INFO  [log] order 42
                  2025-06-01T12:00:00Z  DEBUG [fetch] GET /orders/42

                Execution exe_9: SUCCEEDED""");
        assertThat(cli.sleeps).isEmpty();
    }

    @Test
    void flowConfigTestTailPollsUntilTheExecutionEndsPrintingEachLogLineOnce() {
        api.on("POST", "/flow-configs/fc_1/test", 200, """
                {"id":"exe_9","status":"RUNNING","trigger":"TEST","steps":[]}""");
        api.on("GET", "/executions/exe_9", 200, "{\"id\":\"exe_9\",\"status\":\"RUNNING\",\"steps\":[]}");
        api.on("GET", "/executions/exe_9", 200, TEST_EXECUTION.formatted("SUCCEEDED", "SUCCEEDED", ""));
        api.on("GET", "/executions/exe_9/logs", 200, """
                {"items":[{"timestamp":"2025-06-01T12:00:00Z","severity":"INFO","message":"first"}],"nextCursor":null}""");
        api.on("GET", "/executions/exe_9/logs", 200, """
                {"items":[{"timestamp":"2025-06-01T12:00:00Z","severity":"INFO","message":"first"},
                          {"timestamp":"2025-06-01T12:00:01Z","severity":"WARN","message":"second"}],"nextCursor":null}""");

        Cli.Result r = cli.run("instances:flow-configs:test", "fc_1", "--tail");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).containsOnlyOnce("first").containsOnlyOnce("second")
                .contains("Execution exe_9: SUCCEEDED in 42ms");
        assertThat(r.err()).isEqualTo("Execution exe_9 is RUNNING; waiting up to 15m for it to end...\n");
        assertThat(api.requests("GET", "/executions/exe_9")).hasSize(2);
        assertThat(cli.sleeps).hasSize(2).allMatch(d -> d.getSeconds() == 1);
    }

    @Test
    void aTestRunAnswered202IsFollowedToItsEndEvenWithoutTail() {
        api.on("POST", "/flow-configs/fc_1/test", 202, """
                {"id":"exe_9","status":"QUEUED","trigger":"TEST","steps":[]}""");
        api.on("GET", "/executions/exe_9", 200, "{\"id\":\"exe_9\",\"status\":\"RUNNING\",\"steps\":[]}");
        api.on("GET", "/executions/exe_9", 200, TEST_EXECUTION.formatted("FAILED", "FAILED",
                ",\"error\":{\"message\":\"boom\",\"step\":\"fetch\",\"retryable\":false}"));

        Cli.Result r = cli.run("instances:flow-configs:test", "fc_1");

        assertThat(r.exit()).as("the run's outcome, not the 202's").isEqualTo(1);
        assertThat(r.out()).contains("Execution exe_9: FAILED");
        assertThat(api.requests("GET", "/executions/exe_9/logs")).isEmpty();
        assertThat(api.requests("GET", "/executions/exe_9")).hasSize(2);
    }

    @Test
    void flowConfigTestTailGivesUpAtTheDeadline() {
        api.on("POST", "/flow-configs/fc_1/test", 200, "{\"id\":\"exe_9\",\"status\":\"RUNNING\",\"steps\":[]}");
        api.on("GET", "/executions/exe_9", 200, "{\"id\":\"exe_9\",\"status\":\"RUNNING\",\"steps\":[]}");
        api.on("GET", "/executions/exe_9/logs", 200, "{\"items\":[],\"nextCursor\":null}");

        Cli.Result r = cli.run("instances:flow-configs:test", "fc_1", "--tail", "--timeout", "5s");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("Execution exe_9 is RUNNING; waiting up to 5s for it to end...\n"
                + "error: execution exe_9 is still RUNNING after 5s; "
                + "see it later with: ferry executions:show exe_9 --logs\n");
        assertThat(cli.sleeps).hasSize(5);
    }

    @Test
    void flowConfigTestTailSaysSoWhenThereAreNoLogLines() {
        api.on("POST", "/flow-configs/fc_1/test", 200, TEST_EXECUTION.formatted("SUCCEEDED", "SUCCEEDED", ""));
        api.on("GET", "/executions/exe_9/logs", 200, "{\"items\":[],\"nextCursor\":null}");

        Cli.Result r = cli.run("instances:flow-configs:test", "fc_1", "--tail");

        assertThat(r.out()).startsWith("Logs\n  (none)\n\nExecution exe_9: SUCCEEDED");
    }

    @Test
    void flowConfigTestTailInJsonModeAddsTheLogLinesToTheExecution() {
        api.on("POST", "/flow-configs/fc_1/test", 200, TEST_EXECUTION.formatted("SUCCEEDED", "SUCCEEDED", ""));
        api.on("GET", "/executions/exe_9/logs", 200, """
                {"items":[{"timestamp":"2025-06-01T12:00:00Z","severity":"INFO","message":"order 42"}],"nextCursor":null}""");

        Cli.Result r = cli.run("instances:flow-configs:test", "fc_1", "--tail", "-o", "json");

        JsonNode shown = Json.parseOrNull(r.out());
        assertThat(shown.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(shown.path("logs").get(0).path("message").asText()).isEqualTo("order 42");
    }
}

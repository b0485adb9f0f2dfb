package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.cli.output.Json;
import org.junit.jupiter.api.Test;

/** The incident verbs: cancel one or many, watch and stop replays, update an instance, several triggers. */
class IncidentCommandsTest extends CommandTest {

    static final String JOB = """
            {"id":"%s","kind":"%s","name":"after the fix","createdBy":"admin","status":"%s","dryRun":false,
             "matched":2,"dispatched":%d,"skipped":0,"succeeded":%d,"failed":0,"ratePerSecond":null,
             "filter":{"instanceId":"ins_1","unresolved":true},"createdAt":"2026-01-31T12:00:00Z","updatedAt":"2026-01-31T12:00:02Z"}""";

    @Test
    void cancelPostsForEachIdAndConfirms() {
        api.on("POST", "/executions/exe_1/cancel", 200, "{\"id\":\"exe_1\",\"status\":\"CANCELLED\",\"queuedAt\":\"2026-01-31T12:00:00Z\"}");

        Cli.Result r = cli.run("executions:cancel", "exe_1");

        assertThat(r.exit()).isZero();
        assertThat(api.last().method()).isEqualTo("POST");
        assertThat(r.out()).isEqualTo("Cancelled execution exe_1 (was queued 2026-01-31T12:00:00Z).\n");
    }

    @Test
    void cancellingARunningExecutionIsAnErrorWithTheApisReason() {
        api.on("POST", "/executions/exe_2/cancel", 409, "{\"error\":{\"code\":\"conflict\",\"message\":"
                + "\"execution 'exe_2' is RUNNING: a running execution cannot be cancelled\",\"details\":[]}}");

        Cli.Result r = cli.run("executions:cancel", "exe_2");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("execution 'exe_2' is RUNNING: a running execution cannot be cancelled");
    }

    @Test
    void cancelBulkWithoutYesIsADryRunThatSendsTheFilter() {
        api.on("POST", "/cancellations", 200, JOB.formatted("null", "CANCEL", "COMPLETED", 0, 0)
                .replace("\"id\":\"null\"", "\"id\":null").replace("\"dryRun\":false", "\"dryRun\":true"));

        Cli.Result r = cli.run("executions:cancel-bulk", "--instance", "ins_1", "--status", "HELD");

        assertThat(r.exit()).isZero();
        assertThat(Json.parseOrNull(api.last().body())).isEqualTo(Json.parseOrNull(
                "{\"filter\":{\"instanceId\":\"ins_1\",\"status\":\"HELD\"},\"dryRun\":true}"));
        assertThat(r.out()).startsWith("2 executions match (dry run: nothing cancelled).");
    }

    @Test
    void cancelBulkWithYesFollowsTheJobToItsEnd() {
        api.on("POST", "/cancellations", 202, JOB.formatted("cnj_1", "CANCEL", "RUNNING", 0, 0));
        api.on("GET", "/cancellations/cnj_1", 200, JOB.formatted("cnj_1", "CANCEL", "COMPLETED", 2, 0));

        Cli.Result r = cli.run("executions:cancel-bulk", "--instance", "ins_1", "--yes");

        assertThat(r.exit()).isZero();
        assertThat(r.err()).contains("2/2 cancelled, 0 skipped");
        assertThat(r.out()).contains("Cancellation cnj_1 COMPLETED: 2 cancelled, 0 skipped (running or finished) of 2 matched.");
    }

    @Test
    void replaysShowWatchesUntilTheReplaysRanAndPrintsTheDetail() {
        api.on("GET", "/replays/rpj_1", 200, JOB.formatted("rpj_1", "REPLAY", "RUNNING", 1, 0));
        api.on("GET", "/replays/rpj_1", 200, JOB.formatted("rpj_1", "REPLAY", "COMPLETED", 2, 1));
        api.on("GET", "/replays/rpj_1", 200, JOB.formatted("rpj_1", "REPLAY", "COMPLETED", 2, 2));

        Cli.Result r = cli.run("replays:show", "rpj_1", "--watch");

        assertThat(r.exit()).isZero();
        assertThat(r.err()).contains("1/2 dispatched, 0 succeeded").contains("2/2 dispatched, 2 succeeded, 0 failed");
        assertThat(r.out()).containsPattern("Replay job\\s+rpj_1").containsPattern("Succeeded\\s+2")
                .containsPattern("Filter\\s+instanceId=ins_1 unresolved=true");
    }

    @Test
    void replaysListAndCancel() {
        api.on("GET", "/replays", 200, "{\"items\":[" + JOB.formatted("rpj_1", "REPLAY", "RUNNING", 1, 0) + "],\"nextCursor\":null}");
        api.on("POST", "/replays/rpj_1/cancel", 200, JOB.formatted("rpj_1", "REPLAY", "CANCELLED", 1, 0));

        assertThat(cli.run("replays:list").out()).contains("rpj_1").contains("after the fix").contains("RUNNING");
        Cli.Result stopped = cli.run("replays:cancel", "rpj_1");
        assertThat(stopped.out()).isEqualTo("Replay job rpj_1 is CANCELLED after dispatching 1 of 2.\n");
    }

    @Test
    void instancesUpdateSendsOnlyWhatIsGiven() {
        api.on("PATCH", "/instances/ins_1", 200, InstanceCommandsTest.INSTANCE);

        Cli.Result r = cli.run("instances:update", "ins_1", "--version", "2", "--config", "apiBase=https://b.test");

        assertThat(r.exit()).isZero();
        assertThat(Json.parseOrNull(api.last().body())).isEqualTo(Json.parseOrNull(
                "{\"integrationVersion\":2,\"configVariables\":{\"apiBase\":\"https://b.test\"}}"));
        assertThat(r.out()).containsPattern("Integration\\s+int_1 version 2").contains("apiBase = https://acme.test");
        assertThat(cli.run("instances:update", "ins_1").exit()).as("nothing to change").isEqualTo(2);
    }

    @Test
    void aMonitorWithSeveralTriggersAndEveryChannelType() {
        api.on("POST", "/monitors", 201, "{\"id\":\"mon_1\",\"name\":\"m\",\"scope\":{},\"triggers\":[],\"channels\":[]}");

        Cli.Result r = cli.run("alerts:monitors:create", "--name", "m", "--instance", "ins_1",
                "--trigger", "execution_failed", "--trigger", "FAILURE_RATE:percent=20,windowMinutes=15",
                "--slack-url", "https://hooks.slack.com/services/T/B/X", "--email", "ops@example.com", "--email", "b@example.com");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Json.parseOrNull(api.last().body())).isEqualTo(Json.parseOrNull("""
                {"name":"m","triggers":[{"type":"EXECUTION_FAILED"},{"type":"FAILURE_RATE","percent":20,"windowMinutes":15}],
                 "scope":{"instanceId":"ins_1"},
                 "channels":[{"type":"slack","url":"https://hooks.slack.com/services/T/B/X"},
                             {"type":"email","to":["ops@example.com","b@example.com"]}]}"""));
        Cli.Result mixed = cli.run("alerts:monitors:create", "--name", "m", "--trigger", "A", "--trigger", "B", "--param", "x=1");
        assertThat(mixed.exit()).isEqualTo(2);
        assertThat(mixed.err()).contains("--param sets the parameters of a single --trigger");
    }
}

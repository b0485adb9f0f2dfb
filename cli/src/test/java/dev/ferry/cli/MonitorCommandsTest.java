package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.ferry.cli.output.Json;
import org.junit.jupiter.api.Test;

/** The verbs of an incident on monitors and alerts: update, mute, unmute, acknowledge; pause with a reason; all logs. */
class MonitorCommandsTest extends CommandTest {

    static final String MONITOR = """
            {"id":"mon_1","name":"Acme failures","triggers":[{"type":"EXECUTION_FAILED"}],
             "scope":{"instanceId":"ins_1"},"channels":[],"mutedUntil":"2025-06-01T14:00:00Z"}""";

    @Test
    void updateSendsOnlyWhatIsGivenWithSeveralTriggersAndChannels() {
        api.on("PATCH", "/monitors/mon_1", 200, MONITOR);

        Cli.Result r = cli.run("alerts:monitors:update", "mon_1", "--name", "Acme failures",
                "--trigger", "EXECUTION_FAILED", "--trigger", "failure_rate:percent=20,windowMinutes=15",
                "--slack-url", "https://hooks.slack.com/services/T/B/x", "--email", "ops@example.com");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(api.last().method()).isEqualTo("PATCH");
        assertThat(Json.parseOrNull(api.last().body())).isEqualTo(Json.parseOrNull("""
                {"name":"Acme failures",
                 "triggers":[{"type":"EXECUTION_FAILED"},{"type":"FAILURE_RATE","percent":20,"windowMinutes":15}],
                 "channels":[{"type":"slack","url":"https://hooks.slack.com/services/T/B/x"},
                             {"type":"email","to":["ops@example.com"]}]}"""));
        assertThat(r.out()).contains("mon_1").contains("Acme failures");
    }

    @Test
    void updateWithNothingToChangeOrTwoScopesIsAUsageErrorAndSendsNothing() {
        Cli.Result nothing = cli.run("alerts:monitors:update", "mon_1");
        Cli.Result twoScopes = cli.run("alerts:monitors:update", "mon_1", "--instance", "ins_1", "--everything");
        Cli.Result badTrigger = cli.run("alerts:monitors:update", "mon_1", "--trigger", "FAILURE_RATE:percent");

        assertThat(nothing.exit()).isEqualTo(2);
        assertThat(nothing.err()).contains("nothing to change");
        assertThat(twoScopes.exit()).isEqualTo(2);
        assertThat(badTrigger.exit()).isEqualTo(2);
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void muteForADurationSendsTheInstantThatFarAhead() {
        api.on("PATCH", "/monitors/mon_1", 200, MONITOR);

        Cli.Result r = cli.run("alerts:monitors:mute", "mon_1", "--until", "2h");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Json.parseOrNull(api.last().body())).isEqualTo(Json.parseOrNull("{\"mutedUntil\":\"2025-06-01T14:00:00Z\"}"));
        assertThat(r.out()).isEqualTo("Muted monitor mon_1 until 2025-06-01T14:00:00Z.\n");
    }

    @Test
    void muteUntilAnInstantAndUnmute() {
        api.on("PATCH", "/monitors/mon_1", 200, MONITOR);

        cli.run("alerts:monitors:mute", "mon_1", "--until", "2025-06-03T09:30:00Z");
        String muted = api.last().body();
        Cli.Result unmuted = cli.run("alerts:monitors:unmute", "mon_1");

        assertThat(Json.parseOrNull(muted)).isEqualTo(Json.parseOrNull("{\"mutedUntil\":\"2025-06-03T09:30:00Z\"}"));
        assertThat(Json.parseOrNull(api.last().body())).isEqualTo(Json.parseOrNull("{\"mutedUntil\":null}"));
        assertThat(unmuted.out()).isEqualTo("Unmuted monitor mon_1.\n");
        assertThat(cli.run("alerts:monitors:mute", "mon_1", "--until", "soonish").exit()).isEqualTo(2);
    }

    @Test
    void ackPostsToTheAlertAndSaysWhoTookIt() {
        api.on("POST", "/alerts/alr_1/acknowledge", 200,
                "{\"id\":\"alr_1\",\"acknowledgedBy\":\"admin\",\"acknowledgedAt\":\"2025-06-01T12:00:00Z\"}");

        Cli.Result r = cli.run("alerts:events:ack", "alr_1");

        assertThat(r.exit()).isZero();
        assertThat(api.last().method()).isEqualTo("POST");
        assertThat(r.out()).isEqualTo("Acknowledged alert alr_1 (by admin at 2025-06-01T12:00:00Z).\n");
    }

    @Test
    void alertsTableShowsMutedAndWhoAcknowledgedAndFiltersUnacknowledged() {
        api.on("GET", "/alerts", 200, """
                {"items":[{"id":"alr_2","monitorId":"mon_1","trigger":"INSTANCE_DISABLED","subject":"Instance disabled",
                           "instanceId":"ins_1","firedAt":"2025-06-01T11:00:00Z","muted":true,"acknowledgedBy":null},
                          {"id":"alr_1","monitorId":"mon_1","trigger":"EXECUTION_FAILED","subject":"Failed",
                           "instanceId":"ins_1","executionId":"exe_1","firedAt":"2025-06-01T10:00:00Z","muted":false,
                           "acknowledgedBy":"oncall (key_1)"}],
                 "nextCursor":null}""");

        Cli.Result r = cli.run("alerts:events:list", "--unacknowledged");

        assertThat(api.last().params()).contains(entry("acknowledged", "false"));
        assertThat(r.out()).contains("MUTED").contains("ACKNOWLEDGED BY");
        assertThat(r.out().lines().filter(l -> l.startsWith("alr_2")).findFirst().orElseThrow()).contains("muted");
        assertThat(r.out().lines().filter(l -> l.startsWith("alr_1")).findFirst().orElseThrow())
                .doesNotContain("muted").contains("oncall (key_1)");
    }

    @Test
    void monitorsListByInstance() {
        api.on("GET", "/monitors", 200, "{\"items\":[" + MONITOR + "],\"nextCursor\":null}");

        cli.run("alerts:monitors:list", "--instance", "ins_1");

        assertThat(api.last().params()).contains(entry("instanceId", "ins_1"));
    }

    @Test
    void pauseWithAReasonSendsIt() {
        api.on("POST", "/instances/ins_1/pause", 200, "{\"id\":\"ins_1\",\"enabled\":false,\"pausedBy\":\"admin\"}");

        Cli.Result r = cli.run("instances:pause", "ins_1", "--reason", "Deploying v2");
        cli.run("instances:pause", "ins_1");

        assertThat(Json.parseOrNull(api.requests().get(0).body())).isEqualTo(Json.parseOrNull("{\"reason\":\"Deploying v2\"}"));
        assertThat(api.last().body()).isNullOrEmpty();
        assertThat(r.out()).isEqualTo("Paused instance ins_1 (Deploying v2).\n");
    }

    @Test
    void logsSearchAllCustomersAsksEveryCustomersLogsAndTakesNoId() {
        api.on("GET", "/logs", 200, """
                {"items":[{"timestamp":"2025-06-01T11:00:00Z","severity":"ERROR","message":"HTTP 503",
                           "instanceId":"ins_9","executionId":"exe_9"}],"nextCursor":null}""");

        Cli.Result r = cli.run("logs:search", "--all-customers", "--query", "HTTP 503", "--severity", "ERROR");
        Cli.Result both = cli.run("logs:search", "ins_1", "--all-customers");
        Cli.Result none = cli.run("logs:search");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(api.requests()).hasSize(1);
        assertThat(api.last().path()).isEqualTo("/logs");
        assertThat(api.last().params()).contains(entry("q", "HTTP 503"), entry("severity", "ERROR"));
        assertThat(r.out()).contains("ins_9").contains("HTTP 503");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(none.exit()).isEqualTo(2);
    }
}

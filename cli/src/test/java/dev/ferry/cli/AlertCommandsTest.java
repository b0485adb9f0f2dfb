package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.ferry.cli.output.Json;
import org.junit.jupiter.api.Test;

class AlertCommandsTest extends CommandTest {

    static final String MONITOR = """
            {"id":"mon_1","name":"Slow orders","triggers":[{"type":"EXECUTION_DURATION_EXCEEDED","durationSeconds":300}],
             "scope":{"instanceId":"ins_1","flowConfigId":"fc_1"},
             "channels":[{"type":"webhook","url":"https://hooks.example.com/a"}]}""";

    @Test
    void monitorCreateMapsFlagsToTriggersScopeAndWebhookChannel() {
        api.on("POST", "/monitors", 201, MONITOR);

        Cli.Result r = cli.run("alerts:monitors:create", "--name", "Slow orders",
                "--trigger", "execution_duration_exceeded", "--param", "durationSeconds=300",
                "--param", "note=warn me", "--instance", "ins_1", "--flow-config", "fc_1",
                "--webhook-url", "https://hooks.example.com/a", "--header", "X-Team: ops",
                "--secret", "s3cret", "--template", "{\"text\":\"$SUBJECT\"}");

        assertThat(r.exit()).isZero();
        assertThat(api.last().path()).isEqualTo("/monitors");
        assertThat(Json.parseOrNull(api.last().body())).isEqualTo(Json.parseOrNull("""
                {"name":"Slow orders",
                 "triggers":[{"type":"EXECUTION_DURATION_EXCEEDED","durationSeconds":300,"note":"warn me"}],
                 "scope":{"instanceId":"ins_1","flowConfigId":"fc_1"},
                 "channels":[{"type":"webhook","url":"https://hooks.example.com/a","headers":{"X-Team":"ops"},
                              "template":"{\\"text\\":\\"$SUBJECT\\"}","secret":"s3cret"}]}"""));
        assertThat(r.out()).isEqualTo("""
                ID     NAME         TRIGGERS                     SCOPE                             CHANNELS
                mon_1  Slow orders  EXECUTION_DURATION_EXCEEDED  instance ins_1, flow config fc_1  https://hooks.example.com/a
                """);
    }

    @Test
    void monitorWithoutScopeOrChannelSendsEmptyOnes() {
        api.on("POST", "/monitors", 201, "{\"id\":\"mon_2\",\"name\":\"Any failure\"}");

        cli.run("alerts:monitors:create", "--name", "Any failure", "--trigger", "FAILURE_RATE",
                "--param", "percent=12.5", "--param", "windowMinutes=60");

        assertThat(Json.parseOrNull(api.last().body())).isEqualTo(Json.parseOrNull("""
                {"name":"Any failure","triggers":[{"type":"FAILURE_RATE","percent":12.5,"windowMinutes":60}],
                 "scope":{},"channels":[]}"""));
    }

    @Test
    void webhookOptionsWithoutUrlAreAUsageError() {
        Cli.Result r = cli.run("alerts:monitors:create", "--name", "x", "--trigger", "EXECUTION_FAILED",
                "--secret", "s");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("give --webhook-url too");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void monitorListShowsTriggersAndScope() {
        api.on("GET", "/monitors", 200, "{\"items\":[" + MONITOR + ",{\"id\":\"mon_2\",\"name\":\"All\","
                + "\"triggers\":[{\"type\":\"EXECUTION_FAILED\"},{\"type\":\"EXECUTION_STUCK\"}],\"scope\":{},"
                + "\"channels\":[]}],\"nextCursor\":null}");

        Cli.Result r = cli.run("alerts:monitors:list");

        assertThat(r.out()).contains("mon_2  All          EXECUTION_FAILED,EXECUTION_STUCK  everything");
    }

    @Test
    void monitorDeleteSendsDelete() {
        api.on("DELETE", "/monitors/mon_1", 204, null);

        Cli.Result r = cli.run("alerts:monitors:delete", "mon_1");

        assertThat(r.exit()).isZero();
        assertThat(api.last().method()).isEqualTo("DELETE");
        assertThat(r.out()).isEqualTo("Deleted monitor mon_1.\n");
    }

    @Test
    void eventListFiltersByMonitorInstanceAndSince() {
        api.on("GET", "/alerts", 200, """
                {"items":[{"id":"alr_1","monitorId":"mon_1","trigger":"EXECUTION_FAILED","subject":"Order sync failed",
                           "instanceId":"ins_1","executionId":"exe_1","firedAt":"2025-06-01T11:00:02.001Z"}],
                 "nextCursor":null}""");

        Cli.Result r = cli.run("alerts:events:list", "--monitor", "mon_1", "--instance", "ins_1", "--since", "1d");

        assertThat(api.last().params()).containsExactly(entry("monitorId", "mon_1"), entry("instanceId", "ins_1"),
                entry("since", "2025-05-31T12:00:00Z"));
        assertThat(r.out()).isEqualTo("""
                ID     FIRED AT              MONITOR  TRIGGER           SUBJECT            INSTANCE  EXECUTION  MUTED  ACKNOWLEDGED BY
                alr_1  2025-06-01T11:00:02Z  mon_1    EXECUTION_FAILED  Order sync failed  ins_1     exe_1      -      -
                """);
    }
}

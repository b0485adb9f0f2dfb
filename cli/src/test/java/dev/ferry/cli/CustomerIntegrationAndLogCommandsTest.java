package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.ferry.cli.output.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CustomerIntegrationAndLogCommandsTest extends CommandTest {

    @Test
    void customerCreatePostsNameAndExternalId() {
        api.on("POST", "/customers", 201, "{\"id\":\"cus_1\",\"name\":\"Acme\",\"externalId\":\"crm-7\"}");

        Cli.Result r = cli.run("customers:create", "--name", "Acme", "--external-id", "crm-7");

        assertThat(Json.parseOrNull(api.last().body())).isEqualTo(Json.parseOrNull(
                "{\"name\":\"Acme\",\"externalId\":\"crm-7\"}"));
        assertThat(r.out()).isEqualTo("""
                ID     NAME  EXTERNAL ID  CREATED AT
                cus_1  Acme  crm-7        -
                """);
    }

    @Test
    void customerListPassesLimit() {
        api.on("GET", "/customers", 200, "{\"items\":[],\"nextCursor\":null}");

        cli.run("customers:list", "--limit", "10");

        assertThat(api.last().params()).containsExactly(entry("limit", "10"));
    }

    @Test
    void integrationCreatePostsAYamlFileAsYaml(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("order-sync.yaml");
        String yaml = "name: Order sync\nflows: []\n";
        Files.writeString(file, yaml);
        api.on("POST", "/integrations", 201, "{\"id\":\"int_1\",\"name\":\"Order sync\",\"latestVersion\":1}");

        Cli.Result r = cli.run("integrations:create", "--file", file.toString());

        assertThat(r.exit()).isZero();
        assertThat(api.last().header("Content-Type")).isEqualTo("application/yaml");
        assertThat(api.last().body()).isEqualTo(yaml);
        assertThat(r.out()).contains("int_1  Order sync  1");
    }

    @Test
    void integrationCreatePostsAJsonFileVerbatimAsJson(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("definition.txt");
        String json = "  {\"name\": \"Order sync\", \"flows\": []}";
        Files.writeString(file, json);
        api.on("POST", "/integrations", 201, "{\"id\":\"int_1\",\"name\":\"Order sync\",\"latestVersion\":1}");

        cli.run("integrations:create", "--file", file.toString(), "-o", "json");

        assertThat(api.last().header("Content-Type")).isEqualTo("application/json");
        assertThat(api.last().body()).isEqualTo(json);
    }

    @Test
    void integrationListShowsLatestVersion() {
        api.on("GET", "/integrations", 200, """
                {"items":[{"id":"int_1","name":"Order sync","latestVersion":3,"updatedAt":"2025-05-02T08:00:00.5Z"}],
                 "nextCursor":null}""");

        Cli.Result r = cli.run("integrations:list");

        assertThat(r.out()).isEqualTo("""
                ID     NAME        LATEST VERSION  UPDATED AT
                int_1  Order sync  3               2025-05-02T08:00:00Z
                """);
    }

    @Test
    void logSearchSendsQuerySeverityAndTimesToTheInstanceLogs() {
        api.on("GET", "/instances/ins_1/logs", 200, """
                {"items":[{"timestamp":"2025-06-01T11:59:00Z","severity":"ERROR","message":"HTTP 503",
                           "executionId":"exe_1","step":"fetch"}],"nextCursor":null}""");

        Cli.Result r = cli.run("logs:search", "ins_1", "--query", "\"HTTP 503\"", "--severity", "warn",
                "--since", "1h", "--until", "2025-06-01T12:00:00Z", "--limit", "20");

        assertThat(api.last().params()).containsExactly(entry("q", "\"HTTP 503\""), entry("severity", "WARN"),
                entry("since", "2025-06-01T11:00:00Z"), entry("until", "2025-06-01T12:00:00Z"), entry("limit", "20"));
        assertThat(r.out()).isEqualTo("""
                TIMESTAMP             SEVERITY  EXECUTION  STEP   MESSAGE
                2025-06-01T11:59:00Z  ERROR     exe_1      fetch  HTTP 503
                """);
    }

    @Test
    void logSearchWithCustomerSearchesTheCustomersLogs() {
        api.on("GET", "/customers/cus_1/logs", 200, "{\"items\":[],\"nextCursor\":null}");

        Cli.Result r = cli.run("logs:search", "cus_1", "--customer");

        assertThat(r.exit()).isZero();
        assertThat(api.last().path()).isEqualTo("/customers/cus_1/logs");
        assertThat(r.err()).isEqualTo("No log lines found.\n");
    }

    @Test
    void customerLogSearchSaysWhichInstanceEachLineCameFrom() {
        api.on("GET", "/customers/cus_1/logs", 200, """
                {"items":[{"timestamp":"2025-06-01T11:59:00Z","severity":"INFO","message":"order 42",
                           "instanceId":"ins_2","executionId":"exe_9","step":"log"}],"nextCursor":null}""");

        Cli.Result r = cli.run("logs:search", "cus_1", "--customer", "--query", "order");

        assertThat(r.out()).isEqualTo("""
                TIMESTAMP             SEVERITY  INSTANCE  EXECUTION  STEP  MESSAGE
                2025-06-01T11:59:00Z  INFO      ins_2     exe_9      log   order 42
                """);
    }
}

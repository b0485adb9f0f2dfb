package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.ferry.cli.output.Json;
import org.junit.jupiter.api.Test;

class ApiKeyCommandsTest extends CommandTest {

    @Test
    void createWithCustomerSendsItAndPrintsTheKeyOnce() {
        api.on("POST", "/api-keys", 201,
                "{\"id\":\"key_1\",\"name\":\"Acme portal\",\"customerId\":\"cus_1\",\"key\":\"fry_abc\",\"createdAt\":\"2026-11-26T10:00:00Z\"}");

        Cli.Result r = cli.run("api-keys:create", "--name", "Acme portal", "--customer", "cus_1");

        assertThat(r.exit()).isZero();
        assertThat(Json.parseOrNull(api.last().body())).isEqualTo(Json.parseOrNull("{\"name\":\"Acme portal\",\"customerId\":\"cus_1\"}"));
        assertThat(r.out()).contains("fry_abc").contains("cus_1").contains("not shown again");
    }

    @Test
    void createWithoutCustomerMakesAnAdminKey() {
        api.on("POST", "/api-keys", 201, "{\"id\":\"key_2\",\"name\":\"ops\",\"customerId\":null,\"key\":\"fry_def\"}");

        Cli.Result r = cli.run("api-keys:create", "--name", "ops");

        assertThat(Json.parseOrNull(api.last().body())).isEqualTo(Json.parseOrNull("{\"name\":\"ops\"}"));
        assertThat(r.out()).contains("(admin)").contains("fry_def");
    }

    @Test
    void listPassesTheCustomerFilterAndShowsNoKeys() {
        api.on("GET", "/api-keys", 200, "{\"items\":[{\"id\":\"key_1\",\"name\":\"Acme portal\",\"customerId\":\"cus_1\","
                + "\"createdAt\":\"2026-11-26T10:00:00Z\"}],\"nextCursor\":null}");

        Cli.Result r = cli.run("api-keys:list", "--customer", "cus_1");

        assertThat(r.exit()).isZero();
        assertThat(api.last().params()).contains(entry("customerId", "cus_1"));
        assertThat(r.out()).contains("key_1").contains("Acme portal").doesNotContain("KEY ");
    }

    @Test
    void deleteRevokesById() {
        api.on("DELETE", "/api-keys/key_1", 204, "");

        Cli.Result r = cli.run("api-keys:delete", "key_1");

        assertThat(r.exit()).isZero();
        assertThat(api.last().method()).isEqualTo("DELETE");
        assertThat(r.out()).contains("Revoked API key key_1.");
    }

    @Test
    void forbiddenAnswerExitsNonZeroWithTheApisMessage() {
        api.on("POST", "/api-keys", 403, "{\"error\":{\"code\":\"forbidden\",\"message\":\"a customer's API key can create keys "
                + "only for its own customer\",\"details\":[]}}");

        Cli.Result r = cli.run("api-keys:create", "--name", "escalate");

        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("only for its own customer");
    }
}

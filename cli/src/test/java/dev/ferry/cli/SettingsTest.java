package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    final StubApi api = StubApi.start();

    @TempDir
    Path stateDir;

    @AfterEach
    void stop() {
        api.close();
    }

    private void localStack(String apiUrl, String key) throws IOException {
        Files.writeString(stateDir.resolve("local.json"),
                "{\"apiUrl\":\"" + apiUrl + "\",\"adminApiKey\":\"" + key + "\",\"pid\":123}");
    }

    @Test
    void withoutKeyOrUrlTheLocalStackStateFileSuppliesBoth() throws IOException {
        localStack(api.url(), "admin-local");
        api.on("GET", "/customers", 200, "{\"items\":[],\"nextCursor\":null}");
        Cli cli = new Cli().env("FERRY_STATE_DIR", stateDir.toString());

        Cli.Result r = cli.run("customers:list");

        assertThat(r.exit()).isZero();
        assertThat(api.last().header("Authorization")).isEqualTo("Bearer admin-local");
    }

    @Test
    void envKeyWinsOverTheStateFile() throws IOException {
        localStack(api.url(), "admin-local");
        api.on("GET", "/customers", 200, "{\"items\":[],\"nextCursor\":null}");
        Cli cli = new Cli().env("FERRY_STATE_DIR", stateDir.toString()).env("FERRY_API_KEY", "from-env");

        cli.run("customers:list");

        assertThat(api.last().header("Authorization")).isEqualTo("Bearer from-env");
    }

    @Test
    void flagsWinOverEnvironment() {
        api.on("GET", "/customers", 200, "{\"items\":[],\"nextCursor\":null}");
        Cli cli = new Cli().env("FERRY_API_URL", "http://127.0.0.1:1").env("FERRY_API_KEY", "from-env");

        Cli.Result r = cli.run("customers:list", "--api-url", api.url(), "--api-key", "from-flag");

        assertThat(r.exit()).isZero();
        assertThat(api.last().header("Authorization")).isEqualTo("Bearer from-flag");
    }

    @Test
    void globalOptionsWorkBeforeTheCommandToo() {
        api.on("GET", "/customers", 200, "{\"items\":[{\"id\":\"cus_1\"}],\"nextCursor\":null}");
        Cli cli = new Cli();

        Cli.Result r = cli.run("--api-url", api.url(), "--api-key", "k", "-o", "csv", "customers:list");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("id,name,externalId,createdAt\r\n");
    }

    @Test
    void defaultsToLocalhost3000WithoutKeyWhenNothingIsSet() {
        Settings s = Settings.resolve(null, null, context(new Cli()));

        assertThat(s.apiUrl()).hasToString("http://127.0.0.1:3000");
        assertThat(s.apiKey()).isNull();
    }

    @Test
    void envUrlWinsOverTheStateFileWhoseKeyStillAppliesOnLoopback() throws IOException {
        localStack("http://127.0.0.1:3000", "admin-local");
        Cli cli = new Cli().env("FERRY_STATE_DIR", stateDir.toString()).env("FERRY_API_URL", "http://localhost:3005/");

        Settings s = Settings.resolve(null, null, context(cli));

        assertThat(s.apiUrl()).hasToString("http://localhost:3005");
        assertThat(s.apiKey()).isEqualTo("admin-local");
    }

    @Test
    void localAdminKeyIsNeverSentToARemoteApi() throws IOException {
        localStack("http://127.0.0.1:3000", "admin-local");
        Cli cli = new Cli().env("FERRY_STATE_DIR", stateDir.toString());

        Settings s = Settings.resolve("https://ferry.example.com", null, context(cli));

        assertThat(s.apiKey()).isNull();
    }

    @Test
    void missingOrUnreadableStateFileIsIgnored() throws IOException {
        Cli cli = new Cli().env("FERRY_STATE_DIR", stateDir.resolve("nowhere").toString());
        assertThat(Settings.resolve(null, null, context(cli)).apiKey()).isNull();

        Files.writeString(stateDir.resolve("local.json"), "{not json");
        Cli broken = new Cli().env("FERRY_STATE_DIR", stateDir.toString());
        assertThat(Settings.resolve(null, null, context(broken)).apiUrl()).hasToString("http://127.0.0.1:3000");
    }

    private static CliContext context(Cli cli) {
        return new CliContext(System.out, System.err, cli.env, cli.clock, null, false);
    }
}

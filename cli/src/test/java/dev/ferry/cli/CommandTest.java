package dev.ferry.cli;

import org.junit.jupiter.api.AfterEach;

/** A command test: the CLI run in this JVM against a {@link StubApi} that answers what each test sets up. */
abstract class CommandTest {
    final StubApi api = StubApi.start();
    final Cli cli = Cli.against(api);

    @AfterEach
    void stopStubApi() {
        api.close();
    }
}

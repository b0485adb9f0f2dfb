package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.cli.output.Json;
import org.junit.jupiter.api.Test;

class DeadLetterCommandsTest extends CommandTest {

    @Test
    void listShowsEachDeadLetterWithWhatItIsAbout() {
        api.on("GET", "/dead-letters", 200, """
                {"queue":"execution","items":[{"id":"m-1","queue":"execution","sentAt":"2026-11-26T10:00:00Z",
                 "receiveCount":6,"summary":"executionId exe_1","body":"{\\"executionId\\":\\"exe_1\\"}","truncated":false}]}""");

        Cli.Result r = cli.run("dead-letters:list", "--queue", "execution", "--limit", "10");

        assertThat(r.exit()).isZero();
        assertThat(api.last().rawQuery()).contains("queue=execution").contains("limit=10");
        assertThat(r.out()).contains("m-1").contains("executionId exe_1").contains("6");
    }

    @Test
    void redriveSendsTheIdsAndSaysWhatMoved() {
        api.on("POST", "/dead-letters/redrive", 200, "{\"queue\":\"retry\",\"moved\":[\"m-1\"],\"notFound\":[\"m-9\"]}");

        Cli.Result r = cli.run("dead-letters:redrive", "--queue", "retry", "--id", "m-1", "--id", "m-9");

        assertThat(r.exit()).isZero();
        assertThat(Json.parseOrNull(api.last().body()))
                .isEqualTo(Json.parseOrNull("{\"queue\":\"retry\",\"messageIds\":[\"m-1\",\"m-9\"]}"));
        assertThat(r.err() + r.out()).contains("Moved 1 message back to the retry queue.").contains("m-9");
    }

    @Test
    void redriveWithoutIdsMovesAll() {
        api.on("POST", "/dead-letters/redrive", 200, "{\"queue\":\"monitor\",\"moved\":[],\"notFound\":[]}");

        cli.run("dead-letters:redrive", "--queue", "monitor");

        assertThat(Json.parseOrNull(api.last().body())).isEqualTo(Json.parseOrNull("{\"queue\":\"monitor\"}"));
    }
}

package dev.ferry.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The replay job queue's wire format, pinned. */
class ReplayJobMessageTest {

    @Test
    void aMessageIsTheJobId() {
        assertThat(ReplayJobMessage.CODEC.write(new ReplayJobMessage("rpj_01JABC"))).isEqualTo("{\"replayJobId\":\"rpj_01JABC\"}");
        assertThat(ReplayJobMessage.CODEC.read("{\"replayJobId\": \"rpj_sample\", \"other\": true}"))
                .isEqualTo(new ReplayJobMessage("rpj_sample"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[]", "{}", "{\"replayJobId\":1}", "{\"replayJobId\":\"a/b\"}", "{\"executionId\":\"exe_1\"}"})
    void aBodyThatIsNotAJobMessageIsMalformed(String body) {
        assertThatThrownBy(() -> ReplayJobMessage.CODEC.read(body)).isInstanceOf(MalformedMessageException.class);
    }
}

package dev.ferry.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The execution queue's wire format, pinned: these bodies are in flight across a deployment. */
class ExecutionMessageTest {

    @Test
    void eachMessageIsAnObjectWithOneField() {
        assertThat(ExecutionMessage.CODEC.write(new ExecutionMessage.Run("exe_01JABC"))).isEqualTo("{\"executionId\":\"exe_01JABC\"}");
        assertThat(ExecutionMessage.CODEC.write(new ExecutionMessage.ReleaseHeld("ins_01JABC")))
                .isEqualTo("{\"releaseHeldOf\":\"ins_01JABC\"}");
        assertThat(ExecutionMessage.CODEC.write(new ExecutionMessage.ContinueDeletion("ins_01JABC")))
                .isEqualTo("{\"deleteInstance\":\"ins_01JABC\"}");
    }

    @Test
    void bodiesAreReadAsTheirMessages() {
        assertThat(ExecutionMessage.CODEC.read("{\"executionId\": \"exe_sample_queued\"}"))
                .isEqualTo(new ExecutionMessage.Run("exe_sample_queued"));
        assertThat(ExecutionMessage.CODEC.read("{\"releaseHeldOf\":\"ins_sample\"}"))
                .isEqualTo(new ExecutionMessage.ReleaseHeld("ins_sample"));
        assertThat(ExecutionMessage.CODEC.read("{\"deleteInstance\":\"ins_sample\"}"))
                .isEqualTo(new ExecutionMessage.ContinueDeletion("ins_sample"));
    }

    @Test
    void aReleaseWinsOverADeletionWhichWinsOverAnExecutionAndUnknownFieldsAreIgnored() {
        assertThat(ExecutionMessage.CODEC.read("{\"executionId\":\"exe_1\",\"releaseHeldOf\":\"ins_1\",\"deleteInstance\":\"ins_2\"}"))
                .isEqualTo(new ExecutionMessage.ReleaseHeld("ins_1"));
        assertThat(ExecutionMessage.CODEC.read("{\"executionId\":\"exe_1\",\"deleteInstance\":\"ins_2\"}"))
                .isEqualTo(new ExecutionMessage.ContinueDeletion("ins_2"));
        assertThat(ExecutionMessage.CODEC.read("{\"executionId\":\"exe_1\",\"dueAt\":\"2026-11-27T10:00:00Z\",\"extra\":[1]}"))
                .isEqualTo(new ExecutionMessage.Run("exe_1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "", "null", "[]", "\"exe_1\"", "{}", "{\"executionId\":5}", "{\"executionId\":\"\"}",
            "{\"executionId\":\"a b\"}", "{\"executionId\":\"../x\"}", "{\"releaseHeldOf\":null}", "{\"releaseHeldOf\":\"  \"}",
            "{\"deleteInstance\":7}"})
    void aBodyThatIsNoneOfThemIsMalformed(String body) {
        assertThatThrownBy(() -> ExecutionMessage.CODEC.read(body)).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void anIdOverOneHundredCharactersIsMalformed() {
        assertThat(ExecutionMessage.CODEC.read("{\"executionId\":\"" + "x".repeat(100) + "\"}"))
                .isEqualTo(new ExecutionMessage.Run("x".repeat(100)));
        assertThatThrownBy(() -> ExecutionMessage.CODEC.read("{\"executionId\":\"" + "x".repeat(101) + "\"}"))
                .isInstanceOf(MalformedMessageException.class);
        assertThatThrownBy(() -> ExecutionMessage.CODEC.read("{\"releaseHeldOf\":\"" + "x".repeat(101) + "\"}"))
                .isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void aMessageWithoutItsIdCannotBeMade() {
        assertThatThrownBy(() -> new ExecutionMessage.Run(null)).isInstanceOf(MalformedMessageException.class);
        assertThatThrownBy(() -> new ExecutionMessage.ReleaseHeld("")).isInstanceOf(MalformedMessageException.class);
        assertThatThrownBy(() -> new ExecutionMessage.ContinueDeletion(null)).isInstanceOf(MalformedMessageException.class);
    }
}

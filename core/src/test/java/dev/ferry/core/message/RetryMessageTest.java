package dev.ferry.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The retry queue's wire format, pinned. */
class RetryMessageTest {

    @Test
    void aMessageIsItsExecutionAndDueTime() {
        assertThat(RetryMessage.CODEC.write(new RetryMessage("exe_01JABC", Instant.parse("2026-11-27T10:00:00Z"))))
                .isEqualTo("{\"executionId\":\"exe_01JABC\",\"dueAt\":\"2026-11-27T10:00:00Z\"}");
        assertThat(RetryMessage.CODEC.write(new RetryMessage("exe_01JABC", Instant.parse("2026-11-27T10:00:00.123Z"))))
                .isEqualTo("{\"executionId\":\"exe_01JABC\",\"dueAt\":\"2026-11-27T10:00:00.123Z\"}");
    }

    @Test
    void bodiesAreReadWithTheirExactDueTime() {
        assertThat(RetryMessage.CODEC.read("{\"executionId\":\"exe_sample_original\",\"dueAt\":\"2026-11-26T09:59:58Z\"}"))
                .isEqualTo(new RetryMessage("exe_sample_original", Instant.parse("2026-11-26T09:59:58Z")));
        assertThat(RetryMessage.CODEC.read("{\"dueAt\": \"2026-11-27T10:00:00.123456789Z\", \"executionId\": \"exe_1\", \"x\": 1}"))
                .isEqualTo(new RetryMessage("exe_1", Instant.parse("2026-11-27T10:00:00.123456789Z")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{}", "{\"executionId\":\"exe_1\"}", "{\"executionId\":\"exe_1\",\"dueAt\":\"tomorrow\"}",
            "{\"dueAt\":\"2026-11-27T10:00:00Z\"}", "{\"executionId\":\" \",\"dueAt\":\"2026-11-27T10:00:00Z\"}"})
    void aBodyThatIsNotARetryMessageIsMalformed(String body) {
        assertThatThrownBy(() -> RetryMessage.CODEC.read(body)).isInstanceOf(MalformedMessageException.class);
    }
}

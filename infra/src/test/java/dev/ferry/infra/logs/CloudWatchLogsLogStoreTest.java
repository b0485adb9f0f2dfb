package dev.ferry.infra.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.json.Json;
import dev.ferry.core.model.LogLine;
import dev.ferry.core.model.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;

class CloudWatchLogsLogStoreTest {
    @Test
    void retentionIsRoundedUpToAValueCloudWatchAccepts() {
        assertThat(CloudWatchLogsLogStore.retentionFor(14)).isEqualTo(14);
        assertThat(CloudWatchLogsLogStore.retentionFor(10)).isEqualTo(14);
        assertThat(CloudWatchLogsLogStore.retentionFor(2)).isEqualTo(3);
        assertThat(CloudWatchLogsLogStore.retentionFor(0)).isEqualTo(1);
        assertThat(CloudWatchLogsLogStore.retentionFor(100)).isEqualTo(120);
        assertThat(CloudWatchLogsLogStore.retentionFor(100_000)).isEqualTo(3653);
    }

    @Test
    void batchesStayWithinCountBytesAndSpan() {
        List<InputLogEvent> events = new ArrayList<>();
        for (int i = 0; i < 25_000; i++) events.add(event(i, "x"));
        assertThat(CloudWatchLogsLogStore.batches(events)).extracting(List::size).containsExactly(10_000, 10_000, 5_000);

        List<InputLogEvent> big = new ArrayList<>();
        for (int i = 0; i < 10; i++) big.add(event(i, "y".repeat(200_000)));
        assertThat(CloudWatchLogsLogStore.batches(big)).extracting(List::size).containsExactly(5, 5);

        List<InputLogEvent> spread = List.of(event(0, "a"), event(1, "b"), event(25L * 3600 * 1000, "c"));
        assertThat(CloudWatchLogsLogStore.batches(spread)).extracting(List::size).containsExactly(2, 1);
    }

    @Test
    void messageIsAJsonLineWithTheCorrelationIds() {
        LogLine line = new LogLine(Instant.parse("2025-06-01T10:00:00.123456Z"), Severity.WARN, "slow", "ins_1", "exe_1",
                "flc_1", "fetch", 2);

        var json = Json.tree(CloudWatchLogsLogStore.toMessage(line));

        assertThat(json.get("severity").asText()).isEqualTo("WARN");
        assertThat(json.get("executionId").asText()).isEqualTo("exe_1");
        assertThat(json.get("flowConfigId").asText()).isEqualTo("flc_1");
        assertThat(json.get("step").asText()).isEqualTo("fetch");
        assertThat(json.get("attempt").asInt()).isEqualTo(2);
    }

    /**
     * What is stored: the event carries the time to the millisecond and its stream is named by the
     * instance, so the message holds neither — only the nanoseconds past the millisecond, and no key
     * whose value is null but the execution id's — and reads back as the line written.
     */
    @Test
    void theStoredLineLeavesTheTimeAndTheInstanceToItsEvent() {
        LogLine line = new LogLine(Instant.parse("2025-06-01T10:00:00.123456789Z"), Severity.WARN, "slow", "ins_1", "exe_1",
                "flc_1", "fetch", 2);
        LogLine start = new LogLine(Instant.parse("2025-06-01T10:00:00.124Z"), Severity.INFO, "execution started", "ins_1",
                "exe_1", "flc_1", null, 1);

        List<InputLogEvent> events = CloudWatchLogsLogStore.events(List.of(line, start));

        assertThat(events).extracting(InputLogEvent::timestamp).containsExactly(1748772000123L, 1748772000124L);
        assertThat(events).extracting(InputLogEvent::message).containsExactly(
                "{\"severity\":\"WARN\",\"message\":\"slow\",\"executionId\":\"exe_1\",\"flowConfigId\":\"flc_1\","
                        + "\"step\":\"fetch\",\"attempt\":2,\"nanos\":456789}",
                "{\"severity\":\"INFO\",\"message\":\"execution started\",\"executionId\":\"exe_1\","
                        + "\"flowConfigId\":\"flc_1\",\"attempt\":1}");
        for (int i = 0; i < 2; i++) {
            OutputLogEvent stored = OutputLogEvent.builder().timestamp(events.get(i).timestamp()).message(events.get(i).message()).build();
            assertThat(CloudWatchLogsLogStore.fromMessage(stored, "ins_1", null)).isEqualTo(List.of(line, start).get(i));
        }
        LogLine bare = new LogLine(Instant.parse("2025-06-01T10:00:00Z"), null, null, "ins_1", null, null, null, 0);
        assertThat(CloudWatchLogsLogStore.toMessage(bare))
                .isEqualTo("{\"severity\":null,\"message\":null,\"executionId\":null,\"attempt\":0}");
        assertThat(CloudWatchLogsLogStore.fromMessage(OutputLogEvent.builder().timestamp(1748772000000L)
                .message(CloudWatchLogsLogStore.toMessage(bare)).build(), "ins_1", null))
                .isEqualTo(new LogLine(bare.timestamp(), Severity.INFO, null, "ins_1", null, null, null, 0));
    }

    /** Lines stored before carry their own time and instance, and are read as they were written. */
    @Test
    void aLineStoredInTheEarlierShapeReadsAsWritten() {
        String earlier = "{\"timestamp\":\"2025-06-01T10:00:00.123456Z\",\"severity\":\"WARN\",\"message\":\"slow\","
                + "\"instanceId\":\"ins_1\",\"executionId\":\"exe_1\",\"flowConfigId\":\"flc_1\",\"step\":null,\"attempt\":2}";
        OutputLogEvent ev = OutputLogEvent.builder().timestamp(1748772000123L).message(earlier).build();

        assertThat(CloudWatchLogsLogStore.fromMessage(ev, "ins_1", null)).isEqualTo(new LogLine(
                Instant.parse("2025-06-01T10:00:00.123456Z"), Severity.WARN, "slow", "ins_1", "exe_1", "flc_1", null, 2));
    }

    @Test
    void hugeMessageIsCutToFitOneEvent() {
        LogLine line = new LogLine(Instant.now(), Severity.INFO, "z".repeat(400_000), "ins_1", "exe_1", null, null, 1);

        String message = CloudWatchLogsLogStore.toMessage(line);

        assertThat(message.length()).isLessThanOrEqualTo(CloudWatchLogsLogStore.MAX_EVENT_BYTES);
        assertThat(Json.tree(message).get("message").asText()).endsWith("[truncated]");
    }

    @Test
    void plainTextEventReadsAsAnInfoLine() {
        OutputLogEvent ev = OutputLogEvent.builder().timestamp(1000L).message("not json").build();

        LogLine line = CloudWatchLogsLogStore.fromMessage(ev, "ins_1", "exe_1");

        assertThat(line).isEqualTo(new LogLine(Instant.ofEpochMilli(1000), Severity.INFO, "not json", "ins_1", "exe_1",
                null, null, 0));
    }

    private static InputLogEvent event(long ts, String message) {
        return InputLogEvent.builder().timestamp(ts).message(message).build();
    }
}

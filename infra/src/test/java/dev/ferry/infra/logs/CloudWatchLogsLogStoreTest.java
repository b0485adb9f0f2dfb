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

        assertThat(json.get("timestamp").asText()).isEqualTo("2025-06-01T10:00:00.123456Z");
        assertThat(json.get("severity").asText()).isEqualTo("WARN");
        assertThat(json.get("instanceId").asText()).isEqualTo("ins_1");
        assertThat(json.get("executionId").asText()).isEqualTo("exe_1");
        assertThat(json.get("flowConfigId").asText()).isEqualTo("flc_1");
        assertThat(json.get("step").asText()).isEqualTo("fetch");
        assertThat(json.get("attempt").asInt()).isEqualTo(2);
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

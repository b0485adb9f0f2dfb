package dev.ferry.infra.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.DeadLetterQueue;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.Trigger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The embedded metric format lines, exactly as CloudWatch Logs reads them. */
class EmfMetricsTest {
    static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");
    final List<String> lines = new ArrayList<>();
    final EmfMetrics metrics = new EmfMetrics("Ferry/prod", false, Clock.fixed(NOW, ZoneOffset.UTC), lines::add);

    static Execution execution(ExecutionStatus status, Trigger trigger, Instant nextRetryAt) {
        return Execution.builder().id("exe_1").instanceId("ins_01JAB").flowConfigId("flc_1").flow("Sync")
                .trigger(trigger).status(ExecutionStatus.RUNNING).startedAt(NOW.minusMillis(1234)).nextRetryAt(nextRetryAt)
                .build().toBuilder().end(status, NOW).build();
    }

    @Test
    void anEndedExecutionIsOneLineCountedByStatusAndTriggerWithItsDuration() {
        metrics.executionEnded(execution(ExecutionStatus.SUCCEEDED, Trigger.WEBHOOK, null));

        assertThat(lines).containsExactly("{\"_aws\":{\"Timestamp\":1796378400000,\"CloudWatchMetrics\":[{\"Namespace\":\"Ferry/prod\","
                + "\"Dimensions\":[[\"Status\"],[\"Status\",\"Trigger\"]],"
                + "\"Metrics\":[{\"Name\":\"Executions\",\"Unit\":\"Count\"},{\"Name\":\"Duration\",\"Unit\":\"Milliseconds\"}]}]},"
                + "\"Status\":\"SUCCEEDED\",\"Trigger\":\"WEBHOOK\",\"InstanceId\":\"ins_01JAB\",\"Executions\":1,\"Duration\":1234}");
        assertValidEmf(lines.get(0));
    }

    @Test
    void aFailureWithARetryScheduledCountsTheRetryInTheSameLine() {
        metrics.executionEnded(execution(ExecutionStatus.FAILED, Trigger.SCHEDULE, NOW.plusSeconds(60)));

        JsonNode line = Json.tree(lines.get(0));
        assertThat(line.at("/_aws/CloudWatchMetrics/0/Metrics").toString())
                .isEqualTo("[{\"Name\":\"Executions\",\"Unit\":\"Count\"},{\"Name\":\"Duration\",\"Unit\":\"Milliseconds\"},"
                        + "{\"Name\":\"RetriesScheduled\",\"Unit\":\"Count\"}]");
        assertThat(line.get("Status").asText()).isEqualTo("FAILED");
        assertThat(line.get("Trigger").asText()).isEqualTo("SCHEDULE");
        assertThat(line.get("RetriesScheduled").asInt()).isEqualTo(1);
        assertValidEmf(lines.get(0));
    }

    @Test
    void theInstanceIsADimensionOnlyWhenAsked() {
        new EmfMetrics("Ferry/prod", true, Clock.fixed(NOW, ZoneOffset.UTC), lines::add)
                .executionEnded(execution(ExecutionStatus.FAILED, Trigger.WEBHOOK, null));

        assertThat(Json.tree(lines.get(0)).at("/_aws/CloudWatchMetrics/0/Dimensions").toString())
                .isEqualTo("[[\"Status\"],[\"Status\",\"Trigger\"],[\"InstanceId\",\"Status\"]]");
        assertValidEmf(lines.get(0));
    }

    @Test
    void replaysAlertsAndDeadLettersAreOneLineEach() {
        metrics.replaysCreated(100, true);
        metrics.replaysCreated(1, false);
        metrics.alertDelivery("email", true);
        metrics.alertDelivery("slack", false);
        metrics.deadLettered(DeadLetterQueue.REPLAY_JOB);

        String aws = "{\"_aws\":{\"Timestamp\":1796378400000,\"CloudWatchMetrics\":[{\"Namespace\":\"Ferry/prod\",";
        assertThat(lines).containsExactly(
                aws + "\"Dimensions\":[[\"Kind\"]],\"Metrics\":[{\"Name\":\"Replays\",\"Unit\":\"Count\"}]}]},\"Kind\":\"bulk\",\"Replays\":100}",
                aws + "\"Dimensions\":[[\"Kind\"]],\"Metrics\":[{\"Name\":\"Replays\",\"Unit\":\"Count\"}]}]},\"Kind\":\"single\",\"Replays\":1}",
                aws + "\"Dimensions\":[[\"ChannelType\"]],\"Metrics\":[{\"Name\":\"AlertsSent\",\"Unit\":\"Count\"}]}]},\"ChannelType\":\"email\",\"AlertsSent\":1}",
                aws + "\"Dimensions\":[[\"ChannelType\"]],\"Metrics\":[{\"Name\":\"AlertsFailed\",\"Unit\":\"Count\"}]}]},\"ChannelType\":\"slack\",\"AlertsFailed\":1}",
                aws + "\"Dimensions\":[[\"Queue\"]],\"Metrics\":[{\"Name\":\"DeadLetters\",\"Unit\":\"Count\"}]}]},\"Queue\":\"replay-job\",\"DeadLetters\":1}");
        lines.forEach(EmfMetricsTest::assertValidEmf);
    }

    @Test
    void anExecutionLineIsSmall() {
        metrics.executionEnded(execution(ExecutionStatus.FAILED, Trigger.REPLAY, NOW.plusSeconds(60)));

        assertThat(lines.get(0).getBytes(StandardCharsets.UTF_8).length).as(lines.get(0)).isLessThan(400);
    }

    @Test
    void aWriterThatFailsFailsNothing() {
        EmfMetrics broken = new EmfMetrics("Ferry/prod", false, Clock.fixed(NOW, ZoneOffset.UTC), line -> {
            throw new IllegalStateException("stdout closed");
        });

        broken.executionEnded(execution(ExecutionStatus.SUCCEEDED, Trigger.WEBHOOK, null));
        broken.deadLettered(DeadLetterQueue.EXECUTION);
    }

    /**
     * The rules of the EMF specification a line must keep for CloudWatch to extract it: one JSON object
     * on one line; _aws with a millisecond Timestamp and directives; each directive's namespace, at most
     * 30 keys per dimension set, each key a string at the root; each metric's value a number at the root.
     */
    static void assertValidEmf(String line) {
        assertThat(line).doesNotContain("\n");
        JsonNode root = Json.tree(line);
        JsonNode aws = root.get("_aws");
        assertThat(aws.get("Timestamp").isIntegralNumber()).isTrue();
        for (JsonNode directive : aws.get("CloudWatchMetrics")) {
            assertThat(directive.get("Namespace").asText()).isNotBlank();
            for (JsonNode set : directive.get("Dimensions")) {
                assertThat(set.size()).isBetween(1, 30);
                set.forEach(key -> {
                    JsonNode value = root.get(key.asText());
                    assertThat(value).as(key.asText()).isNotNull();
                    assertThat(value.isTextual()).as(key.asText()).isTrue();
                });
            }
            for (JsonNode metric : directive.get("Metrics")) {
                JsonNode value = root.get(metric.get("Name").asText());
                assertThat(value).as(metric.toString()).isNotNull();
                assertThat(value.isNumber()).as(metric.toString()).isTrue();
                assertThat(metric.get("Unit").asText()).isIn("Count", "Milliseconds");
            }
        }
    }
}

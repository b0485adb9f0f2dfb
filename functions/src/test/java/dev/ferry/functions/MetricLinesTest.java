package dev.ferry.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.Ferry;
import dev.ferry.core.json.Json;
import dev.ferry.core.testkit.FerryTestKit;
import dev.ferry.functions.execution.FlowExecutionFunction;
import dev.ferry.functions.monitor.MonitorEvaluationFunction;
import dev.ferry.infra.metrics.EmfMetrics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The embedded metric format lines the handlers write as they work, with the metrics Wiring builds
 * from template.yaml's environment: an execution the queue ran, and a message that fails its last
 * receive (a dead letter) — but not one SQS will bring back.
 */
class MetricLinesTest {
    final FerryTestKit kit = SampleData.kit();
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    final Ferry ferry = new Ferry(kit.ferry.ports().toBuilder()
            .metrics(new EmfMetrics("Ferry/ferry", false, kit.clock, lines::add)).build(), kit.ferry.settings());

    static byte[] sqs(String body, int receiveCount) {
        return ("{\"Records\": [{\"messageId\": \"m-" + receiveCount + "\", \"receiptHandle\": \"r\", \"body\": "
                + Json.write(body) + ", \"attributes\": {\"ApproximateReceiveCount\": \"" + receiveCount + "\"},"
                + " \"eventSource\": \"aws:sqs\", \"eventSourceARN\": \"arn:aws:sqs:us-east-1:123456789012:q\"}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anExecutionTheQueueRanIsOneMetricLine() {
        SampleData.invoke(new FlowExecutionFunction(ferry), "flow-execution-sqs.json");

        assertThat(lines).hasSize(1);
        JsonNode line = Json.tree(lines.get(0));
        assertThat(line.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo("Ferry/ferry");
        assertThat(line.at("/_aws/CloudWatchMetrics/0/Dimensions").toString()).isEqualTo("[[\"Status\"],[\"Status\",\"Trigger\"]]");
        assertThat(line.get("Status").asText()).isEqualTo("SUCCEEDED");
        assertThat(line.get("Trigger").asText()).isEqualTo("WEBHOOK");
        assertThat(line.get("InstanceId").asText()).isEqualTo(SampleData.INSTANCE);
        assertThat(line.get("Executions").asInt()).isEqualTo(1);
        assertThat(line.has("Duration")).isTrue();
    }

    @Test
    void aMessageFailingItsLastReceiveIsCountedAsADeadLetterOfItsQueue() {
        JsonNode early = SampleData.invoke(new MonitorEvaluationFunction(ferry), sqs("not a monitor event", 4));
        assertThat(early.get("batchItemFailures")).hasSize(1);
        assertThat(lines).as("SQS brings it back: not a dead letter yet").isEmpty();

        JsonNode last = SampleData.invoke(new MonitorEvaluationFunction(ferry), sqs("not a monitor event", 5));
        JsonNode execution = SampleData.invoke(new FlowExecutionFunction(ferry), sqs("{\"nope\": 1}", 7));

        assertThat(last.get("batchItemFailures")).hasSize(1);
        assertThat(execution.get("batchItemFailures")).hasSize(1);
        assertThat(lines).extracting(l -> Json.tree(l).get("Queue").asText() + " " + Json.tree(l).get("DeadLetters").asInt())
                .containsExactly("monitor 1", "execution 1");
        assertThat(Json.tree(lines.get(0)).at("/_aws/CloudWatchMetrics/0/Metrics").toString())
                .isEqualTo("[{\"Name\":\"DeadLetters\",\"Unit\":\"Count\"}]");
    }

    @Test
    void wiringWritesMetricsOnlyWhereTheTemplateGivesANamespace() {
        assertThat(Wiring.metrics(Map.of(), kit.clock)).isSameAs(dev.ferry.core.port.Metrics.NONE);
        assertThat(Wiring.metrics(Map.of("FERRY_METRICS_NAMESPACE", " "), kit.clock)).isSameAs(dev.ferry.core.port.Metrics.NONE);
        assertThat(Wiring.metrics(Map.of("FERRY_METRICS_NAMESPACE", "Ferry/prod"), kit.clock)).isInstanceOf(EmfMetrics.class);
    }
}

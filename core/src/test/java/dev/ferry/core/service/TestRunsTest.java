package dev.ferry.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.api.ApiResponse;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.LogLine;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.testkit.FerryTestKit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A flow config's test run is queued for FlowExecutionFunction, not run in the request: a run
 * still going after the request's wait is answered 202 with its id and runs from the queue, even
 * while the instance is paused; its log lines are written as they come.
 */
class TestRunsTest {
    private final FerryTestKit kit = new FerryTestKit();
    private final FerryTestKit.Demo demo = kit.seedDemo();

    @Test
    void aRunNotEndedWithinTheWaitIsAnswered202AndRunsFromTheExecutionQueue() {
        kit.runTestsAsSent = false; // as if FlowExecutionFunction took longer than the request waits
        long before = kit.clock.millis();

        ApiResponse r = kit.api("POST", "/flow-configs/" + demo.flowConfigId() + "/test", "{\"body\": {\"id\": 7}}");

        assertThat(r.status()).as(r.bodyText()).isEqualTo(202);
        JsonNode queued = FerryTestKit.json(r);
        String id = queued.get("id").asText();
        assertThat(queued.get("status").asText()).isEqualTo("QUEUED");
        assertThat(queued.get("trigger").asText()).isEqualTo("TEST");
        assertThat(kit.clock.millis() - before).as("the request waited 10 s, no more").isBetween(10_000L, 11_000L);
        assertThat(kit.httpRequests).as("the management function ran no step").isEmpty();
        assertThat(kit.queue.pending()).containsExactly(id);

        kit.drainQueue();

        assertThat(kit.executions.get(id).orElseThrow().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(kit.httpRequests).hasSize(1);
    }

    @Test
    void aRunEndingWithinTheWaitIsAnswered200FinishedEvenWhilePaused() {
        assertThat(kit.api("POST", "/instances/" + demo.instanceId() + "/pause", null).status()).isEqualTo(200);

        ApiResponse r = kit.api("POST", "/flow-configs/" + demo.flowConfigId() + "/test", "{\"body\": {\"id\": 7}}");

        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        assertThat(FerryTestKit.json(r).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(kit.executions.all()).singleElement().satisfies(e -> assertThat(e.trigger()).isEqualTo(Trigger.TEST));
    }

    @Test
    void aTestRunsLogLinesAreWrittenAsTheyComeNotAtTheEnd() {
        List<List<String>> seenAtHttpStep = new ArrayList<>();
        kit.httpHandler = request -> {
            String id = kit.executions.all().get(0).id();
            seenAtHttpStep.add(kit.logs.read(demo.instanceId(), id).stream().map(LogLine::message).toList());
            return kit.httpAnswer;
        };

        ApiResponse r = kit.api("POST", "/flow-configs/" + demo.flowConfigId() + "/test", "{\"body\": {\"id\": 7}}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(seenAtHttpStep).singleElement().satisfies(lines -> assertThat(lines)
                .anySatisfy(l -> assertThat(l).startsWith("execution started"))
                .anySatisfy(l -> assertThat(l).startsWith("order 7"))
                .noneSatisfy(l -> assertThat(l).startsWith("execution succeeded")));
    }
}

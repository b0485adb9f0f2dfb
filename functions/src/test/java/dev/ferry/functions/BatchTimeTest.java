package dev.ferry.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.testkit.FerryTestKit;
import dev.ferry.functions.execution.FlowExecutionFunction;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * FlowExecutionFunction takes up to 10 messages in one invocation of at most 900 s: a message is
 * started only while enough time is left; the unstarted ones are reported as batch item failures
 * (back on the queue for another invocation), never cut off by the function's timeout. The Lambda
 * context is a fake whose time left follows the test kit's clock, which a flow's sleep step advances.
 */
class BatchTimeTest {
    private final FerryTestKit kit = new FerryTestKit();
    private final FerryTestKit.Demo demo = kit.seed("""
            {"name": "Waits", "configVariables": [{"key": "apiBase"}, {"key": "apiKey", "secret": true}],
             "flows": [{"name": "Wait", "trigger": {"type": "webhook"},
               "steps": [{"name": "wait", "type": "sleep", "seconds": "{% $trigger.body.seconds %}"}]}]}
            """);

    @Test
    void afterAnExecutionOf800SecondsTheOthersAreNotStartedButReturnedToTheQueue() {
        List<String> ids = List.of(accept(800), accept(1), accept(1));

        JsonNode answer = invoke(ids, kit.clock.instant().plusSeconds(900));

        assertThat(status(ids.get(0))).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(answer.get("batchItemFailures")).extracting(f -> f.get("itemIdentifier").asText())
                .containsExactly("m-" + ids.get(1), "m-" + ids.get(2));
        assertThat(status(ids.get(1))).isEqualTo(ExecutionStatus.QUEUED);
        assertThat(status(ids.get(2))).isEqualTo(ExecutionStatus.QUEUED);
    }

    @Test
    void shortExecutionsAllRunWhileTimeIsLeft() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) ids.add(accept(30));

        JsonNode answer = invoke(ids, kit.clock.instant().plusSeconds(900));

        assertThat(answer.get("batchItemFailures")).isEmpty();
        assertThat(ids).allSatisfy(id -> assertThat(status(id)).isEqualTo(ExecutionStatus.SUCCEEDED));
    }

    @Test
    void aLongerExecutionIsNotStartedWhenLessThanTheLongestSoFarIsLeft() {
        List<String> ids = List.of(accept(310), accept(300), accept(1));

        JsonNode answer = invoke(ids, kit.clock.instant().plusSeconds(900));

        assertThat(status(ids.get(0))).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(status(ids.get(1))).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(answer.get("batchItemFailures")).extracting(f -> f.get("itemIdentifier").asText())
                .containsExactly("m-" + ids.get(2)); // 290 s left, 310 s needed, however short it may be
        assertThat(status(ids.get(2))).isEqualTo(ExecutionStatus.QUEUED);
    }

    @Test
    void withLessThanAMinuteLeftNothingIsStarted() {
        List<String> ids = List.of(accept(1));

        JsonNode answer = invoke(ids, kit.clock.instant().plusSeconds(59));

        assertThat(answer.get("batchItemFailures")).hasSize(1);
        assertThat(status(ids.get(0))).isEqualTo(ExecutionStatus.QUEUED);
    }

    private String accept(int seconds) {
        Execution e = kit.ferry.webhooks().accept(demo.token(), new ExecutionRequest("POST",
                ("{\"seconds\": " + seconds + "}").getBytes(StandardCharsets.UTF_8), Map.of(), Map.of(), "application/json"));
        kit.queue.drain();
        return e.id();
    }

    private ExecutionStatus status(String id) {
        return kit.executions.get(id).orElseThrow().status();
    }

    private JsonNode invoke(List<String> ids, Instant deadline) {
        StringBuilder records = new StringBuilder();
        for (String id : ids) {
            records.append(records.isEmpty() ? "" : ",").append("{\"messageId\":\"m-").append(id)
                    .append("\",\"body\":").append(Json.write(Json.write(Map.of("executionId", id))))
                    .append(",\"attributes\":{\"ApproximateReceiveCount\":\"1\"},\"eventSource\":\"aws:sqs\"}");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new FlowExecutionFunction(kit.ferry).handleRequest(new ByteArrayInputStream(
                ("{\"Records\":[" + records + "]}").getBytes(StandardCharsets.UTF_8)), out, new ClockContext(deadline));
        return Json.tree(out.toByteArray());
    }

    /** A Lambda context whose time left is its deadline less the kit's clock. */
    private final class ClockContext implements Context {
        private final Instant deadline;

        ClockContext(Instant deadline) {
            this.deadline = deadline;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return (int) Math.max(0, deadline.toEpochMilli() - kit.clock.instant().toEpochMilli());
        }

        @Override public String getAwsRequestId() { return "req-1"; }
        @Override public String getLogGroupName() { return "/aws/lambda/FlowExecutionFunction"; }
        @Override public String getLogStreamName() { return "stream"; }
        @Override public String getFunctionName() { return "FlowExecutionFunction"; }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:FlowExecutionFunction"; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getMemoryLimitInMB() { return 1024; }
        @Override public LambdaLogger getLogger() { return null; }
    }
}

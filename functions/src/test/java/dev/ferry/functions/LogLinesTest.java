package dev.ferry.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.Ferry;
import dev.ferry.core.json.Json;
import dev.ferry.core.log.Log;
import dev.ferry.core.port.ExecutionStore;
import dev.ferry.core.port.MonitorEventQueue;
import dev.ferry.core.testkit.FerryTestKit;
import dev.ferry.core.testkit.LogCapture;
import dev.ferry.functions.api.ManagementApiFunction;
import dev.ferry.functions.execution.FlowExecutionFunction;
import dev.ferry.functions.monitor.MonitorEvaluationFunction;
import dev.ferry.functions.retry.RetryDispatchFunction;
import dev.ferry.functions.schedule.ScheduledTriggerFunction;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the handlers log, as CloudWatch Logs receives it: one JSON object per line, each with the
 * invocation's function and request id and, once known, the execution's instance, flow config and
 * execution ids — and the lines that are the only trace of what happened (a dropped message, an
 * unhandled error's reference).
 */
class LogLinesTest {
    private static final String REQUEST_ID = "5f0c3b7e-8d2a-4c1f-9b6e-1a2b3c4d5e6f";

    private final FerryTestKit kit = SampleData.kit();
    private final LogCapture log = LogCapture.start();

    {
        kit.clock.advance(Duration.ofSeconds(1)); // the samples were queued before now
    }

    @AfterEach
    void stopCapturing() {
        log.close();
    }

    @Test
    void aMalformedRetryMessageIsDroppedWithAnErrorLineNamingTheMessage() {
        String event = new String(SampleData.event("retry-dispatch-sqs.json"))
                .replaceFirst("\\{\\\\\"executionId[^}]*}", "not json");

        invoke(new RetryDispatchFunction(kit.ferry), "RetryDispatchFunction", event.getBytes());

        assertThat(log.withMessage("dropped a message that is not a retry message")).singleElement().satisfies(l -> {
            assertThat(l.get("level").asText()).isEqualTo("ERROR");
            assertThat(l.get("messageId").asText()).isEqualTo("retry-1");
            assertThat(l.get("function").asText()).isEqualTo("RetryDispatchFunction");
            assertThat(l.get("requestId").asText()).isEqualTo(REQUEST_ID);
            assertThat(l.get("reason").asText()).isNotBlank();
        });
    }

    @Test
    void aRetryMessageLogsItsOutcomeWithItsExecution() {
        invoke(new RetryDispatchFunction(kit.ferry), "RetryDispatchFunction", SampleData.event("retry-dispatch-sqs.json"));

        assertThat(log.withMessage("retry message DISPATCHED")).singleElement().satisfies(l -> {
            assertThat(l.get("level").asText()).isEqualTo("INFO");
            assertThat(l.get("messageId").asText()).isEqualTo("retry-1");
            assertThat(l.get("executionId").asText()).isEqualTo(SampleData.ORIGINAL);
            assertThat(l.get("requestId").asText()).isEqualTo(REQUEST_ID);
        });
        assertThat(log.withMessage("retry message DEFERRED")).singleElement()
                .satisfies(l -> assertThat(l.get("messageId").asText()).isEqualTo("retry-2"));
    }

    @Test
    void anUnhandledErrorIsAnswered500AndLoggedUnderTheSameReference() {
        ExecutionStore broken = (ExecutionStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ExecutionStore.class}, (proxy, method, args) -> {
                    throw new IllegalStateException("executions table is on fire");
                });
        Ferry ferry = new Ferry(kit.ferry.ports().toBuilder().executions(broken).build(), kit.ferry.settings());

        JsonNode answer = invoke(new ManagementApiFunction(ferry), "ManagementApiFunction",
                SampleData.event("management-list-executions.json"));

        assertThat(answer.get("statusCode").asInt()).isEqualTo(500);
        String message = Json.tree(answer.get("body").asText()).get("error").get("message").asText();
        assertThat(message).matches("internal error \\(ref [0-9a-f]+\\)").doesNotContain("fire");
        String ref = message.replaceAll(".*ref ([0-9a-f]+).*", "$1");
        assertThat(log.withMessage("unhandled error")).singleElement().satisfies(l -> {
            assertThat(l.get("level").asText()).isEqualTo("ERROR");
            assertThat(l.get("ref").asText()).isEqualTo(ref);
            assertThat(l.get("type").asText()).isEqualTo(IllegalStateException.class.getName());
            assertThat(l.get("reason").asText()).isEqualTo("executions table is on fire");
            assertThat(l.get("function").asText()).isEqualTo("ManagementApiFunction");
            assertThat(l.get("requestId").asText()).isEqualTo(REQUEST_ID);
        });
    }

    @Test
    void aLineLoggedWhileRunningAnExecutionCarriesItsCorrelationKeys() {
        // A monitor of the run's start: its event is sent (and fails to be).
        assertThat(kit.api("POST", "/monitors", "{\"name\": \"Starts\", \"triggers\": [{\"type\": \"EXECUTION_STARTED\"}], "
                + "\"scope\": {\"instanceId\": \"" + SampleData.INSTANCE + "\"}, "
                + "\"channels\": [{\"type\": \"webhook\", \"url\": \"https://alerts.example.test/hook\"}]}").status())
                .isEqualTo(201);
        MonitorEventQueue down = (message, delay) -> {
            throw new IllegalStateException("monitor queue unreachable");
        };
        Ferry ferry = new Ferry(kit.ferry.ports().toBuilder().monitorEvents(down).build(), kit.ferry.settings());

        invoke(new FlowExecutionFunction(ferry), "FlowExecutionFunction", SampleData.event("flow-execution-sqs.json"));

        assertThat(log.withMessage("could not publish a monitor event")).isNotEmpty().allSatisfy(l -> {
            assertThat(l.get("level").asText()).isEqualTo("WARN");
            assertThat(l.get("function").asText()).isEqualTo("FlowExecutionFunction");
            assertThat(l.get("requestId").asText()).isEqualTo(REQUEST_ID);
            assertThat(l.get("messageId").asText()).isEqualTo("059f36b4-87a3-44ab-83d2-661975830a7d");
            assertThat(l.get("executionId").asText()).isEqualTo(SampleData.QUEUED);
            assertThat(l.get("instanceId").asText()).isEqualTo(SampleData.INSTANCE);
            assertThat(l.get("flowConfigId").asText()).isEqualTo(SampleData.FLOW_CONFIG);
            assertThat(l.get("reason").asText()).isEqualTo("monitor queue unreachable");
        });
        assertThat(Log.context()).as("the invocation's keys end with it").isEmpty();
    }

    @Test
    void aMonitorMessageThatCannotBeReadIsLoggedAsFailed() {
        invoke(new MonitorEvaluationFunction(kit.ferry), "MonitorEvaluationFunction",
                SampleData.event("monitor-evaluation-sqs-bad-message.json"));

        assertThat(log.withMessage("monitor event failed")).singleElement().satisfies(l -> {
            assertThat(l.get("level").asText()).isEqualTo("ERROR");
            assertThat(l.get("messageId").asText()).isEqualTo("d9a2f1c0-5b7e-4c1e-9f3a-0b6e2c7d8e11");
            assertThat(l.get("function").asText()).isEqualTo("MonitorEvaluationFunction");
        });
    }

    @Test
    void aScheduleTickLogsItsOutcome() {
        JsonNode answer = invoke(new ScheduledTriggerFunction(kit.ferry), "ScheduledTriggerFunction",
                SampleData.event("scheduled-trigger.json"));

        assertThat(log.withMessage("schedule tick")).singleElement().satisfies(l -> {
            assertThat(l.get("level").asText()).isEqualTo("INFO");
            assertThat(l.get("outcome").asText()).isEqualTo("QUEUED");
            assertThat(l.get("flowConfigId").asText()).isEqualTo(SampleData.SCHEDULED_FLOW_CONFIG);
            assertThat(l.get("executionId").asText()).isEqualTo(answer.get("executionId").asText());
            assertThat(l.get("function").asText()).isEqualTo("ScheduledTriggerFunction");
        });
    }

    @Test
    void everyLineIsOneJsonObjectWithALevelAndAMessage() {
        invoke(new RetryDispatchFunction(kit.ferry), "RetryDispatchFunction", SampleData.event("retry-dispatch-sqs.json"));
        invoke(new MonitorEvaluationFunction(kit.ferry), "MonitorEvaluationFunction",
                SampleData.event("monitor-evaluation-sqs-bad-message.json"));

        List<String> lines = log.text();
        assertThat(lines).isNotEmpty().allSatisfy(text -> {
            assertThat(text).doesNotContain("\n");
            JsonNode l = Json.tree(text);
            assertThat(l.isObject()).isTrue();
            assertThat(l.get("level").asText()).isIn("DEBUG", "INFO", "WARN", "ERROR");
            assertThat(l.get("message").asText()).isNotBlank();
        });
    }

    private static JsonNode invoke(RequestStreamHandler handler, String function, byte[] event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event), out, context(function));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Json.tree(out.toByteArray());
    }

    private static Context context(String function) {
        return new Context() {
            @Override public String getAwsRequestId() { return REQUEST_ID; }
            @Override public String getLogGroupName() { return "/aws/lambda/" + function; }
            @Override public String getLogStreamName() { return "2026/11/26/[1]0123456789abcdef"; }
            @Override public String getFunctionName() { return function; }
            @Override public String getFunctionVersion() { return "1"; }
            @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:" + function; }
            @Override public CognitoIdentity getIdentity() { return null; }
            @Override public ClientContext getClientContext() { return null; }
            @Override public int getRemainingTimeInMillis() { return 60_000; }
            @Override public int getMemoryLimitInMB() { return 512; }
            @Override public LambdaLogger getLogger() { return null; }
        };
    }
}

package dev.ferry.functions.execution;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.Ferry;
import dev.ferry.core.api.Views;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.log.Log;
import dev.ferry.core.message.ExecutionMessage;
import dev.ferry.core.model.DeadLetterQueue;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.functions.DirectEvents;
import dev.ferry.functions.LambdaIo;
import dev.ferry.functions.SqsBatchResponse;
import dev.ferry.functions.SqsEvent;
import dev.ferry.functions.Wiring;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Serves the execution queue's {@link ExecutionMessage}s (partial batch failures: only failed
 * messages come back, after 30 s, 2 min, 8 min, then 15 min rather than the queue's 90-minute
 * visibility timeout): runs an execution, releases an unpaused instance's held executions (the rest
 * of an unpause), or goes on deleting an instance (the rest of a {@code DELETE /instances/{id}} that
 * did not finish in its request). A body that is not one of them fails, so it ends in the dead-letter
 * queue. Directly: {@code {"flowConfigId": …, "test": {"body", "headers", "contentType"}}}.
 *
 * <p>A batch holds up to 10 messages and the invocation at most the function's timeout: a message
 * is started only while the time left is at least {@link #MIN_TIME_TO_START} and at least the
 * longest message of the batch so far took; the unstarted ones are reported as failed, so one long
 * execution does not time the whole batch out.
 */
public final class FlowExecutionFunction implements RequestStreamHandler {

    /** The least time left in the invocation for a message of the batch to be started. */
    public static final java.time.Duration MIN_TIME_TO_START = java.time.Duration.ofSeconds(60);

    private final Ferry ferry;

    public FlowExecutionFunction() {
        this(Wiring.ferry());
    }

    public FlowExecutionFunction(Ferry ferry) {
        this.ferry = ferry;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        try (Log.Scope invocation = LambdaIo.logScope(context)) {
            handle(input, output, context);
        }
    }

    private void handle(InputStream input, OutputStream output, Context context) {
        try {
            JsonNode event = LambdaIo.readTree(input);
            if (LambdaIo.isSqsEvent(event)) {
                LambdaIo.write(output, runBatch(LambdaIo.sqsEvent(event), context));
            } else {
                LambdaIo.write(output, runTest(event));
            }
        } catch (ValidationException notAnEvent) {
            LambdaIo.write(output, DirectEvents.error(notAnEvent));
        }
    }

    private SqsBatchResponse runBatch(SqsEvent event, Context context) {
        return SqsBatchResponse.handleEach(event, "execution message", DeadLetterQueue.EXECUTION,
                ferry.ports().metrics(), m -> {
            switch (ExecutionMessage.CODEC.read(m.body())) {
                case ExecutionMessage.Run run -> ferry.runner().run(run.executionId(), m.messageId());
                case ExecutionMessage.ReleaseHeld release -> ferry.pauses().continueRelease(release.instanceId());
                case ExecutionMessage.ContinueDeletion deletion -> ferry.deletions().continueDeletion(deletion.instanceId());
            }
        }, failed -> ferry.ports().queue().redeliverAfter(failed.receiptHandle(),
                SqsBatchResponse.redeliveryDelay(failed.receiveCount())),
                context == null ? null : () -> context.getRemainingTimeInMillis(), MIN_TIME_TO_START);
    }

    private Object runTest(JsonNode event) {
        try {
            String flowConfigId = DirectEvents.requiredText(event, "flowConfigId");
            ExecutionRequest request = DirectEvents.testRequest(event.get("test"));
            return Views.execution(ferry.runner().runTest(flowConfigId, request), true);
        } catch (RuntimeException e) {
            return DirectEvents.error(e);
        }
    }
}

package dev.ferry.functions.execution;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.Ferry;
import dev.ferry.core.api.Views;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.functions.DirectEvents;
import dev.ferry.functions.LambdaIo;
import dev.ferry.functions.SqsBatchResponse;
import dev.ferry.functions.SqsEvent;
import dev.ferry.functions.Wiring;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Runs executions from the execution queue (partial batch failures: only failed messages come
 * back, after 30 s, 2 min, 8 min, then 15 min rather than the queue's 90-minute visibility
 * timeout), or directly: {@code {"flowConfigId": …, "test": {"body", "headers", "contentType"}}}.
 * The queue also carries {@code {"releaseHeldOf": "<instanceId>"}}: the rest of an unpause's
 * release of held executions, and {@code {"deleteInstance": "<instanceId>"}}: the rest of an
 * instance's deletion ({@code DELETE /instances/{id}} that did not finish in its request).
 */
public final class FlowExecutionFunction implements RequestStreamHandler {
    /** The field of a release request message (as {@code SqsExecutionQueue} writes it). */
    static final String RELEASE_HELD_OF = "releaseHeldOf";
    /** The field of a deletion request message: the rest of an instance's deletion. */
    static final String DELETE_INSTANCE = "deleteInstance";

    private final Ferry ferry;

    public FlowExecutionFunction() {
        this(Wiring.ferry());
    }

    public FlowExecutionFunction(Ferry ferry) {
        this.ferry = ferry;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        try {
            JsonNode event = LambdaIo.readTree(input);
            if (LambdaIo.isSqsEvent(event)) {
                LambdaIo.write(output, runBatch(LambdaIo.sqsEvent(event)));
            } else {
                LambdaIo.write(output, runTest(event));
            }
        } catch (ValidationException notAnEvent) {
            LambdaIo.write(output, DirectEvents.error(notAnEvent));
        }
    }

    private SqsBatchResponse runBatch(SqsEvent event) {
        return SqsBatchResponse.handleEach(event, "execution message", m -> {
            JsonNode body = Json.tree(m.body());
            if (body.has(RELEASE_HELD_OF)) ferry.pauses().continueRelease(DirectEvents.requiredText(body, RELEASE_HELD_OF));
            else if (body.has(DELETE_INSTANCE)) ferry.deletions().continueDeletion(DirectEvents.requiredText(body, DELETE_INSTANCE));
            else ferry.runner().run(DirectEvents.executionId(body), m.messageId());
        }, failed -> ferry.ports().queue().redeliverAfter(failed.receiptHandle(),
                SqsBatchResponse.redeliveryDelay(failed.receiveCount())));
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

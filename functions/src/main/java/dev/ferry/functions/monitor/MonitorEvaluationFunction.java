package dev.ferry.functions.monitor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.Ferry;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.log.Log;
import dev.ferry.core.message.MonitorMessage;
import dev.ferry.core.service.MonitorEvaluator;
import dev.ferry.functions.DirectEvents;
import dev.ferry.functions.LambdaIo;
import dev.ferry.functions.SqsBatchResponse;
import dev.ferry.functions.SqsEvent;
import dev.ferry.functions.Wiring;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Evaluates alert monitors: the monitor queue's execution and instance events and delivery
 * retries (partial batch failures: only failed messages come back), and the sweep — the
 * template's every-minute {@code ScheduleV2} event, or directly {@code {"sweep": true}}.
 */
public final class MonitorEvaluationFunction implements RequestStreamHandler {
    private final Ferry ferry;

    public MonitorEvaluationFunction() {
        this(Wiring.ferry());
    }

    public MonitorEvaluationFunction(Ferry ferry) {
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
                LambdaIo.write(output, evaluate(LambdaIo.sqsEvent(event)));
            } else {
                LambdaIo.write(output, sweep(event));
            }
        } catch (ValidationException notAnEvent) {
            LambdaIo.write(output, DirectEvents.error(notAnEvent));
        }
    }

    private SqsBatchResponse evaluate(SqsEvent event) {
        return SqsBatchResponse.handleEach(event, "monitor event",
                m -> ferry.monitors().handle(MonitorMessage.CODEC.read(m.body())));
    }

    private Object sweep(JsonNode event) {
        try {
            if (!event.path("sweep").asBoolean(false)) {
                throw new ValidationException("sweep", "send {\"sweep\": true} to evaluate the time-based monitors now");
            }
            return MonitorEvaluator.describe(ferry.monitors().sweep());
        } catch (RuntimeException e) {
            return DirectEvents.error(e);
        }
    }
}

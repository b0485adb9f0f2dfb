package dev.ferry.functions.retry;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.ferry.core.Ferry;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.log.Log;
import dev.ferry.core.message.MalformedMessageException;
import dev.ferry.core.message.RetryMessage;
import dev.ferry.core.service.RetryDispatcher;
import dev.ferry.functions.DirectEvents;
import dev.ferry.functions.LambdaIo;
import dev.ferry.functions.SqsBatchResponse;
import dev.ferry.functions.SqsEvent;
import dev.ferry.functions.Wiring;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The retry queue's consumer: each message is a pending retry; one that is due becomes a RETRY
 * execution on the execution queue, one that is not is sent again with the remaining delay (partial
 * batch failures: only messages that could not be handled come back). A message that is not a
 * retry message is logged and dropped, so it cannot block the queue.
 */
public final class RetryDispatchFunction implements RequestStreamHandler {
    private final RetryDispatcher dispatcher;

    public RetryDispatchFunction() {
        this(Wiring.ferry());
    }

    public RetryDispatchFunction(Ferry ferry) {
        this.dispatcher = ferry.retryDispatcher();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        try (Log.Scope invocation = LambdaIo.logScope(context)) {
            handle(input, output, context);
        }
    }

    private void handle(InputStream input, OutputStream output, Context context) {
        SqsEvent event;
        try {
            event = LambdaIo.sqsEvent(LambdaIo.readTree(input));
        } catch (ValidationException notAnEvent) {
            LambdaIo.write(output, DirectEvents.error(notAnEvent));
            return;
        }
        LambdaIo.write(output, SqsBatchResponse.handleEach(event, "retry message", m -> {
            RetryMessage message;
            try {
                message = RetryMessage.CODEC.read(m.body());
            } catch (MalformedMessageException notARetry) { // never valid: bringing it back would not help
                log("ERROR", "dropped a message that is not a retry message", m, notARetry);
                return;
            }
            try (Log.Scope about = Log.with(Log.EXECUTION_ID, message.executionId())) {
                log("INFO", "retry message " + dispatcher.dispatch(message), m, null);
            }
        }));
    }

    private static void log(String level, String message, SqsEvent.Message m, RuntimeException e) {
        Log.write(Log.Level.valueOf(level), message, "messageId", m.messageId(), "reason", e == null ? null : String.valueOf(e.getMessage()));
    }
}

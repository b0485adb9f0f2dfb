package dev.ferry.functions.replay;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.Ferry;
import dev.ferry.core.api.ReplayJobInput;
import dev.ferry.core.api.Views;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.log.Log;
import dev.ferry.core.message.ReplayJobMessage;
import dev.ferry.core.model.Execution;
import dev.ferry.functions.DirectEvents;
import dev.ferry.functions.LambdaIo;
import dev.ferry.functions.SqsBatchResponse;
import dev.ferry.functions.SqsEvent;
import dev.ferry.functions.Wiring;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Replays: the HTTP routes {@code POST /executions/{id}/replay} and {@code /replays…}; direct
 * invocation with {@code {"executionId": …, "body"?: …}} (answers {@code {"executionId", "status",
 * "replayOf"}}) or {@code {"filter": {…}, "dryRun"?, "name"?, "ratePerSecond"?}} (answers the bulk
 * job, or its count for a dry run); and the replay job queue, whose messages {@code {"replayJobId"}}
 * it works through until the job ends or the invocation nears its timeout (then the job is queued
 * again and goes on from its checkpoint).
 */
public final class ReplayFunction implements RequestStreamHandler {
    /** Time kept back from the invocation's timeout for the last chunk and the checkpoint. */
    static final Duration JOB_MARGIN = Duration.ofSeconds(60);

    private final Ferry ferry;

    public ReplayFunction() {
        this(Wiring.ferry());
    }

    public ReplayFunction(Ferry ferry) {
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
            if (LambdaIo.isHttpApiEvent(event)) {
                var request = LambdaIo.apiRequest(LambdaIo.httpApiEvent(event));
                LambdaIo.write(output, LambdaIo.httpApiResponse(ferry.api().handle(request)));
            } else if (LambdaIo.isSqsEvent(event)) {
                LambdaIo.write(output, workJobs(LambdaIo.sqsEvent(event), context));
            } else {
                LambdaIo.write(output, replayDirect(event));
            }
        } catch (ValidationException notAnEvent) {
            LambdaIo.write(output, DirectEvents.error(notAnEvent));
        }
    }

    private SqsBatchResponse workJobs(SqsEvent event, Context context) {
        long remainingMs = context == null ? 900_000 : context.getRemainingTimeInMillis();
        Instant deadline = ferry.ports().clock().instant().plusMillis(remainingMs).minus(JOB_MARGIN);
        return SqsBatchResponse.handleEach(event, "replay job message",
                m -> {
                    String jobId = ReplayJobMessage.CODEC.read(m.body()).replayJobId();
                    try (Log.Scope about = Log.with("replayJobId", jobId)) {
                        ferry.replayJobs().work(jobId, deadline);
                    }
                });
    }

    private Object replayDirect(JsonNode event) {
        try {
            if (event.has("filter")) {
                if (!event.isObject()) throw new ValidationException("event", "must be a JSON object");
                ReplayJobInput in = ReplayJobInput.parse((ObjectNode) event);
                return Views.replayJob(ferry.replayJobs().start(in.filter(), in.name(), in.ratePerSecond(), in.dryRun()));
            }
            String id = DirectEvents.requiredText(event, "executionId");
            Execution replay = ferry.replays().replay(id, DirectEvents.optionalBody(event.get("body")));
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("executionId", replay.id());
            answer.put("status", replay.status());
            answer.put("replayOf", replay.replayOf());
            return answer;
        } catch (RuntimeException e) {
            return DirectEvents.error(e);
        }
    }
}

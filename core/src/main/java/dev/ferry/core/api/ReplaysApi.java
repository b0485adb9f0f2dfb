package dev.ferry.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.Execution;
import dev.ferry.core.service.Quotas;
import dev.ferry.core.service.ReplayJobs;
import dev.ferry.core.service.ReplayService;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The replay routes: one execution ({@code POST /executions/{id}/replay}) and bulk replay jobs
 * ({@code POST /replays}, {@code GET /replays/{id}}, {@code POST /replays/{id}/cancel}).
 */
public final class ReplaysApi {
    private final ReplayService replays;
    private final ReplayJobs replayJobs;
    private final Quotas quotas;

    public ReplaysApi(ReplayService replays, ReplayJobs replayJobs, Quotas quotas) {
        this.quotas = quotas;
        this.replays = replays;
        this.replayJobs = replayJobs;
    }

    /** {@code POST /executions/{id}/replay {"body"?}}: 202 with the new execution's id and status. */
    ApiResponse replay(Call call) {
        ObjectNode body = Input.objectOrEmpty(call.request());
        Input in = new Input();
        in.onlyFields(body, "body");
        in.check();
        JsonNode payload = body.get("body");
        byte[] bytes = payload == null || payload.isNull() ? null
                : payload.isTextual() ? payload.asText().getBytes(StandardCharsets.UTF_8) : Json.writeBytes(payload);
        Execution replay = replays.replay(call.id(), bytes);
        Map<String, Object> answer = new HashMap<>();
        answer.put("executionId", replay.id());
        answer.put("status", replay.status());
        return ApiResponse.json(202, answer);
    }

    /** {@code POST /replays}: 202 with the started job, or 200 with the count for a dry run. */
    ApiResponse startJob(Call call) {
        ReplayJobInput in = ReplayJobInput.parse(Input.object(call.request()));
        if (!in.dryRun()) quotas.beforeBulkJob(call.customerId());
        var job = replayJobs.start(in.filter(), in.name(), in.ratePerSecond(), in.dryRun());
        if (!in.dryRun()) quotas.bulkJobStarted(call.customerId(), job.id(), job.expiresAt());
        return ApiResponse.json(in.dryRun() ? 200 : 202, Views.replayJob(job));
    }

    ApiResponse getJob(Call call) {
        return ApiResponse.json(200, Views.replayJob(replayJobs.get(call.id())));
    }

    ApiResponse cancelJob(Call call) {
        return ApiResponse.json(200, Views.replayJob(replayJobs.cancel(call.id())));
    }
}

package dev.ferry.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.Page;
import dev.ferry.core.model.ReplayJob;
import dev.ferry.core.model.ReplayJobKind;
import dev.ferry.core.service.Cancellations;
import dev.ferry.core.service.Quotas;
import dev.ferry.core.service.ReplayJobs;
import dev.ferry.core.service.ReplayService;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The replay and cancel routes: one execution ({@code POST /executions/{id}/replay},
 * {@code POST /executions/{id}/cancel}) and bulk jobs — replays ({@code /replays}) and cancellations
 * ({@code /cancellations}): start (or count), list, show, stop.
 */
public final class ReplaysApi {
    private final ReplayService replays;
    private final ReplayJobs replayJobs;
    private final Cancellations cancellations;
    private final Tenancy tenancy;
    private final Quotas quotas;

    public ReplaysApi(ReplayService replays, ReplayJobs replayJobs, Cancellations cancellations, Tenancy tenancy,
                      Quotas quotas) {
        this.quotas = quotas;
        this.replays = replays;
        this.replayJobs = replayJobs;
        this.cancellations = cancellations;
        this.tenancy = tenancy;
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

    /** {@code POST /executions/{id}/cancel}: 200 with the execution, CANCELLED; 409 when it ran or runs. */
    ApiResponse cancel(Call call) {
        ObjectNode body = Input.objectOrEmpty(call.request());
        if (!body.isEmpty()) {
            throw new ValidationException(body.fieldNames().next(), "unknown field: a cancel takes no fields (send {} or nothing)");
        }
        return ApiResponse.json(200, Views.execution(cancellations.cancel(call.id(), who(call.principal())), true));
    }

    /** {@code POST /replays} or {@code /cancellations}: 202 with the started job, or 200 with the count for a dry run. */
    ApiResponse startJob(Call call, ReplayJobKind kind) {
        ReplayJobInput in = ReplayJobInput.parse(Input.object(call.request()));
        if (!in.dryRun()) quotas.beforeBulkJob(call.customerId());
        ReplayJob job = replayJobs.start(kind, in.filter(), in.name(), in.ratePerSecond(), in.dryRun(),
                who(call.principal()));
        if (!in.dryRun()) quotas.bulkJobStarted(call.customerId(), job.id(), job.expiresAt());
        return ApiResponse.json(in.dryRun() ? 200 : 202, Views.replayJob(job));
    }

    /** {@code GET /replays} or {@code /cancellations}: newest first; a customer key sees only its own. */
    ApiResponse listJobs(Call call, ReplayJobKind kind) {
        Input in = new Input();
        in.onlyParams(call.request(), "limit", "cursor");
        int limit = in.limit(call.request());
        in.check();
        Page<ReplayJob> page = replayJobs.list(kind, limit, call.request().queryParam("cursor"));
        String own = call.customerId();
        List<Map<String, Object>> items = page.items().stream()
                .filter(j -> own == null || own.equals(tenancy.jobOwner(j)))
                .map(Views::replayJob).toList();
        return ApiResponse.page(new Page<>(items, page.nextCursor()));
    }

    ApiResponse getJob(Call call, ReplayJobKind kind) {
        return ApiResponse.json(200, Views.replayJob(replayJobs.get(kind, call.id())));
    }

    ApiResponse cancelJob(Call call, ReplayJobKind kind) {
        return ApiResponse.json(200, Views.replayJob(replayJobs.cancel(kind, call.id())));
    }

    /** Who a change is recorded as made by: {@code admin} for the deployment's admin key, else the key's name and id. */
    static String who(Auth.Principal principal) {
        if (principal == null || principal.keyId() == null) return "admin";
        return principal.name() + " (" + principal.keyId() + ")";
    }
}

package dev.ferry.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.model.ExecutionQuery;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.service.ReplayJobs;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A bulk replay request, {@code {filter, dryRun, name, ratePerSecond}}, as {@code POST /replays} and
 * ReplayFunction's direct event take it. The filter has the names of {@code GET /executions}'s
 * parameters and must set at least one of them (replaying everything is never the default).
 */
public record ReplayJobInput(ExecutionQuery filter, String name, BigDecimal ratePerSecond, boolean dryRun) {
    static final String[] FILTER_FIELDS = {"instanceId", "customerId", "flowConfigId", "status", "trigger", "since",
            "until", "originalsOnly", "unresolved"};

    /** Reads and checks the request; every problem is reported at once (400), nothing is started. */
    public static ReplayJobInput parse(ObjectNode body) {
        Input in = new Input();
        in.onlyFields(body, "filter", "dryRun", "name", "ratePerSecond");
        String name = in.optionalString(body, "name", Input.MAX_NAME);
        boolean dryRun = bool(body, "dryRun", in);
        BigDecimal rate = null;
        JsonNode r = body.get("ratePerSecond");
        if (r != null && !r.isNull()) {
            if (!r.isNumber() || r.decimalValue().signum() <= 0 || r.decimalValue().compareTo(ReplayJobs.MAX_RATE) > 0) {
                in.add("ratePerSecond", "must be a number greater than 0 and at most " + ReplayJobs.MAX_RATE);
            } else {
                rate = r.decimalValue().stripTrailingZeros();
            }
        }
        JsonNode f = body.get("filter");
        ExecutionQuery filter = null;
        if (f == null || f.isNull()) {
            in.add("filter", "is required: an object with at least one of " + String.join(", ", FILTER_FIELDS));
        } else if (!f.isObject()) {
            in.add("filter", "must be an object");
        } else {
            filter = filter((ObjectNode) f, in);
        }
        in.check();
        return new ReplayJobInput(filter, name, rate, dryRun);
    }

    private static ExecutionQuery filter(ObjectNode f, Input in) {
        Input local = new Input();
        local.onlyFields(f, FILTER_FIELDS);
        String instanceId = local.optionalIdIn(null, f, "instanceId");
        String customerId = local.optionalIdIn(null, f, "customerId");
        String flowConfigId = local.optionalIdIn(null, f, "flowConfigId");
        ExecutionStatus status = local.optionalEnum(f, "status", ExecutionStatus.class);
        Trigger trigger = local.optionalEnum(f, "trigger", Trigger.class);
        Instant since = instant(f, "since", local);
        Instant until = instant(f, "until", local);
        boolean originalsOnly = bool(f, "originalsOnly", local);
        boolean unresolved = bool(f, "unresolved", local);
        if (since != null && until != null && since.isAfter(until)) local.add("since", "must not be after until");
        if (f.isEmpty()) local.add("filter", "must set at least one of " + String.join(", ", FILTER_FIELDS));
        try {
            local.check();
        } catch (ValidationException e) {
            e.details().forEach(fe -> in.add(fe.field().equals("filter") ? "filter" : "filter." + fe.field(), fe.reason()));
            return null;
        }
        return new ExecutionQuery(instanceId, customerId, flowConfigId, status, trigger, since, until, originalsOnly,
                unresolved, ReplayJobs.CHUNK, null);
    }

    private static Instant instant(ObjectNode node, String field, Input in) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        try {
            Instant at = Instant.parse(v.asText());
            if (!at.isBefore(Instant.EPOCH) && !at.isAfter(Input.LATEST)) return at;
        } catch (DateTimeParseException e) {
            // reported below
        }
        in.add(field, "must be an ISO-8601 UTC time like 2026-01-31T12:00:00Z, from 1970 to 9999");
        return null;
    }

    private static boolean bool(ObjectNode node, String field, Input in) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return false;
        if (!v.isBoolean()) in.add(field, "must be true or false");
        return v.asBoolean();
    }
}

package dev.ferry.core.api;

import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionQuery;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.LogQuery;
import dev.ferry.core.model.Page;
import dev.ferry.core.model.Severity;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.port.CustomerStore;
import dev.ferry.core.port.ExecutionStore;
import dev.ferry.core.port.LogStore;
import dev.ferry.core.service.LogSearch;
import dev.ferry.core.service.Quotas;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The execution and log routes: executions listed ({@code /executions}, a customer's), read with
 * their steps, and their log lines; log search over an instance or a customer's instances.
 */
public final class ExecutionsApi {
    private final ExecutionStore executions;
    private final LogStore logs;
    private final CustomerStore customers;
    private final LogSearch logSearch;
    private final Quotas quotas;

    public ExecutionsApi(ExecutionStore executions, LogStore logs, CustomerStore customers, LogSearch logSearch,
                         Quotas quotas) {
        this.quotas = quotas;
        this.executions = executions;
        this.logs = logs;
        this.customers = customers;
        this.logSearch = logSearch;
    }

    ApiResponse list(Call call) {
        return ApiResponse.page(executions(call.request(), call.customerId(), true));
    }

    ApiResponse listForCustomer(Call call) {
        customers.get(call.id()).orElseThrow(() -> new NotFoundException("customer", call.id()));
        return ApiResponse.page(executions(call.request(), call.id(), false));
    }

    /**
     * {@code customer}: the path's customer, or the key's customer for {@code GET /executions} (null: any);
     * {@code customerParam}: whether {@code ?customerId=} is accepted.
     */
    private Page<Map<String, Object>> executions(ApiRequest r, String customer, boolean customerParam) {
        Input in = new Input();
        if (customerParam) {
            in.onlyParams(r, "instanceId", "customerId", "flowConfigId", "status", "trigger", "since", "until",
                    "originalsOnly", "unresolved", "limit", "cursor");
        } else {
            in.onlyParams(r, "instanceId", "flowConfigId", "status", "trigger", "since", "until",
                    "originalsOnly", "unresolved", "limit", "cursor");
        }
        ExecutionStatus status = in.enumOf(r.queryParam("status"), "status", ExecutionStatus.class);
        Trigger trigger = in.enumOf(r.queryParam("trigger"), "trigger", Trigger.class);
        Instant since = in.instant(r, "since");
        Instant until = in.instant(r, "until");
        boolean originalsOnly = in.flag(r, "originalsOnly");
        boolean unresolved = in.flag(r, "unresolved");
        int limit = in.limit(r);
        if (since != null && until != null && since.isAfter(until)) in.add("since", "must not be after until");
        in.check();
        ExecutionQuery q = new ExecutionQuery(r.queryParam("instanceId"),
                customer != null ? customer : r.queryParam("customerId"),
                r.queryParam("flowConfigId"), status, trigger, since, until, originalsOnly, unresolved, limit,
                r.queryParam("cursor"));
        return executions.list(q).map(e -> Views.execution(e, false));
    }

    ApiResponse get(Call call) {
        return ApiResponse.json(200, Views.execution(execution(call.id()), true));
    }

    private Execution execution(String id) {
        return executions.get(id).orElseThrow(() -> new NotFoundException("execution", id));
    }

    ApiResponse logs(Call call) {
        Execution e = execution(call.id());
        // Lines are stamped by the runner's clock while it runs: after the execution is queued, before it ends
        // (5 minutes either side for clocks that disagree).
        java.time.Instant from = e.queuedAt() == null ? null : e.queuedAt().minus(java.time.Duration.ofMinutes(5));
        java.time.Instant to = e.endedAt() == null ? null : e.endedAt().plus(java.time.Duration.ofMinutes(5));
        return ApiResponse.page(new Page<>(logs.read(e.customerId(), e.instanceId(), e.id(), from, to).stream().map(Views::logLine).toList(),
                null));
    }

    ApiResponse searchInstanceLogs(Call call) {
        quotas.logSearch(call.customerId());
        return ApiResponse.page(logSearch.instance(call.id(), logQuery(call.request())).map(Views::logLine));
    }

    ApiResponse searchCustomerLogs(Call call) {
        quotas.logSearch(call.customerId());
        return ApiResponse.page(logSearch.customer(call.id(), logQuery(call.request())).map(Views::logLine));
    }

    /** {@code GET /logs}: every customer's lines (the admin key only), batch by batch of instances. */
    ApiResponse searchAllLogs(Call call) {
        return ApiResponse.page(logSearch.all(logQuery(call.request())).map(Views::logLine));
    }

    /** The filters of a log search ({@code q, severity, since, until, limit, cursor}); the scope comes from the path. */
    private static LogQuery logQuery(ApiRequest r) {
        Input in = new Input();
        in.onlyParams(r, "q", "severity", "since", "until", "limit", "cursor");
        String q = r.queryParam("q");
        if (q != null && q.length() > 500) in.add("q", "must be at most 500 characters");
        String s = r.queryParam("severity");
        Severity severity = s == null ? null : Severity.parse(s).orElse(null);
        if (s != null && severity == null) in.add("severity", "must be one of DEBUG, INFO, WARN, ERROR (the minimum level)");
        Instant since = in.instant(r, "since");
        Instant until = in.instant(r, "until");
        int limit = in.limit(r);
        if (since != null && until != null && since.isAfter(until)) in.add("since", "must not be after until");
        in.check();
        return new LogQuery(List.of(), q, severity, since, until, limit, r.queryParam("cursor"));
    }
}

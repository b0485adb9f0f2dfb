package dev.ferry.core.service;

import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.LogLine;
import dev.ferry.core.model.LogQuery;
import dev.ferry.core.model.Page;
import dev.ferry.core.port.CustomerStore;
import dev.ferry.core.port.InstanceStore;
import dev.ferry.core.port.LogStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Log search for an instance or across a customer's instances ({@code GET
 * /instances/{id}/logs}, {@code GET /customers/{id}/logs}; docs/views.md, "Log search"). Lines older than the retention period
 * are never returned, whether or not the log service has deleted them yet: {@code since} is raised
 * to now − {@code FERRY_RETENTION_DAYS}.
 */
public final class LogSearch {
    /** Instances read per call when collecting a customer's. */
    private static final int INSTANCE_PAGE = 1000;

    private final InstanceStore instances;
    private final CustomerStore customers;
    private final LogStore logs;
    private final Clock clock;
    private final Settings settings;

    public LogSearch(InstanceStore instances, CustomerStore customers, LogStore logs, Clock clock, Settings settings) {
        this.instances = instances;
        this.customers = customers;
        this.logs = logs;
        this.clock = clock;
        this.settings = settings;
    }

    /** The instance's lines matching the query (its {@code instanceIds} are ignored); 404 for an unknown instance. */
    public Page<LogLine> instance(String instanceId, LogQuery query) {
        Instance instance = instances.get(instanceId).orElseThrow(() -> new NotFoundException("instance", instanceId));
        return search(query.withInstances(instance.customerId(), List.of(instanceId)));
    }

    /** The lines of all the customer's instances, merged by time; 404 for an unknown customer. */
    public Page<LogLine> customer(String customerId, LogQuery query) {
        if (customers.get(customerId).isEmpty()) throw new NotFoundException("customer", customerId);
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            Page<Instance> page = instances.list(customerId, INSTANCE_PAGE, cursor);
            for (Instance i : page.items()) ids.add(i.id());
            cursor = page.nextCursor();
        } while (cursor != null);
        return search(query.withInstances(customerId, ids));
    }

    /** Instances one page of {@link #all} searches: with the store's own call budget, what bounds its calls. */
    public static final int ALL_INSTANCES_PER_PAGE = 10;

    /**
     * The lines of every customer's instances ({@code GET /logs}, admin only), in batches of
     * {@value #ALL_INSTANCES_PER_PAGE} instances in the order they were created, each batch's
     * lines merged by time, oldest first. A page reads one page of instances and searches only its
     * batch, so its calls are bounded whatever the number of instances; a page may be short, or
     * empty, while {@code nextCursor} is set. The cursor holds the batch's position and the search's
     * own cursor within it.
     */
    public Page<LogLine> all(LogQuery query) {
        AllCursor from = AllCursor.decode(query.cursor());
        Page<Instance> batch = instances.list(null, ALL_INSTANCES_PER_PAGE, from.instances());
        Map<String, List<String>> byCustomer = new LinkedHashMap<>();
        for (Instance i : batch.items()) byCustomer.computeIfAbsent(i.customerId(), c -> new ArrayList<>()).add(i.id());
        List<LogQuery.Scope> scopes = byCustomer.entrySet().stream()
                .map(e -> new LogQuery.Scope(e.getKey(), e.getValue())).toList();
        Page<LogLine> lines = scopes.isEmpty() ? Page.empty() : search(query.withScopes(scopes).withCursor(from.lines()));
        String next = lines.nextCursor() != null ? new AllCursor(from.instances(), lines.nextCursor()).encode()
                : batch.nextCursor() != null ? new AllCursor(batch.nextCursor(), null).encode() : null;
        return new Page<>(lines.items(), next);
    }

    /** Where {@link #all} goes on: the instance page's cursor (null: the first) and the log search's within it. */
    record AllCursor(String instances, String lines) {
        String encode() {
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(dev.ferry.core.json.Json.writeBytes(this));
        }

        static AllCursor decode(String cursor) {
            if (cursor == null || cursor.isBlank()) return new AllCursor(null, null);
            try {
                AllCursor c = dev.ferry.core.json.Json.read(new String(java.util.Base64.getUrlDecoder().decode(cursor),
                        java.nio.charset.StandardCharsets.UTF_8), AllCursor.class);
                if (c == null) throw new IllegalArgumentException("empty");
                return c;
            } catch (RuntimeException e) {
                throw new dev.ferry.core.error.ValidationException("cursor", "is not a cursor of this search: pass the "
                        + "nextCursor of the previous page unchanged");
            }
        }
    }

    private Page<LogLine> search(LogQuery query) {
        // A line is kept while now < its time + retention (as an execution is until its expiresAt).
        Instant oldest = clock.instant().minus(Duration.ofDays(settings.retentionDays())).plusNanos(1);
        LogQuery q = query.since() == null || query.since().isBefore(oldest) ? query.withSince(oldest) : query;
        if (q.instanceIds().isEmpty() || (q.until() != null && !q.until().isAfter(q.since()))) {
            return Page.empty();
        }
        return logs.search(q);
    }
}

package dev.ferry.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.cli.http.Query;
import dev.ferry.cli.output.Json;
import java.util.function.BiFunction;
import picocli.CommandLine.Option;

/**
 * The execution filters shared by {@code executions:list} (as query parameters) and
 * {@code executions:replay-bulk} (as the job's {@code filter}); the names are those of
 * {@code GET /executions}.
 */
public final class ExecutionFilter {

    @Option(names = "--instance", paramLabel = "ID", order = 1, description = "Only this instance's executions.")
    String instanceId;

    @Option(names = "--customer", paramLabel = "ID", order = 2, description = "Only this customer's executions.")
    String customerId;

    @Option(names = "--flow-config", paramLabel = "ID", order = 3, description = "Only this flow config's executions.")
    String flowConfigId;

    @Option(names = "--status", paramLabel = "S", order = 4, description = "${COMPLETION-CANDIDATES}")
    Choices.Status status;

    @Option(names = "--trigger", paramLabel = "T", order = 5, description = "${COMPLETION-CANDIDATES}")
    Choices.Trigger trigger;

    @Option(names = "--unresolved", order = 6,
            description = "Only executions not resolved by a successful retry or replay.")
    boolean unresolved;

    @Option(names = "--originals-only", order = 7, description = "Leave out retries and replays.")
    boolean originalsOnly;

    @Option(names = "--since", paramLabel = "T", order = 8,
            description = "Queued at or after T: ISO-8601 (2025-01-31T12:00:00Z) or an age (15m, 2h, 7d).")
    String since;

    @Option(names = "--until", paramLabel = "T", order = 9, description = "Queued before T (same forms as --since).")
    String until;

    /** As query parameters; {@code time} converts (value, option name) to ISO-8601 UTC. */
    Query toQuery(BiFunction<String, String, String> time) {
        return Query.of()
                .with("instanceId", instanceId)
                .with("customerId", customerId)
                .with("flowConfigId", flowConfigId)
                .with("status", status)
                .with("trigger", trigger)
                .with("since", time.apply(since, "--since"))
                .with("until", time.apply(until, "--until"))
                .flag("originalsOnly", originalsOnly)
                .flag("unresolved", unresolved);
    }

    /** As a JSON filter object with the same names; unset filters are left out. */
    ObjectNode toJson(BiFunction<String, String, String> time) {
        ObjectNode f = Json.object();
        putIfSet(f, "instanceId", instanceId);
        putIfSet(f, "customerId", customerId);
        putIfSet(f, "flowConfigId", flowConfigId);
        putIfSet(f, "status", status == null ? null : status.name());
        putIfSet(f, "trigger", trigger == null ? null : trigger.name());
        putIfSet(f, "since", time.apply(since, "--since"));
        putIfSet(f, "until", time.apply(until, "--until"));
        if (originalsOnly) {
            f.put("originalsOnly", true);
        }
        if (unresolved) {
            f.put("unresolved", true);
        }
        return f;
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}

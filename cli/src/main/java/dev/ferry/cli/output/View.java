package dev.ferry.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/** How one kind of resource is shown in tables and CSV: its plural noun and its columns. */
public record View(String noun, List<Column> columns) {

    public View {
        columns = List.copyOf(columns);
    }

    public static final View CUSTOMERS = new View("customers", List.of(
            Column.field("ID", "id"),
            Column.field("NAME", "name"),
            Column.field("EXTERNAL ID", "externalId"),
            Column.time("CREATED AT", "createdAt")));

    /** Whose an API key is: its customer, or "(admin)". */
    private static final Column KEY_OWNER = Column.computed("CUSTOMER", "customerId",
            n -> n.path("customerId").isTextual() ? n.path("customerId").asText() : "(admin)");

    public static final View API_KEYS = new View("API keys", List.of(
            Column.field("ID", "id"),
            Column.field("NAME", "name"),
            KEY_OWNER,
            Column.time("CREATED AT", "createdAt")));

    /** A key just created: the only answer that holds the key itself. */
    public static final View NEW_API_KEY = new View("API key", List.of(
            Column.field("ID", "id"),
            Column.field("NAME", "name"),
            KEY_OWNER,
            Column.field("KEY", "key")));

    public static final View INTEGRATIONS = new View("integrations", List.of(
            Column.field("ID", "id"),
            Column.field("NAME", "name"),
            Column.field("LATEST VERSION", "latestVersion"),
            Column.time("UPDATED AT", "updatedAt")));

    public static final View INSTANCES = new View("instances", List.of(
            Column.field("ID", "id"),
            Column.field("NAME", "name"),
            Column.field("CUSTOMER", "customerId"),
            Column.field("INTEGRATION", "integrationId"),
            Column.field("VERSION", "integrationVersion"),
            new Column("STATE", "enabled", n -> Cells.text(n, "enabled"), View::instanceState, 0),
            Column.field("PAUSE MODE", "pauseMode"),
            Column.time("LAST EXECUTED", "lastExecutedAt")));

    public static final View FLOW_CONFIGS = new View("flow configs", List.of(
            Column.field("ID", "id"),
            Column.field("FLOW", "flow"),
            Column.computed("TRIGGER", "trigger", View::triggerType),
            Column.field("WEBHOOK URL", "webhookUrl"),
            Column.computed("SECURITY", "security", View::security),
            Column.computed("SCHEDULE", "schedule", View::schedule),
            Column.time("NEXT RUN", "nextRunAt")));

    public static final View EXECUTIONS = new View("executions", List.of(
            Column.field("ID", "id"),
            Column.field("STATUS", "status"),
            Column.field("TRIGGER", "trigger"),
            Column.field("FLOW", "flow"),
            Column.field("INSTANCE", "instanceId"),
            Column.time("QUEUED AT", "queuedAt"),
            Column.duration("DURATION", "durationMs"),
            Column.longText("ERROR", "error.message", 60)));

    public static final View STEPS = new View("steps", List.of(
            Column.field("STEP", "name"),
            Column.field("TYPE", "type"),
            Column.field("STATUS", "status"),
            Column.duration("DURATION", "durationMs"),
            Column.longText("ERROR", "error.message", 80)));

    public static final View LOG_LINES = new View("log lines", List.of(
            Column.time("TIMESTAMP", "timestamp"),
            Column.field("SEVERITY", "severity"),
            Column.field("EXECUTION", "executionId"),
            Column.field("STEP", "step"),
            Column.field("MESSAGE", "message")));

    /** A customer's log search: lines of several instances, so each says whose it is. */
    public static final View CUSTOMER_LOG_LINES = new View("log lines", List.of(
            Column.time("TIMESTAMP", "timestamp"),
            Column.field("SEVERITY", "severity"),
            Column.field("INSTANCE", "instanceId"),
            Column.field("EXECUTION", "executionId"),
            Column.field("STEP", "step"),
            Column.field("MESSAGE", "message")));

    public static final View MONITORS = new View("monitors", List.of(
            Column.field("ID", "id"),
            Column.field("NAME", "name"),
            Column.computed("TRIGGERS", "triggers", n -> joined(n.path("triggers"), "type")),
            Column.computed("SCOPE", "scope", View::scope),
            Column.computed("CHANNELS", "channels", n -> joined(n.path("channels"), "url"))));

    public static final View ALERTS = new View("alert events", List.of(
            Column.computed("ID", "id", n -> firstText(n, "id", "alertId")),
            Column.time("FIRED AT", "firedAt"),
            Column.field("MONITOR", "monitorId"),
            Column.field("TRIGGER", "trigger"),
            Column.longText("SUBJECT", "subject", 60),
            Column.field("INSTANCE", "instanceId"),
            Column.field("EXECUTION", "executionId"),
            new Column("MUTED", "muted", n -> Cells.text(n, "muted"),
                    n -> n.path("muted").asBoolean(false) ? "muted" : null, 0),
            Column.field("ACKNOWLEDGED BY", "acknowledgedBy")));

    public static final View DEAD_LETTERS = new View("dead letters", List.of(
            Column.field("ID", "id"),
            Column.field("QUEUE", "queue"),
            Column.time("SENT AT", "sentAt"),
            Column.field("RECEIVES", "receiveCount"),
            Column.field("ABOUT", "summary"),
            Column.longText("BODY", "body", 60)));

    public static final View REPLAY_JOBS = new View("replay jobs", List.of(
            Column.field("ID", "id"),
            Column.field("NAME", "name"),
            Column.field("STATUS", "status"),
            Column.field("MATCHED", "matched"),
            Column.field("DISPATCHED", "dispatched"),
            Column.field("SUCCEEDED", "succeeded"),
            Column.field("FAILED", "failed")));

    private static String instanceState(JsonNode n) {
        JsonNode enabled = n.path("enabled");
        if (!enabled.isBoolean()) {
            return null;
        }
        return enabled.asBoolean() ? "enabled" : "paused";
    }

    /** {@code trigger} is the trigger type, or an object carrying it. */
    private static String triggerType(JsonNode n) {
        JsonNode t = n.path("trigger");
        return t.isObject() ? Cells.text(t, "type") : Cells.text(t);
    }

    /** A webhook flow config's check as "hmac-sha256 x-signature" (type and header; the secret is never in the answer). */
    private static String security(JsonNode n) {
        String type = Cells.text(n, "security.type");
        if (type == null) return null;
        String header = Cells.text(n, "security.header");
        return header == null ? type : type + " " + header;
    }

    private static String schedule(JsonNode n) {
        String schedule = firstText(n, "schedule", "trigger.schedule");
        if (schedule == null) {
            return null;
        }
        String tz = firstText(n, "timezone", "trigger.timezone");
        return tz == null ? schedule : schedule + " " + tz;
    }

    private static String scope(JsonNode n) {
        JsonNode s = n.path("scope");
        List<String> parts = new ArrayList<>();
        if (Cells.text(s, "customerId") != null) {
            parts.add("customer " + Cells.text(s, "customerId"));
        }
        if (Cells.text(s, "instanceId") != null) {
            parts.add("instance " + Cells.text(s, "instanceId"));
        }
        if (Cells.text(s, "flowConfigId") != null) {
            parts.add("flow config " + Cells.text(s, "flowConfigId"));
        }
        return parts.isEmpty() ? "everything" : String.join(", ", parts);
    }

    private static String joined(JsonNode array, String field) {
        if (!array.isArray() || array.isEmpty()) {
            return null;
        }
        return StreamSupport.stream(array.spliterator(), false)
                .map(e -> e.isObject() ? Cells.text(e, field) : Cells.text(e))
                .filter(s -> s != null)
                .collect(Collectors.joining(","));
    }

    private static String firstText(JsonNode n, String... paths) {
        for (String p : paths) {
            String t = Cells.text(n, p);
            if (t != null) {
                return t;
            }
        }
        return null;
    }
}

package dev.ferry.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/** Executions for people: the full detail of {@code executions:show} and the summary of a test run. */
public final class ExecutionText {

    private static final java.util.Set<String> TERMINAL = java.util.Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    private ExecutionText() {}

    public static boolean terminal(JsonNode execution) {
        return TERMINAL.contains(execution.path("status").asText(""));
    }

    /** Header block, request, steps and (when given) log lines. */
    public static String detail(JsonNode e, List<JsonNode> logs) {
        StringBuilder sb = new StringBuilder();
        sb.append(header(e));
        sb.append('\n').append(request(e.path("request")));
        sb.append('\n').append(steps(e.path("steps")));
        if (logs != null) {
            sb.append('\n').append(logs(logs));
        }
        return sb.toString();
    }

    static String header(JsonNode e) {
        List<String[]> rows = new ArrayList<>();
        rows.add(row("Execution", Cells.text(e, "id")));
        rows.add(row("Status", Cells.text(e, "status")));
        rows.add(row("Trigger", Cells.text(e, "trigger")));
        rows.add(row("Flow", withParen(Cells.text(e, "flow"), "flow config", Cells.text(e, "flowConfigId"))));
        rows.add(row("Instance", withParen(Cells.text(e, "instanceId"), "customer", Cells.text(e, "customerId"))));
        rows.add(row("Version", Cells.text(e, "integrationVersion")));
        rows.add(row("Queued at", Cells.text(e, "queuedAt")));
        rows.add(row("Started at", Cells.text(e, "startedAt")));
        rows.add(row("Ended at", Cells.text(e, "endedAt")));
        rows.add(row("Duration", Cells.duration(Cells.text(e, "durationMs"))));
        rows.add(row("Attempt", Cells.text(e, "attempt")));
        rows.add(row("Retry of", Cells.text(e, "retryOf")));
        rows.add(row("Replay of", Cells.text(e, "replayOf")));
        rows.add(row("Replays", joined(e.path("replays"))));
        rows.add(row("Resolved", yesNo(e.path("resolved"))));
        rows.add(row("Next retry at", Cells.text(e, "nextRetryAt")));
        rows.add(row("Retries left", Cells.text(e, "retriesRemaining")));
        rows.add(row("Cancelled by", Cells.text(e, "cancelledBy")));
        rows.add(row("Cancelled at", Cells.text(e, "cancelledAt")));
        rows.add(row("Error", error(e.path("error"))));
        return Table.align(rows);
    }

    static String request(JsonNode r) {
        StringBuilder sb = new StringBuilder("Request\n");
        if (r.isMissingNode() || r.isNull()) {
            return sb.append("  -\n").toString();
        }
        sb.append(indent(Table.align(List.of(
                row("Method", Cells.text(r, "method")),
                row("Content type", Cells.text(r, "contentType")))), "  "));
        sb.append(map("Headers", r.path("headers"), ": "));
        sb.append(map("Query", r.path("query"), "="));
        sb.append("  Body\n");
        String body = body(r);
        sb.append(body == null || body.isEmpty() ? "    (empty)\n" : indent(body, "    "));
        return sb.toString();
    }

    static String steps(JsonNode steps) {
        StringBuilder sb = new StringBuilder("Steps\n");
        if (!steps.isArray() || steps.isEmpty()) {
            return sb.append("  (none)\n").toString();
        }
        int i = 1;
        for (JsonNode s : steps) {
            sb.append("  ").append(i++).append(". ").append(Cells.text(s, "name"));
            if (Cells.text(s, "type") != null) {
                sb.append(" (").append(Cells.text(s, "type")).append(')');
            }
            sb.append("  ").append(orDash(Cells.text(s, "status")));
            String d = Cells.duration(Cells.text(s, "durationMs"));
            if (d != null) {
                sb.append("  ").append(d);
            }
            sb.append('\n');
            JsonNode output = s.path("output");
            if (!output.isMissingNode() && !output.isNull()) {
                sb.append("     Output:\n").append(indent(Json.pretty(output), "       "));
            }
            String error = error(s.path("error"));
            if (error != null) {
                sb.append("     Error: ").append(error).append('\n');
            }
        }
        return sb.toString();
    }

    public static String logs(List<JsonNode> lines) {
        StringBuilder sb = new StringBuilder("Logs\n");
        if (lines.isEmpty()) {
            return sb.append("  (none)\n").toString();
        }
        lines.forEach(l -> sb.append("  ").append(logLine(l)).append('\n'));
        return sb.toString();
    }

    /** {@code 2025-01-31T12:00:00Z  INFO   [step] message}. */
    public static String logLine(JsonNode l) {
        String severity = orDash(Cells.text(l, "severity"));
        String step = Cells.text(l, "step");
        return orDash(Cells.time(Cells.text(l, "timestamp"))) + "  " + severity + " ".repeat(Math.max(1, 6 - severity.length()))
                + (step == null ? "" : "[" + step + "] ") + orDash(Cells.text(l, "message"));
    }

    /** The few lines a test run prints: outcome, steps, error. */
    public static String summary(JsonNode e) {
        StringBuilder sb = new StringBuilder();
        sb.append("Execution ").append(orDash(Cells.text(e, "id"))).append(": ").append(orDash(Cells.text(e, "status")));
        String d = Cells.duration(Cells.text(e, "durationMs"));
        if (d != null) {
            sb.append(" in ").append(d);
        }
        List<String> about = new ArrayList<>();
        if (Cells.text(e, "trigger") != null) {
            about.add("trigger " + Cells.text(e, "trigger"));
        }
        if (Cells.text(e, "flow") != null) {
            about.add("flow " + Cells.text(e, "flow"));
        }
        if (!about.isEmpty()) {
            sb.append(" (").append(String.join(", ", about)).append(')');
        }
        sb.append('\n');
        JsonNode steps = e.path("steps");
        if (steps.isArray() && !steps.isEmpty()) {
            List<JsonNode> items = StreamSupport.stream(steps.spliterator(), false).toList();
            sb.append(Table.render(View.STEPS.columns(), items));
        }
        String error = error(e.path("error"));
        if (error != null) {
            sb.append("Error: ").append(error).append('\n');
        }
        return sb.toString();
    }

    /** {@code message (step fetch, retryable)}, or null for no error. */
    public static String error(JsonNode error) {
        if (error == null || error.isMissingNode() || error.isNull()) {
            return null;
        }
        if (!error.isObject()) {
            return Cells.text(error);
        }
        List<String> about = new ArrayList<>();
        if (Cells.text(error, "step") != null) {
            about.add("step " + Cells.text(error, "step"));
        }
        JsonNode retryable = error.path("retryable");
        if (retryable.isBoolean()) {
            about.add(retryable.asBoolean() ? "retryable" : "not retryable");
        }
        String message = orDash(Cells.oneLine(Cells.text(error, "message")));
        return about.isEmpty() ? message : message + " (" + String.join(", ", about) + ")";
    }

    /** The request body as text: pretty JSON when it is JSON, base64 decoded when so marked. */
    static String body(JsonNode r) {
        JsonNode b = r.path("body");
        if (b.isMissingNode() || b.isNull()) {
            return null;
        }
        if (!b.isTextual()) {
            return Json.pretty(b); // already structured JSON
        }
        String text = b.asText();
        if (r.path("isBase64Encoded").asBoolean(false) || "base64".equalsIgnoreCase(r.path("bodyEncoding").asText(""))) {
            try {
                text = new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return text;
            }
        }
        JsonNode parsed = Json.parseOrNull(text);
        return parsed != null && parsed.isContainerNode() ? Json.pretty(parsed) : text;
    }

    private static String map(String title, JsonNode map, String separator) {
        if (!map.isObject() || map.isEmpty()) {
            return "  " + title + "  -\n";
        }
        StringBuilder sb = new StringBuilder("  ").append(title).append('\n');
        for (Map.Entry<String, JsonNode> f : map.properties()) {
            sb.append("    ").append(f.getKey()).append(separator).append(orDash(Cells.text(f.getValue()))).append('\n');
        }
        return sb.toString();
    }

    private static String[] row(String label, String value) {
        return new String[] {label, orDash(value)};
    }

    private static String withParen(String main, String label, String extra) {
        if (main == null) {
            return extra == null ? null : label + " " + extra;
        }
        return extra == null ? main : main + " (" + label + " " + extra + ")";
    }

    private static String joined(JsonNode array) {
        if (!array.isArray() || array.isEmpty()) {
            return null;
        }
        return StreamSupport.stream(array.spliterator(), false).map(Cells::text).collect(Collectors.joining(", "));
    }

    private static String yesNo(JsonNode b) {
        return b.isBoolean() ? (b.asBoolean() ? "yes" : "no") : null;
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    private static String indent(String text, String prefix) {
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (!line.isEmpty()) {
                sb.append(prefix).append(line);
            }
            sb.append('\n');
        }
        // split keeps a trailing empty piece after the last newline: drop the extra blank line
        String s = sb.toString();
        return text.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }
}

package dev.ferry.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.cli.CliException;
import dev.ferry.cli.Times;
import dev.ferry.cli.http.Query;
import dev.ferry.cli.output.Cells;
import dev.ferry.cli.output.ExecutionText;
import dev.ferry.cli.output.Format;
import dev.ferry.cli.output.Json;
import dev.ferry.cli.output.Printer;
import dev.ferry.cli.output.View;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code instances:*}, including their flow configs. */
public final class InstanceCommands {

    /** How often {@code --tail} polls while an execution runs. */
    static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

    private InstanceCommands() {}

    @Command(name = "instances:list", description = "List instances.")
    public static final class List extends ApiCommand {
        @Option(names = "--customer", paramLabel = "ID", description = "Only this customer's instances.")
        String customerId;

        @Mixin
        Paging paging;

        @Override
        protected int execute() {
            Query query = paging.apply(Query.of().with("customerId", customerId));
            printer().list(api().list("/instances", query, paging.all), View.INSTANCES);
            return 0;
        }
    }

    @Command(name = "instances:create", description = "Deploy an integration version for a customer.")
    public static final class Create extends ApiCommand {
        @Option(names = "--name", paramLabel = "NAME", required = true, description = "The instance's name.")
        String name;

        @Option(names = "--customer", paramLabel = "ID", required = true, description = "The customer it belongs to.")
        String customerId;

        @Option(names = "--integration", paramLabel = "ID", required = true, description = "The integration to run.")
        String integrationId;

        @Option(names = "--version", paramLabel = "N",
                description = "The integration version (default: the latest).")
        Integer version;

        @Option(names = "--config", paramLabel = "KEY=VALUE", description = "A config variable (repeatable).")
        Map<String, String> config = new LinkedHashMap<>();

        @Option(names = "--pause-mode", paramLabel = "MODE",
                description = "While paused, webhooks are: REJECT (503, default) or HOLD (202, run on unpause).")
        Choices.PauseMode pauseMode;

        @Override
        protected int execute() {
            ObjectNode body = Json.object()
                    .put("name", name)
                    .put("customerId", customerId)
                    .put("integrationId", integrationId);
            if (version != null) {
                body.put("integrationVersion", version);
            }
            ObjectNode vars = body.putObject("configVariables");
            config.forEach(vars::put);
            if (pauseMode != null) {
                body.put("pauseMode", pauseMode.name());
            }
            printer().one(api().post("/instances", body), View.INSTANCES);
            return 0;
        }
    }

    @Command(name = "instances:show",
            description = "Show an instance: its version, state, pause mode, config variables (secrets masked) and flow configs.")
    public static final class Show extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The instance.")
        String id;

        @Override
        protected int execute() {
            JsonNode instance = api().get(path("instances", id));
            show(printer(), instance);
            return 0;
        }
    }

    @Command(name = "instances:update",
            description = {"Change an instance: its name, integration version, pause mode or config variables.",
                    "Config variables given replace those named; the others keep their values."})
    public static final class Update extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The instance.")
        String id;

        @Option(names = "--name", paramLabel = "NAME", description = "A new name.")
        String name;

        @Option(names = "--version", paramLabel = "N", description = "Run this integration version from now on.")
        Integer version;

        @Option(names = "--config", paramLabel = "KEY=VALUE", description = "Set a config variable (repeatable).")
        Map<String, String> config = new LinkedHashMap<>();

        @Option(names = "--pause-mode", paramLabel = "MODE",
                description = "While paused, webhooks are: REJECT (503) or HOLD (202, run on unpause).")
        Choices.PauseMode pauseMode;

        @Override
        protected int execute() {
            if (name == null && version == null && config.isEmpty() && pauseMode == null) {
                throw usage("Nothing to change: give --name, --version, --config or --pause-mode");
            }
            if (version != null && version < 1) {
                throw usage("Invalid value for option '--version': must be 1 or more, got " + version);
            }
            ObjectNode body = Json.object();
            if (name != null) {
                body.put("name", name);
            }
            if (version != null) {
                body.put("integrationVersion", version);
            }
            if (!config.isEmpty()) {
                ObjectNode vars = body.putObject("configVariables"); // merged over the current values
                config.forEach(vars::put);
            }
            if (pauseMode != null) {
                body.put("pauseMode", pauseMode.name());
            }
            show(printer(), api().patch(path("instances", id), body));
            return 0;
        }
    }

    /** An instance for people (tables), or the API's answer (JSON, CSV). */
    static void show(Printer printer, JsonNode i) {
        switch (printer.format()) {
            case table -> {
                java.util.List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"Instance", dash(Cells.text(i, "id"))});
                rows.add(new String[] {"Name", dash(Cells.text(i, "name"))});
                rows.add(new String[] {"Customer", dash(Cells.text(i, "customerId"))});
                rows.add(new String[] {"Integration", dash(Cells.text(i, "integrationId"))
                        + " version " + dash(Cells.text(i, "integrationVersion"))});
                rows.add(new String[] {"State", i.path("enabled").asBoolean(true) ? "running" : "paused"});
                rows.add(new String[] {"Pause mode", dash(Cells.text(i, "pauseMode"))});
                StringBuilder sb = new StringBuilder(dev.ferry.cli.output.Table.align(rows));
                sb.append("Config variables\n");
                JsonNode vars = i.path("configVariables");
                if (vars.isEmpty()) {
                    sb.append("  (none)\n");
                }
                vars.fields().forEachRemaining(f -> sb.append("  ").append(f.getKey()).append(" = ")
                        .append(Cells.text(f.getValue())).append('\n'));
                sb.append("Flow configs\n");
                for (JsonNode fc : i.path("flowConfigs")) {
                    sb.append("  ").append(Cells.text(fc, "id")).append("  ").append(Cells.text(fc, "flow"));
                    String url = Cells.text(fc, "webhookUrl");
                    sb.append(url == null ? "" : "  " + url).append('\n');
                }
                printer.note(sb.toString().stripTrailing());
            }
            case json -> printer.json(i);
            case csv -> printer.one(i, View.INSTANCES);
        }
    }

    private static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    @Command(name = "instances:pause",
            description = "Pause an instance: schedules disabled, webhooks rejected or held per its pause mode.")
    public static final class Pause extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The instance.")
        String id;

        @Option(names = "--reason", paramLabel = "TEXT",
                description = "Why (recorded with who paused it): a pause on purpose, so its INSTANCE_DISABLED "
                        + "alerts are recorded muted and page no one.")
        String reason;

        @Override
        protected int execute() {
            JsonNode body = reason == null ? null : Json.object().put("reason", reason);
            return printAction(printer(), api().post(path("instances", id, "pause"), body),
                    "Paused instance " + id + (reason == null ? "" : " (" + reason + ")") + ".", View.INSTANCES);
        }
    }

    @Command(name = "instances:unpause",
            description = "Unpause an instance: schedules enabled, held executions run in arrival order.")
    public static final class Unpause extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The instance.")
        String id;

        @Override
        protected int execute() {
            return printAction(printer(), api().post(path("instances", id, "unpause"), null),
                    "Unpaused instance " + id + ".", View.INSTANCES);
        }
    }

    @Command(name = "instances:delete", description = {
            "Delete an instance with its flow configs, schedules, executions, payloads, logs and monitors.",
            "Its name must be given to confirm; repeating the command finishes a deletion that was interrupted."})
    public static final class Delete extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The instance.")
        String id;

        @Option(names = "--confirm", paramLabel = "NAME", required = true, description = "The instance's name.")
        String confirm;

        /**
         * 204: everything is deleted. 202 {@code {status: DELETING, executionsDeleted, more}}: an instance
         * with more executions than one request deletes; the rest goes on in the background.
         */
        @Override
        protected int execute() {
            JsonNode answer = api().delete(path("instances", id), Query.of().with("confirm", confirm));
            boolean continuing = "DELETING".equals(answer.path("status").asText());
            Printer printer = printer();
            if (continuing && printer.format() == Format.table) {
                printer.note("Deleting instance " + id + ": " + answer.path("executionsDeleted").asLong()
                        + " executions deleted so far; the rest is being deleted in the background."
                        + " The instance is already gone from the API; run this command again to wait for the rest.");
                return 0;
            }
            return printAction(printer, answer, "Deleted instance " + id + " with its executions, logs, schedules and monitors.",
                    View.INSTANCES);
        }
    }

    @Command(name = "instances:flow-configs:list", description = "List an instance's flow configs and webhook URLs.")
    public static final class FlowConfigsList extends ApiCommand {
        @Parameters(paramLabel = "INSTANCE_ID", description = "The instance.")
        String instanceId;

        @Mixin
        Paging paging;

        @Override
        protected int execute() {
            printer().list(api().list(path("instances", instanceId, "flow-configs"), paging.apply(Query.of()),
                    paging.all), View.FLOW_CONFIGS);
            return 0;
        }
    }

    @Command(name = "instances:flow-configs:test",
            description = {"Run a flow config now with a test payload (trigger TEST, even while paused).",
                    "Exits 1 when the execution fails."})
    public static final class FlowConfigsTest extends ApiCommand {
        /**
         * The test endpoint answers within API Gateway's 30 s: the finished execution, or (202) the
         * execution still running, which the command then follows.
         */
        static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

        @Parameters(paramLabel = "FLOW_CONFIG_ID", description = "The flow config.")
        String flowConfigId;

        @Option(names = "--payload", paramLabel = "JSON|@FILE",
                description = "The request body, sent exactly as given; @FILE reads it from a file.")
        String payload;

        @Option(names = "--content-type", paramLabel = "TYPE", defaultValue = "application/json",
                description = "The request's content type (default: ${DEFAULT-VALUE}).")
        String contentType;

        @Option(names = "--header", paramLabel = "'K: V'", description = "A request header (repeatable).")
        java.util.List<String> headers = new ArrayList<>();

        @Option(names = "--tail", description = "Also print the execution's log lines as they are written.")
        boolean tail;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "15m",
                description = "How long to wait for the execution to end, e.g. 90s, 15m (default: ${DEFAULT-VALUE}).")
        String timeout;

        @Override
        protected int execute() throws InterruptedException {
            Duration wait = duration(timeout);
            ObjectNode body = Json.object();
            if (payload != null) {
                body.put("body", payload(payload, "--payload"));
            }
            body.set("headers", headers(headers, "--header"));
            body.put("contentType", contentType);
            JsonNode execution = api().post(path("flow-configs", flowConfigId, "test"), body, REQUEST_TIMEOUT);

            Printer printer = printer();
            java.util.List<JsonNode> logs = null;
            if (tail || !ExecutionText.terminal(execution)) {
                // A run longer than the request's wait was answered 202: follow it to its end.
                Tailed tailed = follow(execution, wait, printer);
                execution = tailed.execution();
                logs = tail ? tailed.logs() : null;
            }
            switch (printer.format()) {
                case table -> {
                    if (tail) {
                        out().println(logs.isEmpty() ? "Logs\n  (none)\n" : "");
                    }
                    out().print(ExecutionText.summary(execution));
                }
                case json -> {
                    ObjectNode shown = execution.deepCopy();
                    if (logs != null) {
                        shown.putArray("logs").addAll(logs);
                    }
                    printer.json(shown);
                }
                case csv -> printer.one(execution, View.EXECUTIONS);
            }
            return failed(execution);
        }

        /** The execution once it ended, and all its log lines. */
        private record Tailed(JsonNode execution, java.util.List<JsonNode> logs) {}

        /** Prints log lines as they appear (tables) until the execution ends or the wait is over. */
        private Tailed follow(JsonNode execution, Duration wait, Printer printer)
                throws InterruptedException {
            String id = Cells.text(execution, "id");
            if (id == null) {
                throw new CliException("the API's answer names no execution id");
            }
            Instant deadline = context().clock().instant().plus(wait);
            int printed = 0;
            int polls = 0;
            JsonNode current = execution;
            while (true) {
                java.util.List<JsonNode> logs = tail
                        ? api().list(path("executions", id, "logs"), Query.of(), true).items() : java.util.List.of();
                if (tail && printer.format() == Format.table) {
                    if (printed == 0 && !logs.isEmpty()) {
                        out().println("Logs");
                    }
                    for (int i = printed; i < logs.size(); i++) {
                        out().println("  " + ExecutionText.logLine(logs.get(i)));
                    }
                    printed = Math.max(printed, logs.size());
                    out().flush();
                }
                if (ExecutionText.terminal(current)) {
                    return new Tailed(current, logs);
                }
                if (polls++ == 0 && printer.format() == Format.table) {
                    err().println("Execution " + id + " is " + Cells.text(current, "status")
                            + "; waiting up to " + timeout + " for it to end...");
                }
                if (!context().clock().instant().isBefore(deadline)) {
                    throw new CliException("execution " + id + " is still " + Cells.text(current, "status")
                            + " after " + timeout + "; see it later with: ferry executions:show " + id + " --logs");
                }
                context().sleeper().sleep(POLL_INTERVAL);
                current = api().get(path("executions", id));
            }
        }

        private int failed(JsonNode execution) {
            String status = Cells.text(execution, "status");
            if ("FAILED".equals(status) || "CANCELLED".equals(status)) {
                String error = ExecutionText.error(execution.path("error"));
                err().println("error: execution " + Cells.text(execution, "id") + " " + status
                        + (error == null ? "" : ": " + error));
                return 1;
            }
            return 0;
        }

        private Duration duration(String value) {
            try {
                return Times.duration(value);
            } catch (IllegalArgumentException e) {
                throw usage("Invalid value for option '--timeout': " + e.getMessage());
            }
        }
    }

    /** Pause, unpause, delete: a confirmation line in tables, the API's answer (if any) otherwise. */
    static int printAction(Printer printer, JsonNode answer, String done, View view) {
        switch (printer.format()) {
            case table -> printer.note(done);
            case json -> {
                if (!answer.isMissingNode()) {
                    printer.json(answer);
                }
            }
            case csv -> {
                if (answer.isObject() && answer.has("id")) {
                    printer.one(answer, view);
                }
            }
        }
        return 0;
    }
}

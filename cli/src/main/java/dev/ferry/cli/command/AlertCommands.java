package dev.ferry.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ferry.cli.http.Query;
import dev.ferry.cli.output.Cells;
import dev.ferry.cli.output.Json;
import dev.ferry.cli.output.View;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code alerts:*}: monitors and the alert events they raised. */
public final class AlertCommands {

    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");

    private AlertCommands() {}

    @Command(name = "alerts:monitors:create",
            description = {"Create an alert monitor: one or more triggers, a scope, and its channels (webhook, Slack, email).",
                    "Trigger parameters follow a colon, e.g. --trigger EXECUTION_DURATION_EXCEEDED:durationSeconds=300."})
    public static final class MonitorsCreate extends ApiCommand {
        @Option(names = "--name", paramLabel = "NAME", required = true, order = 1, description = "The monitor's name.")
        String name;

        @Option(names = "--trigger", paramLabel = "TYPE[:K=V,...]", required = true, order = 2,
                description = {"A trigger (repeatable: the monitor fires on any of them): EXECUTION_FAILED, "
                        + "EXECUTION_DURATION_EXCEEDED, FAILURE_RATE, ... (see the docs), with its parameters after a colon,",
                        "e.g. --trigger FAILURE_RATE:percent=20,windowMinutes=15."})
        java.util.List<String> triggers = new ArrayList<>();

        @Option(names = "--param", paramLabel = "KEY=VALUE", order = 3,
                description = "A parameter of the one --trigger (repeatable); numbers and true/false are sent as such.")
        Map<String, String> params = new LinkedHashMap<>();

        @Option(names = "--instance", paramLabel = "ID", order = 4, description = "Scope: this instance.")
        String instanceId;

        @Option(names = "--flow-config", paramLabel = "ID", order = 5, description = "Scope: this flow config.")
        String flowConfigId;

        @Option(names = "--customer", paramLabel = "ID", order = 6, description = "Scope: this customer.")
        String customerId;

        @Option(names = "--webhook-url", paramLabel = "URL", order = 7, description = "POST alerts to this URL.")
        String webhookUrl;

        @Option(names = "--header", paramLabel = "'K: V'", order = 8,
                description = "A header for the webhook (repeatable).")
        java.util.List<String> headers = new ArrayList<>();

        @Option(names = "--secret", paramLabel = "S", order = 9,
                description = "Sign webhook bodies: x-ferry-signature: sha256=<HMAC>.")
        String secret;

        @Option(names = "--template", paramLabel = "T", order = 10,
                description = "Webhook body template ($SUBJECT, $INSTANCE, $EXECUTION_ID, ...).")
        String template;

        @Option(names = "--slack-url", paramLabel = "URL", order = 11,
                description = "Also post a readable message to this Slack incoming webhook.")
        String slackUrl;

        @Option(names = "--email", paramLabel = "ADDRESS", order = 12,
                description = "Also email alerts to this address (repeatable; needs the deployment's SES sender).")
        java.util.List<String> emails = new ArrayList<>();

        @Override
        protected int execute() {
            if (webhookUrl == null && (!headers.isEmpty() || secret != null || template != null)) {
                throw usage("--header, --secret and --template configure the webhook channel: give --webhook-url too");
            }
            if (triggers.size() > 1 && !params.isEmpty()) {
                throw usage("--param sets the parameters of a single --trigger; with several, write each one's "
                        + "after a colon: --trigger TYPE:key=value,key=value");
            }
            ObjectNode body = Json.object().put("name", name);
            ArrayNode ts = body.putArray("triggers");
            for (String trigger : triggers) {
                ObjectNode t = trigger(this, trigger);
                ts.add(t);
                params.forEach((k, v) -> t.set(k, typed(v)));
            }
            ObjectNode scope = body.putObject("scope");
            putIfSet(scope, "instanceId", instanceId);
            putIfSet(scope, "flowConfigId", flowConfigId);
            putIfSet(scope, "customerId", customerId);
            ArrayNode channels = body.putArray("channels");
            if (webhookUrl != null) {
                ObjectNode c = channels.addObject().put("type", "webhook").put("url", webhookUrl);
                c.set("headers", headers(headers, "--header"));
                putIfSet(c, "template", template);
                putIfSet(c, "secret", secret);
            }
            if (slackUrl != null) {
                channels.addObject().put("type", "slack").put("url", slackUrl);
            }
            if (!emails.isEmpty()) {
                ArrayNode to = channels.addObject().put("type", "email").putArray("to");
                emails.forEach(to::add);
            }
            printer().one(api().post("/monitors", body), View.MONITORS);
            return 0;
        }

        /**
         * {@code TYPE} or {@code TYPE:key=value,key=value} as a trigger object; a malformed one is
         * {@code command}'s usage error. Also read by {@code alerts:monitors:update}.
         */
        static ObjectNode trigger(ApiCommand command, String spec) {
            int colon = spec.indexOf(':');
            String type = (colon < 0 ? spec : spec.substring(0, colon)).strip();
            if (type.isEmpty()) {
                throw command.usage("Invalid value for option '--trigger': expected TYPE or TYPE:key=value,..., got '" + spec + "'");
            }
            ObjectNode t = Json.object().put("type", type.toUpperCase(Locale.ROOT));
            if (colon >= 0) {
                for (String pair : spec.substring(colon + 1).split(",")) {
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw command.usage("Invalid value for option '--trigger': expected key=value after the colon, got '"
                                + pair + "' in '" + spec + "'");
                    }
                    t.set(pair.substring(0, eq).strip(), typed(pair.substring(eq + 1).strip()));
                }
            }
            return t;
        }

        /** {@code 300} → 300, {@code true} → true, anything else → a string. */
        static JsonNode typed(String value) {
            if (value == null) {
                return TextNode.valueOf("");
            }
            if (NUMBER.matcher(value).matches()) {
                JsonNode n = Json.parseOrNull(value);
                if (n != null && n.isNumber()) {
                    return n;
                }
            }
            if (value.equals("true") || value.equals("false")) {
                return BooleanNode.valueOf(Boolean.parseBoolean(value));
            }
            return TextNode.valueOf(value);
        }

        private static void putIfSet(ObjectNode node, String field, String value) {
            if (value != null) {
                node.put(field, value);
            }
        }
    }

    @Command(name = "alerts:monitors:show", description = "Show an alert monitor: its triggers, scope and channels.")
    public static final class MonitorsShow extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The monitor.")
        String id;

        @Override
        protected int execute() {
            JsonNode m = api().get(path("monitors", id));
            switch (printer().format()) {
                case table -> printer().note(monitorText(m));
                case json -> printer().json(m);
                case csv -> printer().one(m, View.MONITORS);
            }
            return 0;
        }
    }

    /** A monitor for people: name, scope, each trigger with its parameters, each channel. */
    static String monitorText(JsonNode m) {
        StringBuilder sb = new StringBuilder();
        sb.append("Monitor   ").append(Cells.text(m, "id")).append('\n');
        sb.append("Name      ").append(Cells.text(m, "name")).append('\n');
        sb.append("Scope     ").append(View.MONITORS.columns().stream().filter(c -> c.header().equals("SCOPE"))
                .findFirst().map(c -> c.display().apply(m)).orElse("-")).append('\n');
        m.fields().forEachRemaining(f -> {
            if (f.getValue().isValueNode() && !java.util.Set.of("id", "name").contains(f.getKey())) {
                sb.append(String.format(Locale.ROOT, "%-10s", f.getKey())).append(Cells.text(f.getValue())).append('\n');
            }
        });
        sb.append("Triggers\n");
        for (JsonNode t : m.path("triggers")) {
            java.util.List<String> ps = new ArrayList<>();
            t.fields().forEachRemaining(f -> {
                if (!f.getKey().equals("type")) {
                    ps.add(f.getKey() + "=" + Cells.text(f.getValue()));
                }
            });
            sb.append("  ").append(Cells.text(t, "type")).append(ps.isEmpty() ? "" : "  " + String.join(" ", ps)).append('\n');
        }
        sb.append("Channels\n");
        if (m.path("channels").isEmpty()) {
            sb.append("  (none)\n");
        }
        for (JsonNode c : m.path("channels")) {
            String where = c.has("to") ? String.join(", ", java.util.stream.StreamSupport.stream(
                    c.path("to").spliterator(), false).map(JsonNode::asText).toList()) : Cells.text(c, "url");
            sb.append("  ").append(Cells.text(c, "type")).append("  ").append(where).append('\n');
        }
        return sb.toString().stripTrailing();
    }

    @Command(name = "alerts:monitors:list",
            description = "List alert monitors: all, those watching an instance (--instance), or a customer's (--customer).")
    public static final class MonitorsList extends ApiCommand {
        @Option(names = "--instance", paramLabel = "ID",
                description = "The monitors watching this instance: its own, its customer's and global ones.")
        String instanceId;

        @Option(names = "--customer", paramLabel = "ID", description = "The monitors of this customer and its instances.")
        String customerId;

        @Mixin
        Paging paging;

        @Override
        protected int execute() {
            Query q = paging.apply(Query.of().with("instanceId", instanceId).with("customerId", customerId));
            printer().list(api().list("/monitors", q, paging.all), View.MONITORS);
            return 0;
        }
    }

    @Command(name = "alerts:monitors:delete", description = "Delete an alert monitor.")
    public static final class MonitorsDelete extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The monitor.")
        String id;

        @Override
        protected int execute() {
            return InstanceCommands.printAction(printer(), api().delete(path("monitors", id), Query.of()),
                    "Deleted monitor " + id + ".", View.MONITORS);
        }
    }

    @Command(name = "alerts:events:list", description = "List alert events, newest first.")
    public static final class EventsList extends ApiCommand {
        @Option(names = "--monitor", paramLabel = "ID", description = "Only this monitor's alerts.")
        String monitorId;

        @Option(names = "--instance", paramLabel = "ID", description = "Only this instance's alerts.")
        String instanceId;

        @Option(names = "--since", paramLabel = "T",
                description = "Fired at or after T: ISO-8601 or an age (15m, 2h, 7d).")
        String since;

        @Option(names = "--unacknowledged", description = "Only the alerts no one has acknowledged yet.")
        boolean unacknowledged;

        @Mixin
        Paging paging;

        @Override
        protected int execute() {
            Query q = paging.apply(Query.of()
                    .with("monitorId", monitorId)
                    .with("instanceId", instanceId)
                    .with("since", time(since, "--since"))
                    .with("acknowledged", unacknowledged ? "false" : null));
            printer().list(api().list("/alerts", q, paging.all), View.ALERTS);
            return 0;
        }
    }
}

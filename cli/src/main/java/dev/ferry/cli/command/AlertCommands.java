package dev.ferry.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ferry.cli.http.Query;
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
            description = {"Create an alert monitor: one trigger, a scope, and optionally a webhook channel.",
                    "Trigger parameters go in --param, e.g. --param durationSeconds=300."})
    public static final class MonitorsCreate extends ApiCommand {
        @Option(names = "--name", paramLabel = "NAME", required = true, order = 1, description = "The monitor's name.")
        String name;

        @Option(names = "--trigger", paramLabel = "T", required = true, order = 2,
                description = "EXECUTION_FAILED, EXECUTION_DURATION_EXCEEDED, FAILURE_RATE, ... (see the docs).")
        String trigger;

        @Option(names = "--param", paramLabel = "KEY=VALUE", order = 3,
                description = "A trigger parameter (repeatable); numbers and true/false are sent as such.")
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

        @Override
        protected int execute() {
            if (webhookUrl == null && (!headers.isEmpty() || secret != null || template != null)) {
                throw usage("--header, --secret and --template configure the webhook channel: give --webhook-url too");
            }
            ObjectNode body = Json.object().put("name", name);
            ObjectNode t = body.putArray("triggers").addObject().put("type", trigger.toUpperCase(Locale.ROOT));
            params.forEach((k, v) -> t.set(k, typed(v)));
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
            printer().one(api().post("/monitors", body), View.MONITORS);
            return 0;
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

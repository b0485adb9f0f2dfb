package dev.ferry.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.cli.Times;
import dev.ferry.cli.output.Json;
import dev.ferry.cli.output.View;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Changing monitors during an incident ({@code PATCH /monitors/{id}}) and acknowledging alerts. */
public final class MonitorCommands {

    private MonitorCommands() {}

    @Command(name = "alerts:monitors:update",
            description = {"Change a monitor: its name, triggers (the list given replaces its own), scope or channels.",
                    "Trigger parameters follow a colon, e.g. --trigger FAILURE_RATE:percent=20,windowMinutes=15."})
    public static final class Update extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The monitor.")
        String id;

        @Option(names = "--name", paramLabel = "NAME", order = 1, description = "Its new name.")
        String name;

        @Option(names = "--trigger", paramLabel = "TYPE[:K=V,...]", order = 2,
                description = "A trigger (repeatable): the given ones replace the monitor's.")
        List<String> triggers = new ArrayList<>();

        @Option(names = "--instance", paramLabel = "ID", order = 3, description = "Scope: this instance.")
        String instanceId;

        @Option(names = "--customer", paramLabel = "ID", order = 4, description = "Scope: this customer.")
        String customerId;

        @Option(names = "--everything", order = 5, description = "Scope: every instance (admin key only).")
        boolean everything;

        @Option(names = "--webhook-url", paramLabel = "URL", order = 6,
                description = "Channels: POST alerts to this URL (repeatable; with --slack-url and --email, "
                        + "the given channels replace the monitor's).")
        List<String> webhookUrls = new ArrayList<>();

        @Option(names = "--slack-url", paramLabel = "URL", order = 7, description = "Channels: this Slack incoming webhook.")
        String slackUrl;

        @Option(names = "--email", paramLabel = "ADDRESS", order = 8, description = "Channels: email this address (repeatable).")
        List<String> emails = new ArrayList<>();

        @Option(names = "--no-channels", order = 9, description = "Remove every channel: alerts are only recorded.")
        boolean noChannels;

        @Override
        protected int execute() {
            ObjectNode body = Json.object();
            if (name != null) body.put("name", name);
            if (!triggers.isEmpty()) {
                ArrayNode ts = body.putArray("triggers");
                for (String t : triggers) ts.add(AlertCommands.MonitorsCreate.trigger(this, t));
            }
            int scopes = (instanceId != null ? 1 : 0) + (customerId != null ? 1 : 0) + (everything ? 1 : 0);
            if (scopes > 1) throw usage("give one scope: --instance, --customer or --everything");
            if (instanceId != null) body.putObject("scope").put("instanceId", instanceId);
            if (customerId != null) body.putObject("scope").put("customerId", customerId);
            if (everything) body.putObject("scope");
            boolean channels = !webhookUrls.isEmpty() || slackUrl != null || !emails.isEmpty();
            if (channels && noChannels) throw usage("--no-channels removes every channel: give no other channel option");
            if (channels || noChannels) {
                ArrayNode cs = body.putArray("channels");
                webhookUrls.forEach(u -> cs.addObject().put("type", "webhook").put("url", u));
                if (slackUrl != null) cs.addObject().put("type", "slack").put("url", slackUrl);
                if (!emails.isEmpty()) {
                    ArrayNode to = cs.addObject().put("type", "email").putArray("to");
                    emails.forEach(to::add);
                }
            }
            if (body.isEmpty()) throw usage("nothing to change: give --name, --trigger, a scope or channels");
            printer().one(api().patch(path("monitors", id), body), View.MONITORS);
            return 0;
        }
    }

    @Command(name = "alerts:monitors:mute",
            description = {"Mute a monitor until a time: its alerts are recorded (muted) but sent to no channel.",
                    "The mute ends by itself; at most 90 days ahead."})
    public static final class Mute extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The monitor.")
        String id;

        @Option(names = "--until", paramLabel = "T", required = true,
                description = "How long (30m, 2h, 3d) or until when (an ISO-8601 instant such as 2026-01-31T14:00:00Z).")
        String until;

        @Override
        protected int execute() {
            Instant at = until(until);
            JsonNode m = api().patch(path("monitors", id), Json.object().put("mutedUntil", at.toString()));
            return InstanceCommands.printAction(printer(), m, "Muted monitor " + id + " until " + at + ".", View.MONITORS);
        }

        /** An amount of time from now, or an instant. */
        private Instant until(String value) {
            try {
                return context().clock().instant().truncatedTo(ChronoUnit.SECONDS).plus(Times.duration(value));
            } catch (IllegalArgumentException notADuration) {
                try {
                    return Times.parse(value, context().clock());
                } catch (IllegalArgumentException e) {
                    throw usage("Invalid value for option '--until': '" + value + "' is neither a length of time "
                            + "(30m, 2h, 3d) nor an ISO-8601 instant (2026-01-31T14:00:00Z)");
                }
            }
        }
    }

    @Command(name = "alerts:monitors:unmute", description = "Unmute a monitor: its alerts are sent again.")
    public static final class Unmute extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The monitor.")
        String id;

        @Override
        protected int execute() {
            ObjectNode body = Json.object();
            body.set("mutedUntil", NullNode.getInstance());
            JsonNode m = api().patch(path("monitors", id), body);
            return InstanceCommands.printAction(printer(), m, "Unmuted monitor " + id + ".", View.MONITORS);
        }
    }

    @Command(name = "alerts:events:ack", description = "Acknowledge an alert: records who took it and when (once).")
    public static final class Ack extends ApiCommand {
        @Parameters(paramLabel = "ALERT_ID", description = "The alert.")
        String id;

        @Override
        protected int execute() {
            JsonNode a = api().post(path("alerts", id, "acknowledge"), null);
            return InstanceCommands.printAction(printer(), a, "Acknowledged alert " + id + " (by "
                    + a.path("acknowledgedBy").asText("?") + " at " + a.path("acknowledgedAt").asText("?") + ").",
                    View.ALERTS);
        }
    }
}

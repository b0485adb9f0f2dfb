package dev.ferry.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.cli.http.Query;
import dev.ferry.cli.output.Cells;
import dev.ferry.cli.output.ExecutionText;
import dev.ferry.cli.output.Json;
import dev.ferry.cli.output.Printer;
import dev.ferry.cli.output.View;
import java.math.BigDecimal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code executions:*}: list, show, replay one or many, cancel one or many. */
public final class ExecutionCommands {

    private ExecutionCommands() {}

    @Command(name = "executions:list", description = "List executions, newest first.")
    public static final class List extends ApiCommand {
        @Mixin
        ExecutionFilter filter;

        @Mixin
        Paging paging;

        @Override
        protected int execute() {
            Query query = paging.apply(filter.toQuery(this::time));
            printer().list(api().list("/executions", query, paging.all), View.EXECUTIONS);
            return 0;
        }
    }

    @Command(name = "executions:show",
            description = "Show an execution: lineage, request, each step's output and error, optionally its logs.")
    public static final class Show extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The execution.")
        String id;

        @Option(names = "--logs", description = "Also print the execution's log lines.")
        boolean logs;

        @Override
        protected int execute() {
            JsonNode execution = api().get(path("executions", id));
            java.util.List<JsonNode> lines = logs
                    ? api().list(path("executions", id, "logs"), Query.of(), true).items()
                    : null;
            Printer printer = printer();
            switch (printer.format()) {
                case table -> out().print(ExecutionText.detail(execution, lines));
                case json -> {
                    if (lines == null) {
                        printer.json(execution);
                    } else {
                        ObjectNode shown = execution.deepCopy();
                        shown.putArray("logs").addAll(lines);
                        printer.json(shown);
                    }
                }
                case csv -> printer.one(execution, View.EXECUTIONS);
            }
            return 0;
        }
    }

    @Command(name = "executions:replay",
            description = "Replay an execution: the same request (or the given body) on the current integration version.")
    public static final class Replay extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The execution to replay.")
        String id;

        @Option(names = "--payload", paramLabel = "JSON|@FILE",
                description = "Replay with this body instead of the original; @FILE reads it from a file.")
        String payload;

        @Override
        protected int execute() {
            ObjectNode body = Json.object();
            if (payload != null) {
                body.put("body", payload(payload, "--payload"));
            }
            JsonNode answer = api().post(path("executions", id, "replay"), body);
            Printer printer = printer();
            switch (printer.format()) {
                case table -> printer.note("Replay of " + id + " queued as execution "
                        + Cells.text(answer, "executionId") + ".");
                case json -> printer.json(answer);
                case csv -> printer.one(answer, new View("replays", java.util.List.of(
                        dev.ferry.cli.output.Column.field("EXECUTION ID", "executionId"))));
            }
            return 0;
        }
    }

    @Command(name = "executions:replay-bulk",
            description = {"Replay every execution matching the filters, as one job, with a progress bar.",
                    "Exits 1 if the job is cancelled."})
    public static final class ReplayBulk extends ApiCommand {
        @Mixin
        ExecutionFilter filter;

        @Option(names = "--name", paramLabel = "NAME", order = 20, description = "A name for the replay job.")
        String name;

        @Option(names = "--dry-run", order = 21, description = "Only count the matching executions.")
        boolean dryRun;

        @Option(names = "--rate", paramLabel = "N", order = 22, description = "Replays dispatched per second at most.")
        BigDecimal rate;

        @Override
        protected int execute() throws InterruptedException {
            if (rate != null && rate.signum() <= 0) {
                throw usage("Invalid value for option '--rate': must be greater than 0, got " + rate);
            }
            ObjectNode body = Json.object();
            body.set("filter", filter.toJson(this::time));
            body.put("dryRun", dryRun);
            if (name != null) {
                body.put("name", name);
            }
            if (rate != null) {
                body.put("ratePerSecond", rate.stripTrailingZeros().scale() <= 0
                        ? BigDecimal.valueOf(rate.longValueExact()) : rate);
            }
            JsonNode job = api().post("/replays", body);
            Printer printer = printer();
            if (dryRun) {
                switch (printer.format()) {
                    case table -> printer.note(job.path("matched").asLong() + " executions match (dry run: nothing replayed).");
                    case json -> printer.json(job);
                    case csv -> printer.one(job, View.REPLAY_JOBS);
                }
                return 0;
            }
            job = Jobs.watch(context(), api(), "replays", job, false);
            printer.one(job, View.REPLAY_JOBS);
            if (!"COMPLETED".equals(Cells.text(job, "status"))) {
                err().println("error: replay job " + Cells.text(job, "id") + " ended " + Cells.text(job, "status")
                        + " after dispatching " + job.path("dispatched").asLong() + " of " + job.path("matched").asLong());
                return 1;
            }
            return 0;
        }
    }

    @Command(name = "executions:cancel",
            description = {"Cancel an execution that has not run: QUEUED, HELD (instance paused with HOLD) or "
                    + "waiting for a retry.", "It ends CANCELLED with who cancelled it, and never runs."})
    public static final class Cancel extends ApiCommand {
        @Parameters(paramLabel = "ID", arity = "1..*", description = "The execution(s).")
        java.util.List<String> ids;

        @Override
        protected int execute() {
            Printer printer = printer();
            java.util.List<JsonNode> done = new java.util.ArrayList<>();
            for (String id : ids) {
                JsonNode e = api().post(path("executions", id, "cancel"), null);
                done.add(e);
                printer.note("Cancelled execution " + id + " (was queued " + Cells.text(e, "queuedAt") + ").");
            }
            if (!printer.table()) {
                if (printer.format() == dev.ferry.cli.output.Format.json && done.size() == 1) {
                    printer.json(done.get(0));
                } else {
                    printer.list(new dev.ferry.cli.http.Listing(Json.object(), done, null, true), View.EXECUTIONS);
                }
            }
            return 0;
        }
    }

    @Command(name = "executions:cancel-bulk",
            description = {"Cancel every execution matching the filters that has not run (QUEUED, HELD or waiting "
                    + "for a retry), as one job with a progress bar.",
                    "Without --yes it is a dry run: it only counts the matches."})
    public static final class CancelBulk extends ApiCommand {
        @Mixin
        ExecutionFilter filter;

        @Option(names = "--name", paramLabel = "NAME", order = 20, description = "A name for the cancellation.")
        String name;

        @Option(names = "--yes", order = 21, description = "Cancel them (without it: count only).")
        boolean yes;

        @Override
        protected int execute() throws InterruptedException {
            ObjectNode body = Json.object();
            body.set("filter", filter.toJson(this::time));
            body.put("dryRun", !yes);
            if (name != null) {
                body.put("name", name);
            }
            JsonNode job = api().post("/cancellations", body);
            Printer printer = printer();
            if (!yes) {
                switch (printer.format()) {
                    case table -> printer.note(job.path("matched").asLong() + " executions match (dry run: nothing "
                            + "cancelled). Run again with --yes to cancel those still queued, held or waiting for a retry.");
                    case json -> printer.json(job);
                    case csv -> printer.one(job, View.REPLAY_JOBS);
                }
                return 0;
            }
            job = Jobs.watch(context(), api(), "cancellations", job, false);
            switch (printer.format()) {
                case table -> printer.note("Cancellation " + Cells.text(job, "id") + " " + Cells.text(job, "status")
                        + ": " + job.path("dispatched").asLong() + " cancelled, " + job.path("skipped").asLong()
                        + " skipped (running or finished) of " + job.path("matched").asLong() + " matched.");
                case json -> printer.json(job);
                case csv -> printer.one(job, View.REPLAY_JOBS);
            }
            return "COMPLETED".equals(Cells.text(job, "status")) ? 0 : 1;
        }
    }
}

package dev.ferry.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.cli.http.Query;
import dev.ferry.cli.output.Printer;
import dev.ferry.cli.output.View;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code replays:*}: the bulk replay jobs ({@code executions:replay-bulk} starts one). */
public final class ReplayCommands {

    private ReplayCommands() {}

    @Command(name = "replays:list", description = "List bulk replay jobs, newest first.")
    public static final class List extends ApiCommand {
        @Mixin
        Paging paging;

        @Override
        protected int execute() {
            printer().list(api().list("/replays", paging.apply(Query.of()), paging.all), View.REPLAY_JOBS);
            return 0;
        }
    }

    @Command(name = "replays:show",
            description = {"Show a bulk replay job: its filter and progress.",
                    "With --watch, a progress bar until it has ended and its replays have run."})
    public static final class Show extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The replay job.")
        String id;

        @Option(names = "--watch", description = "Follow the job until it ends and every replay it dispatched has run.")
        boolean watch;

        @Override
        protected int execute() throws InterruptedException {
            JsonNode job = api().get(path("replays", id));
            if (watch) {
                job = Jobs.watch(context(), api(), "replays", job, true);
            }
            show(printer(), job);
            return 0;
        }
    }

    @Command(name = "replays:cancel",
            description = "Stop a running bulk replay: nothing more is dispatched; replays already dispatched run.")
    public static final class Cancel extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The replay job.")
        String id;

        @Override
        protected int execute() {
            JsonNode job = api().post(path("replays", id, "cancel"), null);
            Printer printer = printer();
            if (printer.table()) {
                printer.note("Replay job " + id + " is " + job.path("status").asText() + " after dispatching "
                        + job.path("dispatched").asLong() + " of " + job.path("matched").asLong() + ".");
            } else {
                printer.one(job, View.REPLAY_JOBS);
            }
            return 0;
        }
    }

    /** A job as {@code replays:show} prints it: the detail in tables, the answer otherwise. */
    static void show(Printer printer, JsonNode job) {
        switch (printer.format()) {
            case table -> printer.note(Jobs.detail(job).stripTrailing());
            case json -> printer.json(job);
            case csv -> printer.one(job, View.REPLAY_JOBS);
        }
    }
}

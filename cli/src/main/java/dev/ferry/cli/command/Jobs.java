package dev.ferry.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.cli.CliContext;
import dev.ferry.cli.CliException;
import dev.ferry.cli.http.ApiClient;
import dev.ferry.cli.output.Cells;
import dev.ferry.cli.output.ProgressBar;
import dev.ferry.cli.output.Table;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Bulk jobs (replays at {@code /replays}, cancellations at {@code /cancellations}): their progress bar and detail. */
final class Jobs {

    /** How often a watched job is polled. */
    static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

    static final Set<String> DONE = Set.of("COMPLETED", "CANCELLED", "FAILED");

    private Jobs() {}

    /** The bar's text after the counts: what a replay dispatched and how its replays ended; what a cancellation did. */
    static String progress(JsonNode job) {
        if ("CANCEL".equals(Cells.text(job, "kind"))) {
            return "cancelled, " + job.path("skipped").asLong() + " skipped (running or finished)";
        }
        return "dispatched, " + job.path("succeeded").asLong() + " succeeded, " + job.path("failed").asLong() + " failed";
    }

    /** Done and total for the bar: a cancellation counts what it went through (cancelled or skipped). */
    static long done(JsonNode job) {
        long dispatched = job.path("dispatched").asLong();
        return "CANCEL".equals(Cells.text(job, "kind")) ? dispatched + job.path("skipped").asLong() : dispatched;
    }

    /**
     * Polls {@code <base>/<id>}, drawing the bar on stderr, until the job is COMPLETED or CANCELLED
     * and, for a replay with {@code untilRun}, until every dispatched replay has run.
     */
    static JsonNode watch(CliContext context, ApiClient api, String base, JsonNode started, boolean untilRun)
            throws InterruptedException {
        String id = Cells.text(started, "id");
        if (id == null) {
            throw new CliException("the API's answer names no job id");
        }
        ProgressBar bar = new ProgressBar(context.err(), context.interactive(), 30);
        JsonNode job = started;
        while (true) {
            bar.update(done(job), job.path("matched").asLong(), progress(job));
            if (DONE.contains(Cells.text(job, "status")) && (!untilRun || allRun(job))) {
                bar.finish();
                return job;
            }
            context.sleeper().sleep(POLL_INTERVAL);
            job = api.get(ApiClient.path(base, id));
        }
    }

    /** Every dispatched replay has an outcome (always true for a cancellation or a cancelled job). */
    static boolean allRun(JsonNode job) {
        if ("CANCEL".equals(Cells.text(job, "kind")) || !"COMPLETED".equals(Cells.text(job, "status"))) {
            return true;
        }
        return job.path("succeeded").asLong() + job.path("failed").asLong() >= job.path("dispatched").asLong();
    }

    /** A job for people: what it is, its filter, its counts. */
    static String detail(JsonNode job) {
        List<String[]> rows = new ArrayList<>();
        boolean cancel = "CANCEL".equals(Cells.text(job, "kind"));
        rows.add(row(cancel ? "Cancellation" : "Replay job", Cells.text(job, "id")));
        rows.add(row("Name", Cells.text(job, "name")));
        rows.add(row("Status", Cells.text(job, "status")));
        rows.add(row("Started by", Cells.text(job, "createdBy")));
        List<String> filter = new ArrayList<>();
        job.path("filter").fields().forEachRemaining(f -> filter.add(f.getKey() + "=" + Cells.text(f.getValue())));
        rows.add(row("Filter", filter.isEmpty() ? null : String.join(" ", filter)));
        rows.add(row("Matched", Cells.text(job, "matched")));
        if (cancel) {
            rows.add(row("Cancelled", Cells.text(job, "dispatched")));
            rows.add(row("Skipped", Cells.text(job, "skipped")));
        } else {
            rows.add(row("Dispatched", Cells.text(job, "dispatched")));
            rows.add(row("Skipped", Cells.text(job, "skipped")));
            rows.add(row("Succeeded", Cells.text(job, "succeeded")));
            rows.add(row("Failed", Cells.text(job, "failed")));
            rows.add(row("Rate", job.path("ratePerSecond").isNumber() ? Cells.text(job, "ratePerSecond") + "/s" : null));
        }
        rows.add(row("Created at", Cells.text(job, "createdAt")));
        rows.add(row("Updated at", Cells.text(job, "updatedAt")));
        return Table.align(rows);
    }

    private static String[] row(String label, String value) {
        return new String[] {label, value == null || value.isEmpty() ? "-" : value};
    }
}

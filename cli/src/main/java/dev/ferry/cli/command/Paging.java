package dev.ferry.cli.command;

import dev.ferry.cli.http.Query;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --limit N} (page size, 1–100) and {@code --all} (follow {@code nextCursor}) for list commands. */
public final class Paging {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    Integer limit;

    @Option(names = "--all", order = 90, description = "Fetch every page (follow nextCursor).")
    boolean all;

    @Option(names = "--limit", paramLabel = "N", order = 89,
            description = "Items per page, 1-100 (default: the API's).")
    void limit(int n) {
        if (n < 1 || n > 100) {
            throw new ParameterException(mixee.commandLine(),
                    "Invalid value for option '--limit': must be between 1 and 100, got " + n);
        }
        limit = n;
    }

    Query apply(Query query) {
        return query.with("limit", limit);
    }
}

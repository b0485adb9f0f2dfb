package dev.ferry.cli.command;

import dev.ferry.cli.http.Query;
import dev.ferry.cli.output.View;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code logs:*}. */
public final class LogCommands {

    private LogCommands() {}

    @Command(name = "logs:search",
            description = "Search an instance's (or, with --customer, a customer's) log lines, oldest first.")
    public static final class Search extends ApiCommand {
        @Parameters(paramLabel = "INSTANCE_ID", description = "The instance (a customer with --customer).")
        String id;

        @Option(names = "--customer", description = "The ID is a customer's: search all its instances.")
        boolean customer;

        @Option(names = "--query", paramLabel = "TEXT",
                description = "Words and \"quoted phrases\" every line must contain (any case).")
        String query;

        @Option(names = "--severity", paramLabel = "LEVEL",
                description = "Minimum level: ${COMPLETION-CANDIDATES}.")
        Choices.Severity severity;

        @Option(names = "--since", paramLabel = "T",
                description = "At or after T: ISO-8601 (2025-01-31T12:00:00Z) or an age (15m, 2h, 7d).")
        String since;

        @Option(names = "--until", paramLabel = "T", description = "Before T (same forms as --since).")
        String until;

        @Mixin
        Paging paging;

        @Override
        protected int execute() {
            Query q = paging.apply(Query.of()
                    .with("q", query)
                    .with("severity", severity)
                    .with("since", time(since, "--since"))
                    .with("until", time(until, "--until")));
            String path = customer ? path("customers", id, "logs") : path("instances", id, "logs");
            printer().list(api().list(path, q, paging.all), customer ? View.CUSTOMER_LOG_LINES : View.LOG_LINES);
            return 0;
        }
    }
}

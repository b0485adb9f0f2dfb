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
            description = {"Search an instance's (or, with --customer, a customer's) log lines, oldest first.",
                    "--all-customers (admin key): every customer's, ten instances at a time."})
    public static final class Search extends ApiCommand {
        @Parameters(paramLabel = "INSTANCE_ID", arity = "0..1", description = "The instance (a customer with --customer).")
        String id;

        @Option(names = "--customer", description = "The ID is a customer's: search all its instances.")
        boolean customer;

        @Option(names = "--all-customers", description = "Every customer's instances (an admin key; no ID).")
        boolean allCustomers;

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
            if (allCustomers && (id != null || customer)) {
                throw usage("--all-customers searches every customer's logs: give no ID and no --customer");
            }
            if (!allCustomers && id == null) {
                throw usage("Missing required parameter: 'INSTANCE_ID' (or --all-customers for every customer's logs)");
            }
            String path = allCustomers ? "/logs" : customer ? path("customers", id, "logs") : path("instances", id, "logs");
            printer().list(api().list(path, q, paging.all),
                    customer || allCustomers ? View.CUSTOMER_LOG_LINES : View.LOG_LINES);
            return 0;
        }
    }
}

package dev.ferry.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.cli.http.Query;
import dev.ferry.cli.output.Json;
import dev.ferry.cli.output.View;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code api-keys:*}: admin keys and customer-scoped keys, which a platform team hands out and revokes.
 */
public final class ApiKeyCommands {

    private ApiKeyCommands() {}

    @Command(name = "api-keys:create",
            description = {"Create an API key: an admin key, or with --customer one that sees only that customer.",
                    "The key is printed once; only its hash is stored."})
    public static final class Create extends ApiCommand {
        @Option(names = "--name", paramLabel = "NAME", required = true, description = "What the key is for.")
        String name;

        @Option(names = "--customer", paramLabel = "ID", description = "Scope the key to this customer.")
        String customerId;

        @Override
        protected int execute() {
            ObjectNode body = Json.object().put("name", name);
            if (customerId != null) {
                body.put("customerId", customerId);
            }
            printer().one(api().post("/api-keys", body), View.NEW_API_KEY);
            printer().note("Store the key now: it is not shown again.");
            return 0;
        }
    }

    @Command(name = "api-keys:list", description = "List API keys (without the keys).")
    public static final class List extends ApiCommand {
        @Option(names = "--customer", paramLabel = "ID", description = "Only this customer's keys.")
        String customerId;

        @Mixin
        Paging paging;

        @Override
        protected int execute() {
            printer().list(api().list("/api-keys", paging.apply(Query.of().with("customerId", customerId)), paging.all),
                    View.API_KEYS);
            return 0;
        }
    }

    @Command(name = "api-keys:delete", description = "Revoke an API key.")
    public static final class Delete extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The key's id (not the key).")
        String id;

        @Override
        protected int execute() {
            return InstanceCommands.printAction(printer(), api().delete(path("api-keys", id), Query.of()),
                    "Revoked API key " + id + ".", View.API_KEYS);
        }
    }
}

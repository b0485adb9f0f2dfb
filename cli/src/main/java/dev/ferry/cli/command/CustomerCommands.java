package dev.ferry.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.cli.http.Query;
import dev.ferry.cli.output.Json;
import dev.ferry.cli.output.View;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code customers:*}. */
public final class CustomerCommands {

    private CustomerCommands() {}

    @Command(name = "customers:list", description = "List customers.")
    public static final class List extends ApiCommand {
        @Mixin
        Paging paging;

        @Override
        protected int execute() {
            printer().list(api().list("/customers", paging.apply(Query.of()), paging.all), View.CUSTOMERS);
            return 0;
        }
    }

    @Command(name = "customers:create", description = "Create a customer.")
    public static final class Create extends ApiCommand {
        @Option(names = "--name", paramLabel = "NAME", required = true, description = "The customer's name.")
        String name;

        @Option(names = "--external-id", paramLabel = "ID", description = "Your own id for this customer.")
        String externalId;

        @Override
        protected int execute() {
            ObjectNode body = Json.object().put("name", name);
            if (externalId != null) {
                body.put("externalId", externalId);
            }
            printer().one(api().post("/customers", body), View.CUSTOMERS);
            return 0;
        }
    }
}

package dev.ferry.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.cli.http.Query;
import dev.ferry.cli.output.Json;
import dev.ferry.cli.output.View;
import java.util.ArrayList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dead-letters:*}: messages the queues gave up on (admin key only), and moving them back. */
public final class DeadLetterCommands {
    private static final String QUEUES = "execution, retry, monitor, replay-job or schedule";

    private DeadLetterCommands() {}

    @Command(name = "dead-letters:list",
            description = "List a queue's dead letters: messages that failed on every delivery (admin key only).")
    public static final class List extends ApiCommand {
        @Option(names = "--queue", paramLabel = "Q", required = true, description = "The queue: " + QUEUES + ".")
        String queue;

        @Option(names = "--limit", paramLabel = "N", description = "At most N messages (1-100, default 50).")
        Integer limit;

        @Override
        protected int execute() {
            printer().list(api().list("/dead-letters", Query.of().with("queue", queue).with("limit", limit), false),
                    View.DEAD_LETTERS);
            return 0;
        }
    }

    @Command(name = "dead-letters:redrive",
            description = {"Move dead letters back to their queue, to run again once the cause is fixed (admin key only).",
                    "Without --id every message of the queue is moved (up to 100 per call)."})
    public static final class Redrive extends ApiCommand {
        @Option(names = "--queue", paramLabel = "Q", required = true, description = "The queue: " + QUEUES + ".")
        String queue;

        @Option(names = "--id", paramLabel = "ID", description = "A message id from dead-letters:list (repeatable).")
        java.util.List<String> ids = new ArrayList<>();

        @Override
        protected int execute() {
            ObjectNode body = Json.object().put("queue", queue);
            if (!ids.isEmpty()) {
                ArrayNode a = body.putArray("messageIds");
                ids.forEach(a::add);
            }
            JsonNode answer = api().post("/dead-letters/redrive", body);
            if (!printer().table()) {
                printer().json(answer);
                return 0;
            }
            int moved = answer.path("moved").size();
            printer().note("Moved " + moved + " message" + (moved == 1 ? "" : "s") + " back to the " + queue + " queue.");
            if (answer.path("notFound").size() > 0) {
                java.util.List<String> missing = new ArrayList<>();
                answer.get("notFound").forEach(n -> missing.add(n.asText()));
                printer().note("Not found (already moved or gone): " + String.join(", ", missing));
            }
            return 0;
        }
    }
}

package dev.ferry.local;

import static dev.ferry.local.StackFixture.JSON;
import static dev.ferry.local.StackFixture.poll;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.local.StackFixture.Cli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The incident loop end to end, through the CLI only, on the local stack: orders fail on a buggy
 * integration version, the operator pauses the instance with HOLD while more arrive, cancels the
 * held one that must not run, ships a fixed version, moves the instance to it, unpauses (the held
 * orders run on the fix), bulk-replays the failures, watches the replay job, and ends with no
 * unresolved failure. Only the senders' webhooks go over HTTP directly, as a sender's would.
 */
class IncidentLoopIT {
    private static final String BUGGY = """
            {"name": "Order push",
             "flows": [{"name": "Push", "trigger": {"type": "webhook"},
               "steps": [{"name": "push", "type": "fail", "message": "{% 'order ' & $trigger.body.id & ': pushed to the wrong endpoint' %}",
                          "retryable": false}]}]}
            """;
    private static final String FIXED = """
            {"name": "Order push",
             "flows": [{"name": "Push", "trigger": {"type": "webhook"},
               "steps": [{"name": "push", "type": "log", "severity": "INFO", "message": "{% 'order ' & $trigger.body.id & ' pushed' %}"}]}]}
            """;

    private static StackFixture local;
    private static Path files;

    @BeforeAll
    static void start() throws IOException {
        local = StackFixture.start("incident-it", b -> {});
        files = Files.createTempDirectory("ferry-incident");
    }

    @AfterAll
    static void stop() {
        if (local != null) local.close();
    }

    private static Path file(String name, String text) {
        try {
            return Files.writeString(files.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a CLI command that must succeed; its output. */
    private static String ok(String... args) {
        Cli r = local.cli(args);
        assertThat(r.status()).as(String.join(" ", args) + "\n" + r.err()).isZero();
        return r.out();
    }

    private static JsonNode json(String... args) {
        String[] withJson = java.util.Arrays.copyOf(args, args.length + 2);
        withJson[args.length] = "--output";
        withJson[args.length + 1] = "json";
        try {
            return JSON.readTree(ok(withJson));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The instance's executions as {@code executions:list} shows them (JSON), with extra filters. */
    private static List<JsonNode> executions(String instanceId, String... filters) {
        List<String> args = new ArrayList<>(List.of("executions:list", "--instance", instanceId, "--all"));
        args.addAll(List.of(filters));
        List<JsonNode> items = new ArrayList<>();
        json(args.toArray(String[]::new)).path("items").forEach(items::add);
        return items;
    }

    private static Set<String> ids(List<JsonNode> executions) {
        Set<String> ids = new TreeSet<>();
        executions.forEach(e -> ids.add(e.path("id").asText()));
        return ids;
    }

    @Test
    void failuresHeldWhilePausedAreCancelledFixedUnpausedAndReplayedUntilNothingIsUnresolved() throws Exception {
        // Setup: a customer, the buggy integration, an instance that holds webhooks while paused.
        String customerId = json("customers:create", "--name", "Acme").path("id").asText();
        String integrationId = json("integrations:create", "--file", file("push-v1.json", BUGGY).toString())
                .path("id").asText();
        JsonNode instance = json("instances:create", "--name", "Acme orders", "--customer", customerId,
                "--integration", integrationId, "--pause-mode", "HOLD");
        String instanceId = instance.path("id").asText();
        String webhookUrl = instance.path("flowConfigs").get(0).path("webhookUrl").asText();

        // The incident: orders 1 and 2 fail on version 1.
        Set<String> failed = new TreeSet<>(List.of(local.webhook(webhookUrl, "{\"id\": 1}"),
                local.webhook(webhookUrl, "{\"id\": 2}")));
        poll(() -> executions(instanceId, "--status", "FAILED"), l -> ids(l).equals(failed), "orders 1 and 2 to fail");

        // Pause: orders 3 and 4 pile up HELD, with a test order that must never reach the customer.
        assertThat(ok("instances:pause", instanceId)).contains("Paused instance " + instanceId);
        String held3 = local.webhook(webhookUrl, "{\"id\": 3}");
        String held4 = local.webhook(webhookUrl, "{\"id\": 4}");
        String testOrder = local.webhook(webhookUrl, "{\"id\": 999, \"test\": true}");
        // Listings read an index, which (as DynamoDB's) may show a write a moment late: look until it does.
        poll(() -> executions(instanceId, "--status", "HELD"), l -> ids(l).equals(Set.of(held3, held4, testOrder)),
                "the three orders held");

        // The operator cancels the test order, then counts what is still held (a dry run cancels nothing).
        assertThat(ok("executions:cancel", testOrder)).contains("Cancelled execution " + testOrder);
        Cli again = local.cli("executions:cancel", testOrder);
        assertThat(again.status()).isNotZero();
        assertThat(again.err()).contains("is CANCELLED already (by admin)");
        assertThat(ok("executions:cancel-bulk", "--instance", instanceId, "--status", "HELD"))
                .contains("2 executions match (dry run: nothing cancelled)");
        poll(() -> executions(instanceId, "--status", "HELD"), l -> ids(l).equals(Set.of(held3, held4)),
                "the two real orders still held");

        // The fix: version 2, the instance moved to it while still paused.
        assertThat(ok("integrations:versions:create", integrationId, "--file", file("push-v2.json", FIXED).toString()))
                .contains("Created version 2 of integration " + integrationId);
        String versions = ok("integrations:versions:list", integrationId);
        assertThat(versions).containsPattern("(?m)^2\\s+Order push\\s+Push\\s+yes\\s*$").containsPattern("(?m)^1\\s+Order push");
        assertThat(ok("instances:update", instanceId, "--version", "2"))
                .contains("Integration  " + integrationId + " version 2").contains("paused");
        assertThat(ok("instances:show", instanceId)).contains("version 2").contains("HOLD");

        // Unpause: the held orders run on version 2; the cancelled test order never runs.
        assertThat(ok("instances:unpause", instanceId)).contains("Unpaused instance " + instanceId);
        poll(() -> executions(instanceId, "--status", "SUCCEEDED"), l -> ids(l).containsAll(Set.of(held3, held4)),
                "the held orders to run on the fix");

        // Bulk-replay the unresolved failures and watch the job until its replays ran.
        String replayed = ok("executions:replay-bulk", "--instance", instanceId, "--unresolved", "--originals-only",
                "--name", "after the fix");
        assertThat(replayed).contains("after the fix").contains("COMPLETED");
        JsonNode jobs = json("replays:list");
        assertThat(jobs.path("items")).hasSize(1);
        String jobId = jobs.path("items").get(0).path("id").asText();
        Cli watched = local.cli("replays:show", jobId, "--watch");
        assertThat(watched.status()).as(watched.err()).isZero();
        assertThat(watched.err()).as("the progress bar").contains("2/2 dispatched");
        assertThat(watched.out()).containsPattern("Status\\s+COMPLETED").containsPattern("Matched\\s+2")
                .containsPattern("Succeeded\\s+2").containsPattern("Failed\\s+0").contains("after the fix");

        // Nothing is left unresolved; the test order stayed cancelled and never ran.
        poll(() -> executions(instanceId, "--unresolved"), List::isEmpty, "no unresolved failure");
        assertThat(ok("executions:list", "--instance", instanceId, "--unresolved")).doesNotContain("FAILED");
        JsonNode cancelled = json("executions:show", testOrder);
        assertThat(cancelled.path("status").asText()).isEqualTo("CANCELLED");
        assertThat(cancelled.path("cancelledBy").asText()).isEqualTo("admin");
        assertThat(cancelled.path("startedAt").isNull()).isTrue();
        assertThat(cancelled.path("steps")).isEmpty();
        assertThat(ok("executions:show", testOrder)).containsPattern("Cancelled by\\s+admin");
        for (String id : failed) {
            JsonNode original = json("executions:show", id);
            assertThat(original.path("resolved").asBoolean()).as(id + " resolved by its replay").isTrue();
        }
    }
}

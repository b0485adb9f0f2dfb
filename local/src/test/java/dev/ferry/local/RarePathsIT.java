package dev.ferry.local;

import static dev.ferry.local.StackFixture.json;
import static dev.ferry.local.StackFixture.poll;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.core.Ferry;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.Trigger;
import dev.ferry.functions.Wiring;
import dev.ferry.infra.AwsClients;
import dev.ferry.infra.logs.CloudWatchLogsLogStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The paths a stack takes rarely, each run with IAM enforced (every function with its own role), so
 * that what they ask AWS for is in the ledger {@link IamPolicyAudit} holds the roles to: an unpause
 * and a deletion too large for their request, finished through the execution queue by the flow
 * execution function; a synchronous webhook reading a large execution back; a webhook held through
 * a route cached before its instance was deleted; a schedule tick delivered twice; a retry and a
 * replay of an execution whose body is in S3, and a retry not due yet; an instance whose customer's log group
 * went missing. The stack's requests do no work past their first page
 * ({@code FERRY_WORK_IN_REQUEST_SECONDS=0}) and its webhook function trusts a cached route for ten
 * minutes, so each path is taken every run, not by timing.
 */
class RarePathsIT {
    private static final String DEFINITION = """
            {"name": "Order sync",
             "configVariables": [{"key": "apiBase", "required": true}],
             "flows": [
               {"name": "On order", "trigger": {"type": "webhook"},
                "steps": [{"name": "log", "type": "log", "message": "{% 'order ' & $string($trigger.body.id) %}"},
                          {"name": "shape", "type": "transform", "output": {"id": "{% $trigger.body.id %}",
                           "size": "{% $length($trigger.body.pad) %}"}}]},
               {"name": "Push", "trigger": {"type": "webhook"},
                "retry": {"maxAttempts": 2, "delaySeconds": 1},
                "steps": [{"name": "push", "type": "http", "method": "POST", "url": "{% $config.apiBase & '/orders' %}",
                           "body": "{% $trigger.body %}"}]},
               {"name": "Nightly", "trigger": {"type": "schedule", "schedule": "rate(1 day)"},
                "steps": [{"name": "tick", "type": "log", "message": "tick"}]}
             ]}
            """;
    /** Over the 64 KiB a request body is kept inline in its item: it goes to S3. */
    private static final String PAD = "x".repeat(70 * 1024);

    private static StackFixture fx;
    private static HttpServer receiver;
    private static AwsClients aws;
    private static String customerId;
    private static String integrationId;
    private static String apiBase;

    record Made(String id, String name, String orderUrl, String pushUrl, String nightlyFlowConfigId) {}

    @BeforeAll
    static void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            exchange.sendResponseHeaders(503, -1); // the third party is down: pushes fail and are retried
            exchange.close();
        });
        receiver.start();
        apiBase = "http://127.0.0.1:" + receiver.getAddress().getPort();
        fx = StackFixture.start("rare-paths-it", b -> b
                .functionEnvironment("FERRY_WORK_IN_REQUEST_SECONDS", "0")
                .functionEnvironment("FERRY_ROUTE_CACHE_SECONDS", "600"));
        aws = AwsClients.fromEnv(fx.stack.adminEnvironment());
        customerId = fx.call("POST", "/customers", "{\"name\": \"Acme\"}", 201).path("id").asText();
        integrationId = fx.call("POST", "/integrations", DEFINITION, 201).path("id").asText();
    }

    @AfterAll
    static void stop() {
        if (fx != null) fx.close();
        if (receiver != null) receiver.stop(0);
        if (aws != null) aws.close();
    }

    @Test
    void anUnpauseAndADeletionTooLargeForTheirRequestFinishThroughTheQueue() throws Exception {
        Made m = instance("Acme bulk");
        fx.call("PATCH", "/instances/" + m.id(), "{\"pauseMode\": \"HOLD\"}", 200);
        fx.call("POST", "/instances/" + m.id() + "/pause", null, 200);
        int n = 105; // more than the 100 a page holds
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) ids.add(fx.webhook(m.orderUrl(), "{\"id\": " + i + "}"));

        JsonNode unpaused = fx.call("POST", "/instances/" + m.id() + "/unpause", null, 200);
        assertThat(unpaused.path("held").path("released").asInt()).as("the request released one page: " + unpaused)
                .isEqualTo(100);
        assertThat(unpaused.path("held").path("more").asBoolean()).isTrue();
        poll(() -> count(m, "HELD") + count(m, "QUEUED") + count(m, "RUNNING"), c -> c == 0,
                "every held execution released (the last " + (n - 100) + " by the queued release) and run");
        assertThat(count(m, "SUCCEEDED")).isEqualTo(n);

        JsonNode deleting = fx.call("DELETE", "/instances/" + m.id() + "?confirm=Acme%20bulk", null, 202);
        assertThat(deleting.path("status").asText()).isEqualTo("DELETING");
        assertThat(deleting.path("more").asBoolean()).isTrue();
        assertThat(fx.get("/instances/" + m.id()).statusCode()).as("gone for the API at once").isEqualTo(404);
        // Its log stream is deleted last but for the instance's item, by the queued continuation.
        poll(() -> aws.logs().describeLogStreams(b -> b.logGroupName(CloudWatchLogsLogStore.groupName(customerId))
                        .logStreamNamePrefix(m.id())).logStreams(),
                List::isEmpty, "the queued deletion to delete the log stream");
        fx.awaitQueuesIdle("ExecutionQueue");
        for (String id : ids) assertThat(fx.get("/executions/" + id).statusCode()).as(id).isEqualTo(404);
        assertThat(fx.call("GET", "/executions?instanceId=" + m.id(), null, 200).path("items")).isEmpty();
    }

    @Test
    void aSynchronousWebhookReadsItsExecutionBackWithItsBodyFromS3() throws Exception {
        Made m = instance("Acme sync");
        HttpResponse<String> r = fx.send(HttpRequest.newBuilder(URI.create(m.orderUrl()))
                .header("content-type", "application/json").header("x-ferry-synchronous", "true")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\": 7, \"pad\": \"" + PAD + "\"}")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).path("id").asInt()).isEqualTo(7);
        assertThat(json(r).path("size").asInt()).isEqualTo(PAD.length());
    }

    @Test
    void aWebhookHeldThroughARouteCachedBeforeItsInstanceWasDeletedIsDeleted() throws Exception {
        Made m = instance("Acme gone");
        fx.call("PATCH", "/instances/" + m.id(), "{\"pauseMode\": \"HOLD\"}", 200);
        fx.call("POST", "/instances/" + m.id() + "/pause", null, 200);
        fx.call("POST", "/monitors", "{\"name\": \"Removed\", \"triggers\": [{\"type\": \"INSTANCE_REMOVED\"}],"
                + " \"scope\": {\"instanceId\": \"" + m.id() + "\"},"
                + " \"channels\": [{\"type\": \"email\", \"to\": [\"removed@example.test\"]}]}", 201);
        String held = fx.webhook(m.orderUrl(), "{\"id\": 1}"); // the webhook function caches the route: paused
        poll(() -> fx.call("GET", "/executions/" + held, null, 200).path("status").asText(), "HELD"::equals, "held");

        fx.call("DELETE", "/instances/" + m.id() + "?confirm=Acme%20gone", null, 204);
        poll(fx::sentEmails, l -> l.stream().anyMatch(e -> e.path("destinations").toString()
                .contains("removed@example.test")), "the INSTANCE_REMOVED email, sent by the deleting request");

        HttpResponse<String> late = fx.send(HttpRequest.newBuilder(URI.create(m.orderUrl()))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\": 2, \"pad\": \"" + PAD + "\"}")));
        assertThat(late.statusCode()).as("accepted through the cached route: " + late.body()).isEqualTo(202);
        String lateId = json(late).path("executionId").asText();
        assertThat(fx.get("/executions/" + lateId).statusCode()).as("deleted by the webhook's own request").isEqualTo(404);
    }

    @Test
    void aWebhookThroughARouteCachedBeforeItsInstanceWasDeletedIsDeletedByTheRunner() throws Exception {
        Made m = instance("Acme removed");
        String first = fx.webhook(m.orderUrl(), "{\"id\": 1}"); // the webhook function caches the route
        assertThat(fx.awaitEnd(first).path("status").asText()).isEqualTo("SUCCEEDED");

        fx.call("DELETE", "/instances/" + m.id() + "?confirm=Acme%20removed", null, 204);
        HttpResponse<String> late = fx.send(HttpRequest.newBuilder(URI.create(m.orderUrl()))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"id\": 2}")));
        assertThat(late.statusCode()).as("accepted through the cached route: " + late.body()).isEqualTo(202);
        String lateId = json(late).path("executionId").asText();

        // The runner claims it, finds no instance, and deletes it: nothing of the instance is left, nothing ran.
        poll(() -> fx.get("/executions/" + lateId).statusCode(), status -> status == 404, "the late execution deleted by the runner");
        fx.awaitQueuesIdle("ExecutionQueue");
    }

    @Test
    void aScheduleTickDeliveredTwiceIsRecordedOnce() throws Exception {
        Made m = instance("Acme nightly");
        String tick = "{\"flowConfigId\": \"" + m.nightlyFlowConfigId() + "\", \"scheduledTime\": \""
                + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES) + "\"}";
        assertThat(fx.invoke("ScheduledTriggerFunction", tick).path("outcome").asText()).isEqualTo("QUEUED");
        assertThat(fx.invoke("ScheduledTriggerFunction", tick).path("outcome").asText()).isEqualTo("DUPLICATE");
    }

    @Test
    void aFailedExecutionWithItsBodyInS3IsRetriedAndReplayed() throws Exception {
        Made m = instance("Acme push");
        String first = fx.webhook(m.pushUrl(), "{\"id\": 9, \"pad\": \"" + PAD + "\"}");
        // The push fails (503), its retry is dispatched a second later as a new execution of the same body.
        JsonNode retried = poll(() -> fx.call("GET", "/executions?instanceId=" + m.id() + "&status=FAILED", null, 200)
                .path("items"), items -> items.size() == 2, "the first attempt and its retry, both failed");
        String retry = null;
        for (JsonNode e : retried) if (!e.path("id").asText().equals(first)) retry = e.path("id").asText();
        JsonNode retryExecution = fx.call("GET", "/executions/" + retry, null, 200);
        assertThat(retryExecution.path("request").path("body").asText()).as("the retry's body, read from S3").contains(PAD);

        JsonNode replay = fx.call("POST", "/executions/" + first + "/replay", null, 202);
        String replayId = replay.path("executionId").asText();
        JsonNode replayed = fx.awaitEnd(replayId);
        assertThat(replayed.path("request").path("body").asText()).as("the replay's body").contains(PAD);

        // A retry message that is not due yet (more than the queue's 15-minute delay away) waits again.
        JsonNode notDue = fx.invoke("RetryDispatchFunction", StackFixture.retryQueueEvent("rare-paths-it-1", "{\"executionId\": \"" + first + "\", \"dueAt\": \""
                + Instant.now().plus(Duration.ofHours(2)) + "\"}"));
        assertThat(notDue.path("batchItemFailures")).as(notDue.toString()).isEmpty();
    }

    @Test
    void anInstanceWhoseCustomersLogGroupWentMissingHasItMadeAgainByItsNextRun() throws Exception {
        Made m = instance("Acme logs");
        String group = CloudWatchLogsLogStore.groupName(customerId);
        aws.logs().deleteLogGroup(b -> b.logGroupName(group));
        String id = fx.webhook(m.orderUrl(), "{\"id\": 5}");
        assertThat(fx.awaitEnd(id).path("status").asText()).isEqualTo("SUCCEEDED");
        JsonNode lines = poll(() -> fx.call("GET", "/executions/" + id + "/logs", null, 200).path("items"),
                items -> items.toString().contains("order 5"), "the run's log line");
        assertThat(lines.size()).isPositive();
        assertThat(aws.logs().describeLogGroups(b -> b.logGroupNamePrefix(group)).logGroups()).singleElement()
                .satisfies(g -> assertThat(g.retentionInDays()).as("its retention set again").isNotNull());
    }

    @Test
    void theDeadLettersOfTheRetryReplayJobAndMonitorQueuesAreListedAndRedriven() throws Exception {
        Instant later = Instant.now().plus(Duration.ofHours(2));
        String[][] letters = {
                {"retry", "RetryDeadLetterQueue", "{\"executionId\": \"exe_rare_paths_absent\", \"dueAt\": \"" + later + "\"}"},
                {"replay-job", "ReplayJobDeadLetterQueue", "{\"replayJobId\": \"rpl_rare_paths_absent\"}"},
                {"monitor", "MonitorDeadLetterQueue", "{\"type\": \"ALERT_DELIVERY\", \"at\": \"" + Instant.now()
                        + "\", \"retry\": {\"monitorId\": \"mon_rare_paths_absent\", \"alertKey\": \"k\", \"channel\": 0, \"attempt\": 2}}"}};
        for (String[] l : letters) {
            String queue = l[0];
            aws.sqs().sendMessage(b -> b.queueUrl(ref(l[1])).messageBody(l[2]));
            JsonNode listed = poll(() -> fx.call("GET", "/dead-letters?queue=" + queue, null, 200).path("items"),
                    items -> items.size() == 1, "the " + queue + " dead letter listed");
            String id = listed.get(0).path("id").asText();
            JsonNode redrive = fx.call("POST", "/dead-letters/redrive",
                    "{\"queue\": \"" + queue + "\", \"messageIds\": [\"" + id + "\"]}", 200);
            assertThat(redrive.path("moved")).as(queue).extracting(JsonNode::asText).containsExactly(id);
            assertThat(fx.call("GET", "/dead-letters?queue=" + queue, null, 200).path("items")).as(queue).isEmpty();
        }
    }

    @Test
    void aStuckExecutionWithItsBodyInS3IsFailedByTheSweepAndRetriedAndOverdueMonitorsReadTheLatestRuns() throws Exception {
        Made m = instance("Acme stuck");
        String pushFlowConfig = fx.call("GET", "/instances/" + m.id(), null, 200).path("flowConfigs").get(1).path("id").asText();
        fx.call("POST", "/monitors", "{\"name\": \"Quiet instance\", \"triggers\": [{\"type\": \"EXECUTION_OVERDUE\","
                + " \"overdueMinutes\": 60}], \"scope\": {\"instanceId\": \"" + m.id() + "\"}}", 201);
        fx.call("POST", "/monitors", "{\"name\": \"Quiet push\", \"triggers\": [{\"type\": \"EXECUTION_OVERDUE\","
                + " \"overdueMinutes\": 60}], \"scope\": {\"flowConfigId\": \"" + pushFlowConfig + "\"}}", 201);
        // A customer-wide one: the sweep lists the customer's instances.
        fx.call("POST", "/monitors", "{\"name\": \"Quiet customer\", \"triggers\": [{\"type\": \"EXECUTION_OVERDUE\","
                + " \"overdueMinutes\": 60}], \"scope\": {\"customerId\": \"" + customerId + "\"}}", 201);
        // The stuck run alerts a receiver that is down: the delivery is tried again through the monitor queue.
        fx.call("POST", "/monitors", "{\"name\": \"Stuck pushes\", \"triggers\": [{\"type\": \"EXECUTION_STUCK\"}],"
                + " \"scope\": {\"instanceId\": \"" + m.id() + "\"},"
                + " \"channels\": [{\"type\": \"webhook\", \"url\": \"" + apiBase + "/alerts\"}]}", 201);
        // The instance never ran and its log group is gone: the sweep's line makes both again.
        aws.logs().deleteLogGroup(b -> b.logGroupName(CloudWatchLogsLogStore.groupName(customerId)));

        // An execution left RUNNING an hour ago (its function timed out), written as the runner would have.
        Map<String, String> env = new HashMap<>(fx.stack.functions().find("MonitorEvaluationFunction").orElseThrow()
                .spec().environment());
        env.remove("AWS_SESSION_TOKEN"); // the function's role session; the test writes as the admin user
        env.putAll(fx.stack.adminEnvironment());
        Ferry admin = Wiring.fromEnv(env, AwsClients.fromEnv(env));
        Instant started = Instant.now().minus(Duration.ofHours(1));
        String id = admin.ports().ids().newId("exe");
        admin.ports().executions().create(Execution.builder().id(id).instanceId(m.id()).customerId(customerId)
                .flowConfigId(pushFlowConfig).flow("Push").trigger(Trigger.WEBHOOK).status(ExecutionStatus.RUNNING)
                .queuedAt(started).startedAt(started).attempt(1).integrationVersion(1)
                .request(new ExecutionRequest("POST", ("{\"id\": 11, \"pad\": \"" + PAD + "\"}").getBytes(StandardCharsets.UTF_8),
                        Map.of("content-type", "application/json"), Map.of(), "application/json"))
                .expiresAt(started.plus(Duration.ofDays(1))).build());

        JsonNode swept = fx.invoke("MonitorEvaluationFunction", "{\"sweep\": true}");
        assertThat(swept.toString()).doesNotContain("errorMessage");
        JsonNode failed = fx.call("GET", "/executions/" + id, null, 200);
        assertThat(failed.path("status").asText()).as(failed.toString()).isEqualTo("FAILED");
        assertThat(failed.path("request").path("body").asText()).as("its body kept").contains(PAD);
        poll(() -> fx.call("GET", "/executions?instanceId=" + m.id(), null, 200).path("items"),
                items -> items.size() == 2, "its retry, dispatched through the retry queue");
        assertThat(fx.call("GET", "/executions/" + id + "/logs", null, 200).path("items").toString()).contains("stuck");
        JsonNode alert = poll(() -> fx.call("GET", "/alerts?instanceId=" + m.id(), null, 200).path("items"),
                items -> items.size() == 1 && items.get(0).path("deliveries").size() > 0, "the stuck alert's failed delivery");
        assertThat(alert.toString()).as("its delivery failed and is tried again").contains("503");
    }

    @Test
    void aFlowTestWithALargeBodyAndAllExecutionsListedAndACustomersMonitorDeleted() throws Exception {
        Made m = instance("Acme tested");
        String order = fx.call("GET", "/instances/" + m.id(), null, 200).path("flowConfigs").get(0).path("id").asText();
        HttpResponse<String> tested = fx.post("/flow-configs/" + order + "/test", "{\"body\": {\"id\": 3, \"pad\": \"" + PAD + "\"}}");
        assertThat(tested.statusCode()).as(tested.body()).isIn(200, 202);
        String testId = json(tested).path("executionId").asText(json(tested).path("id").asText());
        assertThat(fx.awaitEnd(testId).path("status").asText()).isEqualTo("SUCCEEDED");

        assertThat(fx.call("GET", "/executions?limit=5", null, 200).path("items")).as("every instance's, newest first").isNotEmpty();
        assertThat(fx.call("POST", "/replays", "{\"filter\": {\"flowConfigId\": \"" + order + "\"}, \"dryRun\": true}", 200)
                .has("matched")).as("a bulk replay's count over one flow config").isTrue();
        assertThat(fx.call("POST", "/replays", "{\"filter\": {\"status\": \"CANCELLED\"}, \"dryRun\": true}", 200)
                .has("matched")).as("a bulk replay's count over every instance").isTrue();

        String key = fx.call("POST", "/api-keys", "{\"name\": \"Acme portal\", \"customerId\": \"" + customerId + "\"}", 201)
                .path("key").asText();
        HttpResponse<String> made = fx.send(HttpRequest.newBuilder(fx.stack.apiUrl().resolve("/monitors"))
                .header("authorization", "Bearer " + key).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"Mine\", \"triggers\": [{\"type\": \"EXECUTION_FAILED\"}],"
                        + " \"scope\": {\"instanceId\": \"" + m.id() + "\"}}")));
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        HttpResponse<String> deleted = fx.send(HttpRequest.newBuilder(fx.stack.apiUrl().resolve("/monitors/" + json(made).path("id").asText()))
                .header("authorization", "Bearer " + key).DELETE());
        assertThat(deleted.statusCode()).as("the customer's monitor deleted, its quota place given back: " + deleted.body())
                .isEqualTo(204);
    }

    // ------------------------------------------------------------------ helpers

    private static Made instance(String name) {
        JsonNode instance = fx.call("POST", "/instances", "{\"name\": \"" + name + "\", \"customerId\": \"" + customerId
                + "\", \"integrationId\": \"" + integrationId + "\", \"configVariables\": {\"apiBase\": \"" + apiBase + "\"}}", 201);
        JsonNode fcs = instance.path("flowConfigs");
        return new Made(instance.path("id").asText(), name, fcs.get(0).path("webhookUrl").asText(),
                fcs.get(1).path("webhookUrl").asText(), fcs.get(2).path("id").asText());
    }

    /** How many of the instance's executions have {@code status}, page after page. */
    private static int count(Made m, String status) {
        int n = 0;
        String cursor = null;
        do {
            JsonNode page = fx.call("GET", "/executions?instanceId=" + m.id() + "&status=" + status + "&limit=100"
                    + (cursor == null ? "" : "&cursor=" + cursor), null, 200);
            n += page.path("items").size();
            cursor = page.hasNonNull("nextCursor") ? page.path("nextCursor").asText() : null;
        } while (cursor != null);
        return n;
    }

    private static String ref(String logicalId) {
        return fx.stack.resources().stream().filter(r -> r.logicalId().equals(logicalId)).findFirst().orElseThrow().ref();
    }
}

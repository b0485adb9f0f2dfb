package dev.ferry.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.infra.AwsClients;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code DELETE /instances/{id}?confirm=<name>} end to end on the local stack: an instance with
 * webhook executions (one with a 100 KiB body, kept in S3) that failed with a retry pending, a
 * scheduled flow's execution, a held one (HOLD, paused), log lines, unique-request holders, its
 * schedules and monitors scoped to it with alerts — deleted through the HTTP API, and a second one
 * through the CLI. Afterwards every DynamoDB table (full Scan, every attribute), every S3 object
 * (key and body), every schedule of every group and every log group are searched for the instance's
 * id, its flow config ids and its execution ids: nothing is left but the INSTANCE_REMOVED alerts (with
 * the pointers that find them by id)
 * (the record of the removal, by design). A third instance, kept, is found by the same search.
 */
class InstanceDeletionIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final String DEFINITION = """
            {"name": "Order sync",
             "configVariables": [{"key": "apiBase", "required": true}],
             "flows": [
               {"name": "Every hour", "trigger": {"type": "schedule", "schedule": "rate(1 hour)"},
                "steps": [{"name": "tick", "type": "log", "message": "{% 'tick ' & $trigger.body.scheduledTime %}"}]},
               {"name": "On order", "trigger": {"type": "webhook"},
                "retry": {"maxAttempts": 3, "delaySeconds": 600, "uniqueRequestId": "{% $trigger.headers.'x-request-id' %}"},
                "steps": [{"name": "log", "type": "log", "severity": "WARN", "message": "{% 'order ' & $trigger.body.id %}"},
                          {"name": "push", "type": "http", "method": "GET", "url": "{% $config.apiBase & '/orders' %}"}]}
             ]}
            """;

    private static final List<JsonNode> ALERTS = new CopyOnWriteArrayList<>();
    private static StackFixture fx;
    private static HttpServer receiver;
    private static AwsClients aws;
    private static String customerId;
    private static String integrationId;

    /** An instance made for the test and the ids of everything made for it. */
    record Made(String id, String name, String scheduledFlowConfigId, String webhookFlowConfigId, String webhookUrl,
                Set<String> needles) {}

    @BeforeAll
    static void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (exchange.getRequestURI().getPath().startsWith("/alerts")) {
                ALERTS.add(JSON.readTree(body));
                exchange.sendResponseHeaders(204, -1);
            } else {
                exchange.sendResponseHeaders(503, -1); // the third party is down: executions fail, retries pending
            }
            exchange.close();
        });
        receiver.start();
        fx = StackFixture.start("deletion-it", b -> {});
        aws = AwsClients.fromEnv(fx.stack.adminEnvironment());
        customerId = call("POST", "/customers", "{\"name\": \"Acme\"}", 201).path("id").asText();
        integrationId = call("POST", "/integrations", DEFINITION, 201).path("id").asText();
    }

    @AfterAll
    static void stop() {
        if (fx != null) fx.close();
        if (receiver != null) receiver.stop(0);
        if (aws != null) aws.close();
    }

    @Test
    void deletingThroughTheApiAndTheCliLeavesNothingNamingTheInstances() throws Exception {
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort();
        Made doomed = busyInstance("Acme orders", hook);
        Made byCli = busyInstance("Acme returns", hook);
        Made kept = busyInstance("Acme kept", hook);
        call("POST", "/monitors", monitor("EXECUTION_FAILED_RETRY_PENDING", "{\"instanceId\": \"" + doomed.id() + "\"}", hook), 201);
        String ownRemoved = call("POST", "/monitors", monitor("INSTANCE_REMOVED", "{\"instanceId\": \"" + doomed.id() + "\"}", hook), 201)
                .path("id").asText();
        String customerRemoved = call("POST", "/monitors", monitor("INSTANCE_REMOVED", "{\"customerId\": \"" + customerId + "\"}", hook), 201)
                .path("id").asText();
        // Unpaused, its held execution runs and fails after the monitors exist, so there are alerts naming
        // the instance and the execution; paused again, the next webhook is held.
        call("POST", "/instances/" + doomed.id() + "/unpause", null, 200);
        await("the retry-pending alert", () -> ALERTS.stream().anyMatch(a -> "EXECUTION_FAILED_RETRY_PENDING".equals(a.path("trigger").asText())));
        await("the alert's delivery recorded", () -> call("GET", "/alerts?instanceId=" + doomed.id(), null, 200)
                .path("items").path(0).path("deliveries").size() > 0);
        call("POST", "/instances/" + doomed.id() + "/pause", null, 200);
        webhook(doomed, "{\"id\": 99}", "req-99");
        String failedId = failedWithRetryPending(doomed);
        addExecutionIds(doomed);
        addExecutionIds(byCli);
        addExecutionIds(kept);

        Scan before = Scan.of(doomed.needles());
        assertThat(before.hits()).as("the instance is everywhere before: " + before).contains("dynamodb", "s3", "schedule", "logs");
        assertThat(before.s3Objects()).as("the 100 KiB body is in S3").isPositive();

        // A wrong or missing confirmation is a 400 on confirm and deletes nothing.
        for (String q : List.of("", "?confirm=acme%20orders", "?confirm=Acme")) {
            JsonNode error = call("DELETE", "/instances/" + doomed.id() + q, null, 400);
            assertThat(error.path("error").path("details").path(0).path("field").asText()).isEqualTo("confirm");
        }
        Scan afterRefusal = Scan.of(doomed.needles());
        assertThat(afterRefusal.hitCount()).as("nothing deleted by a refused DELETE").isEqualTo(before.hitCount());
        call("GET", "/instances/" + doomed.id(), null, 200);

        HttpResponse<String> deleted = send("DELETE", "/instances/" + doomed.id() + "?confirm=Acme%20orders", null);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        StackFixture.Cli cli = cli("instances:delete", byCli.id(), "--confirm", "Acme returns");
        assertThat(cli.status()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("Deleted instance " + byCli.id());

        await("INSTANCE_REMOVED delivered to the monitors", () -> removedAlerts(doomed).size() >= 2 && !removedAlerts(byCli).isEmpty());
        assertThat(removedAlerts(doomed)).extracting(a -> a.path("monitorId").asText())
                .containsExactlyInAnyOrder(ownRemoved, customerRemoved);
        assertThat(removedAlerts(byCli)).extracting(a -> a.path("monitorId").asText()).containsExactly(customerRemoved);
        // The deliveries are recorded on the alerts just after the receiver answered.
        await("the removal alerts' deliveries recorded", () -> {
            JsonNode items = call("GET", "/alerts?monitorId=" + customerRemoved, null, 200).path("items");
            return items.size() == 2 && items.get(0).path("deliveries").size() > 0 && items.get(1).path("deliveries").size() > 0;
        });

        Scan after = Scan.of(doomed.needles());
        Scan afterCli = Scan.of(byCli.needles());
        Scan keptScan = Scan.of(kept.needles());
        System.out.println("InstanceDeletionIT: before the deletes " + before.counts() + "; after them searched "
                + after.counts() + " for " + doomed.needles().size()
                + " ids of the API-deleted instance (" + before.hitCount() + " places before, " + after.hitCount()
                + " after: " + after.hitList() + ") and " + byCli.needles().size() + " of the CLI-deleted one ("
                + afterCli.hitCount() + " after: " + afterCli.hitList() + "); the kept one is in " + keptScan.hitCount() + " places");
        assertThat(after.hitList()).as("what names the deleted instance").allMatch(h -> h.startsWith("INSTANCE_REMOVED alert"));
        assertThat(afterCli.hitList()).as("what names the CLI-deleted instance").allMatch(h -> h.startsWith("INSTANCE_REMOVED alert"));
        assertThat(keptScan.hits()).as("the same search finds the kept instance").contains("dynamodb", "s3", "schedule", "logs");
        assertThat(after.tables()).isGreaterThanOrEqualTo(3);

        // What arrives for it later is dropped cleanly: its webhook, a schedule tick, the pending retry.
        // The webhook function may still hold the route for its cache's 5 s: such a request is accepted
        // and its execution deleted by the runner. Once the cache has expired the token is a 404.
        List<String> lateAccepted = new java.util.ArrayList<>();
        await("the deleted instance's webhook to answer 404", () -> {
            HttpResponse<String> late = fx.send(HttpRequest.newBuilder(URI.create(doomed.webhookUrl()))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")));
            if (late.statusCode() == 202) lateAccepted.add(StackFixture.json(late).path("executionId").asText());
            else assertThat(late.statusCode()).as(late.body()).isEqualTo(404);
            return late.statusCode() == 404;
        });
        System.out.println("InstanceDeletionIT: " + lateAccepted.size() + " late webhooks accepted through the cached route, each deleted");
        for (String id : lateAccepted) {
            await("the late execution " + id + " to be deleted, not run", () -> send("GET", "/executions/" + id, null).statusCode() == 404);
        }
        JsonNode tick = fx.invoke("ScheduledTriggerFunction", "{\"flowConfigId\": \"" + doomed.scheduledFlowConfigId() + "\"}");
        assertThat(tick.path("outcome").asText()).as(tick.toString()).isEqualTo("SKIPPED");
        JsonNode retry = fx.invoke("RetryDispatchFunction", StackFixture.retryQueueEvent("deletion-it-1", "{\"executionId\": \"" + failedId + "\", \"dueAt\": \""
                + Instant.now().minusSeconds(1) + "\"}"));
        assertThat(retry.path("batchItemFailures")).as(retry.toString()).isEmpty();
        assertThat(Scan.of(doomed.needles()).hitList()).allMatch(h -> h.startsWith("INSTANCE_REMOVED alert"));
        assertThat(call("GET", "/executions?instanceId=" + doomed.id(), null, 200).path("items")).isEmpty();
        assertThat(dlqMessages()).as("messages in the dead-letter queues").isZero();
        call("DELETE", "/instances/" + doomed.id() + "?confirm=Acme%20orders", null, 404);
    }

    // ------------------------------------------------------------------ building a busy instance

    private static Made busyInstance(String name, String apiBase) throws Exception {
        JsonNode instance = call("POST", "/instances", "{\"name\": \"" + name + "\", \"customerId\": \"" + customerId
                + "\", \"integrationId\": \"" + integrationId + "\", \"configVariables\": {\"apiBase\": \"" + apiBase + "\"}}", 201);
        JsonNode fcs = instance.path("flowConfigs");
        Set<String> needles = new LinkedHashSet<>();
        needles.add(instance.path("id").asText());
        fcs.forEach(fc -> needles.add(fc.path("id").asText()));
        String webhookUrl = fcs.get(1).path("webhookUrl").asText();
        needles.add(webhookUrl.substring(webhookUrl.lastIndexOf('/') + 1)); // the webhook token
        Made m = new Made(instance.path("id").asText(), name, fcs.get(0).path("id").asText(), fcs.get(1).path("id").asText(),
                webhookUrl, needles);
        webhook(m, "{\"id\": 1}", name + "-1");
        webhook(m, "{\"id\": 2, \"pad\": \"" + "x".repeat(100 * 1024) + "\"}", name + "-2"); // > 64 KiB: the body goes to S3
        JsonNode tick = fx.invoke("ScheduledTriggerFunction", "{\"flowConfigId\": \"" + m.scheduledFlowConfigId() + "\"}");
        assertThat(tick.path("outcome").asText()).as(tick.toString()).isEqualTo("QUEUED");
        await(name + ": two failed with a retry pending, the scheduled one succeeded", () -> {
            JsonNode items = call("GET", "/executions?instanceId=" + m.id(), null, 200).path("items");
            int failed = 0;
            int succeeded = 0;
            for (JsonNode e : items) {
                if ("FAILED".equals(e.path("status").asText()) && e.hasNonNull("nextRetryAt")) failed++;
                if ("SUCCEEDED".equals(e.path("status").asText())) succeeded++;
            }
            return failed == 2 && succeeded == 1;
        });
        call("PATCH", "/instances/" + m.id(), "{\"pauseMode\": \"HOLD\"}", 200);
        call("POST", "/instances/" + m.id() + "/pause", null, 200);
        assertThat(webhook(m, "{\"id\": 3}", name + "-3").statusCode()).isEqualTo(202);
        await(name + ": one held", () -> call("GET", "/executions?instanceId=" + m.id() + "&status=HELD", null, 200)
                .path("items").size() == 1);
        return m;
    }

    private static HttpResponse<String> webhook(Made m, String body, String requestId) throws Exception {
        HttpResponse<String> r = fx.send(HttpRequest.newBuilder(URI.create(m.webhookUrl()))
                .header("content-type", "application/json").header("x-request-id", requestId)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return r;
    }

    private static String failedWithRetryPending(Made m) throws Exception {
        for (JsonNode e : call("GET", "/executions?instanceId=" + m.id() + "&status=FAILED", null, 200).path("items")) {
            if (e.hasNonNull("nextRetryAt")) return e.path("id").asText();
        }
        throw new AssertionError("no failed execution with a retry pending");
    }

    private static void addExecutionIds(Made m) throws Exception {
        for (JsonNode e : call("GET", "/executions?instanceId=" + m.id() + "&limit=100", null, 200).path("items")) {
            m.needles().add(e.path("id").asText());
        }
    }

    private static String monitor(String trigger, String scope, String hook) {
        return "{\"name\": \"" + trigger + "\", \"triggers\": [{\"type\": \"" + trigger + "\"}], \"scope\": " + scope
                + ", \"channels\": [{\"type\": \"webhook\", \"url\": \"" + hook + "/alerts\"}]}";
    }

    private static List<JsonNode> removedAlerts(Made m) {
        return ALERTS.stream().filter(a -> "INSTANCE_REMOVED".equals(a.path("trigger").asText())
                && m.id().equals(a.path("instanceId").asText())).toList();
    }

    // ------------------------------------------------------------------ searching everything

    /** Where the needles were found, and how much was searched. */
    record Scan(List<String> hitList, int tables, long items, long attributes, long s3Objects, long s3Bytes,
                int scheduleGroups, int schedules, int logGroups) {
        static Scan of(Set<String> needles) {
            List<String> hits = new ArrayList<>();
            var ddb = aws.dynamoDb();
            List<String> tables = ddb.listTables().tableNames();
            long items = 0;
            long attributes = 0;
            for (String table : tables) {
                Map<String, AttributeValue> start = null;
                do {
                    Map<String, AttributeValue> from = start;
                    var res = ddb.scan(b -> { b.tableName(table).consistentRead(true); if (from != null) b.exclusiveStartKey(from); });
                    for (Map<String, AttributeValue> item : res.items()) {
                        items++;
                        attributes += item.size();
                        String text = text(item);
                        for (String n : needles) {
                            if (text.contains(n)) {
                                // A kept INSTANCE_REMOVED alert, or the pointer that finds it by id (its key, REMOVED#<id>).
                                boolean removal = (text.contains("INSTANCE_REMOVED") && text.contains("ALERT#REMOVED#"))
                                        || (item.get("pk").s().startsWith("ALERTID#") && text.contains("REMOVED#"));
                                hits.add((removal ? "INSTANCE_REMOVED alert " : "dynamodb ") + table + " " + item.get("pk").s()
                                        + " " + item.get("sk").s() + " names " + n);
                                break;
                            }
                        }
                    }
                    start = res.hasLastEvaluatedKey() && !res.lastEvaluatedKey().isEmpty() ? res.lastEvaluatedKey() : null;
                } while (start != null);
            }
            var s3 = aws.s3();
            long objects = 0;
            long bytes = 0;
            for (var bucket : s3.listBuckets().buckets()) {
                for (var o : s3.listObjectsV2Paginator(b -> b.bucket(bucket.name())).contents()) {
                    objects++;
                    byte[] body = s3.getObjectAsBytes(b -> b.bucket(bucket.name()).key(o.key())).asByteArray();
                    bytes += body.length;
                    String text = o.key() + "\n" + new String(body, StandardCharsets.ISO_8859_1);
                    needles.stream().filter(text::contains).findFirst().ifPresent(n -> hits.add("s3 " + o.key() + " names " + n));
                }
            }
            var scheduler = aws.scheduler();
            int groups = 0;
            int schedules = 0;
            for (var g : scheduler.listScheduleGroups(b -> {}).scheduleGroups()) {
                groups++;
                for (var s : scheduler.listSchedules(b -> b.groupName(g.name())).schedules()) {
                    schedules++;
                    var full = scheduler.getSchedule(b -> b.groupName(g.name()).name(s.name()));
                    String text = full.name() + "\n" + full.target().input() + "\n" + full.description();
                    needles.stream().filter(text::contains).findFirst().ifPresent(n -> hits.add("schedule " + s.name() + " names " + n));
                }
            }
            int logGroups = 0;
            for (var g : aws.logs().describeLogGroupsPaginator(b -> {}).logGroups()) {
                logGroups++;
                needles.stream().filter(g.logGroupName()::contains).findFirst()
                        .ifPresent(n -> hits.add("logs " + g.logGroupName() + " names " + n));
                // An instance's lines are a stream of its customer's group, named by the instance.
                for (var st : aws.logs().describeLogStreamsPaginator(b -> b.logGroupName(g.logGroupName())).logStreams()) {
                    needles.stream().filter(st.logStreamName()::contains).findFirst()
                            .ifPresent(n -> hits.add("logs " + g.logGroupName() + "/" + st.logStreamName() + " names " + n));
                }
            }
            return new Scan(hits, tables.size(), items, attributes, objects, bytes, groups, schedules, logGroups);
        }

        private static String text(Map<String, AttributeValue> item) {
            StringBuilder b = new StringBuilder();
            item.forEach((k, v) -> b.append(k).append('=').append(value(v)).append('\n'));
            return b.toString();
        }

        private static String value(AttributeValue v) {
            if (v.s() != null) return v.s();
            if (v.n() != null) return v.n();
            if (v.b() != null) return v.b().asString(StandardCharsets.ISO_8859_1);
            if (v.hasSs()) return String.join(",", v.ss());
            if (v.hasNs()) return String.join(",", v.ns());
            if (v.hasBs()) return String.join(",", v.bs().stream().map(x -> x.asString(StandardCharsets.ISO_8859_1)).toList());
            if (v.hasL()) return String.join(",", v.l().stream().map(Scan::value).toList());
            if (v.hasM()) return text(v.m());
            return String.valueOf(v.bool());
        }

        /** The kinds of places hit: dynamodb, s3, schedule, logs (INSTANCE_REMOVED alerts counted apart). */
        Set<String> hits() {
            Set<String> kinds = new LinkedHashSet<>();
            hitList.forEach(h -> kinds.add(h.startsWith("INSTANCE_REMOVED") ? "removal alert" : h.substring(0, h.indexOf(' '))));
            return kinds;
        }

        int hitCount() {
            return hitList.size();
        }

        String counts() {
            return tables + " DynamoDB tables (" + items + " items, " + attributes + " attributes), " + s3Objects
                    + " S3 objects (" + s3Bytes + " bytes of bodies), " + schedules + " schedules in " + scheduleGroups
                    + " groups, " + logGroups + " log groups";
        }
    }

    private static int dlqMessages() {
        var sqs = aws.sqs();
        int n = 0;
        for (String url : sqs.listQueues().queueUrls()) {
            if (!url.contains("DeadLetter")) continue;
            n += Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("ApproximateNumberOfMessages"))
                    .attributesAsStrings().getOrDefault("ApproximateNumberOfMessages", "0"));
        }
        return n;
    }

    // ------------------------------------------------------------------ helpers

    private static void await(String what, BooleanSupplierE condition) throws Exception {
        StackFixture.poll(() -> {
            try {
                return condition.get();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, done -> done, what, WITHIN);
    }

    @FunctionalInterface
    interface BooleanSupplierE {
        boolean get() throws Exception;
    }

    private static HttpResponse<String> send(String method, String path, String body) {
        return fx.request(method, path, body);
    }

    private static JsonNode call(String method, String path, String body, int expected) {
        return fx.call(method, path, body, expected);
    }

    private static StackFixture.Cli cli(String... args) {
        return fx.cli(args);
    }
}

package dev.ferry.local;

import static dev.ferry.local.StackFixture.JSON;
import static dev.ferry.local.StackFixture.json;
import static dev.ferry.local.StackFixture.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.local.StackFixture.Cli;
import dev.ferry.core.fakes.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import dev.ferry.infra.AwsClients;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;

/**
 * Schedules, pause and unpause end to end on the local stack, as a user drives them: instances
 * made over the HTTP API, their EventBridge Scheduler schedules in the emulator (read back with
 * EventBridge Scheduler's GetSchedule), fired by the stack's scheduler — whose clock the tests move
 * instead of waiting — into ScheduledTriggerFunction, queued and run by FlowExecutionFunction.
 */
class SchedulesIT {
    private static final MutableClock CLOCK = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private static final String GROUP = "ferry-ScheduleGroup";

    private static StackFixture local;

    static final String DEFINITION = """
            {"name": "Scheduled sync", "flows": [
              {"name": "Every minute", "trigger": {"type": "schedule", "schedule": "rate(1 minute)"},
               "steps": [{"name": "out", "type": "transform", "output": {"at": "{% $trigger.body.scheduledTime %}"}}]},
              {"name": "Morning", "trigger": {"type": "schedule", "schedule": "cron(0 9 * * ? *)", "timezone": "Europe/Berlin"},
               "steps": [{"name": "out", "type": "transform", "output": {"at": "{% $trigger.body.scheduledTime %}"}}]},
              {"name": "On order", "trigger": {"type": "webhook"},
               "steps": [{"name": "out", "type": "transform", "output": {"id": "{% $trigger.body.id %}"}}]}
            ]}""";

    @BeforeAll
    static void startStack() throws IOException {
        local = StackFixture.start("schedules-it", b -> b.schedulerClock(CLOCK));
    }

    @AfterAll
    static void stop() {
        if (local != null) local.close();
    }

    /** An instance of {@link #DEFINITION}: its id and flow config ids (every minute, morning, on order) and webhook URL. */
    private record Made(String instanceId, String everyMinute, String morning, String onOrder, String webhookUrl) {}

    private static Made instance() throws Exception {
        String customer = json(local.post("/customers", "{\"name\":\"Acme\"}")).path("id").asText();
        String integration = json(local.post("/integrations", DEFINITION)).path("id").asText();
        HttpResponse<String> created = local.post("/instances", "{\"name\":\"Acme sync\",\"customerId\":\"" + customer
                + "\",\"integrationId\":\"" + integration + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode i = json(created);
        JsonNode fcs = i.path("flowConfigs");
        return new Made(i.path("id").asText(), fcs.get(0).path("id").asText(), fcs.get(1).path("id").asText(),
                fcs.get(2).path("id").asText(), fcs.get(2).path("webhookUrl").asText());
    }

    /** Moves the scheduler's clock and lets it fire what fell due. */
    private static void advance(Duration by) {
        CLOCK.advance(by);
        local.stack.scheduler().tick();
    }

    private static List<JsonNode> scheduleExecutions(String flowConfigId) {
        JsonNode items = json(local.get("/executions?trigger=SCHEDULE&flowConfigId=" + flowConfigId)).path("items");
        List<JsonNode> out = new ArrayList<>();
        items.forEach(out::add);
        return out;
    }

    // ------------------------------------------------------------------ schedules fire

    @Test
    void aRateOfOneMinuteProducesAScheduleExecution() throws Exception {
        CLOCK.set(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        local.stack.scheduler().tick();
        Made made = instance();
        JsonNode schedule = awsGetSchedule(made.everyMinute());
        assertThat(schedule.path("State").asText()).isEqualTo("ENABLED");
        assertThat(schedule.path("ScheduleExpression").asText()).isEqualTo("rate(1 minute)");
        assertThat(schedule.path("Target").path("Arn").asText()).endsWith("function:ScheduledTriggerFunction:live");
        assertThat(JSON.readTree(schedule.path("Target").path("Input").asText()).path("flowConfigId").asText())
                .isEqualTo(made.everyMinute());

        // Within two minutes of the scheduler's clock:
        advance(Duration.ofMinutes(2));

        List<JsonNode> runs = poll(() -> scheduleExecutions(made.everyMinute()),
                l -> !l.isEmpty() && l.stream().allMatch(e -> e.path("status").asText().equals("SUCCEEDED")),
                "SCHEDULE executions of " + made.everyMinute());
        JsonNode run = json(local.get("/executions/" + runs.get(runs.size() - 1).path("id").asText()));
        assertThat(run.path("trigger").asText()).isEqualTo("SCHEDULE");
        assertThat(run.path("instanceId").asText()).isEqualTo(made.instanceId());
        Instant at = Instant.parse(run.path("steps").get(0).path("output").path("at").asText());
        assertThat(at.getEpochSecond() % 60).as("rate(1 minute) fires on the minute").isZero();
    }

    @Test
    void aCronScheduleFiresAtItsLocalTimeAcrossTheDaylightSavingChange() throws Exception {
        CLOCK.set(Instant.parse("2026-03-28T00:00:00Z"));
        local.stack.scheduler().tick();
        Made made = instance();

        for (int hour = 0; hour < 72; hour++) advance(Duration.ofHours(1));

        List<JsonNode> runs = poll(() -> scheduleExecutions(made.morning()),
                l -> l.size() == 3 && l.stream().allMatch(e -> e.path("status").asText().equals("SUCCEEDED")),
                "three mornings");
        List<String> times = new ArrayList<>();
        for (JsonNode r : runs) {
            times.add(json(local.get("/executions/" + r.path("id").asText())).path("steps").get(0).path("output").path("at").asText());
        }
        // 09:00 in Berlin: 08:00Z in CET, 07:00Z from Sunday 29 March (CEST).
        assertThat(times).containsExactlyInAnyOrder("2026-03-28T08:00:00Z", "2026-03-29T07:00:00Z", "2026-03-30T07:00:00Z");
        // Paused before the clock goes back to now, so its schedules do not catch up on the months between.
        assertThat(local.post("/instances/" + made.instanceId() + "/pause", "").statusCode()).isEqualTo(200);
        CLOCK.set(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        local.stack.scheduler().tick();
    }

    // ------------------------------------------------------------------ a tick whose run fails

    @Test
    void aTickWhoseRunsFailIsRunTwiceMoreByLambdaThenIsAScheduleDeadLetterWhoseRedriveRunsItOnce() throws Exception {
        CLOCK.set(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        local.stack.scheduler().tick();
        Made made = instance();
        Instant first = Instant.parse(json(local.get("/instances/" + made.instanceId() + "/flow-configs"))
                .path("items").get(0).path("nextRunAt").asText());
        String table = local.stack.resources().stream().filter(r -> r.logicalId().equals("ConfigTable")).findFirst()
                .orElseThrow().ref();
        try (dev.ferry.infra.AwsClients aws = dev.ferry.infra.AwsClients.fromEnv(local.stack.adminEnvironment())) {
            var key = java.util.Map.of("pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("INSTANCE#" + made.instanceId()),
                    "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("INSTANCE"));
            var good = aws.dynamoDb().getItem(b -> b.tableName(table).key(key)).item();
            var broken = new java.util.HashMap<>(good);
            // The cause: the instance's item cannot be read (as after a bad migration), so every run of the tick fails.
            broken.put("integrationVersion", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("one"));
            aws.dynamoDb().putItem(b -> b.tableName(table).item(broken));

            CLOCK.set(first);
            local.stack.scheduler().tick();   // the first run fails
            advance(Duration.ofMinutes(1));   // Lambda's second run, a minute later, fails
            advance(Duration.ofMinutes(2));   // the third, two minutes after that, fails: its record goes to the queue
            String summary = "flowConfigId " + made.everyMinute() + " at " + first + ": RetriesExhausted after 3 attempts";
            JsonNode dead = poll(() -> json(local.get("/dead-letters?queue=schedule&limit=100")),
                    page -> page.path("items").findValuesAsText("summary").stream().anyMatch(s -> s.startsWith(summary)),
                    "the first tick's dead letter");
            Cli listed = local.cli("dead-letters:list", "--queue", "schedule");
            assertThat(listed.status()).as(listed.err()).isZero();
            assertThat(listed.out()).contains(summary);
            assertThat(scheduleExecutions(made.everyMinute())).as("nothing recorded while every run fails").isEmpty();

            aws.dynamoDb().putItem(b -> b.tableName(table).item(good)); // the fix
            JsonNode redriven = local.call("POST", "/dead-letters/redrive", "{\"queue\": \"schedule\"}", 200);
            assertThat(redriven.path("moved").size()).isEqualTo(dead.path("items").size());
            advance(Duration.ofMinutes(3)); // the later ticks' own retries now succeed

            List<JsonNode> runs = poll(() -> scheduleExecutions(made.everyMinute()),
                    l -> l.size() >= 4 && l.stream().allMatch(e -> e.path("status").asText().equals("SUCCEEDED")),
                    "every tick run once");
            List<String> times = new ArrayList<>();
            for (JsonNode r : runs) {
                times.add(json(local.get("/executions/" + r.path("id").asText())).path("steps").get(0).path("output").path("at").asText());
            }
            assertThat(times).as("each tick once, the dead-lettered first among them").doesNotHaveDuplicates()
                    .contains(first.toString());
            assertThat(json(local.get("/dead-letters?queue=schedule")).path("items")).isEmpty();
        } finally {
            assertThat(local.post("/instances/" + made.instanceId() + "/pause", "").statusCode()).isEqualTo(200);
        }
    }

    // ------------------------------------------------------------------ pause and unpause

    @Test
    void pauseDisablesTheSchedulesInTheEmulatorAndUnpauseEnablesThem() throws Exception {
        CLOCK.set(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        local.stack.scheduler().tick();
        Made made = instance();
        JsonNode before = awsGetSchedule(made.morning());

        Cli paused = local.cli("instances:pause", made.instanceId());
        assertThat(paused.status()).as(paused.err()).isZero();
        assertThat(paused.out()).isEqualTo("Paused instance " + made.instanceId() + ".\n");
        assertThat(awsGetSchedule(made.everyMinute()).path("State").asText()).isEqualTo("DISABLED");
        JsonNode disabled = awsGetSchedule(made.morning());
        assertThat(disabled.path("State").asText()).isEqualTo("DISABLED");
        assertThat(disabled.path("ScheduleExpression")).isEqualTo(before.path("ScheduleExpression"));
        assertThat(disabled.path("ScheduleExpressionTimezone").asText()).isEqualTo("Europe/Berlin");
        assertThat(disabled.path("Target")).isEqualTo(before.path("Target"));

        advance(Duration.ofMinutes(3)); // a tick stores its execution before it returns: none means none fired
        assertThat(scheduleExecutions(made.everyMinute())).as("nothing fires while paused").isEmpty();

        Cli unpaused = local.cli("instances:unpause", made.instanceId());
        assertThat(unpaused.status()).as(unpaused.err()).isZero();
        assertThat(awsGetSchedule(made.everyMinute()).path("State").asText()).isEqualTo("ENABLED");
        assertThat(awsGetSchedule(made.morning()).path("State").asText()).isEqualTo("ENABLED");

        advance(Duration.ofMinutes(2));
        poll(() -> scheduleExecutions(made.everyMinute()), l -> !l.isEmpty(), "a SCHEDULE execution after unpause");
    }

    @Test
    void pausedRejectInstanceAnswers503WithRetryAfterAndStoresNothing() throws Exception {
        Made made = instance();
        assertThat(local.post("/instances/" + made.instanceId() + "/pause", "").statusCode()).isEqualTo(200);

        HttpResponse<String> r = webhook(made, 1);

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("retry-after")).hasValue("60");
        assertThat(json(local.get("/executions?instanceId=" + made.instanceId())).path("items")).isEmpty();
    }

    @Test
    void holdModeHoldsWebhooksAndUnpauseRunsThemInArrivalOrder() throws Exception {
        Made made = instance();
        assertThat(local.request("PATCH", "/instances/" + made.instanceId(), "{\"pauseMode\":\"HOLD\"}").statusCode()).isEqualTo(200);
        assertThat(local.post("/instances/" + made.instanceId() + "/pause", "").statusCode()).isEqualTo(200);

        List<String> ids = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            HttpResponse<String> r = webhook(made, n);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            ids.add(json(r).path("executionId").asText());
        }
        for (String id : ids) assertThat(json(local.get("/executions/" + id)).path("status").asText()).isEqualTo("HELD");

        HttpResponse<String> unpaused = local.post("/instances/" + made.instanceId() + "/unpause", "");
        assertThat(json(unpaused).path("held").path("released").asInt()).isEqualTo(3);

        List<Instant> started = new ArrayList<>();
        for (int n = 0; n < ids.size(); n++) {
            String id = ids.get(n);
            JsonNode done = poll(() -> json(local.get("/executions/" + id)), e -> e.path("status").asText().equals("SUCCEEDED"), id);
            assertThat(done.path("steps").get(0).path("output").path("id").asInt()).isEqualTo(n + 1);
            started.add(Instant.parse(done.path("startedAt").asText()));
        }
        assertThat(started.get(0)).isBeforeOrEqualTo(started.get(2));
    }

    // ------------------------------------------------------------------ helpers

    private static HttpResponse<String> webhook(Made made, int id) throws Exception {
        return local.send(HttpRequest.newBuilder(URI.create(made.webhookUrl())).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\": " + id + "}")));
    }

    /**
     * The schedule as EventBridge Scheduler's GetSchedule answers it, read with the stack's admin user
     * (the stack enforces IAM), in the AWS CLI's JSON shape. Not the AWS CLI itself: moto 5.2.1 with
     * IAM enforcement answers SignatureDoesNotMatch to botocore's signature on Scheduler GET requests
     * (it hashes their query string as a body), while it accepts the Java SDK's.
     */
    private static JsonNode awsGetSchedule(String name) {
        try (SchedulerClient scheduler = AwsClients.fromEnv(local.stack.adminEnvironment()).scheduler()) {
            GetScheduleResponse s = scheduler.getSchedule(b -> b.groupName(GROUP).name(name));
            var out = JSON.createObjectNode();
            out.put("Name", s.name());
            out.put("State", s.stateAsString());
            out.put("ScheduleExpression", s.scheduleExpression());
            if (s.scheduleExpressionTimezone() != null) out.put("ScheduleExpressionTimezone", s.scheduleExpressionTimezone());
            out.putObject("Target").put("Arn", s.target().arn()).put("RoleArn", s.target().roleArn())
                    .put("Input", s.target().input());
            return out;
        }
    }

}

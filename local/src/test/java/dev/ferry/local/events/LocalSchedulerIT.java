package dev.ferry.local.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.fakes.MutableClock;
import dev.ferry.infra.AwsClients;
import dev.ferry.local.lambda.FunctionSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.ActionAfterCompletion;
import software.amazon.awssdk.services.scheduler.model.CreateScheduleRequest;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindowMode;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;
import software.amazon.awssdk.services.scheduler.model.ScheduleState;

/**
 * The local scheduler against the emulator's schedules, driven by a settable clock: each test sets
 * the time, ticks, and looks at what the (recording) target received.
 */
class LocalSchedulerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TARGET = "arn:aws:lambda:us-east-1:123456789012:function:Target:live";
    private static AwsClients aws;
    private static SchedulerClient scheduler;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-27T00:00:00Z"));
    private final LocalScheduler local = new LocalScheduler(clock);
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    /** Runs of the target that fail before one succeeds (each failed run is recorded in {@link #received} too). */
    private final java.util.concurrent.atomic.AtomicInteger failuresLeft = new java.util.concurrent.atomic.AtomicInteger();
    private final List<String> delivered = new CopyOnWriteArrayList<>();
    private static final String DESTINATION = "arn:aws:sqs:us-east-1:123456789012:TargetDeadLetters";
    private String group;

    @BeforeAll
    static void emulator() throws Exception {
        String endpoint = System.getProperty("ferry.aws.endpoint", "http://127.0.0.1:4566");
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(endpoint + "/moto-api/reset"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        aws = AwsClients.fromEnv(Map.of("AWS_ENDPOINT_URL", endpoint, "AWS_REGION", "us-east-1"));
        scheduler = aws.scheduler();
    }

    @AfterAll
    static void close() {
        aws.close();
    }

    @BeforeEach
    void start() {
        group = "g" + System.nanoTime();
        scheduler.createScheduleGroup(b -> b.name(group));
        local.source(scheduler, new LocalScheduler.Targets() {
            @Override
            public Optional<String> resolve(String arn) {
                return arn.contains("function:Target") || arn.equals("Target") ? Optional.of("Target") : Optional.empty();
            }

            @Override
            public byte[] invoke(String function, byte[] payload) {
                received.add(new String(payload, StandardCharsets.UTF_8));
                if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    throw new dev.ferry.local.lambda.FunctionError(function, new IllegalStateException("table unavailable"));
                }
                return "{}".getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public FunctionSpec.AsyncInvokeConfig async(String function) {
                return new FunctionSpec.AsyncInvokeConfig(2, DESTINATION);
            }

            @Override
            public void deliver(String function, String destinationArn, String record) {
                assertThat(destinationArn).isEqualTo(DESTINATION);
                delivered.add(record);
            }
        }, log::add);
        // Only this test's schedules: earlier tests' are left in the emulator, so delete them.
        scheduler.listSchedules(b -> b.maxResults(100)).schedules().stream().filter(s -> !s.groupName().equals(group))
                .forEach(s -> scheduler.deleteSchedule(d -> d.groupName(s.groupName()).name(s.name())));
        local.tick(); // the first pass: what exists now counts from now
    }

    private void create(String name, String expression, String zone, java.util.function.Consumer<CreateScheduleRequest.Builder> more) {
        scheduler.createSchedule(b -> {
            b.groupName(group).name(name).scheduleExpression(expression).scheduleExpressionTimezone(zone)
                    .state(ScheduleState.ENABLED).flexibleTimeWindow(f -> f.mode(FlexibleTimeWindowMode.OFF))
                    .target(t -> t.arn(TARGET).roleArn("arn:aws:iam::123456789012:role/r")
                            .input("{\"name\":\"" + name + "\",\"at\":\"<aws.scheduler.scheduled-time>\"}"));
            more.accept(b);
        });
    }

    private void create(String name, String expression, String zone) {
        create(name, expression, zone, b -> { });
    }

    /** Advances the clock in steps up to {@code until}, ticking at each. */
    private void runUntil(Instant until, Duration step) {
        while (clock.instant().isBefore(until)) {
            clock.set(min(clock.instant().plus(step), until));
            local.tick();
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private List<String> firesOf(String name) {
        return received.stream().map(p -> {
            try {
                return (ObjectNode) JSON.readTree(p);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(n -> n.path("name").asText().equals(name)).map(n -> n.path("at").asText()).toList();
    }

    @Test
    void aFailedRunIsRunAgainAfterOneAndTwoMoreMinutesThenItsRecordGoesToTheOnFailureDestination() throws Exception {
        create("tick", "at(2026-03-27T00:05:00)", "UTC");
        failuresLeft.set(3);

        runUntil(Instant.parse("2026-03-27T00:05:30Z"), Duration.ofSeconds(30));
        assertThat(received).hasSize(1);
        runUntil(Instant.parse("2026-03-27T00:06:00Z"), Duration.ofSeconds(30));
        assertThat(received).as("the second run, a minute later").hasSize(2);
        runUntil(Instant.parse("2026-03-27T00:07:30Z"), Duration.ofSeconds(30));
        assertThat(received).as("the third waits two more minutes").hasSize(2);
        assertThat(delivered).isEmpty();
        runUntil(Instant.parse("2026-03-27T00:10:00Z"), Duration.ofSeconds(30));

        assertThat(received).as("the first run and Lambda's two retries, nothing more").hasSize(3).containsOnly(received.get(0));
        assertThat(delivered).singleElement().satisfies(record -> {
            var r = JSON.readTree(record);
            assertThat(r.path("requestContext").path("condition").asText()).isEqualTo("RetriesExhausted");
            assertThat(r.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(3);
            assertThat(r.path("requestPayload")).isEqualTo(JSON.readTree(received.get(0)));
            assertThat(r.path("requestPayload").path("at").asText()).isEqualTo("2026-03-27T00:05:00Z");
            assertThat(r.path("responsePayload").path("errorMessage").asText()).isEqualTo("table unavailable");
            assertThat(r.path("responseContext").path("functionError").asText()).isEqualTo("Unhandled");
        });
        assertThat(log).anyMatch(l -> l.contains("retries exhausted, sent to " + DESTINATION));
    }

    @Test
    void aRunThatFailsOnceSucceedsOnLambdasRetryAndNothingGoesToTheDestination() {
        create("tick", "at(2026-03-27T00:05:00)", "UTC");
        failuresLeft.set(1);

        runUntil(Instant.parse("2026-03-27T00:15:00Z"), Duration.ofSeconds(30));

        assertThat(received).hasSize(2);
        assertThat(delivered).isEmpty();
    }

    @Test
    void cronFiresAtItsLocalTimesAcrossTheSpringForwardChange() {
        create("nine", "cron(0 9 * * ? *)", "Europe/Berlin");
        create("half-two", "cron(30 2 * * ? *)", "Europe/Berlin");

        runUntil(Instant.parse("2026-03-31T00:00:00Z"), Duration.ofMinutes(30));

        // 09:00 in Berlin: CET (+01:00) until Sunday 29 March 02:00, then CEST (+02:00).
        assertThat(firesOf("nine")).containsExactly("2026-03-27T08:00:00Z", "2026-03-28T08:00:00Z",
                "2026-03-29T07:00:00Z", "2026-03-30T07:00:00Z");
        // 02:30 does not exist on 29 March in Berlin: skipped that day.
        assertThat(firesOf("half-two")).containsExactly("2026-03-27T01:30:00Z", "2026-03-28T01:30:00Z",
                "2026-03-30T00:30:00Z");
    }

    @Test
    void aLocalTimeThatHappensTwiceWhenClocksFallBackFiresOnce() {
        clock.set(Instant.parse("2026-10-24T00:00:00Z"));
        local.tick();
        create("half-two", "cron(30 2 * * ? *)", "Europe/Berlin");

        runUntil(Instant.parse("2026-10-27T00:00:00Z"), Duration.ofMinutes(20));

        assertThat(firesOf("half-two")).containsExactly("2026-10-24T00:30:00Z", "2026-10-25T00:30:00Z",
                "2026-10-26T01:30:00Z");
    }

    @Test
    void rateFiresFromItsStartDateEveryPeriod() {
        create("five", "rate(5 minutes)", "UTC", b -> b.startDate(Instant.parse("2026-03-27T00:02:00Z")));

        runUntil(Instant.parse("2026-03-27T00:20:00Z"), Duration.ofMinutes(1));

        assertThat(firesOf("five")).containsExactly("2026-03-27T00:02:00Z", "2026-03-27T00:07:00Z",
                "2026-03-27T00:12:00Z", "2026-03-27T00:17:00Z");
    }

    @Test
    void aBigClockStepFiresEveryTimeItPassedInOrder() {
        create("minute", "cron(* * * * ? *)", "UTC");

        clock.set(Instant.parse("2026-03-27T00:05:30Z"));
        List<LocalScheduler.Fire> fired = local.tick();

        assertThat(fired).extracting(LocalScheduler.Fire::scheduledTime).containsExactly(
                Instant.parse("2026-03-27T00:01:00Z"), Instant.parse("2026-03-27T00:02:00Z"),
                Instant.parse("2026-03-27T00:03:00Z"), Instant.parse("2026-03-27T00:04:00Z"),
                Instant.parse("2026-03-27T00:05:00Z"));
        assertThat(fired).allMatch(f -> f.target().equals("Target"));
    }

    @Test
    void disabledSchedulesDoNotFireNorCatchUpWhenEnabledAgain() {
        create("minute", "cron(* * * * ? *)", "UTC");
        runUntil(Instant.parse("2026-03-27T00:02:00Z"), Duration.ofMinutes(1));
        var s = scheduler.getSchedule(b -> b.groupName(group).name("minute"));
        scheduler.updateSchedule(b -> b.groupName(group).name("minute").scheduleExpression(s.scheduleExpression())
                .scheduleExpressionTimezone("UTC").flexibleTimeWindow(s.flexibleTimeWindow()).target(s.target())
                .state(ScheduleState.DISABLED));

        runUntil(Instant.parse("2026-03-27T00:05:00Z"), Duration.ofMinutes(1));
        scheduler.updateSchedule(b -> b.groupName(group).name("minute").scheduleExpression(s.scheduleExpression())
                .scheduleExpressionTimezone("UTC").flexibleTimeWindow(s.flexibleTimeWindow()).target(s.target())
                .state(ScheduleState.ENABLED));
        runUntil(Instant.parse("2026-03-27T00:07:00Z"), Duration.ofMinutes(1));

        assertThat(firesOf("minute")).containsExactly("2026-03-27T00:01:00Z", "2026-03-27T00:02:00Z",
                "2026-03-27T00:06:00Z", "2026-03-27T00:07:00Z");
    }

    @Test
    void aOneTimeScheduleFiresOnceInItsZoneAndIsDeletedWhenItAsksTo() {
        create("once-deleted", "at(2026-03-27T09:15:00)", "America/New_York",
                b -> b.actionAfterCompletion(ActionAfterCompletion.DELETE));
        create("once-kept", "at(2026-03-27T10:00:00)", "UTC", b -> b.actionAfterCompletion(ActionAfterCompletion.NONE));

        runUntil(Instant.parse("2026-03-28T00:00:00Z"), Duration.ofMinutes(10));

        // 09:15 in New York on 27 March is EDT (-04:00).
        assertThat(firesOf("once-deleted")).containsExactly("2026-03-27T13:15:00Z");
        assertThat(firesOf("once-kept")).containsExactly("2026-03-27T10:00:00Z");
        assertThat(exists("once-deleted")).isFalse();
        assertThat(exists("once-kept")).isTrue();
    }

    @Test
    void theEndDateStopsARecurringSchedule() {
        create("hourly", "rate(1 hour)", "UTC", b -> b.startDate(Instant.parse("2026-03-27T01:00:00Z"))
                .endDate(Instant.parse("2026-03-27T03:30:00Z")));

        runUntil(Instant.parse("2026-03-27T06:00:00Z"), Duration.ofMinutes(30));

        assertThat(firesOf("hourly")).containsExactly("2026-03-27T01:00:00Z", "2026-03-27T02:00:00Z", "2026-03-27T03:00:00Z");
    }

    @Test
    void theTargetInputGetsThePlaceholdersFilledIn() {
        scheduler.createSchedule(b -> b.groupName(group).name("placeholders").scheduleExpression("cron(0 * * * ? *)")
                .state(ScheduleState.ENABLED).flexibleTimeWindow(f -> f.mode(FlexibleTimeWindowMode.OFF))
                .target(t -> t.arn(TARGET).roleArn("arn:aws:iam::123456789012:role/r").input(
                        "{\"t\":\"<aws.scheduler.scheduled-time>\",\"arn\":\"<aws.scheduler.schedule-arn>\",\"n\":\"<aws.scheduler.attempt-number>\"}")));

        runUntil(Instant.parse("2026-03-27T01:00:00Z"), Duration.ofMinutes(30));

        assertThat(received).singleElement().satisfies(p -> {
            assertThat(p).contains("\"t\":\"2026-03-27T01:00:00Z\"").contains("\"n\":\"1\"")
                    .contains("schedule/" + group + "/placeholders");
        });
    }

    @Test
    void aScheduleWhoseTargetIsNotAFunctionHereIsReportedOnce() {
        scheduler.createSchedule(b -> b.groupName(group).name("sqs").scheduleExpression("cron(* * * * ? *)")
                .state(ScheduleState.ENABLED).flexibleTimeWindow(f -> f.mode(FlexibleTimeWindowMode.OFF))
                .target(t -> t.arn("arn:aws:sqs:us-east-1:123456789012:elsewhere").roleArn("arn:aws:iam::123456789012:role/r")));

        runUntil(Instant.parse("2026-03-27T00:03:00Z"), Duration.ofMinutes(1));

        assertThat(received).isEmpty();
        assertThat(log).filteredOn(l -> l.contains("not a function of this stack")).hasSize(1);
    }

    @Test
    void templateScheduleV2EventsFireThroughTheSameScheduler() {
        ObjectNode props = JSON.createObjectNode();
        props.put("ScheduleExpression", "rate(15 minutes)");
        props.put("StartDate", "2026-03-27T00:00:00Z");
        props.put("Input", "{\"sweep\":true,\"at\":\"<aws.scheduler.scheduled-time>\"}");
        FunctionSpec spec = new FunctionSpec("Target", "x.Y::handleRequest", Map.of(), 30, 512,
                List.of(new FunctionSpec.Event("Sweep", "ScheduleV2", props)));
        EventSource registered = local.templateEvents().create(spec, spec.events().get(0), null);

        runUntil(Instant.parse("2026-03-27T00:45:00Z"), Duration.ofMinutes(5));

        assertThat(registered.describe()).contains("ScheduleV2 Sweep → Target (rate(15 minutes))");
        assertThat(received).containsExactly("{\"sweep\":true,\"at\":\"2026-03-27T00:15:00Z\"}",
                "{\"sweep\":true,\"at\":\"2026-03-27T00:30:00Z\"}", "{\"sweep\":true,\"at\":\"2026-03-27T00:45:00Z\"}");
    }

    private boolean exists(String name) {
        try {
            scheduler.getSchedule(b -> b.groupName(group).name(name));
            return true;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }
}

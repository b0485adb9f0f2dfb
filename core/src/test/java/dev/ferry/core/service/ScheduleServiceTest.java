package dev.ferry.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.Ferry;
import dev.ferry.core.Ports;
import dev.ferry.core.api.ApiResponse;
import dev.ferry.core.error.StoreException;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.ScheduleSpec;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.port.ExecutionQueue;
import dev.ferry.core.testkit.FerryTestKit;
import dev.ferry.core.testkit.ScheduledIntegration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleServiceTest {
    private final FerryTestKit kit = new FerryTestKit(); // clock: Thursday 2026-11-26T10:00:00Z

    private static final Instant T1 = Instant.parse("2026-11-26T10:01:00Z");

    private List<Execution> executions() {
        return kit.executions.all();
    }

    private long starts(String instanceId, String executionId) {
        return kit.logs.read(instanceId, executionId).stream().filter(l -> l.message().startsWith("execution started")).count();
    }

    // ------------------------------------------------------------------ schedules follow the instance

    @Test
    void eachScheduledFlowGetsOneScheduleNamedByItsFlowConfig() {
        ScheduledIntegration.Made made = ScheduledIntegration.create(kit);

        assertThat(kit.schedules.all()).containsExactly(
                new ScheduleSpec(made.everyMinute(), "rate(1 minute)", "UTC", true, T1),
                new ScheduleSpec(made.morning(), "cron(0 9 ? * MON-FRI *)", "Europe/Berlin", true, null));
        assertThat(kit.schedules.get(made.onOrder())).isEmpty();
    }

    @Test
    void aRateStartsWhenNextRunAtSaysAndNextRunAtIsInTheFlowsTimeZone() {
        ScheduledIntegration.Made made = ScheduledIntegration.create(kit);

        JsonNode flows = FerryTestKit.json(kit.api("GET", "/instances/" + made.instanceId() + "/flow-configs", null)).get("items");

        assertThat(flows.get(0).get("nextRunAt").asText()).isEqualTo("2026-11-26T10:01:00Z");
        assertThat(kit.schedules.get(made.everyMinute()).orElseThrow().startDate()).isEqualTo(T1);
        // Thursday 11:00 in Berlin: the next weekday 09:00 there is Friday 08:00 UTC (CET, +01:00).
        assertThat(flows.get(1).get("nextRunAt").asText()).isEqualTo("2026-11-27T08:00:00Z");
        assertThat(flows.get(1).get("timezone").asText()).isEqualTo("Europe/Berlin");
        assertThat(flows.get(2).get("nextRunAt").isNull()).isTrue();
    }

    @Test
    void anInstanceCreatedPausedHasDisabledSchedules() {
        ScheduledIntegration.create(kit, ScheduledIntegration.DEFINITION, ",\"enabled\":false");

        assertThat(kit.schedules.all()).hasSize(2).noneMatch(ScheduleSpec::enabled);
    }

    @Test
    void whenTheSchedulerFailsTheInstanceIsNotCreatedAndItsSchedulesAreRemoved() {
        kit.schedules.failWhen(call -> call.startsWith("create") && kit.schedules.all().size() == 1);
        String customerId = FerryTestKit.json(kit.api("POST", "/customers", "{\"name\":\"Acme\"}")).get("id").asText();
        String integrationId = FerryTestKit.json(kit.api("POST", "/integrations", ScheduledIntegration.DEFINITION)).get("id").asText();

        ApiResponse r = kit.api("POST", "/instances", "{\"name\":\"x\",\"customerId\":\"" + customerId
                + "\",\"integrationId\":\"" + integrationId + "\"}");

        assertThat(r.status()).isEqualTo(503);
        assertThat(r.headers()).containsKey("retry-after");
        assertThat(FerryTestKit.json(kit.api("GET", "/instances", null)).get("items")).isEmpty();
        assertThat(kit.schedules.all()).isEmpty();
    }

    @Test
    void aNewIntegrationVersionReplacesTheSchedulesAndDropsOnesNoLongerScheduled() {
        ScheduledIntegration.Made made = ScheduledIntegration.create(kit);
        String v2 = ScheduledIntegration.DEFINITION
                .replace("rate(1 minute)", "rate(5 minutes)")
                .replace("{\"type\": \"schedule\", \"schedule\": \"cron(0 9 ? * MON-FRI *)\", \"timezone\": \"Europe/Berlin\"}",
                        "{\"type\": \"webhook\"}");
        assertThat(kit.api("POST", "/integrations/" + made.integrationId() + "/versions", v2).status()).isEqualTo(201);
        kit.schedules.resetCalls();

        ApiResponse r = kit.api("PATCH", "/instances/" + made.instanceId(), "{\"integrationVersion\": 2}");

        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        assertThat(kit.schedules.calls()).containsExactly("update " + made.everyMinute(), "delete " + made.morning());
        assertThat(kit.schedules.get(made.everyMinute()).orElseThrow().expression()).isEqualTo("rate(5 minutes)");
        assertThat(kit.schedules.get(made.everyMinute()).orElseThrow().startDate())
                .isEqualTo(Instant.parse("2026-11-26T10:05:00Z"));
        assertThat(kit.schedules.get(made.morning())).isEmpty();
    }

    @Test
    void whenTheSchedulerFailsAVersionChangeChangesNothing() {
        ScheduledIntegration.Made made = ScheduledIntegration.create(kit);
        kit.api("POST", "/integrations/" + made.integrationId() + "/versions",
                ScheduledIntegration.DEFINITION.replace("rate(1 minute)", "rate(5 minutes)"));
        kit.schedules.failWhen(call -> true);

        ApiResponse r = kit.api("PATCH", "/instances/" + made.instanceId(), "{\"integrationVersion\": 2}");

        assertThat(r.status()).isEqualTo(503);
        assertThat(kit.instances.get(made.instanceId()).orElseThrow().integrationVersion()).isEqualTo(1);
        assertThat(kit.schedules.get(made.everyMinute()).orElseThrow().expression()).isEqualTo("rate(1 minute)");
    }

    @Test
    void patchingWithoutAVersionChangeMakesNoSchedulerCalls() {
        ScheduledIntegration.Made made = ScheduledIntegration.create(kit);
        kit.schedules.resetCalls();

        assertThat(kit.api("PATCH", "/instances/" + made.instanceId(), "{\"name\": \"Renamed\", \"pauseMode\": \"HOLD\"}")
                .status()).isEqualTo(200);

        assertThat(kit.schedules.calls()).isEmpty();
    }

    @Test
    void aBadScheduleExpressionIsA400NamingTheField() {
        ApiResponse r = kit.api("POST", "/integrations", ScheduledIntegration.DEFINITION.replace("rate(1 minute)", "rate(0 minutes)"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.bodyText()).contains("flows[0].trigger.schedule");
        assertThat(FerryTestKit.json(kit.api("GET", "/integrations", null)).get("items")).isEmpty();
    }

    // ------------------------------------------------------------------ ticks

    @Test
    void aTickRecordsAScheduleExecutionAndItRunsWithTheScheduledTime() {
        ScheduledIntegration.Made made = ScheduledIntegration.create(kit);
        kit.clock.set(T1.plusMillis(350));

        ScheduleService.Tick tick = kit.ferry.schedules().fire(made.everyMinute(), T1);
        kit.drainQueue();

        assertThat(tick.outcome()).isEqualTo(ScheduleService.Outcome.QUEUED);
        Execution done = kit.executions.get(tick.executionId()).orElseThrow();
        assertThat(done.trigger()).isEqualTo(Trigger.SCHEDULE);
        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(done.flowConfigId()).isEqualTo(made.everyMinute());
        assertThat(done.steps().get(1).output().get("at").asText()).isEqualTo("2026-11-26T10:01:00Z");
    }

    @Test
    void aTickDeliveredTwiceRunsOnce() {
        ScheduledIntegration.Made made = ScheduledIntegration.create(kit);

        ScheduleService.Tick first = kit.ferry.schedules().fire(made.everyMinute(), T1);
        ScheduleService.Tick second = kit.ferry.schedules().fire(made.everyMinute(), T1);
        kit.drainQueue();
        ScheduleService.Tick third = kit.ferry.schedules().fire(made.everyMinute(), T1);
        kit.drainQueue();

        assertThat(second.outcome()).isEqualTo(ScheduleService.Outcome.DUPLICATE);
        assertThat(third.outcome()).isEqualTo(ScheduleService.Outcome.DUPLICATE);
        assertThat(second.executionId()).isEqualTo(first.executionId());
        assertThat(executions()).singleElement().extracting(Execution::status).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(starts(made.instanceId(), first.executionId())).isEqualTo(1);
    }

    @Test
    void aTickLambdaGaveUpOnIsListedAsAScheduleDeadLetterAndItsRedriveRunsItOnce() {
        ScheduledIntegration.Made made = ScheduledIntegration.create(kit);
        String record = dev.ferry.core.message.ScheduleTickFailure.CODEC.write(new dev.ferry.core.message.ScheduleTickFailure(
                made.everyMinute(), T1, "RetriesExhausted", 3, "DynamoDB throttled"));
        kit.deadLetters.put(dev.ferry.core.model.DeadLetterQueue.SCHEDULE, record, 1);

        JsonNode listed = FerryTestKit.json(kit.api("GET", "/dead-letters", java.util.Map.of("queue", "schedule"), null));
        assertThat(listed.get("items")).singleElement().extracting(d -> d.get("summary").asText()).isEqualTo("flowConfigId "
                + made.everyMinute() + " at 2026-11-26T10:01:00Z: RetriesExhausted after 3 attempts (DynamoDB throttled)");
        ApiResponse redriven = kit.api("POST", "/dead-letters/redrive", "{\"queue\":\"schedule\"}");
        ApiResponse again = kit.api("POST", "/dead-letters/redrive", "{\"queue\":\"schedule\"}");
        kit.drainQueue();

        assertThat(redriven.status()).as(redriven.bodyText()).isEqualTo(200);
        assertThat(FerryTestKit.json(redriven).get("moved")).hasSize(1);
        assertThat(FerryTestKit.json(again).get("moved")).isEmpty();
        assertThat(executions()).singleElement().satisfies(e -> {
            assertThat(e.trigger()).isEqualTo(Trigger.SCHEDULE);
            assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(e.steps().get(1).output().get("at").asText()).isEqualTo("2026-11-26T10:01:00Z");
        });
        // Lambda's record of the tick, fired again by hand, is still the same tick: once.
        assertThat(kit.ferry.schedules().fire(made.everyMinute(), T1).outcome()).isEqualTo(ScheduleService.Outcome.DUPLICATE);
    }

    @Test
    void aTickWhoseFirstDeliveryCouldNotEnqueueRunsWhenDeliveredAgain() {
        ScheduledIntegration.Made made = ScheduledIntegration.create(kit);
        Ports p = kit.ferry.ports();
        ExecutionQueue down = id -> { throw new StoreException("queue unreachable", null); };
        ScheduleService broken = new Ferry(p.withQueue(down), kit.ferry.settings()).schedules();

        assertThatThrownBy(() -> broken.fire(made.everyMinute(), T1)).isInstanceOf(StoreException.class);
        ScheduleService.Tick retried = kit.ferry.schedules().fire(made.everyMinute(), T1);
        kit.drainQueue();

        assertThat(retried.outcome()).isEqualTo(ScheduleService.Outcome.DUPLICATE);
        assertThat(executions()).singleElement().extracting(Execution::status).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void differentTicksAreDifferentExecutions() {
        ScheduledIntegration.Made made = ScheduledIntegration.create(kit);

        kit.ferry.schedules().fire(made.everyMinute(), T1);
        kit.ferry.schedules().fire(made.everyMinute(), T1.plusSeconds(60));
        kit.ferry.schedules().fire(made.morning(), T1);
        kit.drainQueue();

        assertThat(executions()).hasSize(3).allMatch(e -> e.status() == ExecutionStatus.SUCCEEDED);
    }

    @Test
    void aTickOfAPausedInstanceIsSkippedAndStoresNothing() {
        ScheduledIntegration.Made made = ScheduledIntegration.create(kit);
        kit.api("POST", "/instances/" + made.instanceId() + "/pause", null);

        ScheduleService.Tick tick = kit.ferry.schedules().fire(made.everyMinute(), T1);

        assertThat(tick.outcome()).isEqualTo(ScheduleService.Outcome.SKIPPED);
        assertThat(tick.reason()).contains("paused");
        assertThat(executions()).isEmpty();
    }

    @Test
    void aTickOfAnUnknownOrUnscheduledFlowConfigIsSkipped() {
        ScheduledIntegration.Made made = ScheduledIntegration.create(kit);

        assertThat(kit.ferry.schedules().fire("flc_gone", T1).outcome()).isEqualTo(ScheduleService.Outcome.SKIPPED);
        assertThat(kit.ferry.schedules().fire(made.onOrder(), T1).reason()).contains("not scheduled");
        assertThat(executions()).isEmpty();
    }

    @Test
    void aTicksExecutionIdIsAUlidOfItsScheduledTimeAndTheSameForEveryDelivery() {
        String a = ScheduleService.executionIdFor("flc_1", T1);

        assertThat(a).matches("exe_[0-9A-HJKMNP-TV-Z]{26}").isEqualTo(ScheduleService.executionIdFor("flc_1", T1));
        assertThat(ScheduleService.executionIdFor("flc_2", T1)).isNotEqualTo(a);
        assertThat(ScheduleService.executionIdFor("flc_1", T1.plusSeconds(60))).isNotEqualTo(a).isGreaterThan(a);
        assertThat(a.substring(4, 14)).isEqualTo(ScheduleService.executionIdFor("flc_2", T1).substring(4, 14));
    }

    @Test
    void directInvocationWithoutAScheduledTimeRunsNow() {
        ScheduledIntegration.Made made = ScheduledIntegration.create(kit);

        ScheduleService.Tick tick = kit.ferry.schedules().fire(made.morning(), null);
        kit.drainQueue();

        assertThat(tick.scheduledTime()).isEqualTo(kit.clock.instant());
        assertThat(kit.executions.get(tick.executionId()).orElseThrow().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(tick.outcome()).isEqualTo(ScheduleService.Outcome.QUEUED);
    }
}

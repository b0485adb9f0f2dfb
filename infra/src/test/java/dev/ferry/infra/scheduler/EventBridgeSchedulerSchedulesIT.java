package dev.ferry.infra.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.error.StoreException;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.ScheduleSpec;
import dev.ferry.core.port.Schedules;
import dev.ferry.core.port.SchedulesContract;
import dev.ferry.infra.AwsClients;
import dev.ferry.infra.CallCounter;
import dev.ferry.infra.TestResources;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.ActionAfterCompletion;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindowMode;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;
import software.amazon.awssdk.services.scheduler.model.ScheduleState;

class EventBridgeSchedulerSchedulesIT extends SchedulesContract {
    static final String TARGET = "arn:aws:lambda:us-east-1:123456789012:function:ScheduledTriggerFunction:live";
    static final String ROLE = "arn:aws:iam::123456789012:role/ferry-SchedulerInvokeRole";
    private static final CallCounter calls = new CallCounter();
    private static AwsClients counted;
    private SchedulerClient scheduler;
    private String group;
    private EventBridgeSchedulerSchedules schedules;

    @BeforeAll
    static void resetEmulator() {
        TestResources.reset();
        counted = AwsClients.fromEnv(TestResources.env(), List.of(calls));
    }

    @AfterAll
    static void close() {
        counted.close();
    }

    @BeforeEach
    void freshGroup() {
        scheduler = counted.scheduler();
        group = TestResources.createScheduleGroup(scheduler);
        schedules = new EventBridgeSchedulerSchedules(scheduler, group, TARGET, ROLE);
        calls.reset();
    }

    @Override
    protected Schedules schedules() {
        return schedules;
    }

    private GetScheduleResponse read(String name) {
        return scheduler.getSchedule(b -> b.groupName(group).name(name));
    }

    @Test
    void theScheduleTargetsTheTriggerFunctionWithTheFlowConfigAndTheScheduledTime() {
        Instant start = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);
        schedules.create(new ScheduleSpec("flc_1", "rate(1 minute)", "UTC", true, start));

        GetScheduleResponse s = read("flc_1");

        assertThat(s.groupName()).isEqualTo(group);
        assertThat(s.scheduleExpression()).isEqualTo("rate(1 minute)");
        assertThat(s.scheduleExpressionTimezone()).isEqualTo("UTC");
        assertThat(s.startDate()).isEqualTo(start);
        assertThat(s.state()).isEqualTo(ScheduleState.ENABLED);
        assertThat(s.flexibleTimeWindow().mode()).isEqualTo(FlexibleTimeWindowMode.OFF);
        assertThat(s.actionAfterCompletion()).isEqualTo(ActionAfterCompletion.NONE);
        assertThat(s.target().arn()).isEqualTo(TARGET);
        assertThat(s.target().roleArn()).isEqualTo(ROLE);
        assertThat(Json.tree(s.target().input()).get("flowConfigId").asText()).isEqualTo("flc_1");
        assertThat(Json.tree(s.target().input()).get("scheduledTime").asText()).isEqualTo("<aws.scheduler.scheduled-time>");
        assertThat(s.target().retryPolicy().maximumRetryAttempts()).isEqualTo(185);
    }

    @Test
    void disablingKeepsEveryOtherFieldAsItWas() {
        ScheduleSpec spec = new ScheduleSpec("flc_1", "cron(0 9 ? * MON-FRI *)", "Europe/Berlin", true, null);
        schedules.create(spec);
        GetScheduleResponse before = read("flc_1");

        schedules.update(spec.withEnabled(false));
        GetScheduleResponse paused = read("flc_1");
        schedules.update(spec);
        GetScheduleResponse unpaused = read("flc_1");

        assertThat(paused.state()).isEqualTo(ScheduleState.DISABLED);
        assertThat(unpaused.state()).isEqualTo(ScheduleState.ENABLED);
        for (GetScheduleResponse s : List.of(paused, unpaused)) {
            assertThat(s.scheduleExpression()).isEqualTo(before.scheduleExpression());
            assertThat(s.scheduleExpressionTimezone()).isEqualTo("Europe/Berlin");
            assertThat(s.target()).isEqualTo(before.target());
            assertThat(s.flexibleTimeWindow()).isEqualTo(before.flexibleTimeWindow());
            assertThat(s.description()).isEqualTo(before.description());
        }
    }

    @Test
    void anUpdateIsOneCallAndAnUpdateOfAMissingScheduleTwo() {
        ScheduleSpec spec = new ScheduleSpec("flc_1", "rate(1 day)", "UTC", true, null);
        schedules.create(spec);
        calls.reset();

        schedules.update(spec.withEnabled(false));
        assertThat(calls.snapshot()).containsExactlyEntriesOf(java.util.Map.of("Scheduler.UpdateSchedule", 1L));

        calls.reset();
        schedules.update(new ScheduleSpec("flc_2", "rate(1 day)", "UTC", true, null));
        assertThat(calls.snapshot()).containsEntry("Scheduler.UpdateSchedule", 1L).containsEntry("Scheduler.CreateSchedule", 1L);
    }

    @Test
    void anUnreachableSchedulerIsAStoreException() {
        try (AwsClients closed = AwsClients.fromEnv(java.util.Map.of("AWS_REGION", "us-east-1",
                "AWS_ENDPOINT_URL", "http://127.0.0.1:9", "FERRY_AWS_API_CALL_TIMEOUT_MS", "2000", "AWS_MAX_ATTEMPTS", "1"))) {
            EventBridgeSchedulerSchedules down = new EventBridgeSchedulerSchedules(closed.scheduler(), group, TARGET, ROLE);
            assertThatThrownBy(() -> down.update(new ScheduleSpec("flc_1", "rate(1 day)", "UTC", false, null)))
                    .isInstanceOf(StoreException.class).hasMessageContaining("UpdateSchedule");
        }
    }
}

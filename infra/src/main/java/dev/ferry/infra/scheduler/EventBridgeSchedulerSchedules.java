package dev.ferry.infra.scheduler;

import static dev.ferry.infra.AwsFailures.storeFailure;

import dev.ferry.core.json.Json;
import dev.ferry.core.model.ScheduleSpec;
import dev.ferry.core.port.Schedules;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.ActionAfterCompletion;
import software.amazon.awssdk.services.scheduler.model.ConflictException;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindow;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindowMode;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;
import software.amazon.awssdk.services.scheduler.model.RetryPolicy;
import software.amazon.awssdk.services.scheduler.model.ScheduleState;
import software.amazon.awssdk.services.scheduler.model.Target;

/**
 * Flow config schedules in one EventBridge Scheduler schedule group (FERRY_SCHEDULE_GROUP): name =
 * the flow config's id; target = the scheduled trigger function's {@code live} alias
 * (FERRY_SCHEDULER_TARGET_ARN), invoked with the role FERRY_SCHEDULER_ROLE_ARN and the input
 * {@code {"flowConfigId": "<id>", "scheduledTime": "<aws.scheduler.scheduled-time>"}}.
 *
 * <p>UpdateSchedule replaces the whole schedule, so every call sends every field: expression, time
 * zone, state, start date (rates), flexible time window OFF, the target with its input and retry
 * policy, {@code ActionAfterCompletion NONE} and the description. Nothing is read first: pausing N
 * scheduled flows is N UpdateSchedule calls.
 */
public final class EventBridgeSchedulerSchedules implements Schedules {
    /** The placeholder EventBridge Scheduler replaces with the tick's scheduled time. */
    public static final String SCHEDULED_TIME = "<aws.scheduler.scheduled-time>";
    /**
     * How long, and how often, the Scheduler retries a failed delivery of one tick (its defaults, sent
     * explicitly). Delivery is the asynchronous Invoke call (throttled, function missing): a run that
     * fails after it was accepted is Lambda's to retry, by the function's EventInvokeConfig.
     */
    static final int MAX_EVENT_AGE_SECONDS = 86_400;
    static final int MAX_RETRY_ATTEMPTS = 185;

    private final SchedulerClient scheduler;
    private final String group;
    private final String targetArn;
    private final String roleArn;

    public EventBridgeSchedulerSchedules(SchedulerClient scheduler, String group, String targetArn, String roleArn) {
        this.scheduler = scheduler;
        this.group = group;
        this.targetArn = targetArn;
        this.roleArn = roleArn;
    }

    /** The target input of a flow config's schedule. */
    public static String input(String flowConfigId) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("flowConfigId", flowConfigId);
        m.put("scheduledTime", SCHEDULED_TIME);
        return Json.write(m);
    }

    @Override
    public void create(ScheduleSpec spec) {
        try {
            try {
                createSchedule(spec);
            } catch (ConflictException exists) {
                updateSchedule(spec);
            }
        } catch (SdkException e) {
            throw storeFailure("EventBridge Scheduler CreateSchedule " + group + "/" + spec.flowConfigId(), e);
        }
    }

    @Override
    public void update(ScheduleSpec spec) {
        try {
            try {
                updateSchedule(spec);
            } catch (ResourceNotFoundException missing) {
                try {
                    createSchedule(spec);
                } catch (ConflictException raced) {
                    updateSchedule(spec);
                }
            }
        } catch (SdkException e) {
            throw storeFailure("EventBridge Scheduler UpdateSchedule " + group + "/" + spec.flowConfigId(), e);
        }
    }

    @Override
    public void delete(String flowConfigId) {
        try {
            scheduler.deleteSchedule(b -> b.groupName(group).name(flowConfigId));
        } catch (ResourceNotFoundException gone) {
            // already absent: the state asked for
        } catch (SdkException e) {
            throw storeFailure("EventBridge Scheduler DeleteSchedule " + group + "/" + flowConfigId, e);
        }
    }

    @Override
    public Optional<ScheduleSpec> get(String flowConfigId) {
        GetScheduleResponse s;
        try {
            s = scheduler.getSchedule(b -> b.groupName(group).name(flowConfigId));
        } catch (ResourceNotFoundException missing) {
            return Optional.empty();
        } catch (SdkException e) {
            throw storeFailure("EventBridge Scheduler GetSchedule " + group + "/" + flowConfigId, e);
        }
        return Optional.of(new ScheduleSpec(s.name(), s.scheduleExpression(), s.scheduleExpressionTimezone(),
                s.state() == ScheduleState.ENABLED, s.startDate()));
    }

    private void createSchedule(ScheduleSpec spec) {
        scheduler.createSchedule(b -> b
                .groupName(group)
                .name(spec.flowConfigId())
                .description(description(spec))
                .scheduleExpression(spec.expression())
                .scheduleExpressionTimezone(spec.timezone())
                .startDate(spec.startDate())
                .state(state(spec))
                .flexibleTimeWindow(OFF)
                .actionAfterCompletion(ActionAfterCompletion.NONE)
                .target(target(spec)));
    }

    private void updateSchedule(ScheduleSpec spec) {
        scheduler.updateSchedule(b -> b
                .groupName(group)
                .name(spec.flowConfigId())
                .description(description(spec))
                .scheduleExpression(spec.expression())
                .scheduleExpressionTimezone(spec.timezone())
                .startDate(spec.startDate())
                .state(state(spec))
                .flexibleTimeWindow(OFF)
                .actionAfterCompletion(ActionAfterCompletion.NONE)
                .target(target(spec)));
    }

    private static final FlexibleTimeWindow OFF = FlexibleTimeWindow.builder().mode(FlexibleTimeWindowMode.OFF).build();

    private static ScheduleState state(ScheduleSpec spec) {
        return spec.enabled() ? ScheduleState.ENABLED : ScheduleState.DISABLED;
    }

    private static String description(ScheduleSpec spec) {
        return "Ferry flow config " + spec.flowConfigId();
    }

    private Target target(ScheduleSpec spec) {
        return Target.builder()
                .arn(targetArn)
                .roleArn(roleArn)
                .input(input(spec.flowConfigId()))
                .retryPolicy(RetryPolicy.builder()
                        .maximumEventAgeInSeconds(MAX_EVENT_AGE_SECONDS)
                        .maximumRetryAttempts(MAX_RETRY_ATTEMPTS).build())
                .build();
    }
}

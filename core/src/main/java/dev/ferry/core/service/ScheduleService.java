package dev.ferry.core.service;

import dev.ferry.core.definition.FlowDef;
import dev.ferry.core.definition.IntegrationDefinition;
import dev.ferry.core.definition.ScheduleExpression;
import dev.ferry.core.definition.TriggerDef;
import dev.ferry.core.error.ConflictException;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.FlowConfig;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.ScheduleSpec;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.port.ExecutionQueue;
import dev.ferry.core.port.ExecutionStore;
import dev.ferry.core.port.InstanceStore;
import dev.ferry.core.port.Schedules;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The schedules of scheduled flow configs (one each, named by the flow config's id; docs/architecture.md, "Schedule tick")
 * kept in step with their instance — made with it, changed with its integration version, disabled
 * while it is paused — and what a schedule's tick does: record a {@code SCHEDULE} execution and
 * enqueue it, once per (flow config, scheduled time) however often the tick is delivered.
 */
public final class ScheduleService {
    /** What a tick did. */
    public enum Outcome { QUEUED, DUPLICATE, SKIPPED }

    /** The result of one tick: the execution (QUEUED or DUPLICATE) or why nothing ran (SKIPPED). */
    public record Tick(Outcome outcome, String flowConfigId, Instant scheduledTime, String executionId, String reason) {}

    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private final Schedules schedules;
    private final InstanceStore instances;
    private final ExecutionStore executions;
    private final ExecutionQueue queue;
    private final Clock clock;
    private final Settings settings;
    private final Definitions definitions;

    public ScheduleService(Schedules schedules, InstanceStore instances, ExecutionStore executions,
                           ExecutionQueue queue, Clock clock, Settings settings, Definitions definitions) {
        this.schedules = schedules;
        this.instances = instances;
        this.executions = executions;
        this.queue = queue;
        this.clock = clock;
        this.settings = settings;
        this.definitions = definitions;
    }

    // ------------------------------------------------------------------ schedules

    /**
     * The schedule this flow config should have under {@code def}, or empty when its flow is not
     * scheduled there. Rates get a start date on the next epoch-aligned fire time, so EventBridge
     * Scheduler fires them when {@code nextRunAt} says (it starts a rate at its start date).
     */
    public static Optional<ScheduleSpec> desired(FlowConfig fc, IntegrationDefinition def, boolean enabled, Instant now) {
        TriggerDef trigger = def.flow(fc.flow()).map(FlowDef::trigger).orElse(null);
        String schedule;
        String timezone;
        if (trigger != null) {
            if (!trigger.scheduled()) return Optional.empty();
            schedule = trigger.schedule();
            timezone = trigger.timezone();
        } else {
            if (!TriggerDef.SCHEDULE.equals(fc.triggerType()) || fc.schedule() == null) return Optional.empty();
            schedule = fc.schedule();
            timezone = fc.timezone();
        }
        ScheduleExpression expression = ScheduleExpression.parse(schedule);
        Instant start = expression.kind() == ScheduleExpression.Kind.RATE
                ? expression.nextAfter(now.atZone(ZoneOffset.UTC)).orElseThrow().toInstant() : null;
        return Optional.of(new ScheduleSpec(fc.id(), expression.expression(), timezone == null ? "UTC" : timezone,
                enabled, start));
    }

    /**
     * Creates the schedules of a new instance's scheduled flows (ENABLED unless it starts paused).
     * If one fails, those already made are deleted again and the failure is thrown.
     */
    public void createFor(Instance instance, List<FlowConfig> flowConfigs, IntegrationDefinition def) {
        Instant now = clock.instant();
        List<String> made = new ArrayList<>();
        try {
            for (FlowConfig fc : flowConfigs) {
                Optional<ScheduleSpec> spec = desired(fc, def, instance.enabled(), now);
                if (spec.isEmpty()) continue;
                schedules.create(spec.get());
                made.add(fc.id());
            }
        } catch (RuntimeException e) {
            made.forEach(this::deleteQuietly);
            throw e;
        }
    }

    /**
     * Brings the instance's schedules in line with another integration version: each flow config
     * scheduled there gets its schedule replaced (or created), one no longer scheduled loses it.
     * Returns the calls made.
     */
    public int changeVersion(Instance instance, List<FlowConfig> flowConfigs, IntegrationDefinition from,
                             IntegrationDefinition to) {
        Instant now = clock.instant();
        int calls = 0;
        for (FlowConfig fc : flowConfigs) {
            Optional<ScheduleSpec> want = desired(fc, to, instance.enabled(), now);
            Optional<ScheduleSpec> had = desired(fc, from, instance.enabled(), now);
            if (want.isPresent()) {
                schedules.update(want.get());
                calls++;
            } else if (had.isPresent()) {
                schedules.delete(fc.id());
                calls++;
            }
        }
        return calls;
    }

    /**
     * Sets every scheduled flow config's schedule ENABLED or DISABLED: one replacing update per
     * schedule, nothing read first. Returns how many schedules were updated.
     */
    public int setEnabled(List<FlowConfig> flowConfigs, IntegrationDefinition def, boolean enabled) {
        Instant now = clock.instant();
        int n = 0;
        for (FlowConfig fc : flowConfigs) {
            Optional<ScheduleSpec> spec = desired(fc, def, enabled, now);
            if (spec.isEmpty()) continue;
            schedules.update(spec.get());
            n++;
        }
        return n;
    }

    /** Deletes the schedules of these flow configs (scheduled under {@code def}); for removing an instance. */
    public void deleteFor(List<FlowConfig> flowConfigs, IntegrationDefinition def) {
        Instant now = clock.instant();
        for (FlowConfig fc : flowConfigs) {
            if (desired(fc, def, false, now).isPresent() || fc.schedule() != null) schedules.delete(fc.id());
        }
    }

    private void deleteQuietly(String flowConfigId) {
        try {
            schedules.delete(flowConfigId);
        } catch (RuntimeException ignored) {
            // best effort: a schedule whose flow config does not exist is skipped when it fires
        }
    }

    // ------------------------------------------------------------------ ticks

    /**
     * One tick of a flow config's schedule: stores a QUEUED {@code SCHEDULE} execution whose id is
     * derived from (flow config, scheduled time) and enqueues it. A second delivery of the same
     * tick finds that id taken and runs nothing (it enqueues the stored execution again only if it
     * is still QUEUED, in case the first delivery failed before enqueueing — the claim makes a
     * second message harmless). A tick for a flow config that no longer exists, is no longer
     * scheduled, or whose instance is paused is skipped. Store or queue failures are thrown, so the
     * scheduler delivers the tick again.
     */
    public Tick fire(String flowConfigId, Instant scheduledTime) {
        Instant now = clock.instant();
        Instant at = scheduledTime == null ? now : scheduledTime;
        Optional<FlowConfig> found = instances.getFlowConfig(flowConfigId);
        if (found.isEmpty()) return skipped(flowConfigId, at, "no flow config '" + flowConfigId + "'");
        FlowConfig fc = found.get();
        Optional<Instance> instance = instances.get(fc.instanceId());
        if (instance.isEmpty()) return skipped(flowConfigId, at, "instance " + fc.instanceId() + " no longer exists");
        Instance i = instance.get();
        if (!i.enabled()) return skipped(flowConfigId, at, "instance " + i.id() + " is paused");
        IntegrationDefinition def = definitions.definition(i.integrationId(), i.integrationVersion());
        if (desired(fc, def, true, now).isEmpty()) {
            return skipped(flowConfigId, at, "flow '" + fc.flow() + "' is not scheduled in integration version "
                    + i.integrationVersion());
        }
        String id = executionIdFor(fc.id(), at);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("scheduledTime", SECONDS.format(at));
        Execution execution = Execution.builder()
                .id(id)
                .instanceId(i.id())
                .customerId(i.customerId())
                .flowConfigId(fc.id())
                .flow(fc.flow())
                .trigger(Trigger.SCHEDULE)
                .status(ExecutionStatus.QUEUED)
                .queuedAt(now)
                .attempt(1)
                .request(new ExecutionRequest(null, Json.writeBytes(body), Map.of("content-type", "application/json"),
                        Map.of(), "application/json"))
                .expiresAt(now.plus(Duration.ofDays(settings.retentionDays())))
                .build();
        try {
            executions.create(execution);
        } catch (ConflictException duplicate) {
            Optional<Execution> stored = executions.get(id);
            if (stored.isPresent() && stored.get().status() == ExecutionStatus.QUEUED) queue.enqueue(id);
            return new Tick(Outcome.DUPLICATE, fc.id(), at, id, "this tick was delivered before");
        }
        queue.enqueue(id);
        return new Tick(Outcome.QUEUED, fc.id(), at, id, null);
    }

    private static Tick skipped(String flowConfigId, Instant at, String reason) {
        return new Tick(Outcome.SKIPPED, flowConfigId, at, null, reason);
    }

    /**
     * {@code exe_<ULID>} whose time part is the scheduled time and whose 80 "random" bits are the
     * first bits of SHA-256(flowConfigId|scheduledTime): shaped and ordered like every other id,
     * and the same for every delivery of one tick.
     */
    public static String executionIdFor(String flowConfigId, Instant scheduledTime) {
        byte[] h;
        try {
            h = MessageDigest.getInstance("SHA-256")
                    .digest((flowConfigId + "|" + scheduledTime).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        char[] out = new char[26];
        long millis = Math.max(0, Math.min(scheduledTime.toEpochMilli(), (1L << 48) - 1));
        for (int i = 9; i >= 0; i--) {
            out[i] = CROCKFORD[(int) (millis & 31)];
            millis >>>= 5;
        }
        for (int i = 0; i < 16; i++) {
            int bit = i * 5;
            int two = ((h[bit / 8] & 0xff) << 8) | (h[bit / 8 + 1] & 0xff);
            out[10 + i] = CROCKFORD[(two >>> (11 - bit % 8)) & 31];
        }
        return "exe_" + new String(out);
    }
}

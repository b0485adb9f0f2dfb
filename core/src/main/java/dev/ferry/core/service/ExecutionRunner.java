package dev.ferry.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.definition.ConfigVariableDef;
import dev.ferry.core.definition.FlowDef;
import dev.ferry.core.definition.IntegrationDefinition;
import dev.ferry.core.engine.FlowEngine;
import dev.ferry.core.engine.FlowInput;
import dev.ferry.core.engine.FlowRun;
import dev.ferry.core.engine.Redactor;
import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.error.StoreException;
import dev.ferry.core.json.Json;
import dev.ferry.core.log.Log;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionError;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.FlowConfig;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.LogLine;
import dev.ferry.core.model.Severity;
import dev.ferry.core.model.StepResult;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.port.ExecutionStore;
import dev.ferry.core.port.IdGenerator;
import dev.ferry.core.port.InstanceStore;
import dev.ferry.core.port.LogSink;
import dev.ferry.core.port.LogStore;
import dev.ferry.core.port.Metrics;
import dev.ferry.core.port.Sleeper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs executions: claims a queued one (so a redelivered message runs it at most once), runs its
 * flow on the instance's current integration version, and records step results and logs.
 */
public final class ExecutionRunner {
    private final ExecutionStore executions;
    private final InstanceStore instances;
    private final LogStore logs;
    private final IdGenerator ids;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Settings settings;
    private final Definitions definitions;
    private final FlowEngine engine;
    private final Retries retries;
    private final MonitorEvents monitorEvents;
    private final HeldExecutions heldExecutions;
    private final ReplayJobs replayJobs;
    private final Metrics metrics;
    private final Secrets secrets;
    /** The start this container last recorded as each instance's lastExecutedAt (the most recent 10,000 instances). */
    private final Map<String, Instant> recordedStarts = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > 10_000;
        }
    };

    public ExecutionRunner(ExecutionStore executions, InstanceStore instances, LogStore logs, IdGenerator ids,
                           Clock clock, Sleeper sleeper, Settings settings, Definitions definitions, FlowEngine engine,
                           Retries retries, MonitorEvents monitorEvents, HeldExecutions held, ReplayJobs replayJobs,
                           Metrics metrics, Secrets secrets) {
        this.executions = executions;
        this.instances = instances;
        this.logs = logs;
        this.ids = ids;
        this.clock = clock;
        this.sleeper = sleeper;
        this.settings = settings;
        this.definitions = definitions;
        this.engine = engine;
        this.retries = retries;
        this.monitorEvents = monitorEvents;
        this.heldExecutions = held;
        this.replayJobs = replayJobs;
        this.metrics = metrics;
        this.secrets = secrets;
    }

    /**
     * Runs the queued execution with this id. Returns it finished (or HELD when its instance is
     * paused), or empty when there was nothing to run: unknown, already claimed, or finished — or its
     * instance is deleted, and so is the execution.
     */
    public Optional<Execution> run(String executionId) {
        return run(executionId, null);
    }

    /** Times the claim is tried when the store fails to answer, and the first pause between tries. */
    static final int CLAIM_TRIES = 4;
    static final Duration CLAIM_PAUSE = Duration.ofSeconds(1);

    /**
     * Runs the queued execution for one delivery of its message ({@code deliveryId}, the SQS message
     * id; null for none). A claim whose answer is lost (the store timed out, then applied it) is
     * tried again with the same token and start time, so this delivery takes its own claim back
     * instead of leaving the execution RUNNING until the stuck sweep; the same message delivered
     * again after the function's timeout re-claims it too. Throws when the store stays unavailable.
     */
    public Optional<Execution> run(String executionId, String deliveryId) {
        // One token per attempt: <message id>#<nonce>, so a duplicate copy of the message never shares it.
        // 64 random bits tell one message's attempts apart; a UUID's 36 characters would only make the
        // claimed item larger (a claim costs a write unit per started KB of the item).
        String token = deliveryId == null ? null
                : deliveryId + "#" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
        Optional<Execution> claimed = claim(executionId, token);
        if (claimed.isEmpty()) return Optional.empty();
        Execution execution = claimed.get();
        try (Log.Scope about = Log.with(Log.INSTANCE_ID, execution.instanceId(), Log.FLOW_CONFIG_ID,
                execution.flowConfigId(), Log.EXECUTION_ID, execution.id())) {
            return runClaimed(execution, token);
        }
    }

    private Optional<Execution> runClaimed(Execution execution, String token) {
        Optional<Instance> instance;
        Opened opened = null;
        try {
            instance = instances.get(execution.instanceId());
            if (instance.isPresent() && (instance.get().enabled() || execution.trigger() == Trigger.TEST)) {
                // Secret values opened before any step: a key service that cannot answer now gives the claim back.
                opened = open(instance.get());
            }
            if (instance.isPresent() && instance.get().enabled()) {
                definitions.definition(instance.get().integrationId(), instance.get().integrationVersion()); // cached for execute
                // The stream now, so the lines written when the run ends take one call, which lands even if
                // it is answered late (a log store that stops answering mid-run loses no line).
                if (instance.get().storeLogs()) logs.ensureStream(instance.get().id(), execution.id());
            }
        } catch (RuntimeException beforeAnyStep) {
            // Nothing has run: give the claim back so the message's next delivery (or, after the last one, a
            // redrive from the dead-letter queue once the cause is fixed) runs it, instead of leaving it RUNNING.
            try {
                executions.unclaim(execution.id(), token, execution.startedAt());
            } catch (RuntimeException ignored) {
                // the stuck sweep fails it after the timeout
            }
            throw beforeAnyStep;
        }
        if (instance.isEmpty()) {
            // Deleted (or being deleted): whatever reaches the runner for it — a message queued before
            // the deletion, a retry or replay created as it ran, a webhook through a cached route — is
            // deleted too, so nothing of the instance is left behind.
            executions.delete(execution.id());
            InstanceDeletion.dropped("execution", execution.instanceId(), execution.id());
            return Optional.empty();
        }
        if (!instance.get().enabled() && execution.trigger() != Trigger.TEST) {
            Execution held = execution.toBuilder().status(ExecutionStatus.HELD).startedAt(null).build();
            executions.save(held);
            return Optional.of(heldExecutions.releaseIfUnpaused(held));
        }
        return Optional.of(execute(execution, opened));
    }

    /** The instance with its secret values opened, or — when one can never be opened — why not. */
    private record Opened(Instance instance, ExecutionError unreadable) {}

    private Opened open(Instance instance) {
        try {
            return new Opened(secrets.open(instance), null);
        } catch (dev.ferry.core.error.SecretUnreadableException e) {
            Log.warn("secret config value cannot be opened", "reason", e.getMessage());
            return new Opened(instance.withConfigVariables(Map.of()), new ExecutionError(e.getMessage(), null, false));
        }
    }

    private Optional<Execution> claim(String executionId, String token) {
        Instant startedAt = clock.instant();
        Instant staleBefore = startedAt.minus(settings.executionTimeout());
        Duration pause = CLAIM_PAUSE;
        for (int attempt = 1; ; attempt++) {
            try {
                return executions.claim(executionId, startedAt, token, staleBefore);
            } catch (dev.ferry.core.error.StoreException unavailable) {
                if (attempt >= CLAIM_TRIES || token == null) throw unavailable;
                try {
                    sleeper.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw unavailable;
                }
                pause = pause.multipliedBy(2);
            }
        }
    }

    /**
     * Runs a flow config now with the given request (trigger TEST), whether or not the instance is
     * paused, and returns the finished execution.
     */
    public Execution runTest(String flowConfigId, ExecutionRequest request) {
        FlowConfig flowConfig = instances.getFlowConfig(flowConfigId)
                .orElseThrow(() -> new NotFoundException("flow config", flowConfigId));
        Instance instance = instances.get(flowConfig.instanceId())
                .orElseThrow(() -> new NotFoundException("instance", flowConfig.instanceId()));
        Opened opened = open(instance);
        Instant now = clock.instant();
        Execution execution = Execution.builder()
                .id(ids.newId("exe"))
                .instanceId(instance.id())
                .customerId(instance.customerId())
                .flowConfigId(flowConfig.id())
                .flow(flowConfig.flow())
                .trigger(Trigger.TEST)
                .status(ExecutionStatus.RUNNING)
                .queuedAt(now)
                .startedAt(now)
                .attempt(1)
                .integrationVersion(instance.integrationVersion())
                .request(request)
                .expiresAt(now.plus(Duration.ofDays(settings.retentionDays())))
                .build();
        executions.create(execution);
        try (Log.Scope about = Log.with(Log.INSTANCE_ID, instance.id(), Log.FLOW_CONFIG_ID, flowConfig.id(),
                Log.EXECUTION_ID, execution.id())) {
            return execute(execution, opened);
        }
    }

    private Execution execute(Execution execution, Opened opened) {
        Instance instance = opened.instance();
        Instant started = execution.startedAt() != null ? execution.startedAt() : clock.instant();
        IntegrationDefinition definition = definitions.definition(instance.integrationId(), instance.integrationVersion());
        Map<String, String> config = effectiveConfig(definition, instance);
        Set<String> secrets = secretValues(definition, config);
        Redactor redactor = new Redactor(secrets);
        List<LogLine> lines = new ArrayList<>();
        Execution running = execution.toBuilder().startedAt(started).integrationVersion(instance.integrationVersion()).build();
        // A test run's lines are written as they come, so the one who started it sees them while it
        // runs (the CLI's --tail, the console); other runs write theirs in one call at the end.
        boolean live = execution.trigger() == Trigger.TEST;
        // An instance that keeps no logs: the lines exist only while the run needs them (retry
        // notes), and are never written nor handed to monitors.
        boolean keepLogs = instance.storeLogs();
        int[] dropped = {0};
        LogSink sink = (severity, step, message) -> {
            if (!keepLogs) return;
            LogLine line = new LogLine(clock.instant(), severity, redactor.redact(message), instance.id(), execution.id(),
                    execution.flowConfigId(), step, execution.attempt());
            lines.add(line);
            if (live) dropped[0] += ExecutionLogs.append(logs, instance.id(), execution.id(), List.of(line));
        };

        // The start goes out on its own only if the run may take a while; else the end event carries it.
        MonitorEvents.RunStart start = monitorEvents.runStart(running, started);
        sink.log(Severity.INFO, null, "execution started: flow '" + execution.flow() + "', trigger "
                + execution.trigger() + ", attempt " + execution.attempt() + ", integration version "
                + instance.integrationVersion());
        Execution finished;
        Optional<FlowDef> flow = definition.flow(execution.flow());
        if (flow.isEmpty() || opened.unreadable() != null) {
            ExecutionError error = opened.unreadable() != null ? opened.unreadable()
                    : new ExecutionError("flow '" + execution.flow() + "' is not in integration version "
                    + instance.integrationVersion(), null, false);
            sink.log(Severity.ERROR, null, error.message());
            finished = running.toBuilder().error(error).end(ExecutionStatus.FAILED, clock.instant()).build();
        } else {
            FlowRun run;
            JsonNode trigger = triggerJson(execution);
            Retries.Chain chain = retries.start(execution, flow.get().retry(), trigger, sink);
            try {
                run = engine.run(flow.get(), new FlowInput(trigger,
                        config, executionJson(execution), secrets), sink, start);
            } catch (RuntimeException unexpected) {
                ExecutionError error = new ExecutionError("internal error: " + redactor.redact(String.valueOf(unexpected.getMessage())), null, true);
                sink.log(Severity.ERROR, null, error.message());
                run = new FlowRun(List.of(), error, null, null);
            }
            Instant ended = clock.instant();
            if (run.error() == null) {
                finished = running.toBuilder().steps(run.steps()).end(ExecutionStatus.SUCCEEDED, ended).build();
                sink.log(Severity.INFO, null, "execution succeeded in " + finished.durationMs() + " ms");
            } else {
                finished = running.toBuilder().steps(run.steps()).error(run.error())
                        .end(ExecutionStatus.FAILED, ended).build();
                sink.log(Severity.ERROR, run.error().step(), "execution failed"
                        + (run.error().step() != null ? " at step '" + run.error().step() + "'" : "")
                        + ": " + run.error().message());
                finished = retries.onFailure(finished, flow.get().retry(), run.retryAfter(), chain, sink);
            }
        }
        if (!live && keepLogs) dropped[0] += ExecutionLogs.append(logs, instance.id(), execution.id(), lines);
        if (dropped[0] > 0) finished = finished.toBuilder().logLinesDropped(dropped[0]).build();
        finished = withoutDiscarded(finished, instance);
        executions.save(finished);
        if (finished.replayJobId() != null) {
            // Bulk replays are linked to their original when they run (dispatch writes them in batches).
            executions.linkReplay(finished.originalId(), finished.id(), finished.status() == ExecutionStatus.SUCCEEDED);
        } else if (finished.status() == ExecutionStatus.SUCCEEDED && !finished.original()) {
            executions.markResolved(finished.originalId());
        }
        replayJobs.recordOutcome(finished);
        if (finished.trigger() != Trigger.TEST) metrics.executionEnded(finished);
        recordLastExecuted(instance.id(), started);
        start.ended(finished, lines);
        return finished;
    }

    /**
     * Records {@code started} as the instance's lastExecutedAt unless this container recorded a start
     * of it less than {@link Instance#LAST_EXECUTED_LAG} before: a burst to one instance then writes
     * its item a few times a minute per container, not once per execution. Last of the follow-ups,
     * and never their undoing: a write that meets a pause or an update of the instance in flight
     * (DynamoDB's TransactionConflict, which the SDK does not retry) loses this one time, which the
     * instance's next execution writes again, while the replay link, resolved flag, job outcome and
     * monitor event above are already recorded.
     */
    private void recordLastExecuted(String instanceId, Instant started) {
        synchronized (recordedStarts) {
            Instant recorded = recordedStarts.get(instanceId);
            if (recorded != null && started.isBefore(recorded.plus(Instance.LAST_EXECUTED_LAG))) return;
        }
        try {
            instances.touchLastExecuted(instanceId, started);
        } catch (StoreException e) {
            Log.warn("lastExecutedAt not updated", "instanceId", instanceId, "error", e.getMessage());
            return;
        }
        synchronized (recordedStarts) {
            recordedStarts.merge(instanceId, started, (a, b) -> a.isAfter(b) ? a : b);
        }
    }

    /** The run as its instance keeps it: no step outputs, or no log lines, when it keeps none. */
    private static Execution withoutDiscarded(Execution e, Instance instance) {
        if (instance.storeStepOutputs() && instance.storeLogs()) return e;
        Execution.Builder b = e.toBuilder().logsDiscarded(!instance.storeLogs());
        if (!instance.storeStepOutputs()) {
            b.outputsDiscarded(true).steps(e.steps().stream().map(s -> new StepResult(s.name(), s.type(), s.status(),
                    s.startedAt(), s.endedAt(), s.durationMs(), null, s.error())).toList());
        }
        return b.build();
    }

    /** Defaults from the definition, overridden by the instance's values. */
    static Map<String, String> effectiveConfig(IntegrationDefinition definition, Instance instance) {
        Map<String, String> config = new LinkedHashMap<>();
        for (ConfigVariableDef v : definition.configVariables()) {
            if (v.defaultValue() != null) config.put(v.key(), v.defaultValue());
        }
        if (instance.configVariables() != null) config.putAll(instance.configVariables());
        return config;
    }

    static Set<String> secretValues(IntegrationDefinition definition, Map<String, String> config) {
        Set<String> secrets = new HashSet<>();
        for (ConfigVariableDef v : definition.configVariables()) {
            String value = config.get(v.key());
            if (v.secret() && value != null && !value.isEmpty()) secrets.add(value);
        }
        return secrets;
    }

    /** {@code $trigger}: body parsed as JSON when it is JSON, else the text. */
    static JsonNode triggerJson(Execution execution) {
        ExecutionRequest r = execution.request();
        ObjectNode t = Json.object();
        if (r == null) {
            t.putNull("body");
            t.putObject("headers");
            t.putObject("query");
            return t;
        }
        t.set("body", parseBody(r));
        t.set("headers", Json.MAPPER.valueToTree(r.headers()));
        t.set("query", Json.MAPPER.valueToTree(r.query()));
        t.put("method", r.method());
        t.put("contentType", r.contentType());
        return t;
    }

    static JsonNode parseBody(ExecutionRequest r) {
        if (r.body().length == 0) return Json.MAPPER.nullNode();
        String text = new String(r.body(), StandardCharsets.UTF_8);
        String ct = r.contentType() == null ? "" : r.contentType().toLowerCase();
        String trimmed = text.stripLeading();
        if (ct.contains("json") || trimmed.startsWith("{") || trimmed.startsWith("[")) {
            try {
                return Json.MAPPER.readTree(text);
            } catch (Exception notJson) {
                // fall through: keep the text
            }
        }
        return Json.MAPPER.getNodeFactory().textNode(text);
    }

    static JsonNode executionJson(Execution e) {
        ObjectNode x = Json.object();
        x.put("id", e.id());
        x.put("attempt", e.attempt());
        x.put("trigger", e.trigger().name());
        x.put("instanceId", e.instanceId());
        x.put("flowConfigId", e.flowConfigId());
        return x;
    }
}

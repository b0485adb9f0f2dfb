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
import dev.ferry.core.json.Json;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionError;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.FlowConfig;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.LogLine;
import dev.ferry.core.model.Severity;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.port.LogSink;
import java.nio.charset.StandardCharsets;
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
    private final Ports ports;
    private final Settings settings;
    private final Definitions definitions;
    private final FlowEngine engine;
    private final Retries retries;
    private final MonitorEvents monitorEvents;

    public ExecutionRunner(Ports ports, Settings settings, Definitions definitions, FlowEngine engine) {
        this.ports = ports;
        this.settings = settings;
        this.definitions = definitions;
        this.engine = engine;
        this.retries = new Retries(ports, settings);
        this.monitorEvents = new MonitorEvents(ports.monitorEvents(), ports.clock());
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
        String token = deliveryId == null ? null : deliveryId + "#" + java.util.UUID.randomUUID();
        Optional<Execution> claimed = claim(executionId, token);
        if (claimed.isEmpty()) return Optional.empty();
        Execution execution = claimed.get();
        Optional<Instance> instance;
        try {
            instance = ports.instances().get(execution.instanceId());
            if (instance.isPresent() && instance.get().enabled()) {
                definitions.definition(instance.get().integrationId(), instance.get().integrationVersion()); // cached for execute
            }
        } catch (RuntimeException beforeAnyStep) {
            // Nothing has run: give the claim back so the message's next delivery (or, after the last one, a
            // redrive from the dead-letter queue once the cause is fixed) runs it, instead of leaving it RUNNING.
            try {
                ports.executions().unclaim(execution.id(), token, execution.startedAt());
            } catch (RuntimeException ignored) {
                // the stuck sweep fails it after the timeout
            }
            throw beforeAnyStep;
        }
        if (instance.isEmpty()) {
            // Deleted (or being deleted): whatever reaches the runner for it — a message queued before
            // the deletion, a retry or replay created as it ran, a webhook through a cached route — is
            // deleted too, so nothing of the instance is left behind.
            ports.executions().delete(execution.id());
            InstanceDeletion.dropped("execution", execution.instanceId(), execution.id());
            return Optional.empty();
        }
        if (!instance.get().enabled() && execution.trigger() != Trigger.TEST) {
            Execution held = execution.toBuilder().status(ExecutionStatus.HELD).startedAt(null).build();
            ports.executions().save(held);
            return Optional.of(PauseService.releaseIfUnpaused(ports, held));
        }
        return Optional.of(execute(execution, instance.get()));
    }

    private Optional<Execution> claim(String executionId, String token) {
        Instant startedAt = ports.clock().instant();
        Instant staleBefore = startedAt.minus(settings.executionTimeout());
        Duration pause = CLAIM_PAUSE;
        for (int attempt = 1; ; attempt++) {
            try {
                return ports.executions().claim(executionId, startedAt, token, staleBefore);
            } catch (dev.ferry.core.error.StoreException unavailable) {
                if (attempt >= CLAIM_TRIES || token == null) throw unavailable;
                try {
                    ports.sleeper().sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw unavailable;
                }
                pause = pause.multipliedBy(2);
            }
        }
    }

    /**
     * Withdraws an execution a webhook (or a single replay) stored QUEUED but that nothing claimed
     * before {@code cutoff}: the store applied its write after the producer had answered 5xx, so the
     * sender sends it again and this copy must not run. CANCELLED with the reason, and a log line.
     * Empty when it is not QUEUED any more.
     */
    public Optional<Execution> cancelUnacknowledged(String executionId, Instant cutoff) {
        Optional<Execution> current = ports.executions().get(executionId)
                .filter(e -> e.status() == ExecutionStatus.QUEUED && e.queuedAt().isBefore(cutoff));
        if (current.isEmpty()) return Optional.empty();
        Execution e = current.get();
        Instant now = ports.clock().instant();
        ExecutionError error = new ExecutionError(UNACKNOWLEDGED + ": stored " + e.queuedAt()
                + " but never enqueued (its write completed after the " + e.trigger().name().toLowerCase()
                + " request was answered 5xx, so the sender sends it again); withdrawn after "
                + Duration.between(e.queuedAt(), now).toSeconds() + " s in QUEUED", null, false);
        if (!ports.executions().cancelUnacknowledged(e.id(), error, now)) return Optional.empty();
        appendLogs(e.instanceId(), e.id(), List.of(new LogLine(now, Severity.WARN, "execution cancelled: " + error.message(),
                e.instanceId(), e.id(), e.flowConfigId(), null, e.attempt())));
        return Optional.of(e.toBuilder().end(ExecutionStatus.CANCELLED, now).error(error).build());
    }

    /** The start of the error message of an execution the unacknowledged sweep withdrew. */
    public static final String UNACKNOWLEDGED = "not acknowledged to the sender";

    /**
     * Runs a flow config now with the given request (trigger TEST), whether or not the instance is
     * paused, and returns the finished execution.
     */
    public Execution runTest(String flowConfigId, ExecutionRequest request) {
        FlowConfig flowConfig = ports.instances().getFlowConfig(flowConfigId)
                .orElseThrow(() -> new NotFoundException("flow config", flowConfigId));
        Instance instance = ports.instances().get(flowConfig.instanceId())
                .orElseThrow(() -> new NotFoundException("instance", flowConfig.instanceId()));
        Instant now = ports.clock().instant();
        Execution execution = Execution.builder()
                .id(ports.ids().newId("exe"))
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
        ports.executions().create(execution);
        return execute(execution, instance);
    }

    private Execution execute(Execution execution, Instance instance) {
        Instant started = execution.startedAt() != null ? execution.startedAt() : ports.clock().instant();
        IntegrationDefinition definition = definitions.definition(instance.integrationId(), instance.integrationVersion());
        Map<String, String> config = effectiveConfig(definition, instance);
        Set<String> secrets = secretValues(definition, config);
        Redactor redactor = new Redactor(secrets);
        List<LogLine> lines = new ArrayList<>();
        Execution running = execution.toBuilder().startedAt(started).integrationVersion(instance.integrationVersion()).build();
        LogSink sink = (severity, step, message) -> lines.add(new LogLine(ports.clock().instant(), severity,
                redactor.redact(message), instance.id(), execution.id(), execution.flowConfigId(), step, execution.attempt()));

        // The start goes out on its own only if the run may take a while; else the end event carries it.
        MonitorEvents.RunStart start = monitorEvents.runStart(running, started);
        sink.log(Severity.INFO, null, "execution started: flow '" + execution.flow() + "', trigger "
                + execution.trigger() + ", attempt " + execution.attempt() + ", integration version "
                + instance.integrationVersion());
        Execution finished;
        Optional<FlowDef> flow = definition.flow(execution.flow());
        if (flow.isEmpty()) {
            ExecutionError error = new ExecutionError("flow '" + execution.flow() + "' is not in integration version "
                    + instance.integrationVersion(), null, false);
            sink.log(Severity.ERROR, null, error.message());
            finished = running.toBuilder().error(error).end(ExecutionStatus.FAILED, ports.clock().instant()).build();
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
            Instant ended = ports.clock().instant();
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
        appendLogs(instance.id(), execution.id(), lines);
        ports.executions().save(finished);
        ports.instances().touchLastExecuted(instance.id(), started);
        if (finished.replayJobId() != null) {
            // Bulk replays are linked to their original when they run (dispatch writes them in batches).
            ports.executions().linkReplay(finished.originalId(), finished.id(), finished.status() == ExecutionStatus.SUCCEEDED);
        } else if (finished.status() == ExecutionStatus.SUCCEEDED && !finished.original()) {
            ports.executions().markResolved(finished.originalId());
        }
        ReplayJobs.recordOutcome(ports, finished);
        start.ended(finished, lines);
        return finished;
    }

    /**
     * Fails an execution that has been RUNNING since before {@code cutoff} (past the function's
     * timeout: its invocation is gone) and records it like any failed run: an ERROR log line, the
     * saved FAILED state, the monitors' event. Empty when it is not such an execution any more.
     */
    public Optional<Execution> failStuck(String executionId, Instant cutoff) {
        Optional<Execution> current = ports.executions().get(executionId)
                .filter(e -> e.status() == ExecutionStatus.RUNNING && e.startedAt() != null && e.startedAt().isBefore(cutoff));
        if (current.isEmpty()) return Optional.empty();
        Execution e = current.get();
        Instant now = ports.clock().instant();
        ExecutionError error = new ExecutionError("stuck: still running " + Duration.between(e.startedAt(), now).toSeconds()
                + " s after it started, past the flow execution function's timeout of "
                + settings.executionTimeout().toSeconds() + " s; marked failed", null, true);
        List<LogLine> lines = new ArrayList<>();
        LogSink sink = (severity, step, message) -> lines.add(new LogLine(ports.clock().instant(), severity, message,
                e.instanceId(), e.id(), e.flowConfigId(), step, e.attempt()));
        sink.log(Severity.ERROR, null, "execution failed: " + error.message());
        Execution failed = e.toBuilder().error(error).end(ExecutionStatus.FAILED, now).build();
        // The flow's retry policy applies here as after any failed run.
        Optional<FlowDef> flow = ports.instances().get(e.instanceId())
                .flatMap(i -> definitions.definition(i.integrationId(), i.integrationVersion()).flow(e.flow()));
        if (flow.isPresent()) failed = retries.onFailure(failed, flow.get().retry(), null, Retries.Chain.NONE, sink);
        appendLogs(e.instanceId(), e.id(), lines);
        ports.executions().save(failed);
        // Whether the run published its start on its own is not known here (a run that never reached a
        // step boundary did not): the end carries it, and a start alert already raised is not raised again.
        monitorEvents.executionEnded(failed, lines, true);
        return Optional.of(failed);
    }


    private void appendLogs(String instanceId, String executionId, List<LogLine> lines) {
        try {
            ports.logs().append(instanceId, executionId, lines);
        } catch (RuntimeException e) {
            // The execution's outcome matters more than its log lines: record it anyway.
            System.err.println("{\"level\":\"WARN\",\"message\":\"could not write execution logs\",\"executionId\":\""
                    + executionId + "\",\"reason\":" + Json.write(String.valueOf(e.getMessage())) + "}");
        }
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

package dev.ferry.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.definition.FlowDef;
import dev.ferry.core.definition.StepDef;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.ExecutionError;
import dev.ferry.core.model.Severity;
import dev.ferry.core.model.StepResult;
import dev.ferry.core.port.HttpCaller;
import dev.ferry.core.port.LogSink;
import dev.ferry.core.port.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a flow's steps in order (docs/flow-language.md, "Steps"): each step may be skipped by its {@code if}, sees the
 * earlier steps' outputs as {@code $steps.<name>}, and the run stops at the first failed step.
 * Every output, error and log line leaving the engine has the secret values redacted. Built once
 * per container; {@link #run} is thread-safe.
 */
public final class FlowEngine {
    static final int MAX_SLEEP_SECONDS = 900;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Sleeper sleeper;
    private final Clock clock;
    private final HttpStep httpStep;
    private final Map<String, CodeStep> codeSteps = new ConcurrentHashMap<>();

    public FlowEngine(HttpCaller http, Sleeper sleeper, Clock clock) {
        this.sleeper = sleeper;
        this.clock = clock;
        this.httpStep = new HttpStep(http, clock);
    }

    /** Told, in the running thread, of each step about to run (its {@code if} held), before the step starts. */
    @FunctionalInterface
    public interface BeforeStep {
        BeforeStep NONE = step -> { };

        void beforeStep(StepDef step);
    }

    /** The step types that may wait on something outside the process: the network, the clock, a customer's code. */
    private static final java.util.Set<String> WAITING_TYPES = java.util.Set.of("http", "sleep", "code");

    /**
     * Whether a step of this type may wait on something outside the process — {@code http} (the
     * network), {@code sleep} (the clock), {@code code} (whatever the class does) — rather than
     * only compute ({@code transform}, {@code log}, {@code fail}).
     */
    public static boolean mayWait(String stepType) {
        return WAITING_TYPES.contains(stepType);
    }

    public FlowRun run(FlowDef flow, FlowInput input, LogSink log) {
        return run(flow, input, log, BeforeStep.NONE);
    }

    /** Runs the flow, telling {@code before} of each step about to run. */
    public FlowRun run(FlowDef flow, FlowInput input, LogSink log, BeforeStep before) {
        if (log == null) log = LogSink.NONE;
        if (before == null) before = BeforeStep.NONE;
        LogSink sink = log;
        Redactor redactor = new Redactor(input.secretValues());
        LogSink out = (severity, step, message) -> sink.log(severity, step, redactor.redact(message));
        ObjectNode config = NODES.objectNode();
        input.config().forEach(config::put);
        JsonNode trigger = input.trigger() == null ? NODES.nullNode() : input.trigger();
        JsonNode execution = input.execution() == null ? NODES.nullNode() : input.execution();
        Expressions.Scope scope = Expressions.Scope.forRun(trigger, config, execution);
        Run run = new Run(trigger, config, execution, scope, out);

        List<StepResult> results = new ArrayList<>();
        JsonNode lastOutput = null;
        for (StepDef step : flow.steps()) {
            Instant started = clock.instant();
            String name = step.name();
            try {
                if (!shouldRun(step, scope)) {
                    out.log(Severity.DEBUG, name, "step '" + name + "' skipped: its if is false");
                    results.add(new StepResult(name, step.type(), StepResult.SKIPPED, started, started, 0, null, null));
                    continue;
                }
                if (before != BeforeStep.NONE) {
                    before.beforeStep(step);
                    started = clock.instant(); // what the listener did is not the step's time
                }
                // A step that may wait outside the process says it started (a live run's lines are written
                // as they come, so a long wait shows where it is); one that runs in the process only ends.
                boolean waits = mayWait(step.type());
                if (waits) out.log(Severity.DEBUG, name, "step '" + name + "' (" + step.type() + ") started");
                JsonNode output = execute(step, run);
                if (output == null || output.isMissingNode()) output = NODES.nullNode();
                scope.putStep(name, output);
                run.steps.set(name, output);
                Instant ended = clock.instant();
                lastOutput = redactor.redact(output);
                results.add(new StepResult(name, step.type(), StepResult.SUCCEEDED, started, ended,
                        millis(started, ended), lastOutput, null));
                out.log(Severity.DEBUG, name, "step '" + name + "'" + (waits ? "" : " (" + step.type() + ")")
                        + " succeeded in " + millis(started, ended) + " ms");
            } catch (RuntimeException e) {
                StepFailedException failure = asFailure(step, e);
                Instant ended = clock.instant();
                ExecutionError error = new ExecutionError(redactor.redact(failure.getMessage()), name, failure.retryable());
                JsonNode output = failure.output() == null ? null : redactor.redact(failure.output());
                results.add(new StepResult(name, step.type(), StepResult.FAILED, started, ended,
                        millis(started, ended), output, error));
                out.log(Severity.ERROR, name, "step '" + name + "' failed: " + failure.getMessage());
                return new FlowRun(results, error, output, failure.retryAfter());
            }
        }
        return new FlowRun(results, null, lastOutput, null);
    }

    private boolean shouldRun(StepDef step, Expressions.Scope scope) {
        JsonNode condition = step.spec().get("if");
        return condition == null || Expressions.truthy(Expressions.evaluate(condition, scope));
    }

    private JsonNode execute(StepDef step, Run run) {
        ObjectNode spec = step.spec();
        return switch (step.type()) {
            case "http" -> httpStep.run(spec, run.scope);
            case "transform" -> eval(spec, "output", run);
            case "log" -> log(step, run);
            case "fail" -> fail(spec, run);
            case "sleep" -> sleep(spec, run);
            case "code" -> code(step, run);
            default -> throw new StepFailedException("unknown step type '" + step.type() + "'", false);
        };
    }

    private JsonNode log(StepDef step, Run run) {
        String message = message(eval(step.spec(), "message", run));
        Severity severity = Severity.INFO;
        if (step.spec().has("severity")) {
            JsonNode s = eval(step.spec(), "severity", run);
            severity = Severity.parse(s.isTextual() ? s.textValue() : null).orElseThrow(() ->
                    new StepFailedException("severity must be DEBUG, INFO, WARN or ERROR, got " + s, false));
        }
        run.log.log(severity, step.name(), message);
        ObjectNode output = NODES.objectNode();
        output.put("severity", severity.name());
        output.put("message", message);
        return output;
    }

    private JsonNode fail(ObjectNode spec, Run run) {
        String message = message(eval(spec, "message", run));
        boolean retryable = true;
        if (spec.has("retryable")) {
            JsonNode r = eval(spec, "retryable", run);
            retryable = r.isBoolean() ? r.booleanValue() : Expressions.truthy(r);
        }
        throw new StepFailedException(message, retryable);
    }

    private JsonNode sleep(ObjectNode spec, Run run) {
        JsonNode seconds = eval(spec, "seconds", run);
        if (!seconds.isNumber() || seconds.doubleValue() < 0 || seconds.doubleValue() > MAX_SLEEP_SECONDS) {
            throw new StepFailedException("seconds must be a number from 0 to " + MAX_SLEEP_SECONDS + ", got " + seconds, false);
        }
        try {
            sleeper.sleep(Duration.ofMillis(Math.round(seconds.doubleValue() * 1000)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailedException("sleep was interrupted", true);
        }
        ObjectNode output = NODES.objectNode();
        output.set("seconds", seconds);
        return output;
    }

    private JsonNode code(StepDef step, Run run) {
        JsonNode className = step.spec().get("class");
        if (className == null || !className.isTextual()) throw new StepFailedException("class must be a class name", false);
        CodeStep code;
        try {
            code = codeSteps.computeIfAbsent(className.textValue().trim(), CodeSteps::instantiate);
        } catch (IllegalArgumentException e) {
            throw new StepFailedException(e.getMessage(), false);
        }
        JsonNode input = step.spec().has("input") ? eval(step.spec(), "input", run) : null;
        ObjectNode bindings = NODES.objectNode();
        bindings.set("trigger", run.trigger.deepCopy());
        bindings.set("config", run.config.deepCopy());
        bindings.set("steps", run.steps.deepCopy());
        bindings.set("execution", run.execution.deepCopy());
        LogSink log = (severity, stepName, message) ->
                run.log.log(severity == null ? Severity.INFO : severity, stepName == null ? step.name() : stepName, message);
        try {
            return code.run(new CodeStepContext(input, bindings, log));
        } catch (StepFailedException | ExpressionException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StepFailedException(className.textValue() + " threw " + describe(e), true);
        }
    }

    private static JsonNode eval(ObjectNode spec, String field, Run run) {
        JsonNode value = spec.get(field);
        return value == null ? NODES.nullNode() : Expressions.evaluate(value, run.scope);
    }

    private static String message(JsonNode value) {
        return value.isTextual() ? value.textValue() : Json.write(value);
    }

    private static StepFailedException asFailure(StepDef step, RuntimeException e) {
        if (e instanceof StepFailedException f) return f;
        if (e instanceof ExpressionException x) return new StepFailedException(x.getMessage(), false);
        return new StepFailedException("step " + step.name() + " failed unexpectedly: " + describe(e), true);
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static long millis(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toMillis());
    }

    /** The state of one run: the raw (unredacted) bindings the steps read, and the redacting log. */
    private static final class Run {
        final JsonNode trigger;
        final JsonNode config;
        final JsonNode execution;
        final ObjectNode steps = NODES.objectNode();
        final Expressions.Scope scope;
        final LogSink log;

        Run(JsonNode trigger, JsonNode config, JsonNode execution, Expressions.Scope scope, LogSink log) {
            this.trigger = trigger;
            this.config = config;
            this.execution = execution;
            this.scope = scope;
            this.log = log;
        }
    }
}

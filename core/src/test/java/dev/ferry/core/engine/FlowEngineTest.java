package dev.ferry.core.engine;

import static dev.ferry.core.engine.Flows.flow;
import static dev.ferry.core.engine.Flows.input;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.ExecutionError;
import dev.ferry.core.model.HttpCallRequest;
import dev.ferry.core.model.HttpCallResult;
import dev.ferry.core.model.Severity;
import dev.ferry.core.model.StepResult;
import dev.ferry.core.port.HttpCaller;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FlowEngineTest {
    private final TestClock clock = new TestClock(Instant.parse("2025-03-01T10:00:00Z"), Duration.ofMillis(5));
    private final List<Duration> slept = new ArrayList<>();
    private final List<HttpCallRequest> requests = new ArrayList<>();
    private HttpCaller http = request -> {
        requests.add(request);
        return new HttpCallResult(200, Map.of("Content-Type", "application/json"), "{\"ok\":true}".getBytes(StandardCharsets.UTF_8));
    };
    private final RecordingLog log = new RecordingLog();

    private FlowEngine engine() {
        return new FlowEngine(request -> http.call(request), slept::add, clock);
    }

    @Test
    void transformOutputsTheEvaluatedTemplate() {
        FlowRun run = engine().run(flow("""
                [{"name": "shape", "type": "transform",
                  "output": {"id": "{% $trigger.body.id %}", "fixed": "yes", "count": "{% $count($trigger.body.items) %}"}}]
                """), input("{\"id\": 7, \"items\": [1, 2, 3]}"), log);

        assertThat(run.error()).isNull();
        assertThat(run.steps()).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo(StepResult.SUCCEEDED);
            assertThat(s.type()).isEqualTo("transform");
            assertThat(s.output()).isEqualTo(Json.tree("{\"id\": 7, \"fixed\": \"yes\", \"count\": 3}"));
        });
        assertThat(run.lastOutput()).isEqualTo(run.steps().get(0).output());
    }

    @Test
    void expressionsSeeTriggerConfigStepsAndExecution() {
        FlowRun run = engine().run(flow("""
                [{"name": "first", "type": "transform", "output": {"n": "{% $trigger.body.n + 1 %}"}},
                 {"name": "second", "type": "transform", "output": {
                    "n": "{% $steps.first.n * 10 %}", "base": "{% $config.apiBase %}",
                    "requestId": "{% $trigger.headers.'x-request-id' %}", "page": "{% $trigger.query.page %}",
                    "method": "{% $trigger.method %}", "execution": "{% $execution.id & '#' & $execution.attempt %}"}}]
                """), input("{\"n\": 1}", Map.of("apiBase", "https://api.example.com"), Set.of()), log);

        assertThat(run.lastOutput()).isEqualTo(Json.tree("""
                {"n": 20, "base": "https://api.example.com", "requestId": "req-1", "page": "2",
                 "method": "POST", "execution": "exe_1#1"}
                """));
    }

    @Test
    void stepWithFalsyIfIsSkippedAndLastOutputComesFromTheLastExecutedStep() {
        FlowRun run = engine().run(flow("""
                [{"name": "a", "type": "transform", "output": "from a"},
                 {"name": "b", "type": "transform", "if": "{% $trigger.body.go %}", "output": "from b"},
                 {"name": "c", "type": "transform", "if": "{% $steps.b = null %}", "output": "{% $exists($steps.b) %}"},
                 {"name": "d", "type": "log", "if": false, "message": "never"}]
                """), input("{\"go\": false}"), log);

        assertThat(run.steps()).extracting(StepResult::status)
                .containsExactly(StepResult.SUCCEEDED, StepResult.SKIPPED, StepResult.SKIPPED, StepResult.SKIPPED);
        assertThat(run.steps().get(1).output()).isNull();
        assertThat(run.lastOutput().textValue()).isEqualTo("from a");
        assertThat(log.messages()).doesNotContain("never");
    }

    @Test
    void logStepWritesItsSeverityAndMessage() {
        FlowRun run = engine().run(flow("""
                [{"name": "say", "type": "log", "severity": "WARN", "message": "{% 'order ' & $trigger.body.id %}"},
                 {"name": "plain", "type": "log", "message": "{% $trigger.body %}"}]
                """), input("{\"id\": 9}"), log);

        assertThat(run.steps().get(0).output()).isEqualTo(Json.tree("{\"severity\": \"WARN\", \"message\": \"order 9\"}"));
        assertThat(run.steps().get(1).output()).isEqualTo(Json.tree("{\"severity\": \"INFO\", \"message\": \"{\\\"id\\\":9}\"}"));
        assertThat(log.lines).contains(new RecordingLog.Line(Severity.WARN, "say", "order 9"),
                new RecordingLog.Line(Severity.INFO, "plain", "{\"id\":9}"));
    }

    @Test
    void failStepWithTruthyIfFailsWithItsMessageAndIsRetryableByDefault() {
        FlowRun run = engine().run(flow("""
                [{"name": "guard", "type": "fail", "if": "{% $trigger.body.id = null %}", "message": "{% 'no id in ' & $trigger.method %}"}]
                """), input("{\"id\": null}"), log);

        assertThat(run.error()).isEqualTo(new ExecutionError("no id in POST", "guard", true));
        assertThat(run.steps()).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo(StepResult.FAILED);
            assertThat(s.error()).isEqualTo(run.error());
        });
    }

    @Test
    void failStepWithFalsyIfIsSkipped() {
        FlowRun run = engine().run(flow("""
                [{"name": "guard", "type": "fail", "if": "{% $trigger.body.id = null %}", "message": "no id"}]
                """), input("{\"id\": 3}"), log);

        assertThat(run.error()).isNull();
        assertThat(run.steps().get(0).status()).isEqualTo(StepResult.SKIPPED);
        assertThat(run.lastOutput()).isNull();
    }

    @Test
    void failStepWithoutIfAndRetryableFalseFailsPermanently() {
        FlowRun run = engine().run(flow("""
                [{"name": "stop", "type": "fail", "message": "bad order", "retryable": false}]
                """), input("{}"), log);

        assertThat(run.error()).isEqualTo(new ExecutionError("bad order", "stop", false));
    }

    @Test
    void runStopsAtTheFirstFailedStep() {
        FlowRun run = engine().run(flow("""
                [{"name": "one", "type": "transform", "output": 1},
                 {"name": "two", "type": "fail", "message": "stop here"},
                 {"name": "three", "type": "log", "message": "not reached"}]
                """), input("{}"), log);

        assertThat(run.steps()).extracting(StepResult::name).containsExactly("one", "two");
        assertThat(run.error().step()).isEqualTo("two");
        assertThat(log.messages()).doesNotContain("not reached");
    }

    @Test
    void sleepStepAsksTheSleeperAndNeverWaits() {
        FlowRun run = engine().run(flow("""
                [{"name": "pause", "type": "sleep", "seconds": 2.5},
                 {"name": "computed", "type": "sleep", "seconds": "{% $trigger.body.wait %}"}]
                """), input("{\"wait\": 900}"), log);

        assertThat(run.error()).isNull();
        assertThat(slept).containsExactly(Duration.ofMillis(2500), Duration.ofSeconds(900));
        assertThat(run.steps().get(0).output()).isEqualTo(Json.tree("{\"seconds\": 2.5}"));
    }

    @Test
    void sleepStepOverFifteenMinutesFailsWithoutSleeping() {
        FlowRun run = engine().run(flow("""
                [{"name": "pause", "type": "sleep", "seconds": "{% 901 %}"}]
                """), input("{}"), log);

        assertThat(slept).isEmpty();
        assertThat(run.error().retryable()).isFalse();
        assertThat(run.error().message()).contains("0 to 900");
    }

    @Test
    void codeStepGetsItsEvaluatedInputAndTheBindings() {
        FlowRun run = engine().run(flow("""
                [{"name": "prev", "type": "transform", "output": {"x": 1}},
                 {"name": "upper", "type": "code", "class": "dev.ferry.core.engine.UppercaseCodeStep",
                  "input": {"text": "{% $trigger.body.name %}"}}]
                """), input("{\"name\": \"ada\"}"), log);

        assertThat(run.error()).isNull();
        assertThat(run.lastOutput()).isEqualTo(Json.tree("""
                {"text": "ADA", "sawTriggerBody": {"name": "ada"}, "sawSteps": {"prev": {"x": 1}}}
                """));
        assertThat(log.lines).contains(new RecordingLog.Line(Severity.INFO, "upper", "upper-casing ada"));
    }

    @Test
    void codeStepInstanceIsCreatedOnceAndReused() {
        FlowEngine engine = engine();
        var flow = flow("""
                [{"name": "upper", "type": "code", "class": "dev.ferry.core.engine.UppercaseCodeStep", "input": {"text": "a"}}]
                """);
        engine.run(flow, input("{}"), log);
        int before = UppercaseCodeStep.INSTANCES.get();
        engine.run(flow, input("{}"), log);
        engine.run(flow, input("{}"), log);
        assertThat(UppercaseCodeStep.INSTANCES.get()).isEqualTo(before);
    }

    @Test
    void codeStepFailureKeepsTheRetryabilityItChose() {
        FlowRun permanent = engine().run(flow("""
                [{"name": "c", "type": "code", "class": "dev.ferry.core.engine.FailingCodeStep", "input": {"how": "permanent", "customer": "c1"}}]
                """), input("{}"), log);
        FlowRun crash = engine().run(flow("""
                [{"name": "c", "type": "code", "class": "dev.ferry.core.engine.FailingCodeStep", "input": {"how": "crash"}}]
                """), input("{}"), log);

        assertThat(permanent.error()).isEqualTo(new ExecutionError("customer c1 is closed", "c", false));
        assertThat(crash.error().retryable()).isTrue();
        assertThat(crash.error().message()).contains("IllegalStateException: boom");
    }

    @Test
    void codeStepWithAMissingClassFailsPermanently() {
        FlowRun run = engine().run(flow("""
                [{"name": "c", "type": "code", "class": "dev.ferry.NoSuchStep"}]
                """), input("{}"), log);

        assertThat(run.error().retryable()).isFalse();
        assertThat(run.error().message()).contains("not on the classpath");
    }

    @Test
    void expressionErrorFailsTheStepPermanentlyNamingTheExpression() {
        FlowRun run = engine().run(flow("""
                [{"name": "bad", "type": "transform", "output": "{% $trigger.body.a + 'x' %}"}]
                """), input("{\"a\": 1}"), log);

        assertThat(run.error().step()).isEqualTo("bad");
        assertThat(run.error().retryable()).isFalse();
        assertThat(run.error().message()).contains("{% $trigger.body.a + 'x' %}");
    }

    @Test
    void stepTimesComeFromTheClock() {
        FlowRun run = engine().run(flow("""
                [{"name": "t", "type": "transform", "output": 1}]
                """), input("{}"), log);

        StepResult step = run.steps().get(0);
        assertThat(step.startedAt()).isEqualTo(Instant.parse("2025-03-01T10:00:00Z"));
        assertThat(step.endedAt()).isEqualTo(Instant.parse("2025-03-01T10:00:00.005Z"));
        assertThat(step.durationMs()).isEqualTo(5);
    }

    @Test
    void engineLogsAWaitingStepsStartAndEveryStepsEndAtDebugAndFailuresAtError() {
        engine().run(flow("""
                [{"name": "ok", "type": "transform", "output": 1},
                 {"name": "nap", "type": "sleep", "seconds": 0},
                 {"name": "broken", "type": "fail", "message": "nope"}]
                """), input("{}"), log);

        // A step that only computes logs its end, naming its type; one that may wait logs its start too.
        assertThat(log.lines).filteredOn(l -> l.step().equals("ok")).singleElement().satisfies(l -> {
            assertThat(l.severity()).isEqualTo(Severity.DEBUG);
            assertThat(l.message()).matches("step 'ok' \\(transform\\) succeeded in \\d+ ms");
        });
        assertThat(log.lines).filteredOn(l -> l.step().equals("nap")).extracting(RecordingLog.Line::message)
                .satisfiesExactly(m -> assertThat(m).isEqualTo("step 'nap' (sleep) started"),
                        m -> assertThat(m).matches("step 'nap' succeeded in \\d+ ms"));
        assertThat(log.lines).filteredOn(l -> l.step().equals("broken") && l.severity() == Severity.ERROR)
                .singleElement().satisfies(l -> assertThat(l.message()).contains("broken").contains("nope"));
    }

    @Test
    void secretValuesNeverLeaveTheEngine() {
        FlowRun run = engine().run(flow("""
                [{"name": "copy", "type": "transform", "output": {"key": "{% $config.apiKey %}", "user": "{% $config.user %}"}},
                 {"name": "check", "type": "transform", "output": "{% $steps.copy.key = $config.apiKey %}"},
                 {"name": "say", "type": "log", "message": "{% 'using ' & $config.apiKey %}"},
                 {"name": "code", "type": "code", "class": "dev.ferry.core.engine.UppercaseCodeStep", "input": {"text": "{% $config.apiKey %}"}},
                 {"name": "boom", "type": "fail", "message": "{% 'rejected key ' & $config.apiKey %}"}]
                """), input("{}", Map.of("apiKey", "KEY-123-XYZ", "user", "ada"), Set.of("KEY-123-XYZ")), log);

        String everything = Json.write(run.steps()) + Json.write(run.error()) + Json.write(run.lastOutput()) + log.all();
        assertThat(everything).doesNotContain("KEY-123-XYZ");
        assertThat(run.steps().get(3).output().get("text").textValue()).isEqualTo("********");
        assertThat(run.steps().get(0).output()).isEqualTo(Json.tree("{\"key\": \"********\", \"user\": \"ada\"}"));
        assertThat(run.steps().get(1).output().booleanValue()).as("later steps see the real value").isTrue();
        assertThat(run.error().message()).isEqualTo("rejected key ********");
        assertThat(log.messages()).contains("using ********");
    }

    @Test
    void httpStepBuildsTheRequestFromItsFields() {
        FlowRun run = engine().run(flow("""
                [{"name": "post", "type": "http", "method": "post", "url": "{% $config.apiBase & '/orders' %}",
                  "query": {"page": "{% $trigger.query.page %}", "tag": ["a b", "c"], "skip": null},
                  "headers": {"Authorization": "{% 'Bearer ' & $config.apiKey %}"},
                  "body": {"id": "{% $trigger.body.id %}"}, "timeoutSeconds": 12}]
                """), input("{\"id\": 5}", Map.of("apiBase", "https://api.example.com", "apiKey", "k"), Set.of()), log);

        assertThat(run.error()).isNull();
        HttpCallRequest sent = requests.get(0);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.url()).isEqualTo("https://api.example.com/orders?page=2&tag=a%20b&tag=c");
        assertThat(sent.headers()).containsEntry("Authorization", "Bearer k").containsEntry("Content-Type", "application/json");
        assertThat(new String(sent.body(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":5}");
        assertThat(sent.timeout()).isEqualTo(Duration.ofSeconds(12));
        assertThat(run.lastOutput()).isEqualTo(Json.tree("{\"status\": 200, \"headers\": {\"content-type\": \"application/json\"}, \"body\": {\"ok\": true}}"));
    }

    @Test
    void httpStepTimeoutIsRetryable() {
        http = request -> { throw new HttpTimeoutException("request timed out"); };
        FlowRun run = engine().run(flow("""
                [{"name": "slow", "type": "http", "url": "https://api.example.com/slow", "timeoutSeconds": 1}]
                """), input("{}"), log);

        assertThat(run.error().retryable()).isTrue();
        assertThat(run.error().message()).contains("timed out after 1 s");
    }

    @Test
    void httpStepWithAUrlThatIsNotHttpFailsPermanently() {
        FlowRun run = engine().run(flow("""
                [{"name": "bad", "type": "http", "url": "{% 'ftp://example.com/' & $trigger.body.x %}"}]
                """), input("{\"x\": 1}"), log);

        assertThat(requests).isEmpty();
        assertThat(run.error().retryable()).isFalse();
    }

    @Test
    void unexpectedHttpCallerErrorIsRetryable() {
        http = request -> { throw new IOException(); };
        FlowRun run = engine().run(flow("""
                [{"name": "x", "type": "http", "url": "https://api.example.com/"}]
                """), input("{}"), log);

        assertThat(run.error().retryable()).isTrue();
        assertThat(run.error().message()).contains("GET https://api.example.com/ failed: IOException");
    }

    @Test
    void failedRunsStillReportTheFailedStepsOutputAsLastOutput() {
        http = request -> new HttpCallResult(503, Map.of(), "down".getBytes(StandardCharsets.UTF_8));
        FlowRun run = engine().run(flow("""
                [{"name": "x", "type": "http", "url": "https://api.example.com/"}]
                """), input("{}"), log);

        JsonNode out = run.steps().get(0).output();
        assertThat(out.get("status").intValue()).isEqualTo(503);
        assertThat(out.get("body").textValue()).isEqualTo("down");
        assertThat(run.lastOutput()).isEqualTo(out);
        assertThat(run.retryAfter()).isNull();
    }

    @Test
    void orderSyncExampleRunsEndToEnd() {
        var definition = dev.ferry.core.definition.DefinitionParser.parse(
                dev.ferry.core.definition.Examples.ORDER_SYNC.getBytes(StandardCharsets.UTF_8), "application/json");
        var flow = definition.flows().get(0);
        Map<String, String> config = Map.of("apiBase", "https://shop.example.com", "apiKey", "key-abc");

        http = request -> new HttpCallResult(200, Map.of("Content-Type", "application/json"),
                "{\"id\": \"o-1\"}".getBytes(StandardCharsets.UTF_8));
        FlowRun ok = engine().run(flow, input("{\"id\": 1}", config, Set.of("key-abc")), log);
        assertThat(ok.error()).isNull();
        assertThat(ok.steps()).extracting(StepResult::status).containsExactly(
                StepResult.SUCCEEDED, StepResult.SUCCEEDED, StepResult.SUCCEEDED, StepResult.SKIPPED);
        assertThat(ok.lastOutput()).isEqualTo(Json.tree("{\"id\": \"o-1\"}"));

        http = request -> {
            assertThat(request.url()).isEqualTo("https://shop.example.com/orders/2");
            assertThat(request.headers()).containsEntry("Authorization", "Bearer key-abc");
            return new HttpCallResult(200, Map.of("Content-Type", "application/json"), "{}".getBytes(StandardCharsets.UTF_8));
        };
        FlowRun guarded = engine().run(flow, input("{\"id\": 2}", config, Set.of("key-abc")), log);
        assertThat(guarded.error()).isEqualTo(new ExecutionError("no id", "guard", false));
        assertThat(log.lines).contains(new RecordingLog.Line(Severity.INFO, "log", "order 2"));
    }

    @Test
    void theListenerHearsOfEachStepAboutToRunBeforeItRunsAndNotOfSkippedOnes() {
        List<String> heard = new ArrayList<>();
        FlowRun run = engine().run(flow("""
                [{"name": "first", "type": "transform", "output": 1},
                 {"name": "skipped", "type": "http", "if": false, "method": "GET", "url": "https://api.example.test/x"},
                 {"name": "fetch", "type": "http", "method": "GET", "url": "https://api.example.test/y"}]
                """), input("{}"), log, step -> heard.add(step.name() + " after " + requests.size() + " calls"));

        assertThat(run.error()).isNull();
        assertThat(heard).containsExactly("first after 0 calls", "fetch after 0 calls");
    }

    @Test
    void aStepsTimeLeavesOutWhatTheListenerDid() {
        FlowRun run = engine().run(flow("""
                [{"name": "t", "type": "transform", "output": 1}]
                """), input("{}"), log, step -> clock.instant()); // the listener reads the clock once: 5 ms

        StepResult step = run.steps().get(0);
        assertThat(step.startedAt()).isEqualTo(Instant.parse("2025-03-01T10:00:00.010Z"));
        assertThat(step.durationMs()).isEqualTo(5);
    }

    @Test
    void onlyHttpSleepAndCodeStepsMayWaitOutsideTheProcess() {
        assertThat(List.of("http", "sleep", "code", "transform", "log", "fail", "unknown"))
                .filteredOn(FlowEngine::mayWait).containsExactly("http", "sleep", "code");
    }
}

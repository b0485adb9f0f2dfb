package dev.ferry.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.json.Json;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.LogLine;
import dev.ferry.core.model.StepResult;
import dev.ferry.core.testkit.FerryTestKit;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecutionRunnerTest {
    private final FerryTestKit kit = new FerryTestKit();
    private final FerryTestKit.Demo demo = kit.seedDemo();

    private Execution accept(String body) {
        return kit.ferry.webhooks().accept(demo.token(), new ExecutionRequest("POST",
                body.getBytes(StandardCharsets.UTF_8), Map.of("content-type", "application/json"), Map.of(), "application/json"));
    }

    @Test
    void queuedExecutionRunsToSucceededWithEachStepsOutputAndLogs() {
        Execution accepted = accept("{\"id\": 42, \"total\": 9.5}");

        Execution done = kit.ferry.runner().run(accepted.id()).orElseThrow();

        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(done.steps()).extracting(StepResult::name).containsExactly("log", "fetch", "shape");
        assertThat(done.steps().get(2).output().get("id").asInt()).isEqualTo(42);
        assertThat(done.integrationVersion()).isEqualTo(1);
        assertThat(done.durationMs()).isNotNull();
        assertThat(kit.logs.read(demo.instanceId(), done.id())).extracting(LogLine::message)
                .anyMatch(m -> m.contains("order 42"));
        assertThat(kit.instances.get(demo.instanceId()).orElseThrow().lastExecutedAt()).isNotNull();
    }

    @Test
    void theSameMessageDeliveredTwiceRunsTheFlowOnce() {
        Execution accepted = accept("{\"id\": 1}");

        assertThat(kit.ferry.runner().run(accepted.id())).isPresent();
        assertThat(kit.ferry.runner().run(accepted.id())).isEmpty();

        long starts = kit.logs.read(demo.instanceId(), accepted.id()).stream()
                .filter(l -> l.message().startsWith("execution started")).count();
        assertThat(starts).isEqualTo(1);
    }

    @Test
    void secretConfigValueAppearsInNoStepOutputOrLogLine() {
        Execution done = kit.ferry.runner().run(accept("{\"id\": 5}").id()).orElseThrow();

        assertThat(Json.write(done.steps())).doesNotContain(FerryTestKit.SECRET);
        assertThat(kit.logs.read(demo.instanceId(), done.id())).extracting(LogLine::message)
                .noneMatch(m -> m.contains(FerryTestKit.SECRET));
    }

    @Test
    void executionReachingAPausedInstanceIsHeldNotRun() {
        Execution accepted = accept("{\"id\": 1}");
        Instance i = kit.instances.get(demo.instanceId()).orElseThrow();
        kit.instances.update(i.withEnabled(false));

        Execution held = kit.ferry.runner().run(accepted.id()).orElseThrow();

        assertThat(held.status()).isEqualTo(ExecutionStatus.HELD);
        assertThat(held.steps()).isEmpty();
    }

    @Test
    void failingHttpStepFailsTheExecutionNamingTheStep() {
        kit.httpAnswer = new dev.ferry.core.model.HttpCallResult(503, Map.of(), new byte[0]);

        Execution done = kit.ferry.runner().run(accept("{\"id\": 3}").id()).orElseThrow();

        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error().step()).isEqualTo("fetch");
        assertThat(done.error().retryable()).isTrue();
    }

    @Test
    void successfulReplayMarksTheOriginalResolved() {
        kit.httpAnswer = new dev.ferry.core.model.HttpCallResult(500, Map.of(), new byte[0]);
        Execution failed = kit.ferry.runner().run(accept("{\"id\": 9}").id()).orElseThrow();
        kit.httpAnswer = new dev.ferry.core.model.HttpCallResult(200, Map.of(), "{}".getBytes());

        Execution replay = kit.ferry.replays().replay(failed.id(), null);
        Execution replayed = kit.ferry.runner().run(replay.id()).orElseThrow();

        assertThat(replayed.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(replayed.replayOf()).isEqualTo(failed.id());
        assertThat(new String(replayed.request().body())).isEqualTo("{\"id\": 9}");
        Execution original = kit.executions.get(failed.id()).orElseThrow();
        assertThat(original.replays()).containsExactly(replay.id());
        assertThat(original.resolved()).isTrue();
    }

    @Test
    void aFailMessageOfHalfAMegabyteIsCutSoTheErrorFitsItsItemAndEvents() {
        FerryTestKit other = new FerryTestKit();
        FerryTestKit.Demo d = other.seed("""
                {"name": "Loud", "configVariables": [{"key": "apiBase"}, {"key": "apiKey", "secret": true}],
                 "flows": [{"name": "Shout", "trigger": {"type": "webhook"},
                   "steps": [{"name": "shout", "type": "fail", "message": "{% $trigger.body %}", "retryable": false}]}]}
                """);
        other.monitors.create(new dev.ferry.core.model.Monitor("mon_failed", "Failures", dev.ferry.core.model.MonitorScope.EVERYTHING,
                java.util.List.of(dev.ferry.core.model.MonitorTrigger.of(dev.ferry.core.model.MonitorTriggerType.EXECUTION_FAILED)),
                java.util.List.of(), other.clock.instant())); // so that the failure's event is sent
        byte[] body = "x".repeat(500_000).getBytes(StandardCharsets.UTF_8); // quoted in the message in full
        Execution accepted = other.ferry.webhooks().accept(d.token(), new ExecutionRequest("POST", body, Map.of(),
                Map.of(), "text/plain"));

        Execution done = other.ferry.runner().run(accepted.id()).orElseThrow();

        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error().message()).hasSize(8_192)
                .startsWith("xxxx").endsWith("…[cut: 500000 characters]");
        assertThat(done.steps().get(0).error().message()).isEqualTo(done.error().message());
        assertThat(other.monitorEvents.pending()).isNotEmpty()
                .allSatisfy(sent -> assertThat(sent.json().length()).isLessThan(64 * 1024));
    }
}

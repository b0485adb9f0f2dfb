package dev.ferry.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionQuery;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.ReplayJob;
import dev.ferry.core.model.ReplayJobStatus;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.testkit.FerryTestKit;
import dev.ferry.functions.replay.ReplayFunction;
import dev.ferry.functions.retry.RetryDispatchFunction;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** RetryDispatchFunction and ReplayFunction's job queue and bulk events, fed the files of events/. */
class RetryAndReplayHandlersTest {
    private final FerryTestKit kit = SampleData.kit();

    {
        kit.clock.advance(Duration.ofSeconds(1)); // the samples were queued before now
    }

    @Test
    void dueRetryMessageStartsTheRetryAndAnEarlyOneIsSentAgainForTheRest() {
        JsonNode answer = SampleData.invoke(new RetryDispatchFunction(kit.ferry), "retry-dispatch-sqs.json");

        assertThat(answer.get("batchItemFailures")).isEmpty();
        Execution retry = kit.executions.get(SampleData.ORIGINAL + "_r2").orElseThrow();
        assertThat(retry.trigger()).isEqualTo(Trigger.RETRY);
        assertThat(retry.retryOf()).isEqualTo(SampleData.ORIGINAL);
        assertThat(retry.attempt()).isEqualTo(2);
        assertThat(kit.queue.pending()).containsExactly(retry.id());
        assertThat(kit.retryQueue.waiting()).singleElement()
                .satisfies(s -> assertThat(s.delay()).isEqualTo(Duration.ofMinutes(15)));
    }

    @Test
    void malformedRetryMessageIsDroppedWithoutFailingTheBatch() {
        String event = new String(SampleData.event("retry-dispatch-sqs.json"))
                .replaceFirst("\\{\\\\\"executionId[^}]*}", "not json");

        JsonNode answer = SampleData.invoke(new RetryDispatchFunction(kit.ferry), event.getBytes());

        assertThat(answer.get("batchItemFailures")).isEmpty();
    }

    @Test
    void replayJobMessageWorksTheJobToCompletion() {
        ExecutionQuery filter = new ExecutionQuery(SampleData.INSTANCE, null, null, ExecutionStatus.FAILED, null, null,
                kit.clock.instant(), false, false, 100, null);
        kit.replayJobs.create(new ReplayJob("rpj_sample", "sample", filter, null, ReplayJobStatus.RUNNING, 1, 0, 0, 0,
                0, 0, null, kit.clock.instant(), kit.clock.instant(), null));

        JsonNode answer = SampleData.invoke(new ReplayFunction(kit.ferry), "replay-job-sqs.json");

        assertThat(answer.get("batchItemFailures")).isEmpty();
        assertThat(kit.replayJobs.get("rpj_sample").orElseThrow().status()).isEqualTo(ReplayJobStatus.COMPLETED);
        kit.drainQueue();
        assertThat(kit.executions.get(SampleData.ORIGINAL).orElseThrow().replays())
                .containsExactly(SampleData.ORIGINAL + "_rpj_sample");
    }

    @Test
    void directBulkDryRunAnswersTheCount() {
        JsonNode answer = SampleData.invoke(new ReplayFunction(kit.ferry), "replay-bulk-direct.json");

        assertThat(answer.get("matched").asLong()).isEqualTo(1);
        assertThat(answer.get("dryRun").asBoolean()).isTrue();
        assertThat(kit.replayJobQueue.pending()).isEmpty();
    }

    @Test
    void bulkReplayRouteStartsAJob() {
        JsonNode answer = SampleData.invoke(new ReplayFunction(kit.ferry), "replay-bulk-api.json");

        assertThat(answer.get("statusCode").asInt()).isEqualTo(202);
        JsonNode job = Json.tree(answer.get("body").asText());
        assertThat(job.get("status").asText()).isEqualTo("RUNNING");
        assertThat(job.get("ratePerSecond").asInt()).isEqualTo(50);
        assertThat(kit.replayJobQueue.pending()).containsExactly(job.get("id").asText());
    }

    @Test
    void directBulkEventWithABadFilterAnswersTheFieldError() {
        JsonNode answer = SampleData.invoke(new ReplayFunction(kit.ferry), "{\"filter\": {\"status\": \"NOPE\"}}".getBytes());

        assertThat(answer.get("error").get("details").get(0).get("field").asText()).isEqualTo("filter.status");
    }
}

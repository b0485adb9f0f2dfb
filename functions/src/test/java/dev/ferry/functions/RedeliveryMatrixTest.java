package dev.ferry.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.json.Json;
import dev.ferry.core.message.AlertDeliveryRetry;
import dev.ferry.core.message.MonitorEvent;
import dev.ferry.core.model.AlertQuery;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionQuery;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.HttpCallResult;
import dev.ferry.core.model.ReplayJob;
import dev.ferry.core.model.ReplayJobStatus;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.testkit.FerryTestKit;
import dev.ferry.functions.execution.FlowExecutionFunction;
import dev.ferry.functions.monitor.MonitorEvaluationFunction;
import dev.ferry.functions.replay.ReplayFunction;
import dev.ferry.functions.retry.RetryDispatchFunction;
import dev.ferry.functions.schedule.ScheduledTriggerFunction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every message type delivered more than once — twice in a row (SQS redelivery) and four times at
 * once (duplicate copies reaching concurrent invocations) — through the real handlers on the fakes,
 * with the same message id each time as SQS keeps it. Each effect happens once: one flow run, one
 * retry execution, one alert and one webhook post per monitor, one replay per original, one
 * execution per schedule tick, one delivery of a retried alert, one release (and one run) per held
 * execution of an unpaused instance (oldest first from one releaser; several at once share the
 * work and their sends may interleave).
 */
class RedeliveryMatrixTest {
    private static final String ALERT_URL = "https://alerts.example.test/hook";

    private final FerryTestKit kit = SampleData.kit();

    {
        kit.clock.advance(Duration.ofSeconds(1)); // the samples were queued before now
    }

    /** Delivers {@code event} {@code times} times: one after the other, or all at once from a start line. */
    private void deliver(RequestStreamHandler handler, byte[] event, int times, boolean concurrently) throws Exception {
        if (!concurrently) {
            for (int i = 0; i < times; i++) assertNoFailures(SampleData.invoke(handler, event));
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(times);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<JsonNode>> answers = new ArrayList<>();
            for (int i = 0; i < times; i++) {
                answers.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return SampleData.invoke(handler, event);
                }));
            }
            start.countDown();
            for (Future<JsonNode> a : answers) assertNoFailures(a.get(30, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertNoFailures(JsonNode answer) {
        if (answer.has("batchItemFailures")) assertThat(answer.get("batchItemFailures")).isEmpty();
    }

    /** An SQS event of one message, as Lambda delivers it. */
    private static byte[] sqs(String messageId, String body, String queue) {
        ObjectNode e = Json.object();
        ObjectNode m = e.putArray("Records").addObject();
        m.put("messageId", messageId);
        m.put("receiptHandle", "rh-" + messageId);
        m.put("body", body);
        m.putObject("attributes").put("ApproximateReceiveCount", "1");
        m.putObject("messageAttributes");
        m.put("eventSource", "aws:sqs");
        m.put("eventSourceARN", "arn:aws:sqs:us-east-1:123456789012:ferry-" + queue);
        return Json.write(e).getBytes(StandardCharsets.UTF_8);
    }

    private long started(String executionId) {
        return kit.logs.read(SampleData.INSTANCE, executionId).stream()
                .filter(l -> l.message().startsWith("execution started")).count();
    }

    private long ordersCalls() {
        return kit.httpRequests.stream().filter(r -> r.url().endsWith("/orders/5")).count();
    }

    /** Runs what the execution queue holds, each message once (its own message id), as the queue's consumer would. */
    private void drainExecutions() throws Exception {
        for (String id : kit.queue.drain()) {
            deliver(new FlowExecutionFunction(kit.ferry), sqs("drain-" + id, "{\"executionId\":\"" + id + "\"}", "ExecutionQueue"),
                    1, false);
        }
    }

    @ParameterizedTest(name = "concurrently={0}")
    @ValueSource(booleans = {false, true})
    void anExecutionMessageRunsTheFlowOnce(boolean concurrently) throws Exception {
        // A monitor that acts on the run's start and on its end, so that both events are sent.
        assertThat(kit.api("POST", "/monitors", "{\"name\": \"Runs\", \"triggers\": [{\"type\": \"EXECUTION_STARTED\"}, "
                + "{\"type\": \"EXECUTION_COMPLETED\"}], \"scope\": {\"instanceId\": \"" + SampleData.INSTANCE + "\"}, "
                + "\"channels\": [{\"type\": \"webhook\", \"url\": \"" + ALERT_URL + "\"}]}").status()).isEqualTo(201);
        deliver(new FlowExecutionFunction(kit.ferry), sqs("m-exe", "{\"executionId\":\"" + SampleData.QUEUED + "\"}",
                "ExecutionQueue"), concurrently ? 4 : 2, concurrently);

        assertThat(kit.executions.get(SampleData.QUEUED).orElseThrow().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(started(SampleData.QUEUED)).isEqualTo(1);
        assertThat(ordersCalls()).isEqualTo(1);
        assertThat(kit.monitorEvents.pending()).extracting(s -> s.event().type())
                .as("one started and one ended event").containsExactly(MonitorEvent.Type.EXECUTION_STARTED,
                        MonitorEvent.Type.EXECUTION_ENDED);
    }

    @ParameterizedTest(name = "concurrently={0}")
    @ValueSource(booleans = {false, true})
    void aRetryMessageCreatesOneRetryThatRunsOnce(boolean concurrently) throws Exception {
        byte[] event = SampleData.event("retry-dispatch-sqs.json");

        deliver(new RetryDispatchFunction(kit.ferry), event, concurrently ? 4 : 2, concurrently);
        drainExecutions();

        List<Execution> retries = kit.executions.all().stream().filter(e -> SampleData.ORIGINAL.equals(e.retryOf())).toList();
        assertThat(retries).singleElement().satisfies(r -> {
            assertThat(r.trigger()).isEqualTo(Trigger.RETRY);
            assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(started(r.id())).isEqualTo(1);
        });
        assertThat(ordersCalls()).isEqualTo(1);
    }

    @ParameterizedTest(name = "concurrently={0}")
    @ValueSource(booleans = {false, true})
    void aMonitorEventRaisesOneAlertDeliveredOnce(boolean concurrently) throws Exception {
        String monitor = FerryTestKit.json(kit.api("POST", "/monitors", "{\"name\": \"Failures\", \"triggers\": [{\"type\": "
                + "\"EXECUTION_FAILED\"}], \"scope\": {\"instanceId\": \"" + SampleData.INSTANCE + "\"}, \"channels\": "
                + "[{\"type\": \"webhook\", \"url\": \"" + ALERT_URL + "\"}]}")).get("id").asText();
        kit.httpHandler = r -> { // a receiver that takes a moment to answer, as over a network
            if (r.url().equals(ALERT_URL)) {
                try { Thread.sleep(200); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
            }
            return kit.httpAnswer;
        };

        deliver(new MonitorEvaluationFunction(kit.ferry), SampleData.event("monitor-evaluation-sqs.json"),
                concurrently ? 4 : 2, concurrently);

        assertThat(kit.alerts.list(new AlertQuery(monitor, null, null, 100, null)).items()).hasSize(1);
        assertThat(kit.httpRequests.stream().filter(r -> r.url().equals(ALERT_URL))).hasSize(1);
    }

    @org.junit.jupiter.api.Test
    void anAlertWhoseRaiserDiedBeforeDeliveringIsDeliveredByTheEventsRedeliveryOnce() throws Exception {
        FerryTestKit.json(kit.api("POST", "/monitors", "{\"name\": \"Failures\", \"triggers\": [{\"type\": "
                + "\"EXECUTION_FAILED\"}], \"scope\": {\"instanceId\": \"" + SampleData.INSTANCE + "\"}, \"channels\": "
                + "[{\"type\": \"webhook\", \"url\": \"" + ALERT_URL + "\"}]}"));
        kit.httpHandler = r -> {
            throw new OutOfMemoryError("the function died before the alert left"); // the alert is stored, never sent
        };
        byte[] event = SampleData.event("monitor-evaluation-sqs.json");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SampleData.invoke(new MonitorEvaluationFunction(kit.ferry), event))
                .isInstanceOf(OutOfMemoryError.class);
        kit.httpHandler = r -> kit.httpAnswer;
        kit.httpRequests.clear();

        deliver(new MonitorEvaluationFunction(kit.ferry), event, 1, false);
        assertThat(kit.httpRequests).as("a copy arriving while the raiser may still be delivering sends nothing").isEmpty();
        kit.clock.advance(Duration.ofMinutes(12)); // the message comes back after the queue's visibility timeout
        deliver(new MonitorEvaluationFunction(kit.ferry), event, 2, false);

        assertThat(kit.httpRequests.stream().filter(r -> r.url().equals(ALERT_URL))).hasSize(1);
    }

    @ParameterizedTest(name = "concurrently={0}")
    @ValueSource(booleans = {false, true})
    void anAlertDeliveryRetryDeliversOnce(boolean concurrently) throws Exception {
        FerryTestKit.json(kit.api("POST", "/monitors", "{\"name\": \"Failures\", \"triggers\": [{\"type\": "
                + "\"EXECUTION_FAILED\"}], \"scope\": {\"instanceId\": \"" + SampleData.INSTANCE + "\"}, \"channels\": "
                + "[{\"type\": \"webhook\", \"url\": \"" + ALERT_URL + "\"}]}"));
        kit.httpHandler = r -> new HttpCallResult(503, Map.of(), new byte[0]); // the first attempt fails
        deliver(new MonitorEvaluationFunction(kit.ferry), SampleData.event("monitor-evaluation-sqs.json"), 1, false);
        assertThat(kit.monitorEvents.pending()).singleElement()
                .satisfies(s -> assertThat(s.message()).isInstanceOf(AlertDeliveryRetry.class));
        String retry = kit.monitorEvents.pending().get(0).json();
        kit.monitorEvents.clear();
        kit.httpHandler = r -> kit.httpAnswer;

        deliver(new MonitorEvaluationFunction(kit.ferry), sqs("m-alert", retry, "MonitorQueue"), concurrently ? 4 : 2, concurrently);

        assertThat(kit.httpRequests.stream().filter(r -> r.url().equals(ALERT_URL))).as("the failed attempt, then one delivery")
                .hasSize(2);
    }

    @ParameterizedTest(name = "concurrently={0}")
    @ValueSource(booleans = {false, true})
    void aReplayJobMessageReplaysEachMatchOnce(boolean concurrently) throws Exception {
        ExecutionQuery filter = new ExecutionQuery(SampleData.INSTANCE, null, null, ExecutionStatus.FAILED, null, null,
                kit.clock.instant(), false, false, 100, null);
        kit.replayJobs.create(new ReplayJob("rpj_sample", "sample", filter, null, ReplayJobStatus.RUNNING, 1, 0, 0, 0,
                0, 0, null, kit.clock.instant(), kit.clock.instant(), null));

        deliver(new ReplayFunction(kit.ferry), SampleData.event("replay-job-sqs.json"), concurrently ? 4 : 2, concurrently);
        drainExecutions();

        assertThat(kit.executions.all().stream().filter(e -> SampleData.ORIGINAL.equals(e.replayOf()))).singleElement()
                .satisfies(r -> assertThat(started(r.id())).isEqualTo(1));
        assertThat(kit.replayJobs.get("rpj_sample").orElseThrow().dispatched()).isEqualTo(1);
        assertThat(ordersCalls()).isEqualTo(1);
    }

    @ParameterizedTest(name = "concurrently={0}")
    @ValueSource(booleans = {false, true})
    void aScheduleTickDeliveredAgainStartsOneExecution(boolean concurrently) throws Exception {
        deliver(new ScheduledTriggerFunction(kit.ferry), SampleData.event("scheduled-trigger.json"), concurrently ? 4 : 2,
                concurrently);
        drainExecutions();

        List<Execution> ticks = kit.executions.all().stream().filter(e -> e.trigger() == Trigger.SCHEDULE).toList();
        assertThat(ticks).singleElement().satisfies(t -> {
            assertThat(t.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(kit.logs.read(SampleData.SCHEDULED_INSTANCE, t.id()).stream()
                    .filter(l -> l.message().startsWith("execution started"))).hasSize(1);
        });
    }

    @ParameterizedTest(name = "concurrently={0}")
    @ValueSource(booleans = {false, true})
    void aReleaseMessageReleasesEachHeldExecutionOnce(boolean concurrently) throws Exception {
        // More held executions than one page of listHeld, so the releasers page while others release.
        int heldCount = 105;
        Execution sample = kit.executions.get(SampleData.QUEUED).orElseThrow();
        kit.executions.delete(SampleData.QUEUED);
        List<String> held = new ArrayList<>();
        for (int i = 0; i < heldCount; i++) {
            String id = String.format("exe_held_%03d", i);
            kit.executions.create(sample.toBuilder().id(id).status(ExecutionStatus.HELD)
                    .queuedAt(kit.clock.instant().minusSeconds(heldCount - i)).build());
            held.add(id);
        }

        deliver(new FlowExecutionFunction(kit.ferry), SampleData.event("flow-execution-sqs-release.json"),
                concurrently ? 4 : 2, concurrently);

        if (concurrently) {
            // Concurrent releases share the work: each held execution has one release (its conditional
            // HELD -> QUEUED update has one winner) and one message; each releaser sends its share oldest
            // first, so the releasers' sends may interleave.
            assertThat(kit.queue.pending()).as("one execution message per held execution")
                    .containsExactlyInAnyOrderElementsOf(held);
        } else {
            assertThat(kit.queue.pending()).as("one execution message per held execution, oldest first")
                    .containsExactlyElementsOf(held);
        }
        assertThat(kit.queue.pendingReleases()).as("nothing left for a continuation").isEmpty();
        assertThat(held).allSatisfy(id ->
                assertThat(kit.executions.get(id).orElseThrow().status()).isEqualTo(ExecutionStatus.QUEUED));

        drainExecutions();

        assertThat(held).allSatisfy(id -> {
            assertThat(kit.executions.get(id).orElseThrow().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(started(id)).as(id).isEqualTo(1);
        });
        assertThat(kit.executions.all().stream().filter(e -> SampleData.INSTANCE.equals(e.instanceId())
                && e.status().terminal())).as("no execution besides the released ones and the sample original")
                .extracting(Execution::id).containsExactlyInAnyOrderElementsOf(
                        java.util.stream.Stream.concat(held.stream(), java.util.stream.Stream.of(SampleData.ORIGINAL)).toList());
        assertThat(ordersCalls()).isEqualTo(heldCount);
    }
}

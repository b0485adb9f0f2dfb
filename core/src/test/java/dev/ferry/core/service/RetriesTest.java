package dev.ferry.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.Ferry;
import dev.ferry.core.message.RetryMessage;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.HttpCallResult;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.port.InstanceStore;
import dev.ferry.core.testkit.FerryTestKit;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Automatic retries on the in-memory fakes, time moved by the test's clock. */
class RetriesTest {
    static final String DEFINITION = """
            {
              "name": "Push orders",
              "configVariables": [{"key": "apiBase", "required": true}, {"key": "apiKey", "secret": true}],
              "flows": [{
                "name": "Push",
                "trigger": {"type": "webhook"},
                "retry": %s,
                "steps": [
                  {"name": "guard", "type": "fail", "if": "{%% $trigger.body.bad = true %%}", "message": "bad input", "retryable": false},
                  {"name": "push", "type": "http", "method": "POST", "url": "{%% $config.apiBase & '/push' %%}"}
                ]
              }]
            }
            """;
    static final String TWO_RETRIES = """
            {"maxAttempts": 2, "delaySeconds": 2, "uniqueRequestId": "{% $trigger.headers.'x-request-id' %}"}""";

    private final FerryTestKit kit = new FerryTestKit();
    private FerryTestKit.Demo demo = kit.seed(DEFINITION.formatted(TWO_RETRIES));

    /** A second integration and instance in the same kit, with this retry policy. */
    private void reseed(String retry) {
        demo = kit.seed(DEFINITION.formatted(retry));
    }

    private Execution accept(String body, String requestId) {
        Map<String, String> headers = requestId == null ? Map.of("content-type", "application/json")
                : Map.of("content-type", "application/json", "x-request-id", requestId);
        return kit.ferry.webhooks().accept(demo.token(), new ExecutionRequest("POST",
                body.getBytes(StandardCharsets.UTF_8), headers, Map.of(), "application/json"));
    }

    private Execution get(String id) {
        return kit.executions.get(id).orElseThrow();
    }

    private void serverAnswers(int status, Map<String, String> headers) {
        kit.httpAnswer = new HttpCallResult(status, headers, new byte[0]);
    }

    /** Moves the clock to the next retry message's delivery, hands it over, and runs what got queued. */
    private void nextRetryFallsDue() {
        Instant next = kit.retryQueue.nextDelivery();
        assertThat(next).as("a retry is waiting").isNotNull();
        kit.clock.set(next);
        kit.dispatchRetries();
        kit.drainQueue();
    }

    private List<Execution> chainOf(String originalId) {
        return kit.executions.all().stream()
                .filter(e -> e.id().equals(originalId) || originalId.equals(e.retryOf()))
                .sorted(Comparator.comparing(Execution::attempt)).toList();
    }

    @Test
    void failedWebhookExecutionShowsItsNextRetryAndQueuesAMessageForIt() {
        serverAnswers(503, Map.of());
        Execution e = accept("{\"id\": 1}", null);
        kit.drainQueue();

        Execution failed = get(e.id());
        assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(failed.nextRetryAt()).isEqualTo(failed.endedAt().plusSeconds(2));
        assertThat(failed.retriesRemaining()).isEqualTo(2);
        assertThat(kit.retryQueue.waiting()).singleElement().satisfies(s -> {
            assertThat(s.message()).isEqualTo(new RetryMessage(e.id(), failed.nextRetryAt()));
            assertThat(s.delay()).isEqualTo(Duration.ofSeconds(2));
        });
    }

    @Test
    void maxAttemptsTwoGivesTheOriginalAndExactlyTwoRetriesLinkedToIt() {
        serverAnswers(500, Map.of());
        Execution e = accept("{\"id\": 2}", null);
        kit.drainQueue();

        nextRetryFallsDue();
        nextRetryFallsDue();

        List<Execution> chain = chainOf(e.id());
        assertThat(chain).extracting(Execution::trigger).containsExactly(Trigger.WEBHOOK, Trigger.RETRY, Trigger.RETRY);
        assertThat(chain).extracting(Execution::attempt).containsExactly(1, 2, 3);
        assertThat(chain).extracting(Execution::status).containsOnly(ExecutionStatus.FAILED);
        assertThat(chain.subList(1, 3)).extracting(Execution::retryOf).containsOnly(e.id());
        assertThat(chain).extracting(Execution::retriesRemaining).containsExactly(2, 1, 0);
        assertThat(chain.get(2).nextRetryAt()).isNull();
        assertThat(chain.get(1).request()).isEqualTo(chain.get(0).request());
        assertThat(kit.retryQueue.waiting()).isEmpty();
        assertThat(kit.executions.all()).hasSize(3);
    }

    @Test
    void retryRunsAtItsDueTimeAndNotBefore() {
        serverAnswers(500, Map.of());
        Execution e = accept("{\"id\": 3}", null);
        kit.drainQueue();
        Instant due = get(e.id()).nextRetryAt();

        kit.clock.set(due.minusMillis(1001));
        kit.dispatchRetries();
        assertThat(chainOf(e.id())).hasSize(1);

        kit.clock.set(due);
        kit.dispatchRetries();
        kit.drainQueue();
        assertThat(chainOf(e.id())).hasSize(2);
        assertThat(chainOf(e.id()).get(1).queuedAt()).isEqualTo(due);
    }

    @Test
    void exponentialDelaysDoubleUpToTheCap() {
        reseed("{\"maxAttempts\": 4, \"delaySeconds\": 10, \"backoff\": \"EXPONENTIAL\", \"maxDelaySeconds\": 30}");
        serverAnswers(500, Map.of());
        Execution e = accept("{\"id\": 4}", null);
        kit.drainQueue();
        for (int i = 0; i < 4; i++) nextRetryFallsDue();

        List<Execution> chain = chainOf(e.id());
        assertThat(chain).hasSize(5);
        assertThat(chain.subList(0, 4)).extracting(x -> Duration.between(x.endedAt(), x.nextRetryAt()).toSeconds())
                .containsExactly(10L, 20L, 30L, 30L);
    }

    @Test
    void aDayLongDelayReachesItsDueTimeThroughChainedFifteenMinuteDelays() {
        reseed("{\"maxAttempts\": 1, \"delaySeconds\": 86400}");
        serverAnswers(500, Map.of());
        Execution e = accept("{\"id\": 5}", null);
        kit.drainQueue();
        Instant due = get(e.id()).nextRetryAt();
        assertThat(due).isEqualTo(get(e.id()).endedAt().plus(Duration.ofDays(1)));

        int deliveries = 0;
        while (chainOf(e.id()).size() == 1) {
            Instant next = kit.retryQueue.nextDelivery();
            assertThat(next).isNotNull().isBeforeOrEqualTo(due);
            kit.clock.set(next);
            kit.dispatchRetries();
            deliveries++;
        }

        assertThat(deliveries).isEqualTo(96);
        assertThat(kit.retryQueue.sent()).hasSize(96)
                .allSatisfy(s -> assertThat(s.delay()).isLessThanOrEqualTo(Duration.ofMinutes(15)));
        assertThat(kit.clock.instant()).isEqualTo(due);
        Execution retry = chainOf(e.id()).get(1);
        assertThat(retry.queuedAt()).isEqualTo(due);
        assertThat(retry.status()).isEqualTo(ExecutionStatus.QUEUED);
    }

    @Test
    void nonRetryableFailStepIsNotRetried() {
        Execution e = accept("{\"bad\": true}", null);
        kit.drainQueue();

        Execution failed = get(e.id());
        assertThat(failed.error().retryable()).isFalse();
        assertThat(failed.nextRetryAt()).isNull();
        assertThat(failed.retriesRemaining()).isZero();
        assertThat(kit.retryQueue.sent()).isEmpty();
    }

    @Test
    void http4xxIsNotRetriedBut408And429Are() {
        serverAnswers(404, Map.of());
        Execution notFound = accept("{\"id\": 6}", null);
        kit.drainQueue();
        serverAnswers(429, Map.of());
        Execution tooMany = accept("{\"id\": 7}", null);
        kit.drainQueue();
        serverAnswers(408, Map.of());
        Execution timeout = accept("{\"id\": 8}", null);
        kit.drainQueue();

        assertThat(get(notFound.id()).nextRetryAt()).isNull();
        assertThat(get(tooMany.id()).nextRetryAt()).isNotNull();
        assertThat(get(timeout.id()).nextRetryAt()).isNotNull();
        assertThat(kit.retryQueue.sent()).extracting(s -> s.message().executionId())
                .containsExactly(tooMany.id(), timeout.id());
    }

    @Test
    void retryAfterOfTheFailedHttpStepMovesTheNextAttemptLater() {
        serverAnswers(429, Map.of("retry-after", "120"));
        Execution e = accept("{\"id\": 9}", null);
        kit.drainQueue();

        Execution failed = get(e.id());
        assertThat(Duration.between(failed.endedAt(), failed.nextRetryAt())).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void testRunsAreNotRetried() {
        serverAnswers(500, Map.of());
        Execution test = kit.ferry.runner().runTest(demo.flowConfigId(), new ExecutionRequest("POST",
                "{}".getBytes(StandardCharsets.UTF_8), Map.of(), Map.of(), "application/json"));

        assertThat(test.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(test.nextRetryAt()).isNull();
        assertThat(kit.retryQueue.sent()).isEmpty();
    }

    @Test
    void replaysAreNotRetriedAutomatically() {
        serverAnswers(404, Map.of());
        Execution e = accept("{\"id\": 10}", null);
        kit.drainQueue();
        serverAnswers(500, Map.of());
        Execution replay = kit.ferry.replays().replay(e.id(), null);
        kit.drainQueue();

        assertThat(get(replay.id()).status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(get(replay.id()).nextRetryAt()).isNull();
        assertThat(kit.retryQueue.sent()).isEmpty();
    }

    @Test
    void successfulRetryMarksTheOriginalResolved() {
        serverAnswers(500, Map.of());
        Execution e = accept("{\"id\": 11}", null);
        kit.drainQueue();
        serverAnswers(200, Map.of());

        nextRetryFallsDue();

        assertThat(chainOf(e.id()).get(1).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(get(e.id()).resolved()).isTrue();
        assertThat(kit.retryQueue.waiting()).isEmpty();
    }

    @Test
    void retryMessageDeliveredTwiceCreatesAndRunsTheRetryOnce() {
        serverAnswers(500, Map.of());
        Execution e = accept("{\"id\": 12}", null);
        kit.drainQueue();
        RetryMessage message = kit.retryQueue.waiting().getFirst().message();
        kit.clock.set(message.dueAt());

        assertThat(kit.ferry.retryDispatcher().dispatch(message)).isEqualTo(RetryDispatcher.Outcome.DISPATCHED);
        assertThat(kit.ferry.retryDispatcher().dispatch(message)).isEqualTo(RetryDispatcher.Outcome.ALREADY_DISPATCHED);
        kit.drainQueue();

        assertThat(chainOf(e.id())).hasSize(2);
        long starts = kit.logs.read(demo.instanceId(), chainOf(e.id()).get(1).id()).stream()
                .filter(l -> l.message().startsWith("execution started")).count();
        assertThat(starts).isEqualTo(1);
    }

    @Test
    void retryThatFallsDueWhileTheInstanceIsPausedIsHeld() {
        serverAnswers(500, Map.of());
        Execution e = accept("{\"id\": 13}", null);
        kit.drainQueue();
        Instance instance = kit.instances.get(demo.instanceId()).orElseThrow();
        kit.instances.update(instance.withEnabled(false));

        nextRetryFallsDue();

        Execution retry = chainOf(e.id()).get(1);
        assertThat(retry.trigger()).isEqualTo(Trigger.RETRY);
        assertThat(retry.status()).isEqualTo(ExecutionStatus.HELD);
        assertThat(retry.steps()).isEmpty();
        assertThat(kit.retryQueue.waiting()).isEmpty();
    }

    @Test
    void retryOfADeletedInstanceIsDroppedCleanly() {
        serverAnswers(500, Map.of());
        Execution e = accept("{\"id\": 14}", null);
        kit.drainQueue();
        kit.clock.set(kit.retryQueue.nextDelivery());
        RetryMessage message = kit.retryQueue.receive().getFirst();
        Ferry withoutInstance = new Ferry(kit.ferry.ports().withInstances(deleted(kit.instances, demo.instanceId())),
                kit.ferry.settings());

        assertThat(withoutInstance.retryDispatcher().dispatch(message)).isEqualTo(RetryDispatcher.Outcome.DISPATCHED);
        for (String id : kit.queue.drain()) withoutInstance.runner().run(id);

        // The retry, created as the instance went, is deleted with it rather than run.
        assertThat(chainOf(e.id())).extracting(Execution::id).containsExactly(e.id());
        assertThat(kit.retryQueue.waiting()).isEmpty();
        assertThat(kit.queue.pending()).isEmpty();
    }

    @Test
    void retryMessageForAnExecutionPastRetentionIsDropped() {
        serverAnswers(500, Map.of());
        Execution e = accept("{\"id\": 15}", null);
        kit.drainQueue();
        kit.clock.advance(Duration.ofDays(15));

        List<RetryMessage> due = kit.retryQueue.receive();
        assertThat(due).hasSize(1);
        assertThat(kit.ferry.retryDispatcher().dispatch(due.getFirst())).isEqualTo(RetryDispatcher.Outcome.DROPPED);
        assertThat(kit.queue.pending()).isEmpty();
        assertThat(kit.executions.all()).extracting(Execution::id).containsExactly(e.id());
    }

    // ------------------------------------------------------------------ uniqueRequestId

    @Test
    void newerExecutionWithTheSameRequestIdCancelsTheOlderOnesPendingRetry() {
        serverAnswers(500, Map.of());
        Execution older = accept("{\"id\": 20}", "req-1");
        kit.drainQueue();
        kit.clock.advance(Duration.ofMillis(500));
        serverAnswers(200, Map.of());
        Execution newer = accept("{\"id\": 20, \"v\": 2}", "req-1");
        kit.drainQueue();

        Execution cancelled = get(older.id());
        assertThat(cancelled.status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(cancelled.cancelledBy()).isEqualTo(newer.id());
        assertThat(cancelled.nextRetryAt()).isNull();
        assertThat(get(newer.id()).status()).isEqualTo(ExecutionStatus.SUCCEEDED);

        kit.clock.advance(Duration.ofSeconds(5));
        kit.dispatchRetries();
        assertThat(kit.queue.pending()).isEmpty();
        assertThat(chainOf(older.id())).hasSize(1);
    }

    @Test
    void cancellingAChainMarksItsOriginalAndTheRetryWaitingToRun() {
        serverAnswers(500, Map.of());
        Execution older = accept("{\"id\": 21}", "req-2");
        kit.drainQueue();
        nextRetryFallsDue(); // the first retry fails too; the second is pending
        Execution firstRetry = chainOf(older.id()).get(1);
        assertThat(firstRetry.nextRetryAt()).isNotNull();

        Execution newer = accept("{\"id\": 21}", "req-2");
        kit.drainQueue();

        assertThat(get(firstRetry.id()).status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(get(firstRetry.id()).cancelledBy()).isEqualTo(newer.id());
        assertThat(get(older.id()).status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(get(older.id()).cancelledBy()).isEqualTo(newer.id());
        kit.clock.advance(Duration.ofSeconds(10));
        kit.dispatchRetries();
        assertThat(chainOf(older.id())).hasSize(2);
    }

    @Test
    void differentRequestIdsDoNotCancelEachOther() {
        serverAnswers(500, Map.of());
        Execution a = accept("{\"id\": 22}", "req-a");
        Execution b = accept("{\"id\": 22}", "req-b");
        kit.drainQueue();

        assertThat(get(a.id()).status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(get(a.id()).nextRetryAt()).isNotNull();
        assertThat(get(b.id()).nextRetryAt()).isNotNull();
        assertThat(kit.retryQueue.waiting()).hasSize(2);
    }

    @Test
    void olderExecutionThatRunsAfterANewerOneIsNotRetried() {
        serverAnswers(500, Map.of());
        Execution older = accept("{\"id\": 23}", "req-3");
        kit.clock.advance(Duration.ofSeconds(1));
        Execution newer = accept("{\"id\": 23}", "req-3");
        kit.ferry.runner().run(newer.id());
        kit.ferry.runner().run(older.id());

        assertThat(get(older.id()).status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(get(older.id()).cancelledBy()).isEqualTo(newer.id());
        assertThat(kit.retryQueue.waiting()).extracting(s -> s.message().executionId()).containsExactly(newer.id());
    }

    /** The instance store with one instance gone, as after DELETE /instances/{id}. */
    static InstanceStore deleted(InstanceStore real, String instanceId) {
        return (InstanceStore) Proxy.newProxyInstance(InstanceStore.class.getClassLoader(),
                new Class<?>[] {InstanceStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("get") && instanceId.equals(args[0])) return Optional.empty();
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}

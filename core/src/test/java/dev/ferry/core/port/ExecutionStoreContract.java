package dev.ferry.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ferry.core.error.ConflictException;
import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.fakes.MutableClock;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionError;
import dev.ferry.core.model.ExecutionQuery;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.Page;
import dev.ferry.core.model.StepResult;
import dev.ferry.core.model.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rules every {@link ExecutionStore} keeps. Subclasses build the store with {@link #clock}
 * (which the tests move) and give each test an empty store.
 */
public abstract class ExecutionStoreContract {
    /** Now, for every test; executions are queued before it, within the retention window. */
    protected static final Instant START = Instant.parse("2025-06-02T10:00:00Z");
    /** The store's clock: expiry and default list windows are judged by it. */
    protected final MutableClock clock = new MutableClock(START);

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String instanceId = "ins_" + run;
    private final String customerId = "cus_" + run;
    private final String flowConfigId = "flc_" + run;
    /** The other flow of this test's instance. */
    private final String secondFlowConfigId = "flc_2_" + run;
    private final String otherInstance = "ins_other_" + run;
    private final String otherFlowConfigId = "flc_other_" + run;
    private final String secondInstance = "ins_second_" + run;

    /** The store under test, using {@link #clock}; empty at the start of each test. */
    protected abstract ExecutionStore store();

    /**
     * The flow configs of the instances these tests list and delete by, as an instance store would
     * answer (a store that reads an instance's executions through its flow configs is given this):
     * this test's instance has two flows, the other instances one each, and a flow config belongs to
     * one instance.
     */
    protected List<String> flowConfigsOf(String instance) {
        if (instance.equals(instanceId)) return List.of(flowConfigId, secondFlowConfigId);
        if (instance.equals(otherInstance)) return List.of(otherFlowConfigId);
        if (instance.equals(secondInstance)) return List.of("flc_second_" + run);
        return List.of();
    }

    // ------------------------------------------------------------------ fixtures

    protected String id(int n) {
        return String.format("exe_%s_%04d", run, n);
    }

    private Execution.Builder execution(int n, Instant queuedAt) {
        return Execution.builder()
                .id(id(n))
                .instanceId(instanceId)
                .customerId(customerId)
                .flowConfigId(flowConfigId)
                .flow("On new order")
                .trigger(Trigger.WEBHOOK)
                .status(ExecutionStatus.QUEUED)
                .queuedAt(queuedAt)
                .attempt(1)
                .integrationVersion(3)
                .request(new ExecutionRequest("POST", ("{\"n\":" + n + "}").getBytes(),
                        Map.of("content-type", "application/json"), Map.of(), "application/json"))
                .expiresAt(queuedAt.plus(Duration.ofDays(14)));
    }

    private Execution queued(int n, Instant queuedAt) {
        return execution(n, queuedAt).build();
    }

    /** n executions of this test's instance, one a minute before START, id(1) the oldest. */
    private List<Execution> createSeries(int n) {
        List<Execution> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            Execution e = queued(i, START.minus(Duration.ofMinutes(n + 1 - i)));
            store().create(e);
            out.add(e);
        }
        return out;
    }

    /** Deletes this test's instance's executions page by page (3 a page), as an instance's deletion does; the ids deleted. */
    private List<String> deleteInstanceThreeAtATime() {
        List<String> deleted = new ArrayList<>();
        String cursor = null;
        int calls = 0;
        do {
            Page<String> page = store().deleteForInstance(instanceId, 3, cursor);
            assertThat(page.items().size()).isLessThanOrEqualTo(3);
            deleted.addAll(page.items());
            cursor = page.nextCursor();
            assertThat(++calls).isLessThan(20);
        } while (cursor != null);
        return deleted;
    }

    private static ObjectNode object(String k, String v) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put(k, v);
        return o;
    }

    private static Execution summaryOf(Execution e) {
        return e.toBuilder().request(e.request() == null ? null : e.request().withBody(new byte[0])).steps(List.of()).build();
    }

    private ExecutionQuery query() {
        return new ExecutionQuery(null, null, null, null, null, null, null, false, false, 100, null);
    }

    private ExecutionQuery byInstance() {
        return ExecutionQuery.forInstance(instanceId, 100);
    }

    private static ExecutionQuery with(ExecutionQuery q, ExecutionStatus status, Trigger trigger, Instant since,
                                       Instant until, boolean originalsOnly, boolean unresolved, int limit) {
        return new ExecutionQuery(q.instanceId(), q.customerId(), q.flowConfigId(), status, trigger, since, until,
                originalsOnly, unresolved, limit, null);
    }

    private List<String> ids(Page<Execution> page) {
        return page.items().stream().map(Execution::id).toList();
    }

    /** Follows cursors to the end; fails on a repeated item or an endless walk. */
    private List<Execution> all(ExecutionQuery q) {
        List<Execution> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String cursor = null;
        for (int pages = 0; ; pages++) {
            assertThat(pages).as("pages").isLessThan(1000);
            Page<Execution> page = store().list(q.withCursor(cursor));
            assertThat(page.items().size()).isLessThanOrEqualTo(Math.max(1, q.limit()));
            for (Execution e : page.items()) assertThat(seen.add(e.id())).as("seen once: " + e.id()).isTrue();
            out.addAll(page.items());
            cursor = page.nextCursor();
            if (cursor == null) return out;
            assertThat(page.items()).as("a page with a cursor is full").hasSize(q.limit());
        }
    }

    // ------------------------------------------------------------------ create / get

    @Test
    void aRunThatKeptNoOutputsOrLogsSaysSoInTheDetailAndTheList() {
        Execution e = execution(1, START.minusSeconds(30)).status(ExecutionStatus.SUCCEEDED).startedAt(START.minusSeconds(29))
                .endedAt(START.minusSeconds(28)).durationMs(1000L).outputsDiscarded(true).logsDiscarded(true)
                .steps(List.of(new StepResult("shape", "transform", StepResult.SUCCEEDED, START.minusSeconds(29),
                        START.minusSeconds(28), 1000, null, null)))
                .build();

        store().create(e);

        assertThat(store().get(e.id())).contains(e);
        assertThat(store().list(new ExecutionQuery(e.instanceId(), null, null, null, null, null, null, false, false, 10, null))
                .items()).singleElement().satisfies(s -> {
                    assertThat(s.outputsDiscarded()).isTrue();
                    assertThat(s.logsDiscarded()).isTrue();
                });
    }

    @Test
    void createdExecutionReadsBackExactly() {
        byte[] body = {0, 1, 2, (byte) 0xff, (byte) 0xfe, '\r', '\n', 'a', (byte) 0x80};
        ArrayNode array = JsonNodeFactory.instance.arrayNode().add(1).add("two").add(JsonNodeFactory.instance.nullNode());
        Execution e = execution(1, START.minusSeconds(30).plusNanos(123_456_789))
                .trigger(Trigger.RETRY)
                .status(ExecutionStatus.FAILED)
                .startedAt(START.minusSeconds(29))
                .endedAt(START.minusSeconds(20))
                .durationMs(9000L)
                .error(new ExecutionError("boom", "fetch", true))
                .attempt(2)
                .retryOf("exe_original")
                .nextRetryAt(START.plusSeconds(120))
                .retriesRemaining(3)
                .replays(List.of("exe_r1", "exe_r2"))
                .resolved(false)
                .cancelledBy(null)
                .request(new ExecutionRequest("PUT", body,
                        Map.of("content-type", "application/octet-stream", "x-request-id", "abc", "x-empty", ""),
                        Map.of("a", "1", "b", "x y"), "application/octet-stream"))
                .steps(List.of(
                        new StepResult("log", "log", StepResult.SUCCEEDED, START.minusSeconds(29), START.minusSeconds(28),
                                1000, object("message", "order 1"), null),
                        new StepResult("fetch", "http", StepResult.FAILED, START.minusSeconds(28), START.minusSeconds(20),
                                8000, array, new ExecutionError("HTTP 503", "fetch", true)),
                        new StepResult("shape", "transform", StepResult.SKIPPED, null, null, 0, null, null),
                        new StepResult("text", "transform", StepResult.SUCCEEDED, START.minusSeconds(20),
                                START.minusSeconds(20), 0, TextNode.valueOf("plain"), null)))
                .build();

        store().create(e);

        assertThat(store().get(e.id())).contains(e);
        assertThat(store().get(e.id()).orElseThrow().request().body()).containsExactly(body);
    }

    @Test
    void executionWithoutRequestOrStepsReadsBack() {
        Execution e = execution(1, START.minusSeconds(5)).trigger(Trigger.SCHEDULE).request(null).expiresAt(null).build();

        store().create(e);

        assertThat(store().get(e.id())).contains(e);
    }

    @Test
    void emptyBodyReadsBackEmpty() {
        Execution e = execution(1, START.minusSeconds(5))
                .request(new ExecutionRequest("GET", new byte[0], Map.of(), Map.of("q", "1"), null)).build();

        store().create(e);

        assertThat(store().get(e.id())).contains(e);
    }

    @Test
    void largeBodyAndLargeStepOutputsRoundTrip() {
        byte[] body = new byte[200 * 1024];
        new Random(7).nextBytes(body);
        ObjectNode big = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < 3000; i++) big.put("field" + i, "value-" + i + "-" + "x".repeat(60));
        Execution e = execution(1, START.minusSeconds(5))
                .request(new ExecutionRequest("POST", body, Map.of(), Map.of(), "application/octet-stream"))
                .steps(List.of(new StepResult("fetch", "http", StepResult.SUCCEEDED, START, START, 0, big, null)))
                .build();

        store().create(e);

        assertThat(store().get(e.id())).contains(e);
        assertThat(store().list(byInstance()).items()).containsExactly(summaryOf(e));
    }

    @Test
    void unknownExecutionIsEmpty() {
        assertThat(store().get(id(999))).isEmpty();
    }

    @Test
    void creatingAnExistingIdConflictsAndKeepsTheFirst() {
        Execution first = queued(1, START.minusSeconds(5));
        store().create(first);
        Execution second = first.toBuilder().flow("another").status(ExecutionStatus.HELD).build();

        assertThatThrownBy(() -> store().create(second)).isInstanceOf(ConflictException.class);

        assertThat(store().get(first.id())).contains(first);
    }

    @Test
    void storedExecutionIsACopy() {
        byte[] body = "hello".getBytes();
        Execution e = execution(1, START.minusSeconds(5))
                .request(new ExecutionRequest("POST", body, Map.of(), Map.of(), "text/plain")).build();
        store().create(e);

        body[0] = 'j';
        store().get(e.id()).orElseThrow().request().body()[1] = 'a';

        assertThat(store().get(e.id()).orElseThrow().request().body()).isEqualTo("hello".getBytes());
    }

    // ------------------------------------------------------------------ claim

    @Test
    void claimMovesQueuedToRunningAndReturnsTheWholeExecution() {
        Execution e = execution(1, START.minusSeconds(5))
                .steps(List.of(new StepResult("a", "log", StepResult.SUCCEEDED, START, START, 0, object("k", "v"), null)))
                .build();
        store().create(e);
        Instant startedAt = START.plusMillis(250);

        Execution claimed = store().claim(e.id(), startedAt).orElseThrow();

        Execution expected = e.toBuilder().status(ExecutionStatus.RUNNING).startedAt(startedAt).build();
        assertThat(claimed).isEqualTo(expected);
        assertThat(store().get(e.id())).contains(expected);
    }

    @Test
    void secondClaimFindsNothing() {
        Execution e = queued(1, START.minusSeconds(5));
        store().create(e);
        assertThat(store().claim(e.id(), START)).isPresent();

        assertThat(store().claim(e.id(), START.plusSeconds(1))).isEmpty();

        assertThat(store().get(e.id()).orElseThrow().startedAt()).isEqualTo(START);
    }

    @ParameterizedTest
    @EnumSource(value = ExecutionStatus.class, names = {"HELD", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"})
    void onlyQueuedExecutionsCanBeClaimed(ExecutionStatus status) {
        Execution e = execution(1, START.minusSeconds(5)).status(status).build();
        store().create(e);

        assertThat(store().claim(e.id(), START)).isEmpty();

        assertThat(store().get(e.id())).contains(e);
    }

    @Test
    void unknownExecutionCannotBeClaimed() {
        assertThat(store().claim(id(404), START)).isEmpty();
    }

    @Test
    void heldExecutionIsClaimableOnceSavedAsQueued() {
        Execution held = execution(1, START.minusSeconds(5)).status(ExecutionStatus.HELD).build();
        store().create(held);

        store().save(held.toBuilder().status(ExecutionStatus.QUEUED).build());

        assertThat(store().claim(held.id(), START)).isPresent();
    }

    // ------------------------------------------------------------------ claim tokens (a lost claim answer, a redelivery)

    @Test
    void theSameAttemptRetryingItsClaimGetsItBack() {
        store().create(queued(1, START.minusSeconds(5)));
        Instant at = START.plusMillis(7);
        assertThat(store().claim(id(1), at, "msg-1#a", START.minusSeconds(900))).isPresent(); // its answer was lost

        Execution again = store().claim(id(1), at, "msg-1#a", START.minusSeconds(900)).orElseThrow();

        assertThat(again.status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(again.startedAt()).isEqualTo(at);
    }

    @Test
    void aDuplicateOfTheMessageWhileTheClaimIsFreshFindsNothingEvenAtTheSameInstant() {
        store().create(queued(1, START.minusSeconds(5)));
        assertThat(store().claim(id(1), START, "msg-1#a", START.minusSeconds(900))).isPresent();

        assertThat(store().claim(id(1), START, "msg-1#b", START.minusSeconds(900))).isEmpty();
        assertThat(store().claim(id(1), START.plusSeconds(3), "msg-1#c", START.minusSeconds(897))).isEmpty();
        assertThat(store().claim(id(1), START, "msg-2#a", START.minusSeconds(900))).isEmpty();
        assertThat(store().claim(id(1), START, null, null)).isEmpty();
    }

    @Test
    void theSameMessageDeliveredAgainAfterTheClaimantTimedOutReclaimsIt() {
        store().create(queued(1, START.minus(Duration.ofMinutes(30))));
        assertThat(store().claim(id(1), START.minus(Duration.ofMinutes(20)), "msg-1#a", null)).isPresent();

        Execution again = store().claim(id(1), START, "msg-1#b", START.minus(Duration.ofMinutes(15))).orElseThrow();

        assertThat(again.startedAt()).isEqualTo(START);
        assertThat(store().runningStartedBefore(START.minus(Duration.ofMinutes(10)), 10)).isEmpty();
        assertThat(store().claim(id(1), START.plusSeconds(1), "msg-2#c", START.minus(Duration.ofMinutes(15)))).isEmpty();
        assertThat(store().claim(id(1), START.plusSeconds(1), "msg-1#c", START.minus(Duration.ofMinutes(15))))
                .as("the new claim is fresh").isEmpty();
    }

    @Test
    void aFinishedExecutionIsNeverReclaimedByItsMessage() {
        store().create(queued(1, START.minus(Duration.ofMinutes(30))));
        Execution running = store().claim(id(1), START.minus(Duration.ofMinutes(20)), "msg-1#a", null).orElseThrow();
        store().save(running.toBuilder().end(ExecutionStatus.FAILED, START.minus(Duration.ofMinutes(19))).build());

        assertThat(store().claim(id(1), START, "msg-1#b", START.minus(Duration.ofMinutes(15)))).isEmpty();
        assertThat(store().claim(id(1), running.startedAt(), "msg-1#a", null)).isEmpty();
    }

    /**
     * Whether the store makes each conditional write atomic under concurrent requests, as DynamoDB
     * does. An emulator that evaluates two conditions before either write lands (moto's threaded
     * server takes no lock on an item) answers false, and the races below then run their contenders
     * one after another, in a shuffled order: the conditions still decide the one winner, but the
     * emulator's concurrency is not what is tested.
     */
    protected boolean atomicConditionalWrites() {
        return true;
    }

    /** Runs each task on its own thread from one start line (or in turn, see above); answers their results in task order. */
    private <T> List<T> race(List<java.util.concurrent.Callable<T>> tasks) throws Exception {
        if (!atomicConditionalWrites()) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < tasks.size(); i++) order.add(i);
            java.util.Collections.shuffle(order, new java.util.Random(tasks.size()));
            List<T> out = new ArrayList<>(java.util.Collections.nCopies(tasks.size(), (T) null));
            for (int i : order) out.set(i, tasks.get(i).call());
            return out;
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(tasks.size());
        try {
            var start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<T>> futures = new ArrayList<>();
            for (var t : tasks) futures.add(pool.submit(() -> {
                start.await(10, java.util.concurrent.TimeUnit.SECONDS);
                return t.call();
            }));
            start.countDown();
            List<T> out = new ArrayList<>();
            for (var f : futures) out.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentDeliveriesRacingOneClaimHaveExactlyOneWinner() throws Exception {
        store().create(queued(1, START.minusSeconds(5)));
        List<java.util.concurrent.Callable<Boolean>> tasks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String token = (i % 2 == 0 ? "msg-1#" : "msg-" + i + "#") + i; // copies of one message and other messages
            tasks.add(() -> store().claim(id(1), START, token, START.minusSeconds(900)).isPresent());
        }

        assertThat(race(tasks)).filteredOn(won -> won).hasSize(1);
        assertThat(store().get(id(1)).orElseThrow().status()).isEqualTo(ExecutionStatus.RUNNING);
    }

    @Test
    void aClaimRacingTheUnacknowledgedSweepEitherRunsItOrFindsItWithdrawnThenClaimsIt() throws Exception {
        store().create(queued(1, START.minus(Duration.ofMinutes(30))));
        ExecutionError why = new ExecutionError("not acknowledged to the sender", null, false);

        List<Boolean> results = race(List.of(
                () -> store().claim(id(1), START, "msg-1#a", START.minusSeconds(900)).isPresent(),
                () -> store().cancelUnacknowledged(id(1), why, START)));

        // Either the claim came first (the sweep finds it claimed), or the sweep did and the claim still wins:
        // a delivered message proves the execution was acknowledged.
        assertThat(results.get(0)).isTrue();
        assertThat(store().get(id(1)).orElseThrow().status()).isEqualTo(ExecutionStatus.RUNNING);
    }

    @Test
    void aCancelRacingAClaimOrARetryDispatchHasOneWinnerAndAReleasedOneStaysCancelled() throws Exception {
        store().create(queued(1, START));
        store().create(execution(2, START).status(ExecutionStatus.HELD).build());
        store().create(execution(3, START).status(ExecutionStatus.FAILED).endedAt(START).nextRetryAt(START.plusSeconds(60))
                .retriesRemaining(1).error(new ExecutionError("503", "push", true)).build());

        List<Boolean> claim = race(List.of(
                () -> store().claim(id(1), START, "msg-1#a", START.minusSeconds(900)).isPresent(),
                () -> store().cancel(id(1), "admin", START).isPresent()));
        List<Boolean> release = race(List.of(
                () -> store().release(id(2)),
                () -> store().cancel(id(2), "admin", START).isPresent()));
        List<Boolean> retry = race(List.of(
                () -> store().startRetry(id(3), START.plusSeconds(60)),
                () -> store().cancel(id(3), "admin", START).isPresent()));

        assertThat(List.of(claim, retry)).allSatisfy(r -> assertThat(r).containsExactlyInAnyOrder(true, false));
        // A release only makes it QUEUED again, which is still cancellable: whichever came first, it ends
        // CANCELLED and its message (if the release enqueued one) claims nothing.
        assertThat(release.get(1)).isTrue();
        assertThat(store().claim(id(2), START, "msg-2#a", START.minusSeconds(900))).isEmpty();
        assertThat(store().get(id(1)).orElseThrow().status())
                .isEqualTo(claim.get(0) ? ExecutionStatus.RUNNING : ExecutionStatus.CANCELLED);
        assertThat(store().get(id(2)).orElseThrow().status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(store().get(id(3)).orElseThrow().status())
                .isEqualTo(retry.get(0) ? ExecutionStatus.FAILED : ExecutionStatus.CANCELLED);
    }

    @Test
    void aClaimGivenBackIsQueuedAgainForTheNextDelivery() {
        Execution e = queued(1, START.minus(Duration.ofMinutes(30)));
        store().create(e);
        Instant at = START.minusSeconds(2);
        store().claim(id(1), at, "msg-1#a", null);

        assertThat(store().unclaim(id(1), "msg-1#b", at)).as("another delivery's claim").isFalse();
        assertThat(store().unclaim(id(1), "msg-1#a", at.plusMillis(1))).as("another claim").isFalse();
        assertThat(store().unclaim(id(1), "msg-1#a", at)).isTrue();

        assertThat(store().get(id(1))).contains(e);
        assertThat(store().runningStartedBefore(START, 10)).isEmpty();
        assertThat(store().unclaim(id(1), "msg-1#a", at)).isFalse();
        assertThat(store().claim(id(1), START, "msg-1#b", null)).isPresent();
    }

    // ------------------------------------------------------------------ unacknowledged (written after the sender got a 5xx)

    /** The minute's sweep at {@code at}: its watch of the recent executions, the store's clock there meanwhile. */
    private ExecutionStore.Watched sweptAt(Instant at) {
        Instant was = clock.instant();
        clock.set(at);
        try {
            return store().watchUnfinished(at);
        } finally {
            clock.set(was);
        }
    }

    @Test
    void anUnacknowledgedExecutionIsListedOnceTheSweepHasLookedAtItForTheLastTime() {
        store().create(queued(1, START.minusSeconds(90)));
        sweptAt(START.minusSeconds(60));
        sweptAt(START);

        assertThat(store().unacknowledgedBefore(START.minusSeconds(30), 10)).containsExactly(id(1));
    }

    @Test
    void aWriteThatBecameVisibleAfterASweepIsSeenByTheNextOne() {
        sweptAt(START.minusSeconds(90));
        store().create(queued(1, START.minusSeconds(100))); // queued before that sweep, written after it
        sweptAt(START.minusSeconds(30));

        assertThat(store().unacknowledgedBefore(START, 10)).containsExactly(id(1));
    }

    @Test
    void anExecutionClaimedSoonAfterItWasQueuedIsAmongTheRunningOnesOnceASweepHasSeenIt() {
        store().create(queued(1, START.minusSeconds(10)));
        store().claim(id(1), START.minusSeconds(9), "msg-1#a", null);
        sweptAt(START);

        assertThat(store().runningStartedBefore(START, 10)).extracting(Execution::id).containsExactly(id(1));
        assertThat(store().unacknowledgedBefore(START, 10)).isEmpty();
    }

    @Test
    void aSweepRacingAnotherOrAnEndedExecutionEntersNothingTwice() {
        store().create(queued(1, START.minusSeconds(100)));
        Execution running = store().claim(id(1), START.minusSeconds(99)).orElseThrow();
        store().create(queued(2, START.minusSeconds(100)));
        store().claim(id(2), START.minusSeconds(99));
        store().save(running.toBuilder().end(ExecutionStatus.SUCCEEDED, START.minusSeconds(98)).build());

        sweptAt(START);
        sweptAt(START);

        assertThat(store().runningStartedBefore(START, 10)).extracting(Execution::id).containsExactly(id(2));
        assertThat(store().get(id(1)).orElseThrow().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void unacknowledgedBeforeListsWebhookOriginalsAndSingleReplaysNeverClaimedOldestFirst() {
        Instant t = START.minus(Duration.ofMinutes(30));
        store().create(queued(2, t.plusSeconds(2)));
        store().create(queued(1, t.plusSeconds(1)));
        store().create(execution(3, t).trigger(Trigger.REPLAY).replayOf(id(90)).build());
        store().create(execution(4, t).trigger(Trigger.REPLAY).replayOf(id(91)).replayJobId("rpj_1").build());
        store().create(execution(5, t).trigger(Trigger.RETRY).retryOf(id(92)).attempt(2).build());
        store().create(execution(6, t).trigger(Trigger.SCHEDULE).build());
        store().create(execution(7, t).status(ExecutionStatus.HELD).build());
        store().release(id(7));
        store().create(queued(8, t));
        store().claim(id(8), t.plusSeconds(1));
        store().create(queued(9, START.minusSeconds(30)));
        sweptAt(t.plus(Duration.ofMinutes(2)));

        assertThat(store().unacknowledgedBefore(START.minus(Duration.ofMinutes(15)), 10))
                .containsExactly(id(3), id(1), id(2));
        assertThat(store().unacknowledgedBefore(START.minus(Duration.ofMinutes(15)), 1)).containsExactly(id(3));
    }

    @Test
    void cancelUnacknowledgedWithdrawsAQueuedExecutionOnce() {
        store().create(queued(1, START.minus(Duration.ofMinutes(30))));
        ExecutionError why = new ExecutionError("not acknowledged to the sender", null, false);

        assertThat(store().cancelUnacknowledged(id(1), why, START)).isTrue();

        Execution e = store().get(id(1)).orElseThrow();
        assertThat(e.status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(e.error()).isEqualTo(why);
        assertThat(e.endedAt()).isEqualTo(START);
        assertThat(store().unacknowledgedBefore(START, 10)).isEmpty();
        assertThat(store().cancelUnacknowledged(id(1), why, START)).isFalse();
        assertThat(store().cancelUnacknowledged(id(404), why, START)).isFalse();
    }

    @Test
    void aClaimGivenBackLeavesTheExecutionAcknowledged() {
        store().create(queued(1, START.minus(Duration.ofMinutes(30))));
        Instant at = START.minus(Duration.ofMinutes(20));
        store().claim(id(1), at, "msg-1#a", null);
        store().unclaim(id(1), "msg-1#a", at);

        assertThat(store().get(id(1)).orElseThrow().status()).isEqualTo(ExecutionStatus.QUEUED);
        assertThat(store().unacknowledgedBefore(START, 10)).isEmpty();
        assertThat(store().cancelUnacknowledged(id(1), new ExecutionError("x", null, false), START)).isFalse();
        assertThat(store().get(id(1)).orElseThrow().status()).isEqualTo(ExecutionStatus.QUEUED);
    }

    @Test
    void cancelUnacknowledgedLeavesAClaimedExecutionAlone() {
        store().create(queued(1, START.minus(Duration.ofMinutes(30))));
        store().claim(id(1), START.minusSeconds(1), "msg-1#a", null);

        assertThat(store().cancelUnacknowledged(id(1), new ExecutionError("x", null, false), START)).isFalse();

        assertThat(store().get(id(1)).orElseThrow().status()).isEqualTo(ExecutionStatus.RUNNING);
    }

    @Test
    void aWithdrawnExecutionWhoseMessageArrivesAfterAllIsClaimedAndRuns() {
        store().create(queued(1, START.minus(Duration.ofMinutes(30))));
        store().cancelUnacknowledged(id(1), new ExecutionError("not acknowledged", null, false), START.minusSeconds(10));

        Execution claimed = store().claim(id(1), START, "msg-1#a", START.minusSeconds(900)).orElseThrow();

        assertThat(claimed.status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(claimed.error()).isNull();
        assertThat(claimed.endedAt()).isNull();
        assertThat(claimed.durationMs()).isNull();
        assertThat(store().claim(id(1), START.plusSeconds(1), "msg-1#b", START.minusSeconds(900))).isEmpty();
    }

    @Test
    void anOrdinaryCancelledExecutionIsNeverClaimed() {
        store().create(execution(1, START.minus(Duration.ofMinutes(30))).status(ExecutionStatus.CANCELLED)
                .error(new ExecutionError("not enqueued", null, true)).build());

        assertThat(store().claim(id(1), START, "msg-1#a", START)).isEmpty();
    }

    // ------------------------------------------------------------------ cancel

    @Test
    void queuedAndHeldExecutionsAreCancelledOnceAndThenNeitherClaimedNorReleased() {
        store().create(queued(1, START));
        store().create(execution(2, START).status(ExecutionStatus.HELD).build());
        Instant at = START.plusSeconds(5);

        Execution q = store().cancel(id(1), "ops (key_1)", at).orElseThrow();
        Execution h = store().cancel(id(2), "admin", at).orElseThrow();

        assertThat(q.status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(q.cancelledBy()).isEqualTo("ops (key_1)");
        assertThat(q.cancelledAt()).isEqualTo(at);
        assertThat(q.endedAt()).isEqualTo(at);
        assertThat(store().get(id(2)).orElseThrow().cancelledBy()).isEqualTo("admin");
        assertThat(h.status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(store().cancel(id(1), "again", at)).as("only once").isEmpty();
        assertThat(store().claim(id(1), at, "msg-1#a", at)).isEmpty();
        assertThat(store().release(id(2))).isFalse();
        assertThat(store().listHeld(instanceId, 10, null).items()).doesNotContain(id(2));
        assertThat(store().unacknowledgedBefore(START.plusSeconds(60), 100)).doesNotContain(id(1));
    }

    @Test
    void runningFinishedAndUnknownExecutionsAreNotCancelled() {
        store().create(queued(1, START));
        store().claim(id(1), START);
        store().create(execution(2, START).status(ExecutionStatus.SUCCEEDED).endedAt(START).build());
        store().create(execution(3, START).status(ExecutionStatus.FAILED).endedAt(START).retriesRemaining(0).build());

        assertThat(store().cancel(id(1), "admin", START)).isEmpty();
        assertThat(store().cancel(id(2), "admin", START)).isEmpty();
        assertThat(store().cancel(id(3), "admin", START)).as("no retry pending").isEmpty();
        assertThat(store().cancel(id(9), "admin", START)).isEmpty();
        assertThat(store().get(id(1)).orElseThrow().status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(store().get(id(3)).orElseThrow().status()).isEqualTo(ExecutionStatus.FAILED);
    }

    @Test
    void aFailureWaitingForItsRetryIsCancelledUnlessTheRetryStartedFirst() {
        Instant due = START.plusSeconds(60);
        store().create(execution(1, START).status(ExecutionStatus.FAILED).endedAt(START).nextRetryAt(due)
                .retriesRemaining(2).error(new ExecutionError("503", "push", true)).build());
        store().create(execution(2, START).status(ExecutionStatus.FAILED).endedAt(START).nextRetryAt(due)
                .retriesRemaining(2).error(new ExecutionError("503", "push", true)).build());

        Execution cancelled = store().cancel(id(1), "admin", START.plusSeconds(5)).orElseThrow();
        assertThat(store().startRetry(id(1), due)).as("the cancel came first").isFalse();
        assertThat(cancelled.nextRetryAt()).isNull();
        assertThat(cancelled.endedAt()).as("the failure's end is kept").isEqualTo(START);
        assertThat(cancelled.error().message()).isEqualTo("503");
        assertThat(all(with(byInstance(), null, null, null, null, false, true, 100))).extracting(Execution::id)
                .doesNotContain(id(1)).contains(id(2));

        assertThat(store().startRetry(id(2), due)).isTrue();
        assertThat(store().startRetry(id(2), due)).as("a redelivered retry message").isTrue();
        assertThat(store().cancel(id(2), "admin", due)).as("the retry started first").isEmpty();
        assertThat(store().get(id(2)).orElseThrow().status()).isEqualTo(ExecutionStatus.FAILED);
    }

    // ------------------------------------------------------------------ save

    @Test
    void saveReplacesTheStoredExecution() {
        Execution e = queued(1, START.minusSeconds(5));
        store().create(e);
        Execution running = store().claim(e.id(), START).orElseThrow();
        Execution done = running.toBuilder()
                .steps(List.of(new StepResult("a", "transform", StepResult.SUCCEEDED, START, START.plusMillis(5), 5,
                        object("id", "42"), null)))
                .end(ExecutionStatus.SUCCEEDED, START.plusSeconds(2))
                .replays(List.of("exe_x"))
                .resolved(true)
                .build();

        store().save(done);

        assertThat(store().get(e.id())).contains(done);
    }

    @Test
    void savingAnUnknownExecutionIsNotFound() {
        assertThatThrownBy(() -> store().save(queued(1, START))).isInstanceOf(NotFoundException.class);
        assertThat(store().get(id(1))).isEmpty();
    }

    @Test
    void saveCanGrowAndShrinkBodyAndSteps() {
        byte[] small = "small".getBytes();
        byte[] large = new byte[150 * 1024];
        new Random(3).nextBytes(large);
        ArrayNode bigOutput = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < 5000; i++) bigOutput.add("item-" + i + "-" + "y".repeat(40));
        List<StepResult> bigSteps = List.of(new StepResult("s", "http", StepResult.SUCCEEDED, START, START, 0, bigOutput, null));
        List<StepResult> smallSteps = List.of(new StepResult("s", "http", StepResult.SUCCEEDED, START, START, 0, object("a", "b"), null));
        Execution e = execution(1, START.minusSeconds(5))
                .request(new ExecutionRequest("POST", small, Map.of(), Map.of(), "text/plain")).build();
        store().create(e);

        Execution grown = e.toBuilder().request(e.request().withBody(large)).steps(bigSteps).build();
        store().save(grown);
        assertThat(store().get(e.id())).contains(grown);

        Execution again = grown.toBuilder().status(ExecutionStatus.RUNNING).startedAt(START).build();
        store().save(again);
        assertThat(store().get(e.id())).contains(again);

        Execution shrunk = again.toBuilder().request(e.request()).steps(smallSteps).build();
        store().save(shrunk);
        assertThat(store().get(e.id())).contains(shrunk);
    }

    @Test
    void listReflectsSavedState() {
        Execution e = queued(1, START.minusSeconds(5));
        store().create(e);
        store().save(e.toBuilder().status(ExecutionStatus.FAILED).build());

        assertThat(ids(store().list(with(byInstance(), ExecutionStatus.FAILED, null, null, null, false, false, 10))))
                .containsExactly(e.id());
        assertThat(store().list(with(byInstance(), ExecutionStatus.QUEUED, null, null, null, false, false, 10)).items())
                .isEmpty();
    }

    // ------------------------------------------------------------------ expiry

    @Test
    void expiredExecutionIsNeverReturnedClaimedOrListed() {
        Execution e = execution(1, START.minusSeconds(5)).expiresAt(START.plus(Duration.ofDays(1))).build();
        Execution keeps = execution(2, START.minusSeconds(4)).expiresAt(START.plus(Duration.ofDays(3))).build();
        store().create(e);
        store().create(keeps);

        clock.set(START.plus(Duration.ofDays(1)));

        assertThat(store().get(e.id())).isEmpty();
        assertThat(store().claim(e.id(), clock.instant())).isEmpty();
        assertThat(ids(store().list(byInstance()))).containsExactly(keeps.id());
        assertThat(ids(store().list(query()))).containsExactly(keeps.id());
        assertThat(ids(store().list(new ExecutionQuery(null, customerId, null, null, null, null, null, false, false, 10, null))))
                .containsExactly(keeps.id());
    }

    @Test
    void executionIsReturnedUntilItExpires() {
        Execution e = execution(1, START.minusSeconds(5)).expiresAt(START.plusSeconds(60)).build();
        store().create(e);

        clock.set(START.plusSeconds(59));

        assertThat(store().get(e.id())).contains(e);
        assertThat(ids(store().list(byInstance()))).containsExactly(e.id());
    }

    // ------------------------------------------------------------------ list

    @Test
    void listIsNewestFirstAndItemsAreSummaries() {
        Execution older = execution(1, START.minusSeconds(60))
                .steps(List.of(new StepResult("a", "log", StepResult.SUCCEEDED, START, START, 0, object("k", "v"), null)))
                .build();
        Execution newer = queued(2, START.minusSeconds(10));
        Execution middle = queued(3, START.minusSeconds(30));
        store().create(older);
        store().create(newer);
        store().create(middle);

        Page<Execution> page = store().list(byInstance());

        assertThat(page.items()).containsExactly(summaryOf(newer), summaryOf(middle), summaryOf(older));
        assertThat(page.nextCursor()).isNull();
        page.items().forEach(e -> {
            assertThat(e.request().body()).isEmpty();
            assertThat(e.steps()).isEmpty();
        });
    }

    @Test
    void sameMillisecondIsOrderedById() {
        Instant t = START.minusSeconds(10);
        store().create(queued(1, t));
        store().create(queued(2, t));
        store().create(queued(3, t));

        assertThat(ids(store().list(byInstance()))).containsExactly(id(3), id(2), id(1));
    }

    @Test
    void listFiltersByStatus() {
        store().create(execution(1, START.minusSeconds(50)).status(ExecutionStatus.SUCCEEDED).build());
        store().create(execution(2, START.minusSeconds(40)).status(ExecutionStatus.FAILED).build());
        store().create(execution(3, START.minusSeconds(30)).status(ExecutionStatus.HELD).build());
        store().create(execution(4, START.minusSeconds(20)).status(ExecutionStatus.FAILED).build());

        assertThat(ids(store().list(with(byInstance(), ExecutionStatus.FAILED, null, null, null, false, false, 10))))
                .containsExactly(id(4), id(2));
        assertThat(ids(store().list(with(byInstance(), ExecutionStatus.HELD, null, null, null, false, false, 10))))
                .containsExactly(id(3));
    }

    @Test
    void listFiltersByTrigger() {
        store().create(execution(1, START.minusSeconds(50)).trigger(Trigger.WEBHOOK).build());
        store().create(execution(2, START.minusSeconds(40)).trigger(Trigger.SCHEDULE).build());
        store().create(execution(3, START.minusSeconds(30)).trigger(Trigger.TEST).build());
        store().create(execution(4, START.minusSeconds(20)).trigger(Trigger.SCHEDULE).build());

        assertThat(ids(store().list(with(byInstance(), null, Trigger.SCHEDULE, null, null, false, false, 10))))
                .containsExactly(id(4), id(2));
    }

    @Test
    void originalsOnlyLeavesOutRetriesAndReplays() {
        store().create(execution(1, START.minusSeconds(50)).build());
        store().create(execution(2, START.minusSeconds(40)).trigger(Trigger.RETRY).retryOf(id(1)).attempt(2).build());
        store().create(execution(3, START.minusSeconds(30)).trigger(Trigger.REPLAY).replayOf(id(1)).build());
        store().create(execution(4, START.minusSeconds(20)).build());

        assertThat(ids(store().list(with(byInstance(), null, null, null, null, true, false, 10))))
                .containsExactly(id(4), id(1));
    }

    @Test
    void unresolvedMeansFailedAndNotResolved() {
        store().create(execution(1, START.minusSeconds(60)).status(ExecutionStatus.FAILED).resolved(true).build());
        store().create(execution(2, START.minusSeconds(50)).status(ExecutionStatus.FAILED).build());
        store().create(execution(3, START.minusSeconds(40)).status(ExecutionStatus.SUCCEEDED).build());
        store().create(execution(4, START.minusSeconds(30)).status(ExecutionStatus.FAILED).retryOf(id(2)).build());
        store().create(execution(5, START.minusSeconds(20)).status(ExecutionStatus.CANCELLED).build());

        assertThat(ids(store().list(with(byInstance(), null, null, null, null, false, true, 10))))
                .containsExactly(id(4), id(2));
        assertThat(ids(store().list(with(byInstance(), null, null, null, null, true, true, 10))))
                .containsExactly(id(2));
    }

    @Test
    void sinceIsInclusiveAndUntilExclusive() {
        List<Execution> series = createSeries(6); // id(i) queued at START - (7 - i) minutes
        Instant since = series.get(1).queuedAt();
        Instant until = series.get(4).queuedAt();

        assertThat(ids(store().list(with(byInstance(), null, null, since, until, false, false, 10))))
                .containsExactly(id(4), id(3), id(2));
        assertThat(ids(store().list(with(byInstance(), null, null, since, null, false, false, 10))))
                .containsExactly(id(6), id(5), id(4), id(3), id(2));
        assertThat(ids(store().list(with(byInstance(), null, null, null, until, false, false, 10))))
                .containsExactly(id(4), id(3), id(2), id(1));
    }

    @Test
    void aWindowEndingBeforeItStartsMatchesNothingInEveryView() {
        // A bulk replay's filter: since in the future, until frozen at now.
        List<Execution> series = createSeries(3);
        store().save(series.get(0).toBuilder().end(ExecutionStatus.FAILED, START).build());
        Instant since = START.plusSeconds(3600);
        Instant until = START;
        ExecutionQuery byCustomer = new ExecutionQuery(null, customerId, null, null, null, null, null, false, false, 100, null);
        ExecutionQuery byFlowConfig = new ExecutionQuery(null, null, flowConfigId, null, null, null, null, false, false, 100, null);
        for (ExecutionQuery q : List.of(byInstance(), byCustomer, byFlowConfig, query())) {
            for (boolean unresolved : new boolean[] {false, true}) {
                ExecutionQuery window = with(q, null, null, since, until, false, unresolved, 100);
                assertThat(store().list(window).items()).as("list %s", window).isEmpty();
                assertThat(store().count(window)).as("count %s", window).isZero();
            }
        }
        assertThat(store().count(with(byInstance(), null, null, series.get(0).queuedAt(), series.get(0).queuedAt(),
                false, false, 100))).as("since = until: until is exclusive").isZero();
    }

    @Test
    void listByFlowConfig() {
        store().create(execution(1, START.minusSeconds(50)).build());
        store().create(execution(2, START.minusSeconds(40)).flowConfigId(secondFlowConfigId).build());
        store().create(execution(3, START.minusSeconds(30)).build());

        ExecutionQuery q = new ExecutionQuery(null, null, flowConfigId, null, null, null, null, false, false, 10, null);
        assertThat(ids(store().list(q))).containsExactly(id(3), id(1));
    }

    @Test
    void customerViewNeverShowsAnotherCustomersExecutions() {
        String otherCustomer = "cus_other_" + run;
        store().create(execution(1, START.minusSeconds(50)).build());
        store().create(execution(2, START.minusSeconds(40)).customerId(otherCustomer).instanceId(otherInstance)
                .flowConfigId(otherFlowConfigId).build());
        store().create(execution(3, START.minusSeconds(30)).instanceId(secondInstance).flowConfigId(flowConfigsOf(secondInstance).get(0))
                .build());

        ExecutionQuery mine = new ExecutionQuery(null, customerId, null, null, null, null, null, false, false, 10, null);
        assertThat(ids(store().list(mine))).containsExactly(id(3), id(1));
        ExecutionQuery theirsThroughMine = new ExecutionQuery(otherInstance, customerId, null, null, null, null, null,
                false, false, 10, null);
        assertThat(store().list(theirsThroughMine).items()).isEmpty();
        ExecutionQuery theirFlowThroughMine = new ExecutionQuery(null, customerId, otherFlowConfigId, null, null, null,
                null, false, false, 10, null);
        assertThat(store().list(theirFlowThroughMine).items()).isEmpty();
        ExecutionQuery mineByInstance = new ExecutionQuery(instanceId, customerId, null, null, null, null, null,
                false, false, 10, null);
        assertThat(ids(store().list(mineByInstance))).containsExactly(id(1));
    }

    @Test
    void listWithoutInstanceCustomerOrFlowConfigCoversEverythingNewestFirst() {
        store().create(execution(1, START.minus(Duration.ofDays(3))).build());
        store().create(execution(2, START.minus(Duration.ofDays(1)).minusSeconds(5)).instanceId("ins_b_" + run).build());
        store().create(execution(3, START.minus(Duration.ofHours(2))).customerId("cus_b_" + run).build());
        store().create(execution(4, START.minus(Duration.ofDays(2))).status(ExecutionStatus.FAILED).build());

        assertThat(ids(store().list(query()))).containsExactly(id(3), id(2), id(4), id(1));
        Instant since = START.minus(Duration.ofDays(2)).minusSeconds(1);
        Instant until = START.minus(Duration.ofHours(3));
        assertThat(ids(store().list(with(query(), null, null, since, until, false, false, 10))))
                .containsExactly(id(2), id(4));
        assertThat(ids(store().list(with(query(), ExecutionStatus.FAILED, null, null, null, false, false, 10))))
                .containsExactly(id(4));
    }

    @Test
    void paginationVisitsEveryItemOnceNewestFirst() {
        List<Execution> series = createSeries(23);

        List<Execution> seen = all(with(byInstance(), null, null, null, null, false, false, 5));

        assertThat(seen).extracting(Execution::id)
                .containsExactlyElementsOf(series.reversed().stream().map(Execution::id).toList());
    }

    @Test
    void paginationWithAFilterVisitsEveryMatchOnce() {
        List<String> failed = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            ExecutionStatus s = i % 3 == 0 ? ExecutionStatus.FAILED : ExecutionStatus.SUCCEEDED;
            store().create(execution(i, START.minus(Duration.ofMinutes(31 - i))).status(s).build());
            if (s == ExecutionStatus.FAILED) failed.addFirst(id(i));
        }

        List<Execution> seen = all(with(byInstance(), ExecutionStatus.FAILED, null, null, null, false, false, 4));

        assertThat(seen).extracting(Execution::id).containsExactlyElementsOf(failed);
    }

    @Test
    void anInstancesExecutionsOfAllItsFlowsAreOneListingNewestFirstPagedFilteredCountedAndDeleted() {
        List<String> newestFirst = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        List<String> inWindow = new ArrayList<>();
        Instant since = START.minus(Duration.ofMinutes(15));
        Instant until = START.minus(Duration.ofMinutes(8));
        for (int i = 1; i <= 14; i++) {
            Instant at = START.minus(Duration.ofMinutes(20 - i));
            ExecutionStatus status = i % 4 == 0 ? ExecutionStatus.FAILED : ExecutionStatus.SUCCEEDED;
            // Its two flows, not in turn: a page takes some of each.
            store().create(execution(i, at).flowConfigId(i % 3 == 0 ? secondFlowConfigId : flowConfigId).status(status).build());
            newestFirst.addFirst(id(i));
            if (status == ExecutionStatus.FAILED) failed.addFirst(id(i));
            if (!at.isBefore(since) && at.isBefore(until)) inWindow.addFirst(id(i));
            // Another instance's, in between.
            if (i % 2 == 0) {
                store().create(execution(100 + i, at.plusSeconds(30)).instanceId(otherInstance).flowConfigId(otherFlowConfigId)
                        .status(status).build());
            }
        }

        assertThat(all(with(byInstance(), null, null, null, null, false, false, 4))).extracting(Execution::id)
                .containsExactlyElementsOf(newestFirst);
        assertThat(all(with(byInstance(), ExecutionStatus.FAILED, null, null, null, false, false, 2))).extracting(Execution::id)
                .containsExactlyElementsOf(failed);
        assertThat(all(with(byInstance(), null, null, since, until, false, false, 3))).extracting(Execution::id)
                .containsExactlyElementsOf(inWindow);
        assertThat(store().count(byInstance())).isEqualTo(14);
        assertThat(store().count(with(byInstance(), ExecutionStatus.FAILED, null, null, null, false, false, 2))).isEqualTo(failed.size());

        List<String> deleted = deleteInstanceThreeAtATime();
        assertThat(deleted).containsExactlyInAnyOrderElementsOf(newestFirst);
        assertThat(all(byInstance())).isEmpty();
        assertThat(all(ExecutionQuery.forInstance(otherInstance, 100))).hasSize(7);
    }

    @Test
    void paginationAcrossDaysWithoutAnIdVisitsEveryItemOnce() {
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            // two a day over six days
            Instant t = START.minus(Duration.ofHours(12L * (13 - i)));
            store().create(execution(i, t).instanceId("ins_" + (i % 4) + "_" + run).build());
            expected.addFirst(id(i));
        }

        List<Execution> seen = all(with(query(), null, null, null, null, false, false, 5));

        assertThat(seen).extracting(Execution::id).containsExactlyElementsOf(expected);
    }

    @Test
    void pageOfExactlyTheLimitHasNoCursor() {
        createSeries(4);

        Page<Execution> page = store().list(with(byInstance(), null, null, null, null, false, false, 4));

        assertThat(page.items()).hasSize(4);
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void customerPagination() {
        for (int i = 1; i <= 9; i++) {
            store().create(execution(i, START.minus(Duration.ofMinutes(10 - i))).instanceId("ins_" + (i % 3) + "_" + run).build());
        }
        ExecutionQuery q = new ExecutionQuery(null, customerId, null, null, null, null, null, false, false, 2, null);

        assertThat(all(q)).extracting(Execution::id)
                .containsExactly(id(9), id(8), id(7), id(6), id(5), id(4), id(3), id(2), id(1));
    }

    @Test
    void cursorThatIsNotOursIsRejected() {
        createSeries(2);

        assertThatThrownBy(() -> store().list(byInstance().withCursor("not-a-cursor!")))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store().list(byInstance().withCursor("eyJmb28iOiJiYXIifQ")))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void emptyListHasNoCursor() {
        Page<Execution> page = store().list(byInstance());
        assertThat(page.items()).isEmpty();
        assertThat(page.nextCursor()).isNull();
    }

    // ------------------------------------------------------------------ held: listHeld / release

    /** Every id listHeld returns for this test's instance, following cursors. */
    private List<String> allHeld(int limit) {
        List<String> out = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; ; pages++) {
            assertThat(pages).as("pages").isLessThan(1000);
            Page<String> page = store().listHeld(instanceId, limit, cursor);
            out.addAll(page.items());
            cursor = page.nextCursor();
            if (cursor == null) return out;
        }
    }

    @Test
    void listHeldIsTheInstancesHeldExecutionsOldestFirst() {
        store().create(execution(3, START.minusSeconds(10)).status(ExecutionStatus.HELD).build());
        store().create(execution(1, START.minusSeconds(30)).status(ExecutionStatus.HELD).build());
        store().create(execution(2, START.minusSeconds(20)).build());
        store().create(execution(4, START.minusSeconds(5)).status(ExecutionStatus.HELD).instanceId(instanceId + "_other").build());
        Execution saved = execution(5, START.minusSeconds(1)).build();
        store().create(saved);
        store().save(saved.toBuilder().status(ExecutionStatus.HELD).build());

        assertThat(allHeld(100)).containsExactly(id(1), id(3), id(5));
        assertThat(allHeld(1)).containsExactly(id(1), id(3), id(5));
    }

    @Test
    void listHeldLeavesOutExpiredAndNoLongerHeldExecutions() {
        store().create(execution(1, START.minusSeconds(30)).status(ExecutionStatus.HELD).expiresAt(START.plusSeconds(60)).build());
        Execution held = execution(2, START.minusSeconds(20)).status(ExecutionStatus.HELD).build();
        store().create(held);
        store().save(held.toBuilder().status(ExecutionStatus.CANCELLED).build());
        store().create(execution(3, START.minusSeconds(10)).status(ExecutionStatus.HELD).build());

        clock.advance(Duration.ofSeconds(61));

        assertThat(allHeld(100)).containsExactly(id(3));
    }

    @Test
    void releaseMovesHeldToQueuedOnce() {
        Execution held = execution(1, START.minusSeconds(5)).status(ExecutionStatus.HELD).build();
        store().create(held);

        assertThat(store().release(held.id())).isTrue();
        assertThat(store().release(held.id())).isFalse();

        assertThat(store().get(held.id()).orElseThrow().status()).isEqualTo(ExecutionStatus.QUEUED);
        assertThat(allHeld(100)).isEmpty();
        assertThat(store().claim(held.id(), START)).isPresent();
    }

    @ParameterizedTest
    @EnumSource(value = ExecutionStatus.class, names = {"QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"})
    void onlyHeldExecutionsAreReleased(ExecutionStatus status) {
        Execution e = execution(1, START.minusSeconds(5)).status(status).build();
        store().create(e);

        assertThat(store().release(e.id())).isFalse();
        assertThat(store().release(id(404))).isFalse();
        assertThat(store().get(e.id()).orElseThrow().status()).isEqualTo(status);
    }

    @Test
    void expiredHeldExecutionIsNotReleased() {
        store().create(execution(1, START.minusSeconds(5)).status(ExecutionStatus.HELD).expiresAt(START.plusSeconds(1)).build());
        clock.advance(Duration.ofSeconds(2));

        assertThat(store().release(id(1))).isFalse();
    }

    // ------------------------------------------------------------------ running executions (monitor sweep)

    @Test
    void runningStartedBeforeListsOnlyRunningOnesStartedBeforeTheCutoffOldestFirst() {
        Instant t = START.minus(Duration.ofMinutes(30));
        store().create(queued(1, t));
        store().create(queued(2, t));
        store().create(queued(3, t));
        store().create(queued(4, t));
        store().claim(id(2), START.minus(Duration.ofMinutes(20)));
        store().claim(id(1), START.minus(Duration.ofMinutes(25)));
        store().claim(id(3), START.minus(Duration.ofMinutes(1)));
        store().create(execution(5, t).status(ExecutionStatus.RUNNING).startedAt(START.minus(Duration.ofMinutes(22))).build());

        List<Execution> found = store().runningStartedBefore(START.minus(Duration.ofMinutes(10)), 10);

        assertThat(found).extracting(Execution::id).containsExactly(id(1), id(5), id(2));
        assertThat(found.get(0).instanceId()).isEqualTo(instanceId);
        assertThat(found.get(0).customerId()).isEqualTo(customerId);
        assertThat(found.get(0).flowConfigId()).isEqualTo(flowConfigId);
        assertThat(found.get(0).startedAt()).isEqualTo(START.minus(Duration.ofMinutes(25)));
        assertThat(store().runningStartedBefore(START.minus(Duration.ofMinutes(10)), 2)).extracting(Execution::id)
                .containsExactly(id(1), id(5));
    }

    @Test
    void everyKindOfExecutionIsAmongTheRunningOnesOnceClaimedWhateverItsTrigger() {
        Instant t = START.minus(Duration.ofMinutes(30));
        store().create(execution(1, t).trigger(Trigger.SCHEDULE).build());
        store().create(execution(2, t).trigger(Trigger.RETRY).retryOf(id(90)).attempt(2).build());
        store().create(execution(3, t).status(ExecutionStatus.HELD).build());
        store().release(id(3));
        store().create(queued(4, t));
        Instant at = START.minus(Duration.ofMinutes(28));
        for (int n = 1; n <= 4; n++) store().claim(id(n), at.plusSeconds(n), "msg-" + n + "#a", null);
        store().unclaim(id(4), "msg-4#a", at.plusSeconds(4));
        store().claim(id(4), at.plusSeconds(5), "msg-4#b", null);

        assertThat(store().runningStartedBefore(START.minus(Duration.ofMinutes(10)), 10)).extracting(Execution::id)
                .containsExactly(id(1), id(2), id(3), id(4));
        assertThat(store().unacknowledgedBefore(START, 10)).isEmpty();
    }

    @Test
    void anExecutionLeavesTheRunningOnesWhenItIsSavedFinished() {
        Instant t = START.minus(Duration.ofMinutes(30));
        store().create(queued(1, t));
        Execution running = store().claim(id(1), t).orElseThrow();

        store().save(running.toBuilder().end(ExecutionStatus.FAILED, START).build());

        assertThat(store().runningStartedBefore(START, 10)).isEmpty();
    }

    // ------------------------------------------------------------------ deletion

    @Test
    void deleteForInstanceDeletesOnlyThatInstancesExecutionsAPageAtATime() {
        List<Execution> mine = createSeries(7);
        store().save(mine.get(0).toBuilder().status(ExecutionStatus.HELD).build());
        store().save(mine.get(1).toBuilder().status(ExecutionStatus.FAILED).startedAt(START).endedAt(START).build());
        Execution running = store().claim(mine.get(2).id(), START).orElseThrow();
        Execution expired = execution(8, START.minus(Duration.ofDays(20))).expiresAt(START.minus(Duration.ofDays(6))).build();
        store().create(expired);
        Execution others = execution(9, START.minus(Duration.ofMinutes(3))).instanceId(otherInstance)
                .flowConfigId(otherFlowConfigId).build();
        store().create(others);

        List<String> deleted = deleteInstanceThreeAtATime();

        assertThat(deleted).containsAll(mine.stream().map(Execution::id).toList()).contains(expired.id())
                .doesNotContain(others.id());
        for (Execution e : mine) assertThat(store().get(e.id())).isEmpty();
        assertThat(store().listHeld(instanceId, 10, null).items()).isEmpty();
        assertThat(store().runningStartedBefore(START.plusSeconds(1), 10)).extracting(Execution::id).doesNotContain(running.id());
        assertThat(all(byInstance())).isEmpty();
        assertThat(store().get(others.id())).isPresent();
        assertThat(store().deleteForInstance(instanceId, 3, null)).isEqualTo(new Page<>(List.of(), null));
    }

    @Test
    void deleteRemovesOneExecutionAndIsIdempotent() {
        List<Execution> mine = createSeries(2);

        store().delete(mine.get(0).id());
        store().delete(mine.get(0).id());

        assertThat(store().get(mine.get(0).id())).isEmpty();
        assertThat(all(byInstance())).extracting(Execution::id).containsExactly(mine.get(1).id());
    }
}

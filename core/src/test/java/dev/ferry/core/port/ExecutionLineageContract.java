package dev.ferry.core.port;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.fakes.MutableClock;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionError;
import dev.ferry.core.model.ExecutionQuery;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The lineage and bulk-replay operations every {@link ExecutionStore} offers: resolving, replays
 * linked to their original exactly once, full reads by id, counts, and the "failed originals still
 * needing attention" listing across all instances.
 */
public abstract class ExecutionLineageContract {
    protected static final Instant START = Instant.parse("2025-06-02T10:00:00Z");
    protected final MutableClock clock = new MutableClock(START);
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    protected abstract ExecutionStore store();

    /**
     * The flow configs of the instance these tests list by, as an instance store would answer (a store
     * that reads an instance's executions through its flow configs is given this).
     */
    protected List<String> flowConfigsOf(String instance) {
        return instance.equals("ins_" + run) ? List.of("flc_" + run) : List.of();
    }

    protected String id(int n) {
        return String.format("exe_%s_%04d", run, n);
    }

    private Execution.Builder failed(int n, String instanceId) {
        Instant at = START.minus(Duration.ofMinutes(100 - n));
        return Execution.builder().id(id(n)).instanceId(instanceId).customerId("cus_" + run).flowConfigId("flc_" + run)
                .flow("Push").trigger(Trigger.WEBHOOK).status(ExecutionStatus.FAILED).queuedAt(at).startedAt(at)
                .endedAt(at.plusSeconds(1)).error(new ExecutionError("HTTP 500", "push", true)).attempt(1)
                .integrationVersion(1)
                .request(new ExecutionRequest("POST", ("{\"n\":" + n + "}").getBytes(), Map.of("x-n", "" + n), Map.of(),
                        "application/json"))
                .expiresAt(at.plus(Duration.ofDays(14)));
    }

    private Execution replay(int n, Execution of, String id) {
        return Execution.builder().id(id).instanceId(of.instanceId()).customerId(of.customerId())
                .flowConfigId(of.flowConfigId()).flow(of.flow()).trigger(Trigger.REPLAY).status(ExecutionStatus.QUEUED)
                .queuedAt(START.plusSeconds(n)).attempt(1).replayOf(of.originalId()).integrationVersion(2)
                .request(of.request()).replayJobId("rpj_" + run).expiresAt(START.plus(Duration.ofDays(14))).build();
    }

    private ExecutionQuery unresolvedOriginals(String instanceId) {
        return new ExecutionQuery(instanceId, null, null, null, null, null, null, true, true, 100, null);
    }

    private List<String> ids(ExecutionQuery q) {
        List<String> out = new ArrayList<>();
        String cursor = null;
        do {
            var page = store().list(q.withCursor(cursor));
            page.items().forEach(e -> out.add(e.id()));
            cursor = page.nextCursor();
        } while (cursor != null);
        return out;
    }

    @Test
    void resolvedOriginalLeavesTheUnresolvedListing() {
        store().create(failed(1, "ins_" + run).build());
        store().create(failed(2, "ins_" + run).build());

        store().markResolved(id(1));
        store().markResolved("exe_missing_" + run);

        assertThat(store().get(id(1)).orElseThrow().resolved()).isTrue();
        assertThat(ids(unresolvedOriginals("ins_" + run))).containsExactly(id(2));
        assertThat(ids(unresolvedOriginals(null))).containsExactly(id(2));
    }

    @Test
    void unresolvedListingAcrossInstancesLeavesOutRetriesSuccessesAndOtherStates() {
        store().create(failed(1, "ins_a_" + run).build());
        store().create(failed(2, "ins_b_" + run).build());
        store().create(failed(3, "ins_a_" + run).status(ExecutionStatus.SUCCEEDED).error(null).build());
        store().create(failed(4, "ins_a_" + run).trigger(Trigger.RETRY).retryOf(id(1)).attempt(2).build());
        store().create(failed(5, "ins_b_" + run).status(ExecutionStatus.CANCELLED).build());

        assertThat(ids(unresolvedOriginals(null))).containsExactly(id(2), id(1));
        var unresolvedAll = new ExecutionQuery(null, "cus_" + run, null, null, null, null, null, false, true, 100, null);
        assertThat(ids(unresolvedAll)).containsExactly(id(4), id(2), id(1));
        var since = new ExecutionQuery(null, null, null, null, null, START.minus(Duration.ofMinutes(98)), null, true,
                true, 1, null);
        assertThat(ids(since)).containsExactly(id(2));
    }

    @Test
    void replaysOfAChunkAreCreatedOnlyOnce() {
        Execution o1 = failed(1, "ins_" + run).build();
        Execution o2 = failed(2, "ins_" + run).build();
        Execution retryOfO2 = failed(3, "ins_" + run).trigger(Trigger.RETRY).retryOf(o2.id()).attempt(2).build();
        List<Execution> replays = List.of(replay(1, o1, id(11)), replay(2, o2, id(12)), replay(3, retryOfO2, id(13)));

        assertThat(store().createReplays(replays)).containsExactlyInAnyOrder(id(11), id(12), id(13));
        store().claim(id(12), START.plusSeconds(5));
        assertThat(store().createReplays(replays)).isEmpty();

        assertThat(store().get(id(12)).orElseThrow().status()).as("not overwritten").isEqualTo(ExecutionStatus.RUNNING);
        Execution stored = store().get(id(13)).orElseThrow();
        assertThat(stored.replayOf()).isEqualTo(o2.id());
        assertThat(stored.replayJobId()).isEqualTo("rpj_" + run);
        assertThat(stored.request()).isEqualTo(retryOfO2.request());
        assertThat(stored.status()).isEqualTo(ExecutionStatus.QUEUED);
    }

    @Test
    void linkingAReplayListsItOnItsOriginalAndCanResolveIt() {
        Execution o = failed(1, "ins_" + run).build();
        store().create(o);

        store().linkReplay(o.id(), id(11), false);
        store().linkReplay(o.id(), id(12), true);
        store().linkReplay("exe_missing_" + run, id(13), true);

        Execution stored = store().get(o.id()).orElseThrow();
        assertThat(stored.replays()).containsExactly(id(11), id(12));
        assertThat(stored.resolved()).isTrue();
        assertThat(ids(unresolvedOriginals(null))).doesNotContain(o.id());
        assertThat(store().get("exe_missing_" + run)).isEmpty();
    }

    @Test
    void getAllReturnsFullExecutionsAndLeavesOutUnknownOnes() {
        for (int n = 1; n <= 30; n++) store().create(failed(n, "ins_" + run).build());
        List<String> wanted = new ArrayList<>();
        for (int n = 1; n <= 30; n++) wanted.add(id(n));
        wanted.add("exe_missing_" + run);

        List<Execution> found = store().getAll(wanted);

        assertThat(found).hasSize(30);
        assertThat(found).allSatisfy(e -> assertThat(new String(e.request().body())).startsWith("{\"n\":"));
    }

    @Test
    void countMatchesWhatTheListingReturns() {
        for (int n = 1; n <= 120; n++) {
            Execution.Builder b = failed(n, "ins_" + run);
            if (n % 3 == 0) b.status(ExecutionStatus.SUCCEEDED).error(null);
            store().create(b.build());
        }
        var failedOnes = new ExecutionQuery("ins_" + run, null, null, ExecutionStatus.FAILED, null, null, null, false,
                false, 100, null);

        assertThat(store().count(failedOnes)).isEqualTo(80);
        assertThat(store().count(unresolvedOriginals(null))).isEqualTo(80);
        assertThat(store().count(unresolvedOriginals("ins_other_" + run))).isZero();
    }
}

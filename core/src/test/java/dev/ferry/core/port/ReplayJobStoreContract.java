package dev.ferry.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.error.ConflictException;
import dev.ferry.core.fakes.MutableClock;
import dev.ferry.core.model.ExecutionQuery;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.Page;
import dev.ferry.core.model.ReplayJob;
import dev.ferry.core.model.ReplayJobKind;
import dev.ferry.core.model.ReplayJobStatus;
import dev.ferry.core.model.Trigger;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link ReplayJobStore} does. Subclasses build the store with {@link #clock}. */
public abstract class ReplayJobStoreContract {
    protected static final Instant START = Instant.parse("2026-11-26T10:00:00Z");
    protected final MutableClock clock = new MutableClock(START);
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    protected abstract ReplayJobStore store();

    private ReplayJob job(String id) {
        ExecutionQuery filter = new ExecutionQuery("ins_1", "cus_1", "flc_1", ExecutionStatus.FAILED, Trigger.WEBHOOK,
                START.minusSeconds(3600), START, true, true, 100, null);
        return new ReplayJob(id, "after the outage", filter, new BigDecimal("2.5"), ReplayJobStatus.RUNNING, 250,
                0, 0, 0, 0, 0, null, START, START, START.plus(Duration.ofDays(14)));
    }

    @Test
    void aCancellationReadsBackWithItsKindAndCreatorAndListsApartFromReplaysNewestFirst() {
        ReplayJob replay = job("rpj_" + run);
        store().create(replay);
        java.util.List<String> created = new java.util.ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            ReplayJob j = job("cnj_" + run + "_" + i);
            ReplayJob c = new ReplayJob(j.id(), j.name(), j.filter(), null, j.status(), 3, 0, 0, 0, 0, 0, null,
                    START.plusSeconds(i), START.plusSeconds(i), j.expiresAt(), ReplayJobKind.CANCEL, "ops (key_1)");
            store().create(c);
            created.add(0, c.id());
        }
        assertThat(store().get("cnj_" + run + "_2")).hasValueSatisfying(c -> {
            assertThat(c.kind()).isEqualTo(ReplayJobKind.CANCEL);
            assertThat(c.createdBy()).isEqualTo("ops (key_1)");
        });
        assertThat(store().get(replay.id()).orElseThrow().kind()).isEqualTo(ReplayJobKind.REPLAY);

        java.util.List<String> listed = new java.util.ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Page<ReplayJob> page = store().list(ReplayJobKind.CANCEL, 2, cursor);
            assertThat(page.items().size()).isLessThanOrEqualTo(2);
            page.items().forEach(j -> listed.add(j.id()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(listed.stream().filter(id -> id.contains(run)).toList()).isEqualTo(created);
        assertThat(store().list(ReplayJobKind.REPLAY, 100, null).items()).extracting(ReplayJob::id)
                .contains(replay.id()).doesNotContainAnyElementsOf(created);
    }

    @Test
    void createdJobReadsBackWhole() {
        ReplayJob job = job("rpj_" + run);
        store().create(job);

        assertThat(store().get(job.id())).contains(job);
        assertThat(store().get("rpj_missing_" + run)).isEmpty();
        assertThatThrownBy(() -> store().create(job)).isInstanceOf(ConflictException.class);
    }

    @Test
    void checkpointAdvancesOnlyFromTheChunkItWasComputedFrom() {
        ReplayJob job = job("rpj_" + run);
        store().create(job);
        ReplayJob first = job.advanced(100, 1, "cursor-1", false, START.plusSeconds(1));
        assertThat(store().lease(job.id(), "w1", START.plusSeconds(600), START)).isTrue();

        assertThat(store().checkpoint(job, first, "w1")).isTrue();
        assertThat(store().checkpoint(job, first, "w1")).as("the same chunk twice").isFalse();
        ReplayJob done = first.advanced(149, 0, null, true, START.plusSeconds(2));
        assertThat(store().checkpoint(first, done, "w1")).isTrue();

        ReplayJob stored = store().get(job.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(ReplayJobStatus.COMPLETED);
        assertThat(stored.dispatched()).isEqualTo(249);
        assertThat(stored.skipped()).isEqualTo(1);
        assertThat(stored.chunk()).isEqualTo(2);
        assertThat(stored.cursor()).isNull();
        assertThat(store().checkpoint(done, done.advanced(1, 0, null, true, START), "w1")).isFalse();
    }

    @Test
    void cancelStopsFurtherCheckpointsAndLeavesAnEndedJobAsItWas() {
        ReplayJob job = job("rpj_" + run);
        store().create(job);

        store().lease(job.id(), "w1", START.plusSeconds(600), START);
        assertThat(store().cancel(job.id(), START.plusSeconds(5)).orElseThrow().status()).isEqualTo(ReplayJobStatus.CANCELLED);
        assertThat(store().lease(job.id(), "w2", START.plusSeconds(600), START.plusSeconds(700))).isFalse();
        assertThat(store().checkpoint(job, job.advanced(100, 0, "c", false, START), "w1")).isFalse();
        assertThat(store().cancel(job.id(), START.plusSeconds(6)).orElseThrow().status()).isEqualTo(ReplayJobStatus.CANCELLED);
        assertThat(store().cancel("rpj_missing_" + run, START)).isEmpty();

        ReplayJob other = job("rpj_done_" + run);
        store().create(other);
        store().lease(other.id(), "w1", START.plusSeconds(600), START);
        store().checkpoint(other, other.advanced(250, 0, null, true, START), "w1");
        assertThat(store().cancel(other.id(), START).orElseThrow().status()).isEqualTo(ReplayJobStatus.COMPLETED);
    }

    @Test
    void onlyOneWorkerHoldsTheJobUntilItsLeaseEnds() {
        ReplayJob job = job("rpj_" + run);
        store().create(job);

        assertThat(store().lease(job.id(), "w1", START.plusSeconds(600), START)).isTrue();
        assertThat(store().lease(job.id(), "w2", START.plusSeconds(900), START.plusSeconds(10))).isFalse();
        assertThat(store().lease(job.id(), "w1", START.plusSeconds(900), START.plusSeconds(10))).as("renewal").isTrue();
        assertThat(store().checkpoint(job, job.advanced(100, 0, "c", false, START), "w2")).isFalse();
        assertThat(store().lease(job.id(), "w2", START.plusSeconds(1800), START.plusSeconds(901))).as("expired").isTrue();
        assertThat(store().checkpoint(job, job.advanced(100, 0, "c", false, START), "w1")).isFalse();
        assertThat(store().checkpoint(job, job.advanced(100, 0, "c", false, START), "w2")).isTrue();
        assertThat(store().lease("rpj_missing_" + run, "w1", START, START)).isFalse();
    }

    @Test
    void outcomesAreCountedAndKeptAcrossCheckpoints() {
        ReplayJob job = job("rpj_" + run);
        store().create(job);
        store().recordOutcome(job.id(), true);
        store().recordOutcome(job.id(), true);
        store().recordOutcome(job.id(), false);
        store().lease(job.id(), "w1", START.plusSeconds(600), START);
        store().checkpoint(job, job.advanced(100, 0, "c", false, START), "w1");
        store().recordOutcome("rpj_missing_" + run, true);

        ReplayJob stored = store().get(job.id()).orElseThrow();
        assertThat(stored.succeeded()).isEqualTo(2);
        assertThat(stored.failed()).isEqualTo(1);
        assertThat(stored.dispatched()).isEqualTo(100);
    }

    @Test
    void jobPastItsExpiryIsNotReturned() {
        ReplayJob job = job("rpj_" + run);
        store().create(job);
        clock.advance(Duration.ofDays(15));

        assertThat(store().get(job.id())).isEmpty();
    }
}

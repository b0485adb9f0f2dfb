package dev.ferry.core.fakes;

import dev.ferry.core.error.ConflictException;
import dev.ferry.core.model.Page;
import dev.ferry.core.model.ReplayJob;
import dev.ferry.core.model.ReplayJobKind;
import dev.ferry.core.model.ReplayJobStatus;
import dev.ferry.core.port.ReplayJobStore;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Replay jobs in memory with the adapter's conditions. Thread-safe. */
public final class InMemoryReplayJobStore implements ReplayJobStore {
    private final Clock clock;
    private final Map<String, ReplayJob> jobs = new HashMap<>();
    private final Map<String, String> leaseOwner = new HashMap<>();
    private final Map<String, Instant> leaseUntil = new HashMap<>();

    public InMemoryReplayJobStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void create(ReplayJob job) {
        if (jobs.containsKey(job.id())) throw new ConflictException("replay job '" + job.id() + "' already exists");
        jobs.put(job.id(), job);
    }

    @Override
    public synchronized Optional<ReplayJob> get(String id) {
        ReplayJob j = jobs.get(id);
        return j == null || expired(j) ? Optional.empty() : Optional.of(j);
    }

    @Override
    public synchronized boolean lease(String id, String owner, Instant until, Instant now) {
        ReplayJob stored = jobs.get(id);
        if (stored == null || stored.status() != ReplayJobStatus.RUNNING) return false;
        String holder = leaseOwner.get(id);
        if (holder != null && !holder.equals(owner) && leaseUntil.get(id).isAfter(now)) return false;
        leaseOwner.put(id, owner);
        leaseUntil.put(id, until);
        return true;
    }

    @Override
    public synchronized boolean checkpoint(ReplayJob job, ReplayJob next, String owner) {
        ReplayJob stored = jobs.get(job.id());
        if (stored == null || stored.status() != ReplayJobStatus.RUNNING || stored.chunk() != job.chunk()
                || !owner.equals(leaseOwner.get(job.id()))) return false;
        jobs.put(job.id(), next.withOutcomes(stored.succeeded(), stored.failed()));
        return true;
    }

    @Override
    public synchronized Optional<ReplayJob> cancel(String id, Instant at) {
        ReplayJob j = jobs.get(id);
        if (j == null || expired(j)) return Optional.empty();
        if (j.status() == ReplayJobStatus.RUNNING) jobs.put(id, j = j.withStatus(ReplayJobStatus.CANCELLED, at));
        return Optional.of(j);
    }

    @Override
    public synchronized void recordOutcome(String id, boolean succeeded) {
        ReplayJob j = jobs.get(id);
        if (j == null) return;
        jobs.put(id, j.withOutcomes(j.succeeded() + (succeeded ? 1 : 0), j.failed() + (succeeded ? 0 : 1)));
    }

    @Override
    public synchronized Page<ReplayJob> list(ReplayJobKind kind, int limit, String cursor) {
        java.util.TreeMap<String, ReplayJob> newestFirst = new java.util.TreeMap<>();
        jobs.values().stream().filter(j -> j.kind() == kind && !expired(j))
                .forEach(j -> newestFirst.put(newestFirstKey(j), j));
        return Sorting.page(newestFirst, limit, cursor);
    }

    /** Sorts newest {@code createdAt} first, then by id. */
    private static String newestFirstKey(ReplayJob j) {
        return String.format("%020d", Long.MAX_VALUE - j.createdAt().toEpochMilli()) + "#" + j.id();
    }

    private boolean expired(ReplayJob j) {
        return j.expiresAt() != null && !clock.instant().isBefore(j.expiresAt());
    }

    /** Every job, by id (for assertions). */
    public synchronized java.util.SortedMap<String, ReplayJob> all() {
        return new java.util.TreeMap<>(jobs);
    }
}

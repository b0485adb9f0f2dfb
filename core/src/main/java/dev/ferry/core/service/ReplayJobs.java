package dev.ferry.core.service;

import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.log.Log;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionQuery;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.Page;
import dev.ferry.core.model.ReplayJob;
import dev.ferry.core.model.ReplayJobKind;
import dev.ferry.core.model.ReplayJobStatus;
import dev.ferry.core.port.ExecutionQueue;
import dev.ferry.core.port.ExecutionStore;
import dev.ferry.core.port.IdGenerator;
import dev.ferry.core.port.InstanceStore;
import dev.ferry.core.port.ReplayJobQueue;
import dev.ferry.core.port.ReplayJobStore;
import dev.ferry.core.port.Sleeper;
import dev.ferry.core.port.Metrics;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Bulk replay jobs ({@code POST /replays}; docs/architecture.md, "Bulk replay"). Starting one counts the matches (a dry
 * run stops there), stores the job and queues it for its worker. The worker (ReplayFunction on the
 * replay job queue) first leases the job (one conditional update: no second worker can run it at
 * the same time), then goes through the matches a chunk at a time — one Query page, one
 * BatchGetItem for the request bodies, one BatchGetItem for which replays exist already, BatchWriteItem
 * of the new ones, SendMessageBatch to the execution queue — and checkpoints the job after each chunk
 * (conditional on the chunk number and its lease). Each replay's id is derived from the job and the
 * replayed execution ({@code <execution>_<job>}) and only written when absent, so a re-delivered job
 * message replays nothing twice. A cancelled job stops after the chunk in flight. Near its deadline
 * the worker queues the job again (its lease ends at that deadline) to carry on in a new invocation.
 * Replays are linked to their originals (and resolve them) when they run.
 *
 * <p>A bulk cancellation ({@code POST /cancellations}) is the same job of kind CANCEL: the same
 * lease, chunks, checkpoints and cancel, but each match still QUEUED, HELD or waiting for a retry is
 * cancelled ({@link Cancellations}) instead of replayed.
 */
public final class ReplayJobs {
    /** Executions per chunk (one Query page, one checkpoint). */
    public static final int CHUNK = 100;
    public static final BigDecimal MAX_RATE = BigDecimal.valueOf(1000);

    private final ReplayJobStore jobs;
    private final ReplayJobQueue jobQueue;
    private final ExecutionStore executions;
    private final InstanceStore instances;
    private final ExecutionQueue queue;
    private final IdGenerator ids;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Settings settings;
    private final ReplayService replays;
    private final Metrics metrics;
    private final Cancellations cancellations;

    public ReplayJobs(ReplayJobStore jobs, ReplayJobQueue jobQueue, ExecutionStore executions, InstanceStore instances,
                      ExecutionQueue queue, IdGenerator ids, Clock clock, Sleeper sleeper, Settings settings,
                      ReplayService replays, Metrics metrics, Cancellations cancellations) {
        this.jobs = jobs;
        this.jobQueue = jobQueue;
        this.executions = executions;
        this.instances = instances;
        this.queue = queue;
        this.ids = ids;
        this.clock = clock;
        this.sleeper = sleeper;
        this.settings = settings;
        this.replays = replays;
        this.metrics = metrics;
        this.cancellations = cancellations;
    }

    /**
     * Starts a job replaying every execution matching {@code filter} (queued before now), or with
     * {@code dryRun} only counts them (the answer then has no id and nothing is written).
     */
    public ReplayJob start(ExecutionQuery filter, String name, BigDecimal ratePerSecond, boolean dryRun) {
        return start(ReplayJobKind.REPLAY, filter, name, ratePerSecond, dryRun, null);
    }

    /**
     * Starts a bulk job of {@code kind} over every execution matching {@code filter} (queued before
     * now) for {@code createdBy}, or with {@code dryRun} only counts the matches. A cancellation
     * cancels each match that is still QUEUED, HELD or waiting for a retry (as {@link Cancellations}
     * does one) and counts the others as skipped.
     */
    public ReplayJob start(ReplayJobKind kind, ExecutionQuery filter, String name, BigDecimal ratePerSecond,
                           boolean dryRun, String createdBy) {
        Instant now = clock.instant();
        Instant until = filter.until() == null || filter.until().isAfter(now) ? now : filter.until();
        ExecutionQuery frozen = new ExecutionQuery(filter.instanceId(), filter.customerId(), filter.flowConfigId(),
                filter.status(), filter.trigger(), filter.since(), until, filter.originalsOnly(), filter.unresolved(),
                CHUNK, null);
        long matched = executions.count(frozen);
        boolean cancel = kind == ReplayJobKind.CANCEL;
        String shownName = name != null ? name : (cancel ? "bulk cancel " : "bulk replay ") + now;
        if (dryRun) {
            return new ReplayJob(null, shownName, frozen, ratePerSecond, ReplayJobStatus.COMPLETED, matched,
                    0, 0, 0, 0, 0, null, now, now, null, kind, createdBy);
        }
        ReplayJob job = new ReplayJob(ids.newId(cancel ? "cnj" : "rpj"), shownName, frozen, ratePerSecond,
                matched == 0 ? ReplayJobStatus.COMPLETED : ReplayJobStatus.RUNNING, matched, 0, 0, 0, 0, 0, null,
                now, now, now.plus(Duration.ofDays(settings.retentionDays())), kind, createdBy);
        jobs.create(job);
        if (matched > 0) jobQueue.enqueue(job.id());
        return job;
    }

    public ReplayJob get(String id) {
        return jobs.get(id).orElseThrow(() -> new NotFoundException("replay job", id));
    }

    /** A job of this kind; 404 for an unknown id or a job of the other kind. */
    public ReplayJob get(ReplayJobKind kind, String id) {
        return jobs.get(id).filter(j -> j.kind() == kind).orElseThrow(() -> new NotFoundException(noun(kind), id));
    }

    /** Jobs of one kind, newest first. */
    public Page<ReplayJob> list(ReplayJobKind kind, int limit, String cursor) {
        return jobs.list(kind, limit, cursor);
    }

    static String noun(ReplayJobKind kind) {
        return kind == ReplayJobKind.CANCEL ? "cancellation" : "replay job";
    }

    /** Cancels a running job (the chunk in flight finishes); a job that already ended is answered as it is. */
    public ReplayJob cancel(String id) {
        return jobs.cancel(id, clock.instant())
                .orElseThrow(() -> new NotFoundException("replay job", id));
    }

    /** Stops a running job of this kind (the chunk in flight finishes); 404 for the other kind. */
    public ReplayJob cancel(ReplayJobKind kind, String id) {
        get(kind, id);
        return cancel(id);
    }

    /** Counts a finished replay of a job (called by the runner for executions with a replayJobId). */
    public void recordOutcome(Execution finished) {
        if (finished.replayJobId() == null || !finished.status().terminal()) return;
        try {
            jobs.recordOutcome(finished.replayJobId(), finished.status() == ExecutionStatus.SUCCEEDED);
        } catch (RuntimeException e) {
            // Progress counts are informative; the execution's own record is what matters.
            Log.warn("could not count a replay outcome", "executionId", finished.id(), "replayJobId", finished.replayJobId());
        }
    }

    /**
     * Works on the job until it is done or cancelled, or {@code deadline} passes — then queues it
     * again so the next invocation goes on from the last checkpoint. Returns the job as last seen.
     */
    public Optional<ReplayJob> work(String jobId, Instant deadline) {
        Optional<ReplayJob> found = jobs.get(jobId);
        if (found.isEmpty() || found.get().status() != ReplayJobStatus.RUNNING) return found;
        ReplayJob job = found.get();
        String owner = ids.newToken();
        if (!jobs.lease(jobId, owner, deadline, clock.instant())) return found;
        int chunk = chunkSize(job.ratePerSecond());
        Instant started = clock.instant();
        long handled = 0;
        // Instances are read once per invocation: a pause seen late is still honoured, as the runner
        // holds a queued replay of a paused instance.
        Map<String, Optional<Instance>> instances = new HashMap<>();
        while (true) {
            if (!clock.instant().isBefore(deadline)) {
                jobQueue.enqueue(jobId);
                return Optional.of(job);
            }
            ExecutionQuery f = job.filter();
            Page<Execution> page = executions.list(new ExecutionQuery(f.instanceId(), f.customerId(),
                    f.flowConfigId(), f.status(), f.trigger(), f.since(), f.until(), f.originalsOnly(), f.unresolved(),
                    chunk, job.cursor()));
            long skipped = job.kind() == ReplayJobKind.CANCEL ? cancelAll(job, page.items())
                    : dispatch(job, page.items(), instances);
            long dispatched = page.items().size() - skipped;
            boolean done = page.nextCursor() == null;
            ReplayJob next = job.advanced(dispatched, skipped, page.nextCursor(), done, clock.instant());
            if (!jobs.checkpoint(job, next, owner)) {
                return jobs.get(jobId); // cancelled, or another worker got there first
            }
            job = next;
            if (done) return Optional.of(job);
            handled += page.items().size();
            pace(job.ratePerSecond(), handled, started, deadline);
        }
    }

    /** Replays one chunk; returns how many matches were skipped (gone, or their instance deleted). */
    private long dispatch(ReplayJob job, List<Execution> matches, Map<String, Optional<Instance>> instances) {
        if (matches.isEmpty()) return 0;
        Map<String, Execution> full = executions.getAll(matches.stream().map(Execution::id).toList())
                .stream().collect(Collectors.toMap(Execution::id, Function.identity(), (a, b) -> a));
        List<Execution> toCreate = new ArrayList<>();
        long skipped = 0;
        for (Execution match : matches) {
            Execution source = full.get(match.id());
            Optional<Instance> instance = source == null ? Optional.empty()
                    : instances.computeIfAbsent(source.instanceId(), this.instances::get);
            if (instance.isEmpty()) {
                skipped++;
                continue;
            }
            toCreate.add(replays.replayOf(source, instance.get(), replayId(source.id(), job.id()), job.id(), null));
        }
        executions.createReplays(toCreate);
        // Queue every replay of the chunk, also those a previous delivery created: running is claimed,
        // so one queued twice still runs once.
        queue.enqueueAll(toCreate.stream().filter(r -> r.status() == ExecutionStatus.QUEUED)
                .map(Execution::id).toList());
        if (!toCreate.isEmpty()) metrics.replaysCreated(toCreate.size(), true);
        return skipped;
    }

    /** Cancels one chunk's matches that are still cancellable; returns how many were not. */
    private long cancelAll(ReplayJob job, List<Execution> matches) {
        long skipped = 0;
        String by = (job.createdBy() != null ? job.createdBy() : "admin") + " (cancellation " + job.id() + ")";
        for (Execution match : matches) {
            boolean done = Cancellations.cancellable(match) && cancellations.tryCancel(match.id(), by).isPresent();
            if (!done) skipped++;
        }
        return skipped;
    }

    /** The replay of {@code executionId} by job {@code jobId}: the same id whichever worker writes it. */
    public static String replayId(String executionId, String jobId) {
        return executionId + "_" + jobId;
    }

    static int chunkSize(BigDecimal rate) {
        if (rate == null) return CHUNK;
        int perSecond = rate.setScale(0, RoundingMode.CEILING).intValue();
        return Math.max(1, Math.min(CHUNK, perSecond));
    }

    /** Sleeps so that {@code handled} executions since {@code started} keep to the rate (never past the deadline). */
    private void pace(BigDecimal rate, long handled, Instant started, Instant deadline) {
        if (rate == null) return;
        long dueMs = BigDecimal.valueOf(handled * 1000L).divide(rate, 0, RoundingMode.CEILING).longValue();
        Instant now = clock.instant();
        Instant until = started.plusMillis(dueMs);
        if (until.isAfter(deadline)) until = deadline;
        if (!until.isAfter(now)) return;
        try {
            sleeper.sleep(Duration.between(now, until));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.ferry.core.fakes;

import dev.ferry.core.error.ConflictException;
import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionQuery;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.Page;
import dev.ferry.core.model.StepResult;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Executions in memory with the adapter's rules: items at or past {@code expiresAt} (by the
 * injected clock) are never returned nor claimed; claim moves QUEUED to RUNNING once; lists are
 * newest first (queuedAt, then id) and held ids oldest first, {@code since} inclusive and {@code until} exclusive,
 * {@code unresolved} meaning FAILED and not resolved, items are summaries (request without body,
 * no steps), cursors opaque. Stored values are copied in and out (bodies and step outputs are
 * mutable). Thread-safe.
 */
public final class InMemoryExecutionStore implements dev.ferry.core.port.ExecutionStore {
    private static final Comparator<Execution> NEWEST_FIRST =
            Comparator.comparing(Execution::queuedAt).thenComparing(Execution::id).reversed();

    private final Clock clock;
    private final Map<String, Execution> executions = new HashMap<>();
    /** The adapter's sparse byQueued index: ids stored QUEUED by a webhook or single replay, never claimed. */
    private final java.util.Set<String> awaitingAck = new java.util.HashSet<>();
    /** Executions withdrawn by the unacknowledged sweep (a later delivery may still claim them). */
    private final java.util.Set<String> withdrawn = new java.util.HashSet<>();
    /** The delivery token of each RUNNING execution's claim. */
    private final Map<String, String> claimTokens = new HashMap<>();
    /** FAILED executions whose retry has started ({@link #startRetry}): no longer cancellable. */
    private final java.util.Set<String> retryStarted = new java.util.HashSet<>();

    public InMemoryExecutionStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void create(Execution execution) {
        if (executions.containsKey(execution.id())) {
            throw new ConflictException("execution '" + execution.id() + "' already exists");
        }
        executions.put(execution.id(), copy(execution));
        indexed(execution);
    }

    /** What the adapter's item attributes do on a whole-item write. */
    private void indexed(Execution e) {
        if (dev.ferry.core.port.ExecutionStore.awaitsAcknowledgement(e)) awaitingAck.add(e.id());
        else awaitingAck.remove(e.id());
        withdrawn.remove(e.id());
        claimTokens.remove(e.id());
        retryStarted.remove(e.id());
    }

    @Override
    public synchronized Optional<Execution> get(String id) {
        Execution e = executions.get(id);
        return e == null || expired(e) ? Optional.empty() : Optional.of(copy(e));
    }

    @Override
    public synchronized Optional<Execution> claim(String id, Instant startedAt, String token, Instant staleBefore) {
        Execution e = executions.get(id);
        if (e == null || expired(e)) return Optional.empty();
        boolean claimable = e.status() == ExecutionStatus.QUEUED
                || (e.status() == ExecutionStatus.CANCELLED && withdrawn.contains(id));
        String held = claimTokens.get(id);
        boolean ownClaim = token != null && e.status() == ExecutionStatus.RUNNING && held != null
                && (token.equals(held) || (held.startsWith(messagePart(token)) && staleBefore != null
                        && e.startedAt() != null && e.startedAt().isBefore(staleBefore)));
        if (!claimable && !ownClaim) return Optional.empty();
        Execution running = e.toBuilder().status(ExecutionStatus.RUNNING).startedAt(startedAt)
                .endedAt(null).durationMs(null).error(null).build();
        executions.put(id, running);
        awaitingAck.remove(id);
        withdrawn.remove(id);
        if (token != null) claimTokens.put(id, token);
        else claimTokens.remove(id);
        return Optional.of(copy(running));
    }

    /** {@code msg-1#a} → {@code msg-1#} (the whole token when it has no {@code #}). */
    private static String messagePart(String token) {
        int hash = token.indexOf('#');
        return hash < 0 ? token : token.substring(0, hash + 1);
    }

    @Override
    public synchronized boolean unclaim(String id, String token, Instant startedAt) {
        Execution e = executions.get(id);
        if (e == null || e.status() != ExecutionStatus.RUNNING || token == null || !token.equals(claimTokens.get(id))
                || !startedAt.equals(e.startedAt())) {
            return false;
        }
        executions.put(id, e.toBuilder().status(ExecutionStatus.QUEUED).startedAt(null).build());
        claimTokens.remove(id);
        return true;
    }

    @Override
    public synchronized List<String> unacknowledgedBefore(Instant cutoff, int limit) {
        return awaitingAck.stream().map(executions::get)
                .filter(e -> e != null && !expired(e) && e.queuedAt().isBefore(cutoff))
                .sorted(Comparator.comparing(Execution::queuedAt).thenComparing(Execution::id))
                .limit(Math.max(1, limit))
                .map(Execution::id)
                .toList();
    }

    @Override
    public synchronized boolean cancelUnacknowledged(String id, dev.ferry.core.model.ExecutionError error, Instant endedAt) {
        Execution e = executions.get(id);
        if (e == null || expired(e) || e.status() != ExecutionStatus.QUEUED || !awaitingAck.contains(id)) return false;
        executions.put(id, e.toBuilder().end(ExecutionStatus.CANCELLED, endedAt).error(error).build());
        awaitingAck.remove(id);
        withdrawn.add(id);
        return true;
    }

    @Override
    public synchronized void save(Execution execution) {
        if (!executions.containsKey(execution.id())) throw new NotFoundException("execution", execution.id());
        executions.put(execution.id(), copy(execution));
        indexed(execution);
    }

    @Override
    public synchronized Page<Execution> list(ExecutionQuery q) {
        int size = FakeCursors.pageSize(q.limit());
        String after = FakeCursors.decode(q.cursor());
        List<Execution> matching = executions.values().stream()
                .filter(e -> !expired(e))
                .filter(e -> q.instanceId() == null || q.instanceId().equals(e.instanceId()))
                .filter(e -> q.customerId() == null || q.customerId().equals(e.customerId()))
                .filter(e -> q.flowConfigId() == null || q.flowConfigId().equals(e.flowConfigId()))
                .filter(e -> q.status() == null || q.status() == e.status())
                .filter(e -> q.trigger() == null || q.trigger() == e.trigger())
                .filter(e -> q.since() == null || !e.queuedAt().isBefore(q.since()))
                .filter(e -> q.until() == null || e.queuedAt().isBefore(q.until()))
                .filter(e -> !q.originalsOnly() || e.original())
                .filter(e -> !q.unresolved() || (e.status() == ExecutionStatus.FAILED && !e.resolved()))
                .filter(e -> after == null || sortKey(e).compareTo(after) < 0)
                .sorted(NEWEST_FIRST)
                .toList();
        List<Execution> page = new ArrayList<>(matching.subList(0, Math.min(size, matching.size())));
        String next = matching.size() > size ? FakeCursors.encode(sortKey(page.get(size - 1))) : null;
        return new Page<>(page.stream().map(InMemoryExecutionStore::summary).toList(), next);
    }

    @Override
    public synchronized Page<String> listHeld(String instanceId, int limit, String cursor) {
        java.util.TreeMap<String, String> held = new java.util.TreeMap<>();
        executions.values().stream()
                .filter(e -> !expired(e) && e.status() == ExecutionStatus.HELD && instanceId.equals(e.instanceId()))
                .forEach(e -> held.put(sortKey(e), e.id()));
        return Sorting.page(held, limit, cursor);
    }

    @Override
    public synchronized boolean release(String id) {
        Execution e = executions.get(id);
        if (e == null || expired(e) || e.status() != ExecutionStatus.HELD) return false;
        executions.put(id, e.toBuilder().status(ExecutionStatus.QUEUED).build());
        return true;
    }

    @Override
    public synchronized Optional<Execution> cancel(String id, String by, Instant at) {
        Execution e = executions.get(id);
        if (e == null || expired(e)) return Optional.empty();
        boolean cancellable = e.status() == ExecutionStatus.QUEUED || e.status() == ExecutionStatus.HELD
                || (e.status() == ExecutionStatus.FAILED && e.nextRetryAt() != null && !retryStarted.contains(id));
        if (!cancellable) return Optional.empty();
        Execution cancelled = e.toBuilder().status(ExecutionStatus.CANCELLED).cancelledBy(by).cancelledAt(at)
                .endedAt(e.endedAt() != null ? e.endedAt() : at).nextRetryAt(null).build();
        executions.put(id, cancelled);
        awaitingAck.remove(id);
        withdrawn.remove(id);
        return Optional.of(copy(cancelled));
    }

    @Override
    public synchronized boolean startRetry(String id, Instant at) {
        Execution e = executions.get(id);
        if (e == null || expired(e) || e.status() != ExecutionStatus.FAILED) return false;
        retryStarted.add(id);
        return true;
    }

    @Override
    public synchronized void markResolved(String id) {
        Execution e = executions.get(id);
        if (e != null) executions.put(id, e.toBuilder().resolved(true).build());
    }

    @Override
    public synchronized List<String> createReplays(List<Execution> replays) {
        List<String> created = new ArrayList<>();
        for (Execution r : replays) {
            if (executions.containsKey(r.id())) continue;
            executions.put(r.id(), copy(r));
            created.add(r.id());
        }
        return created;
    }

    @Override
    public synchronized void linkReplay(String originalId, String replayId, boolean resolved) {
        Execution o = executions.get(originalId);
        if (o == null) return;
        List<String> ids = new ArrayList<>(o.replays());
        ids.add(replayId);
        executions.put(originalId, o.toBuilder().replays(ids).resolved(o.resolved() || resolved).build());
    }

    @Override
    public synchronized List<Execution> getAll(Collection<String> ids) {
        List<Execution> out = new ArrayList<>();
        for (String id : ids) {
            Execution e = executions.get(id);
            if (e != null && !expired(e)) out.add(copy(e));
        }
        return out;
    }

    /** In memory every unfinished execution is watched from its write: the lists below read them all. */
    @Override
    public synchronized Watched watchUnfinished(Instant now) {
        return new Watched(0, 0);
    }

    @Override
    public synchronized List<Execution> runningStartedBefore(Instant cutoff, int limit) {
        return executions.values().stream()
                .filter(e -> !expired(e) && e.status() == ExecutionStatus.RUNNING && e.startedAt() != null
                        && e.startedAt().isBefore(cutoff))
                .sorted(Comparator.comparing(Execution::startedAt).thenComparing(Execution::id))
                .limit(Math.max(1, limit))
                .map(InMemoryExecutionStore::summary)
                .toList();
    }

    @Override
    public synchronized Page<String> deleteForInstance(String instanceId, int limit, String cursor) {
        List<String> ids = executions.values().stream().filter(e -> instanceId.equals(e.instanceId()))
                .sorted(NEWEST_FIRST).map(Execution::id).limit(Math.max(1, limit)).toList();
        ids.forEach(executions::remove);
        boolean more = executions.values().stream().anyMatch(e -> instanceId.equals(e.instanceId()));
        return new Page<>(ids, more ? FakeCursors.encode("more") : null);
    }

    @Override
    public synchronized void delete(String id) {
        executions.remove(id);
    }

    /** Every stored execution, expired ones included (for assertions on what a test wrote). */
    public synchronized List<Execution> all() {
        return executions.values().stream().sorted(NEWEST_FIRST).map(InMemoryExecutionStore::copy).toList();
    }

    private boolean expired(Execution e) {
        return e.expiresAt() != null && !clock.instant().isBefore(e.expiresAt());
    }

    /** Sorts like the newest-first order: time to the nanosecond, then id. */
    private static String sortKey(Execution e) {
        return Sorting.ascendingKey(e.queuedAt(), e.id());
    }

    private static Execution summary(Execution e) {
        ExecutionRequest r = e.request();
        return e.toBuilder()
                .request(r == null ? null : r.withBody(new byte[0]))
                .steps(List.of())
                .build();
    }

    private static Execution copy(Execution e) {
        ExecutionRequest r = e.request();
        return e.toBuilder()
                .request(r == null ? null : r.withBody(r.body().clone()))
                .steps(e.steps().stream().map(s -> new StepResult(s.name(), s.type(), s.status(), s.startedAt(),
                        s.endedAt(), s.durationMs(), s.output() == null ? null : s.output().deepCopy(), s.error())).toList())
                .build();
    }
}

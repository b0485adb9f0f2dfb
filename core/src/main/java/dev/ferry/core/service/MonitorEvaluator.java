package dev.ferry.core.service;

import static dev.ferry.core.model.MonitorTriggerType.EXECUTION_COMPLETED;
import static dev.ferry.core.model.MonitorTriggerType.EXECUTION_DURATION_EXCEEDED;
import static dev.ferry.core.model.MonitorTriggerType.EXECUTION_FAILED;
import static dev.ferry.core.model.MonitorTriggerType.EXECUTION_FAILED_RETRY_PENDING;
import static dev.ferry.core.model.MonitorTriggerType.EXECUTION_OVERDUE;
import static dev.ferry.core.model.MonitorTriggerType.EXECUTION_STARTED;
import static dev.ferry.core.model.MonitorTriggerType.EXECUTION_STUCK;
import static dev.ferry.core.model.MonitorTriggerType.FAILURE_RATE;
import static dev.ferry.core.model.MonitorTriggerType.INSTANCE_DISABLED;
import static dev.ferry.core.model.MonitorTriggerType.INSTANCE_ENABLED;
import static dev.ferry.core.model.MonitorTriggerType.INSTANCE_REMOVED;
import static dev.ferry.core.model.MonitorTriggerType.LOG_LEVEL_MATCHED;

import dev.ferry.core.log.Log;
import dev.ferry.core.message.AlertDeliveryRetry;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionQuery;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.LogLine;
import dev.ferry.core.model.Monitor;
import dev.ferry.core.model.MonitorEpisode;
import dev.ferry.core.message.MonitorEvent;
import dev.ferry.core.message.MonitorMessage;
import dev.ferry.core.model.MonitorTrigger;
import dev.ferry.core.model.MonitorTriggerType;
import dev.ferry.core.model.Page;
import dev.ferry.core.port.ExecutionStore;
import dev.ferry.core.port.InstanceStore;
import dev.ferry.core.port.MonitorStore;
import dev.ferry.core.service.AlertNotifier.Draft;
import dev.ferry.core.service.AlertNotifier.Lookups;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides which monitors alert: for each event from the monitor queue (reading only the monitors
 * whose scope can contain it), and in the every-minute sweep (stuck executions, running ones past
 * a duration, overdue flows, failure rates, instance states). Per-execution triggers alert once
 * per execution per monitor; state triggers once per episode, recording when it clears.
 */
public final class MonitorEvaluator {
    static final int RUNNING_LIMIT = 1000;
    private static final int PAGE = 100;

    private final MonitorStore monitors;
    private final ExecutionStore executions;
    private final InstanceStore instances;
    private final Clock clock;
    private final Settings settings;
    private final AlertNotifier notifier;
    private final ExecutionReaper reaper;

    public MonitorEvaluator(MonitorStore monitors, ExecutionStore executions, InstanceStore instances, Clock clock,
                            Settings settings, AlertNotifier notifier, ExecutionReaper reaper) {
        this.monitors = monitors;
        this.executions = executions;
        this.instances = instances;
        this.clock = clock;
        this.settings = settings;
        this.notifier = notifier;
        this.reaper = reaper;
    }

    // ------------------------------------------------------------------ events

    /** Evaluates one message of the monitor queue. Throws only when it should be delivered again. */
    public void handle(MonitorMessage message) {
        switch (message) {
            case AlertDeliveryRetry retry -> notifier.retry(retry);
            case MonitorEvent event -> {
                switch (event.type()) {
                    case EXECUTION_STARTED, EXECUTION_ENDED -> onExecution(event);
                    case INSTANCE_ENABLED, INSTANCE_DISABLED -> onInstanceState(event);
                    case INSTANCE_REMOVED -> onInstanceRemoved(event);
                }
            }
        }
    }

    /**
     * An execution's start, its end, or both: an ended event that {@link MonitorEvent#includesStart()}
     * (the run published no started event of its own) is evaluated for the EXECUTION_STARTED trigger
     * first, as the start's own event would have been — so a monitor reports the same trigger
     * whether or not the run published its start separately. The alert's key (one per execution
     * per monitor) makes a redelivered event, or a start already alerted, raise nothing new.
     */
    private void onExecution(MonitorEvent event) {
        Execution e = event.execution();
        Lookups lookups = notifier.new Lookups();
        for (Monitor m : covering(monitors, e)) {
            if (countsOutcome(m, event)) countOutcome(m, e, event.at());
            match(m, event).ifPresent(match -> notifier.raise(m, draft(match, e, lookups), lookups));
        }
    }

    /** The monitors covering the execution (its instance, customer, flow config), read consistently from their scopes. */
    static List<Monitor> covering(MonitorStore monitors, Execution e) {
        return covers(monitors.inScope(e.instanceId(), e.customerId()), e);
    }

    /** {@link #covering}, from an eventually consistent read ({@link MonitorStore#inScopeEventually}). */
    static List<Monitor> coveringEventually(MonitorStore monitors, Execution e) {
        return covers(monitors.inScopeEventually(e.instanceId(), e.customerId()), e);
    }

    private static List<Monitor> covers(List<Monitor> inScope, Execution e) {
        return inScope.stream().filter(m -> m.scope().covers(e.instanceId(), e.customerId(), e.flowConfigId())).toList();
    }

    private List<Monitor> monitorsForInstance(String instanceId, String customerId) {
        return monitors.inScope(instanceId, customerId).stream()
                .filter(m -> m.scope().coversInstance(instanceId, customerId)).toList();
    }

    // ------------------------------------------------------------------ what a monitor does with an execution's event

    /**
     * The trigger a monitor alerts for an execution's event: {@code trigger} its parameters
     * (duration, log level; null for the others), {@code line} the log line it matched
     * (LOG_LEVEL_MATCHED).
     */
    record Match(MonitorTriggerType type, MonitorTrigger trigger, LogLine line) {}

    /**
     * Whether a monitor covering the event's execution does anything with it: counts its outcome
     * or alerts one of its triggers. Pure (no reads): {@link MonitorEvents} asks it before sending
     * the event, this evaluator decides with the same two functions when the event arrives.
     */
    static boolean actsOn(Monitor m, MonitorEvent event) {
        return countsOutcome(m, event) || match(m, event).isPresent();
    }

    /** An ended execution that succeeded or failed counts in a FAILURE_RATE monitor's window. */
    static boolean countsOutcome(Monitor m, MonitorEvent event) {
        ExecutionStatus status = event.execution().status();
        return event.type() == MonitorEvent.Type.EXECUTION_ENDED && m.has(FAILURE_RATE)
                && (status == ExecutionStatus.SUCCEEDED || status == ExecutionStatus.FAILED);
    }

    /**
     * The one trigger the monitor alerts for this event: EXECUTION_STARTED for a start (a started
     * event, or an ended one that {@link MonitorEvent#includesStart()}); otherwise, for an end, the
     * first of its triggers the ended execution matches, most severe first.
     */
    static Optional<Match> match(Monitor m, MonitorEvent event) {
        boolean ended = event.type() == MonitorEvent.Type.EXECUTION_ENDED;
        if ((!ended || event.includesStart()) && m.has(EXECUTION_STARTED)) {
            return Optional.of(new Match(EXECUTION_STARTED, null, null));
        }
        return ended ? endedMatch(m, event.execution(), event.logs()) : Optional.empty();
    }

    private static Optional<Match> endedMatch(Monitor m, Execution e, List<LogLine> logs) {
        if (e.status() == ExecutionStatus.FAILED) {
            boolean pending = retryPending(e);
            if (pending && m.has(EXECUTION_FAILED_RETRY_PENDING)) return Optional.of(new Match(EXECUTION_FAILED_RETRY_PENDING, null, null));
            if (!pending && m.has(EXECUTION_FAILED)) return Optional.of(new Match(EXECUTION_FAILED, null, null));
        }
        Optional<MonitorTrigger> duration = m.trigger(EXECUTION_DURATION_EXCEEDED);
        if (duration.isPresent() && e.durationMs() != null && e.durationMs() > duration.get().durationSeconds() * 1000L) {
            return Optional.of(new Match(EXECUTION_DURATION_EXCEEDED, duration.get(), null));
        }
        Optional<MonitorTrigger> level = m.trigger(LOG_LEVEL_MATCHED);
        if (level.isPresent()) {
            Optional<LogLine> line = logs.stream().filter(l -> l.severity().atLeast(level.get().logSeverity())).findFirst();
            if (line.isPresent()) return Optional.of(new Match(LOG_LEVEL_MATCHED, level.get(), line.get()));
        }
        if (e.status() == ExecutionStatus.SUCCEEDED && m.has(EXECUTION_COMPLETED)) {
            return Optional.of(new Match(EXECUTION_COMPLETED, null, null));
        }
        return Optional.empty();
    }

    /** The alert of a match: its key, subject and step. */
    private static Draft draft(Match match, Execution e, Lookups lookups) {
        String step = e.error() == null ? null : e.error().step();
        return switch (match.type()) {
            case EXECUTION_STARTED -> draft(EXECUTION_STARTED, e, "Execution started: " + what(e, lookups) + " (trigger "
                    + e.trigger() + ", attempt " + e.attempt() + ")", null);
            case EXECUTION_FAILED_RETRY_PENDING -> draft(EXECUTION_FAILED_RETRY_PENDING, e, "Execution failed, retry pending: "
                    + what(e, lookups) + failure(e) + " (attempt " + e.attempt()
                    + (e.nextRetryAt() != null ? ", next attempt at " + e.nextRetryAt() : "")
                    + (e.retriesRemaining() != null ? ", " + e.retriesRemaining() + " retries left" : "") + ")", step);
            case EXECUTION_FAILED -> draft(EXECUTION_FAILED, e, "Execution failed: " + what(e, lookups) + failure(e), step);
            case EXECUTION_DURATION_EXCEEDED -> draft(EXECUTION_DURATION_EXCEEDED, e, "Execution took longer than "
                    + match.trigger().durationSeconds() + " s: " + what(e, lookups) + " took " + seconds(e.durationMs())
                    + " s and " + e.status(), step);
            case LOG_LEVEL_MATCHED -> draft(LOG_LEVEL_MATCHED, e, match.line().severity() + " logged by " + what(e, lookups)
                    + (match.line().step() != null ? " at step '" + match.line().step() + "'" : "") + ": "
                    + match.line().message(), match.line().step());
            case EXECUTION_COMPLETED -> draft(EXECUTION_COMPLETED, e, "Execution succeeded: " + what(e, lookups) + " in "
                    + seconds(e.durationMs()) + " s", null);
            default -> throw new IllegalStateException("not an execution event's trigger: " + match.type());
        };
    }

    /** A failed execution that will be tried again (the retry policy set its next attempt). */
    static boolean retryPending(Execution e) {
        return e.status() == ExecutionStatus.FAILED
                && (e.nextRetryAt() != null || (e.retriesRemaining() != null && e.retriesRemaining() > 0));
    }

    private void countOutcome(Monitor m, Execution e, Instant at) {
        MonitorTrigger rate = m.trigger(FAILURE_RATE).orElseThrow();
        Instant minute = (e.endedAt() != null ? e.endedAt() : at).truncatedTo(ChronoUnit.MINUTES);
        monitors.countOutcome(m.id(), minute, e.status() == ExecutionStatus.FAILED,
                minute.plus(Duration.ofMinutes(rate.windowMinutes() + 60L)));
    }

    private void onInstanceState(MonitorEvent event) {
        MonitorEvent.InstanceRef ref = event.instance();
        boolean enabled = event.type() == MonitorEvent.Type.INSTANCE_ENABLED;
        Lookups lookups = notifier.new Lookups().knowName(ref.id(), ref.name());
        for (Monitor m : monitorsForInstance(ref.id(), ref.customerId())) {
            if (!m.has(INSTANCE_DISABLED) && !m.has(INSTANCE_ENABLED)) continue;
            if (enabled) instanceEnabled(m, ref.id(), ref.customerId(), event.at(), true, lookups);
            else instanceDisabled(m, ref.id(), ref.customerId(), event.at(), null, lookups);
        }
    }

    private void onInstanceRemoved(MonitorEvent event) {
        instanceRemoved(event.instance(), false);
    }

    /**
     * Raises INSTANCE_REMOVED for the in-scope monitors that have it — with {@code onlyScopedToIt},
     * just those scoped to the instance itself: the deletion raises theirs before it deletes them,
     * and the queued event reaches the customer's and the global monitors. The alert's key is the
     * instance, so raising twice (a repeated deletion, the queued event) alerts once.
     */
    void instanceRemoved(MonitorEvent.InstanceRef ref, boolean onlyScopedToIt) {
        Lookups lookups = notifier.new Lookups().knowName(ref.id(), ref.name());
        for (Monitor m : monitorsForInstance(ref.id(), ref.customerId())) {
            if (!m.has(INSTANCE_REMOVED)) continue;
            if (onlyScopedToIt && !ref.id().equals(m.scope().instanceId())) continue;
            notifier.raise(m, new Draft(INSTANCE_REMOVED, "REMOVED#" + ref.id(), "Instance removed: " + ref.name(),
                    ref.id(), ref.customerId(), null, null, null, null), lookups);
        }
    }

    // ------------------------------------------------------------------ instance state (events and sweep)

    private static String instanceSubject(String instanceId) {
        return "INSTANCE#" + instanceId;
    }

    private static String episodeKey(String subject, MonitorEpisode ep) {
        return subject + "#" + ep.openedAt();
    }

    /** The instance is disabled: an episode opens (alerting INSTANCE_DISABLED once). */
    private boolean instanceDisabled(Monitor m, String instanceId, String customerId, Instant at,
                                     MonitorEpisode open, Lookups lookups) {
        String subject = instanceSubject(instanceId);
        MonitorEpisode ep = open != null ? open : monitors.openEpisode(m.id(), subject, at);
        if (!m.has(INSTANCE_DISABLED) || ep.alerted()) return false;
        Optional<?> raised = notifier.raise(m, new Draft(INSTANCE_DISABLED, episodeKey(subject, ep),
                "Instance disabled: " + instanceName(instanceId, lookups), instanceId, customerId, null, null, null, null),
                lookups, deliberatePause(instanceId, lookups));
        monitors.episodeAlerted(m.id(), subject);
        return raised.isPresent();
    }

    /**
     * Why an INSTANCE_DISABLED alert about this instance is recorded muted: it is paused and a person
     * paused it through the API (the pause records who, when and why); null when no person did (an
     * instance created disabled), so the alert is delivered.
     */
    static String deliberatePause(Instance.Pause pause) {
        if (pause == null) return null;
        return "paused on purpose by " + pause.by() + (pause.reason() == null ? "" : ": " + pause.reason());
    }

    private static String deliberatePause(String instanceId, Lookups lookups) {
        return deliberatePause(lookups.instance(instanceId).filter(i -> !i.enabled()).map(Instance::pause).orElse(null));
    }

    /**
     * The instance is enabled: an open episode closes (recording the clear of INSTANCE_DISABLED and
     * alerting INSTANCE_ENABLED). An enable event with no episode open still alerts INSTANCE_ENABLED.
     */
    private boolean instanceEnabled(Monitor m, String instanceId, String customerId, Instant at, boolean fromEvent,
                                    Lookups lookups) {
        String subject = instanceSubject(instanceId);
        Optional<MonitorEpisode> closed = monitors.closeEpisode(m.id(), subject);
        if (closed.isPresent() && closed.get().alerted() && m.has(INSTANCE_DISABLED)) {
            notifier.cleared(m.id(), episodeKey(subject, closed.get()), at);
        }
        if (!m.has(INSTANCE_ENABLED) || (closed.isEmpty() && !fromEvent)) return false;
        Instant since = closed.map(MonitorEpisode::openedAt).orElse(at);
        return notifier.raise(m, new Draft(INSTANCE_ENABLED, "ENABLED#" + instanceId + "#" + since,
                "Instance enabled: " + instanceName(instanceId, lookups), instanceId, customerId, null, null, null, null),
                lookups).isPresent();
    }

    // ------------------------------------------------------------------ the sweep

    /** What one sweep did. */
    public record SweepResult(int monitors, int stuck, int alerts, int cleared, int errors, int unacknowledged,
                              int watched) {}

    /**
     * Every minute: the housekeeping first ({@link ExecutionReaper}: stuck executions marked failed,
     * each alerting EXECUTION_STUCK; unacknowledged ones withdrawn), then each monitor with a
     * time-based trigger. One monitor's failure does not stop the others.
     */
    public SweepResult sweep() {
        Instant now = clock.instant();
        Counts counts = new Counts();
        Lookups lookups = notifier.new Lookups();
        ExecutionReaper.Result reaped = reaper.reap(now, e -> alertStuck(e, counts, lookups));
        counts.stuck = reaped.stuck();
        counts.unacknowledged = reaped.unacknowledged();
        counts.errors += reaped.errors();
        List<Monitor> swept = monitors.swept();
        Scopes scopes = new Scopes(lookups);
        guarded(counts, "duration", () -> runningPastDuration(swept, now, counts, lookups));
        for (Monitor m : swept) {
            guarded(counts, m.id(), () -> {
                Map<String, MonitorEpisode> open = new HashMap<>();
                if (m.has(EXECUTION_OVERDUE) || m.has(FAILURE_RATE) || m.has(INSTANCE_DISABLED) || m.has(INSTANCE_ENABLED)) {
                    for (MonitorEpisode ep : monitors.episodes(m.id())) open.put(ep.subject(), ep);
                }
                m.trigger(EXECUTION_OVERDUE).ifPresent(t -> overdue(m, t, now, open, scopes, counts, lookups));
                m.trigger(FAILURE_RATE).ifPresent(t -> failureRate(m, t, now, open, counts, lookups));
                if (m.has(INSTANCE_DISABLED) || m.has(INSTANCE_ENABLED)) instanceStates(m, now, open, scopes, counts, lookups);
            });
        }
        return new SweepResult(swept.size(), counts.stuck, counts.alerts, counts.cleared, counts.errors, counts.unacknowledged,
                reaped.watched());
    }

    private static final class Counts {
        int stuck, alerts, cleared, errors, unacknowledged;
    }

    private static void guarded(Counts counts, String what, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            counts.errors++;
            Log.error("monitor sweep step failed", "what", what, "reason", String.valueOf(e.getMessage()));
        }
    }

    /** The EXECUTION_STUCK alerts of an execution the reaper has just failed as stuck. */
    private void alertStuck(Execution e, Counts counts, Lookups lookups) {
        for (Monitor m : covering(monitors, e)) {
            if (!m.has(EXECUTION_STUCK)) continue;
            String subject = "Execution stuck: " + what(e, lookups) + " running since " + e.startedAt()
                    + ", past the " + settings.executionTimeout().toSeconds() + " s function timeout; marked failed";
            if (notifier.raise(m, draft(EXECUTION_STUCK, e, subject, null), lookups).isPresent()) counts.alerts++;
        }
    }

    private void runningPastDuration(List<Monitor> swept, Instant now, Counts counts, Lookups lookups) {
        List<Monitor> monitors = swept.stream().filter(m -> m.has(EXECUTION_DURATION_EXCEEDED)).toList();
        if (monitors.isEmpty()) return;
        int shortest = monitors.stream().mapToInt(m -> m.trigger(EXECUTION_DURATION_EXCEEDED).orElseThrow().durationSeconds())
                .min().orElseThrow();
        for (Execution e : executions.runningStartedBefore(now.minusSeconds(shortest), RUNNING_LIMIT)) {
            for (Monitor m : monitors) {
                int limit = m.trigger(EXECUTION_DURATION_EXCEEDED).orElseThrow().durationSeconds();
                if (!m.scope().covers(e.instanceId(), e.customerId(), e.flowConfigId())
                        || !e.startedAt().plusSeconds(limit).isBefore(now)) continue;
                String subject = "Execution running longer than " + limit + " s: " + what(e, lookups)
                        + " running for " + Duration.between(e.startedAt(), now).toSeconds() + " s";
                if (notifier.raise(m, draft(EXECUTION_DURATION_EXCEEDED, e, subject, null), lookups).isPresent()) {
                    counts.alerts++;
                }
            }
        }
    }

    private void overdue(Monitor m, MonitorTrigger t, Instant now, Map<String, MonitorEpisode> open, Scopes scopes,
                         Counts counts, Lookups lookups) {
        Duration window = Duration.ofMinutes(t.overdueMinutes());
        String fc = m.scope().flowConfigId();
        Set<String> seen = new HashSet<>();
        for (Instance instance : scopes.instances(m)) {
            String subject = "OVERDUE#" + instance.id() + (fc == null ? "" : "#" + fc);
            seen.add(subject);
            if (!instance.enabled()) continue; // paused: not expected to run; its episode is left as it is
            Instant last = fc == null ? instance.lastExecutedAt() : lastStarted(fc);
            if (fc == null && last != null && last.plus(window).isBefore(now)
                    && !last.plus(Instance.LAST_EXECUTED_LAG).plus(window).isBefore(now)) {
                // The recorded time may trail the newest start by the lag: near the edge, ask the executions.
                last = latest(last, lastStartedOfInstance(instance.id()));
            }
            Instant reference = latest(latest(last, instance.createdAt()), m.createdAt());
            MonitorEpisode ep = open.get(subject);
            if (reference.plus(window).isBefore(now)) {
                if (ep == null) ep = monitors.openEpisode(m.id(), subject, now);
                if (ep.alerted()) continue;
                String what = instance.name() + (fc == null ? "" : " (flow config " + fc + ")");
                Draft d = new Draft(EXECUTION_OVERDUE, episodeKey(subject, ep), "Overdue: no execution of " + what
                        + " started in the last " + t.overdueMinutes() + " minutes (last: "
                        + (last == null ? "never" : last.toString()) + ")", instance.id(), instance.customerId(), fc,
                        null, null, null);
                if (notifier.raise(m, d, lookups.know(instance)).isPresent()) counts.alerts++;
                monitors.episodeAlerted(m.id(), subject);
            } else if (ep != null) {
                close(m, subject, last != null && last.isAfter(ep.openedAt()) ? last : now, counts);
            }
        }
        for (String subject : open.keySet()) {
            if (subject.startsWith("OVERDUE#") && !seen.contains(subject)) close(m, subject, now, counts);
        }
    }

    /** When an instance's newest executions started (null when none has). */
    private Instant lastStartedOfInstance(String instanceId) {
        return executions.list(ExecutionQuery.forInstance(instanceId, 10)).items().stream().map(Execution::startedAt)
                .filter(java.util.Objects::nonNull).max(Instant::compareTo).orElse(null);
    }

    /** When a flow config's newest executions started (null when none has). */
    private Instant lastStarted(String flowConfigId) {
        Page<Execution> page = executions.list(new ExecutionQuery(null, null, flowConfigId, null, null, null,
                null, false, false, 10, null));
        return page.items().stream().map(Execution::startedAt).filter(java.util.Objects::nonNull)
                .max(Instant::compareTo).orElse(null);
    }

    private void failureRate(Monitor m, MonitorTrigger t, Instant now, Map<String, MonitorEpisode> open, Counts counts,
                             Lookups lookups) {
        Instant to = now.truncatedTo(ChronoUnit.MINUTES);
        Instant from = to.minus(Duration.ofMinutes(t.windowMinutes() - 1L));
        MonitorStore.Outcomes o = monitors.outcomes(m.id(), from, to);
        String subject = "FAILURE_RATE";
        MonitorEpisode ep = open.get(subject);
        boolean breached = o.total() >= t.minimumExecutions() && o.failedPercent() >= t.percent();
        if (breached) {
            if (ep == null) ep = monitors.openEpisode(m.id(), subject, now);
            if (ep.alerted()) return;
            String scope = scopeLabel(m, lookups);
            Draft d = new Draft(FAILURE_RATE, episodeKey(subject, ep), String.format(java.util.Locale.ROOT,
                    "Failure rate %.1f%% (%d of %d executions) over the last %d minutes, at or above %s%%: %s",
                    o.failedPercent(), o.failed(), o.total(), t.windowMinutes(), trimNumber(t.percent()), scope),
                    m.scope().instanceId(), m.scope().customerId(), m.scope().flowConfigId(), null, null, null);
            if (notifier.raise(m, d, lookups).isPresent()) counts.alerts++;
            monitors.episodeAlerted(m.id(), subject);
        } else if (ep != null) {
            close(m, subject, now, counts);
        }
    }

    private void instanceStates(Monitor m, Instant now, Map<String, MonitorEpisode> open, Scopes scopes, Counts counts,
                                Lookups lookups) {
        Set<String> seen = new HashSet<>();
        for (Instance instance : scopes.instances(m)) {
            String subject = instanceSubject(instance.id());
            seen.add(subject);
            MonitorEpisode ep = open.get(subject);
            lookups.know(instance);
            if (!instance.enabled()) {
                if (ep == null || (!ep.alerted() && m.has(INSTANCE_DISABLED))) {
                    if (instanceDisabled(m, instance.id(), instance.customerId(), now, ep, lookups)) counts.alerts++;
                }
            } else if (ep != null) {
                if (instanceEnabled(m, instance.id(), instance.customerId(), now, false, lookups)) counts.alerts++;
                if (ep.alerted()) counts.cleared++;
            }
        }
        for (String subject : open.keySet()) {
            if (subject.startsWith("INSTANCE#") && !seen.contains(subject)) close(m, subject, now, counts);
        }
    }

    /** Closes an episode and, if it had alerted, records the clear. */
    private void close(Monitor m, String subject, Instant at, Counts counts) {
        monitors.closeEpisode(m.id(), subject).filter(MonitorEpisode::alerted).ifPresent(ep -> {
            notifier.cleared(m.id(), episodeKey(subject, ep), at);
            counts.cleared++;
        });
    }

    /** The instances a monitor's scope covers, each scope listed at most once per sweep. */
    private final class Scopes {
        private final Lookups lookups;
        private final Map<String, List<Instance>> byScope = new HashMap<>();

        Scopes(Lookups lookups) {
            this.lookups = lookups;
        }

        List<Instance> instances(Monitor m) {
            if (m.scope().instanceId() != null) {
                return lookups.instance(m.scope().instanceId()).map(List::of).orElse(List.of());
            }
            String customerId = m.scope().customerId();
            return byScope.computeIfAbsent(customerId == null ? "" : customerId, k -> {
                List<Instance> all = new ArrayList<>();
                String cursor = null;
                do {
                    Page<Instance> page = instances.list(customerId, PAGE, cursor);
                    all.addAll(page.items());
                    cursor = page.nextCursor();
                } while (cursor != null);
                all.forEach(lookups::know);
                return all;
            });
        }
    }

    // ------------------------------------------------------------------ texts

    private static Draft draft(MonitorTriggerType trigger, Execution e, String subject, String step) {
        return new Draft(trigger, "EXECUTION#" + e.id(), subject, e.instanceId(), e.customerId(), e.flowConfigId(),
                e.flow(), e.id(), step, e.status() == null ? null : e.status().name(),
                e.error() == null ? null : e.error().message());
    }

    private static String what(Execution e, Lookups lookups) {
        return "flow '" + e.flow() + "' of " + instanceName(e.instanceId(), lookups);
    }

    private static String instanceName(String instanceId, Lookups lookups) {
        return lookups.instance(instanceId).map(Instance::name)
                .or(() -> Optional.ofNullable(lookups.instanceName(instanceId))).orElse(instanceId);
    }

    private static String failure(Execution e) {
        if (e.error() == null) return "";
        return (e.error().step() != null ? " at step '" + e.error().step() + "'" : "") + ": " + e.error().message();
    }

    private static String scopeLabel(Monitor m, Lookups lookups) {
        if (m.scope().instanceId() != null) {
            return instanceName(m.scope().instanceId(), lookups)
                    + (m.scope().flowConfigId() != null ? " (flow config " + m.scope().flowConfigId() + ")" : "");
        }
        if (m.scope().customerId() != null) {
            return "customer " + lookups.customer(m.scope().customerId()).map(c -> c.name()).orElse(m.scope().customerId());
        }
        return "all instances";
    }

    private static String seconds(Long ms) {
        return ms == null ? "?" : String.format(java.util.Locale.ROOT, "%.1f", ms / 1000.0);
    }

    private static String trimNumber(Double d) {
        return d == Math.rint(d) ? Long.toString(d.longValue()) : d.toString();
    }

    private static Instant latest(Instant a, Instant b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.isAfter(b) ? a : b;
    }

    /** A summary of a sweep for the direct invocation's answer. */
    public static Map<String, Object> describe(SweepResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("swept", true);
        m.put("monitors", r.monitors());
        m.put("stuckExecutions", r.stuck());
        m.put("alerts", r.alerts());
        m.put("cleared", r.cleared());
        m.put("errors", r.errors());
        m.put("unacknowledgedCancelled", r.unacknowledged());
        m.put("unfinishedWatched", r.watched());
        return m;
    }
}

package dev.ferry.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.definition.ScheduleExpression;
import dev.ferry.local.lambda.FunctionError;
import dev.ferry.local.lambda.FunctionRegistry;
import dev.ferry.local.lambda.FunctionSpec;
import dev.ferry.local.lambda.LocalFunction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.ActionAfterCompletion;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;
import software.amazon.awssdk.services.scheduler.model.ListSchedulesResponse;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;
import software.amazon.awssdk.services.scheduler.model.ScheduleState;
import software.amazon.awssdk.services.scheduler.model.ScheduleSummary;

/**
 * The local stack's one scheduler, for what EventBridge Scheduler does in AWS (moto stores
 * schedules but never fires them):
 * <ul>
 *   <li>the emulator's schedules, in every group — listed each pass (ListSchedules; GetSchedule
 *       only for new or changed ones), fired at their {@code cron}/{@code rate}/{@code at} times in
 *       their time zone (DST as EventBridge Scheduler: a skipped local time does not fire, a repeated
 *       one fires once), {@code DISABLED} ones skipped, {@code StartDate}/{@code EndDate} honoured
 *       (a rate counts from its start date, else from its creation), and
 *       {@code ActionAfterCompletion: DELETE} applied once a schedule is done;</li>
 *   <li>the template's {@code ScheduleV2} events ({@link #templateEvents()}), fired the same way.</li>
 * </ul>
 * The target — a function of this stack, by ARN or name (alias qualifiers ignored) — is invoked
 * in-process with the target's {@code Input} ({@code {}} when none), its
 * {@code <aws.scheduler.scheduled-time>}, {@code <aws.scheduler.schedule-arn>},
 * {@code <aws.scheduler.execution-id>} and {@code <aws.scheduler.attempt-number>} filled in.
 *
 * <p>Time comes from an injectable {@link Clock}: each {@link #tick()} fires what fell due since the
 * previous one, so a test sets the clock and ticks instead of waiting. With the system clock a
 * background thread ticks every second ({@link #source}).
 *
 * <p>The Scheduler invokes its target asynchronously, so a run that fails is Lambda's to handle, as
 * here: it runs again after one minute and after two more (the function's {@code EventInvokeConfig}
 * {@code MaximumRetryAttempts}, default 2), then Lambda's invocation record
 * ({@code condition: RetriesExhausted}, the request and the last error) is sent to its SQS
 * on-failure destination, or dropped (logged) when it has none. What is not emulated: flexible time
 * windows (fired at the exact time), the Scheduler's own retries of a refused Invoke call (the local
 * invoke is never refused), targets other than this stack's functions (logged once).
 */
public final class LocalScheduler {
    /** Placeholders EventBridge Scheduler fills in a target's input. */
    public static final String SCHEDULED_TIME = "<aws.scheduler.scheduled-time>";
    /**
     * At most this many fire times of one schedule per pass: after a jump of the clock (a test moving
     * it, a laptop waking up) the first ones fire and the rest are skipped, with a log line.
     */
    public static final int MAX_FIRES_PER_TICK = 60;
    static final long POLL_MILLIS = 1000;

    /** One delivery: what fired, for which time, to which target, and how it went. */
    public record Fire(String schedule, String target, Instant scheduledTime, String payload, String outcome) {}

    /** Where fires go: this stack's functions. */
    public interface Targets {
        /** The function an ARN or name means, or empty if it is not one of this stack's. */
        Optional<String> resolve(String targetArn);

        byte[] invoke(String function, byte[] payload);

        /** What Lambda does when a run of the function fails (its EventInvokeConfig). */
        default FunctionSpec.AsyncInvokeConfig async(String function) {
            return FunctionSpec.AsyncInvokeConfig.DEFAULT;
        }

        /**
         * Sends Lambda's invocation record of a run of {@code function} that failed for good to its
         * on-failure destination (an SQS queue ARN).
         */
        default void deliver(String function, String destinationArn, String record) {
            throw new IllegalStateException("no destination " + destinationArn);
        }
    }

    /** Lambda's waits before the second and the third run of a failed asynchronous invocation. */
    static final List<java.time.Duration> RETRY_DELAYS = List.of(java.time.Duration.ofMinutes(1), java.time.Duration.ofMinutes(2));

    /** A failed run Lambda will run again at {@code due}; {@code attempt} is the run it will be (2 or 3). */
    private record PendingRetry(String label, String function, Instant scheduledTime, String payload, int attempt, Instant due) {}

    private final List<PendingRetry> retries = new ArrayList<>();

    private volatile Clock clock;
    private final List<Entry> templateEntries = new ArrayList<>();
    private final Map<String, Entry> emulatorEntries = new LinkedHashMap<>();
    private final Set<String> warned = new HashSet<>();
    private SchedulerClient scheduler;
    private Targets targets;
    private Consumer<String> log = s -> { };
    private Instant lastTick;
    private String lastListError;

    public LocalScheduler(Clock clock) {
        this.clock = clock;
    }

    /** Changes the clock every pass reads (tests: a settable clock). */
    public void clock(Clock clock) {
        this.clock = clock;
    }

    public Clock clock() {
        return clock;
    }

    /** A schedule as the scheduler tracks it. */
    private static final class Entry {
        final String label;
        final String arn;
        String group;
        String name;
        String lastModified;
        ScheduleExpression expression;
        ZoneId zone;
        boolean enabled;
        Instant start;
        Instant end;
        Instant anchor;
        boolean deleteWhenDone;
        String target;
        String input;
        /** Fire times after this are due; null until the first pass sees the entry. */
        Instant from;
        boolean done;

        Entry(String label, String arn) {
            this.label = label;
            this.arn = arn;
        }
    }

    // ------------------------------------------------------------------ wiring into the local stack

    /** The {@code ScheduleV2} event type: each event becomes an entry of this scheduler. */
    public EventSourceType templateEvents() {
        return this::templateEvent;
    }

    private EventSource templateEvent(FunctionSpec function, FunctionSpec.Event event, EventSourceContext ctx) {
        JsonNode p = event.properties();
        String name = p.path("Name").asText(function.name() + "-" + event.name());
        Entry e = new Entry("ScheduleV2 " + event.name() + " of " + function.name(),
                "arn:aws:scheduler:us-east-1:123456789012:schedule/default/" + name);
        e.name = name;
        e.group = p.path("GroupName").asText("default");
        e.target = function.name();
        e.input = p.hasNonNull("Input") ? p.get("Input").asText() : null;
        e.enabled = !"DISABLED".equalsIgnoreCase(p.path("State").asText("ENABLED"));
        e.start = p.hasNonNull("StartDate") ? Instant.parse(p.get("StartDate").asText()) : null;
        e.end = p.hasNonNull("EndDate") ? Instant.parse(p.get("EndDate").asText()) : null;
        e.anchor = e.start;
        String timezone = p.path("ScheduleExpressionTimezone").asText("UTC");
        String expression = p.path("ScheduleExpression").asText("");
        String problem = describeProblem(e, expression, timezone);
        synchronized (this) {
            if (problem == null) templateEntries.add(e);
        }
        String what = "ScheduleV2 " + event.name() + " → " + function.name() + " (" + expression
                + (timezone.equals("UTC") ? "" : ", " + timezone) + (e.enabled ? "" : ", DISABLED") + ")";
        String line = problem == null ? what + ", fired by the scheduler" : what + ": not fired, " + problem;
        return new EventSource() {
            @Override public String describe() { return line; }
            @Override public void start() { }
            @Override public void close() { }
        };
    }

    /** The event source that runs this scheduler in a stack: the stack's functions as targets, polled each second. */
    public EventSource source(EventSourceContext ctx) {
        FunctionRegistry functions = ctx.functions();
        Targets t = new Targets() {
            @Override
            public Optional<String> resolve(String targetArn) {
                return functions.find(targetArn).map(LocalFunction::name);
            }

            @Override
            public byte[] invoke(String function, byte[] payload) {
                return functions.invoke(function, payload);
            }

            @Override
            public FunctionSpec.AsyncInvokeConfig async(String function) {
                return functions.find(function).map(f -> f.spec().async()).orElse(FunctionSpec.AsyncInvokeConfig.DEFAULT);
            }

            @Override
            public void deliver(String function, String destinationArn, String record) {
                String queueName = destinationArn.substring(destinationArn.lastIndexOf(':') + 1);
                String url = ctx.aws().sqs().getQueueUrl(b -> b.queueName(queueName)).queueUrl();
                // Lambda sends a failed asynchronous invocation's record with the function's role.
                ctx.functionClients().apply(function).sqs().sendMessage(b -> b.queueUrl(url).messageBody(record));
            }
        };
        return source(ctx.aws().scheduler(), t, ctx.log());
    }

    /** As {@link #source(EventSourceContext)}, with any targets (tests). */
    public synchronized EventSource source(SchedulerClient client, Targets t, Consumer<String> logTo) {
        this.scheduler = client;
        this.targets = t;
        this.log = logTo;
        return new Poller();
    }

    private final class Poller implements EventSource {
        private volatile boolean running;
        private Thread thread;

        @Override
        public String describe() {
            int n;
            synchronized (LocalScheduler.this) {
                n = templateEntries.size();
            }
            return "Scheduler: the emulator's EventBridge Scheduler schedules (every group) and " + n
                    + " ScheduleV2 event(s) → their target functions, at their cron/rate/at times (checked every second)";
        }

        @Override
        public synchronized void start() {
            if (running) return;
            running = true;
            thread = new Thread(this::loop, "ferry-scheduler");
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            while (running) {
                try {
                    tick();
                } catch (RuntimeException e) {
                    log.accept("Scheduler: " + e);
                }
                try {
                    Thread.sleep(POLL_MILLIS - System.currentTimeMillis() % POLL_MILLIS + 5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        @Override
        public void close() {
            running = false;
            Thread t = thread;
            if (t == null) return;
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ------------------------------------------------------------------ one pass

    /**
     * One pass at the clock's current time: refreshes the emulator's schedules, then fires every
     * schedule's times that fell due since the previous pass (a schedule first seen now counts from
     * the previous pass, or from now on the first), in time order, each invocation finished before
     * the next. Returns what fired.
     */
    public synchronized List<Fire> tick() {
        Instant now = clock.instant();
        Instant since = lastTick == null || lastTick.isAfter(now) ? now : lastTick;
        if (scheduler != null) refresh();
        List<Entry> all = new ArrayList<>(templateEntries);
        all.addAll(emulatorEntries.values());
        record Due(Entry entry, Instant at) {}
        List<Due> due = new ArrayList<>();
        for (Entry e : all) {
            if (e.from == null) e.from = since;
            if (e.done) continue;
            if (!e.enabled) {
                e.from = later(e.from, now); // a disabled schedule does not catch up when enabled again
                continue;
            }
            for (Instant t : dueTimes(e, now)) due.add(new Due(e, t));
            e.from = later(e.from, now);
            if (finished(e, now)) e.done = true;
        }
        due.sort(Comparator.comparing(Due::at));
        List<Fire> fired = new ArrayList<>();
        for (Due d : due) fired.add(fire(d.entry(), d.at()));
        List<PendingRetry> rerun = retries.stream().filter(r -> !r.due().isAfter(now))
                .sorted(Comparator.comparing(PendingRetry::due)).toList();
        retries.removeAll(rerun);
        for (PendingRetry r : rerun) fired.add(run(r.label(), r.function(), r.scheduledTime(), r.payload(), r.attempt()));
        for (Entry e : all) {
            if (e.done && e.deleteWhenDone && emulatorEntries.containsKey(e.arn)) delete(e);
        }
        lastTick = now;
        return fired;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** The entry's fire times in (from, now], at most {@link #MAX_FIRES_PER_TICK}. */
    private List<Instant> dueTimes(Entry e, Instant now) {
        List<Instant> out = new ArrayList<>();
        boolean once = e.expression.kind() == ScheduleExpression.Kind.AT;
        Instant cursor = e.from;
        if (!once && e.start != null && cursor.isBefore(e.start)) cursor = e.start.minusNanos(1);
        int skipped = 0;
        while (true) {
            Optional<ZonedDateTime> next = e.expression.nextAfter(cursor.atZone(e.zone), e.anchor);
            if (next.isEmpty()) break;
            Instant t = next.get().toInstant();
            if (t.isAfter(now)) break;
            if (!once && e.end != null && t.isAfter(e.end)) break;
            cursor = t;
            if (out.size() < MAX_FIRES_PER_TICK) out.add(t);
            else skipped++;
        }
        if (skipped > 0) {
            log.accept("Scheduler: " + e.label + ": the clock jumped; fired the first " + MAX_FIRES_PER_TICK
                    + " missed times and skipped " + skipped);
        }
        return out;
    }

    /** True once nothing will fire any more: an {@code at} past its time, or past the end date / the expression's last time. */
    private static boolean finished(Entry e, Instant now) {
        if (e.expression.kind() != ScheduleExpression.Kind.AT && e.end != null && now.isAfter(e.end)) return true;
        return e.expression.nextAfter(now.atZone(e.zone), e.anchor).isEmpty();
    }

    private Fire fire(Entry e, Instant at) {
        String time = DateTimeFormatter.ISO_INSTANT.format(at);
        String payload = (e.input == null ? "{}" : e.input)
                .replace(SCHEDULED_TIME, time)
                .replace("<aws.scheduler.schedule-arn>", e.arn)
                .replace("<aws.scheduler.execution-id>", UUID.randomUUID().toString())
                .replace("<aws.scheduler.attempt-number>", "1");
        Optional<String> function = targets == null ? Optional.empty() : targets.resolve(e.target);
        if (function.isEmpty()) {
            if (warned.add("target " + e.arn)) {
                log.accept("Scheduler: " + e.label + ": target " + e.target + " is not a function of this stack; not fired");
            }
            return new Fire(e.label, e.target, at, payload, "no such target");
        }
        return run(e.label, function.get(), at, payload, 1);
    }

    /** One run of an asynchronous invocation; a failed one is run again later or, the last, sent to the destination. */
    private Fire run(String label, String function, Instant at, String payload, int attempt) {
        String time = DateTimeFormatter.ISO_INSTANT.format(at);
        try {
            byte[] answer = targets.invoke(function, payload.getBytes(StandardCharsets.UTF_8));
            return new Fire(label, function, at, payload, new String(answer, StandardCharsets.UTF_8));
        } catch (FunctionError fe) {
            return failed(label, function, at, payload, attempt, fe.errorType(), fe.errorMessage());
        } catch (RuntimeException re) {
            log.accept("Scheduler: " + label + " at " + time + ": " + re);
            return new Fire(label, function, at, payload, "error: " + re.getMessage());
        }
    }

    private Fire failed(String label, String function, Instant at, String payload, int attempt, String errorType, String error) {
        String what = "Scheduler: " + label + " at " + DateTimeFormatter.ISO_INSTANT.format(at) + ": " + function
                + " failed (" + errorType + ": " + error + ") on run " + attempt;
        FunctionSpec.AsyncInvokeConfig config = targets.async(function);
        if (attempt <= config.maximumRetryAttempts()) {
            Instant due = clock.instant().plus(RETRY_DELAYS.get(Math.min(attempt, RETRY_DELAYS.size()) - 1));
            retries.add(new PendingRetry(label, function, at, payload, attempt + 1, due));
            log.accept(what + "; Lambda runs it again at " + due);
            return new Fire(label, function, at, payload, "error: " + error + " (run " + (attempt + 1) + " at " + due + ")");
        }
        if (config.onFailure() == null) {
            log.accept(what + "; retries exhausted and no on-failure destination: dropped");
            return new Fire(label, function, at, payload, "error: " + error + " (dropped)");
        }
        try {
            targets.deliver(function, config.onFailure(), record(function, payload, attempt, errorType, error));
        } catch (RuntimeException re) {
            log.accept(what + "; retries exhausted and sending to " + config.onFailure() + " failed: " + re.getMessage());
            return new Fire(label, function, at, payload, "error: " + error + " (lost: " + re.getMessage() + ")");
        }
        log.accept(what + "; retries exhausted, sent to " + config.onFailure());
        return new Fire(label, function, at, payload, "error: " + error + " (sent to " + config.onFailure() + ")");
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** Lambda's invocation record for an on-failure destination, as AWS sends it. */
    private String record(String function, String payload, int attempts, String errorType, String error) {
        var r = JSON.createObjectNode();
        r.put("version", "1.0");
        r.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(clock.instant()));
        var context = r.putObject("requestContext");
        context.put("requestId", UUID.randomUUID().toString());
        context.put("functionArn", FunctionRegistry.arn(function) + ":live");
        context.put("condition", "RetriesExhausted");
        context.put("approximateInvokeCount", attempts);
        try {
            r.set("requestPayload", JSON.readTree(payload));
        } catch (java.io.IOException notJson) {
            r.put("requestPayload", payload);
        }
        var response = r.putObject("responseContext");
        response.put("statusCode", 200);
        response.put("executedVersion", "$LATEST");
        response.put("functionError", "Unhandled");
        var answer = r.putObject("responsePayload");
        answer.put("errorMessage", error);
        answer.put("errorType", errorType);
        return r.toString();
    }

    // ------------------------------------------------------------------ the emulator's schedules

    /** ListSchedules over every group; GetSchedule for schedules new or modified since the last pass. */
    private void refresh() {
        List<ScheduleSummary> summaries = new ArrayList<>();
        try {
            String token = null;
            do {
                String t = token;
                ListSchedulesResponse page = scheduler.listSchedules(b -> b.nextToken(t).maxResults(100));
                summaries.addAll(page.schedules());
                token = page.nextToken();
            } while (token != null && !token.isEmpty());
            lastListError = null;
        } catch (RuntimeException e) {
            String reason = String.valueOf(e.getMessage());
            if (!reason.equals(lastListError)) log.accept("Scheduler: ListSchedules failed: " + reason + " (retrying)");
            lastListError = reason;
            return;
        }
        Map<String, ScheduleSummary> seen = new HashMap<>();
        for (ScheduleSummary s : summaries) seen.put(s.arn(), s);
        emulatorEntries.keySet().removeIf(arn -> !seen.containsKey(arn));
        for (ScheduleSummary s : summaries) {
            Entry current = emulatorEntries.get(s.arn());
            String modified = String.valueOf(s.lastModificationDate());
            if (current != null && modified.equals(current.lastModified)) continue;
            GetScheduleResponse full;
            try {
                full = scheduler.getSchedule(b -> b.groupName(s.groupName()).name(s.name()));
            } catch (ResourceNotFoundException gone) {
                emulatorEntries.remove(s.arn());
                continue;
            } catch (RuntimeException e) {
                log.accept("Scheduler: GetSchedule " + s.groupName() + "/" + s.name() + " failed: " + e.getMessage());
                continue;
            }
            Entry e = current != null ? current : new Entry("schedule " + s.groupName() + "/" + s.name(), s.arn());
            e.group = s.groupName();
            e.name = s.name();
            e.lastModified = modified;
            e.enabled = full.state() != ScheduleState.DISABLED;
            e.start = full.startDate();
            e.end = full.endDate();
            e.anchor = full.startDate() != null ? full.startDate() : full.creationDate();
            e.deleteWhenDone = full.actionAfterCompletion() == ActionAfterCompletion.DELETE;
            e.target = full.target() == null ? null : full.target().arn();
            e.input = full.target() == null ? null : full.target().input();
            String problem = describeProblem(e, full.scheduleExpression(), full.scheduleExpressionTimezone());
            if (problem != null) {
                if (warned.add("problem " + s.arn() + " " + modified)) log.accept("Scheduler: " + e.label + ": " + problem + "; not fired");
                emulatorEntries.remove(s.arn());
                continue;
            }
            e.done = false;
            emulatorEntries.put(s.arn(), e);
        }
    }

    /** Parses the expression and zone into the entry; a message when they are not valid. */
    private static String describeProblem(Entry e, String expression, String timezone) {
        try {
            e.expression = ScheduleExpression.parse(expression == null ? "" : expression);
        } catch (IllegalArgumentException bad) {
            return "invalid expression '" + expression + "': " + bad.getMessage();
        }
        try {
            e.zone = ZoneId.of(timezone == null || timezone.isBlank() ? "UTC" : timezone);
        } catch (DateTimeException bad) {
            return "invalid time zone '" + timezone + "'";
        }
        return null;
    }

    private void delete(Entry e) {
        try {
            scheduler.deleteSchedule(b -> b.groupName(e.group).name(e.name));
            log.accept("Scheduler: " + e.label + " completed; deleted (ActionAfterCompletion DELETE)");
        } catch (ResourceNotFoundException gone) {
            // already gone
        } catch (RuntimeException ex) {
            log.accept("Scheduler: could not delete completed " + e.label + ": " + ex.getMessage());
            return;
        }
        emulatorEntries.remove(e.arn);
    }
}

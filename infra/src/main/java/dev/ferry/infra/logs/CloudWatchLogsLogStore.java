package dev.ferry.infra.logs;

import static dev.ferry.infra.AwsFailures.storeFailure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.LogLine;
import dev.ferry.core.model.LogQuery;
import dev.ferry.core.model.Page;
import dev.ferry.core.model.Severity;
import dev.ferry.core.port.LogStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * Execution logs in CloudWatch Logs: one group per customer, {@code /ferry/customers/<customerId>}
 * (created with the retention policy), and in it one stream per instance, named by the instance id,
 * that every execution of the instance writes to; one event per line, at the line's time in
 * milliseconds, whose message is the JSON object {@code {severity, message, executionId,
 * flowConfigId, step, attempt, nanos}}: {@code flowConfigId} and {@code step} only when set,
 * {@code nanos} (the nanoseconds past the event's millisecond) only when not 0. The line's instance
 * is its stream's name and its time the event's, so neither is repeated in the message; lines
 * written before carry both ({@code timestamp}, {@code instanceId}) and are read as they were.
 * A search of all a customer's instances reads one group, whatever their number.
 *
 * <p><b>Writes</b> are one PutLogEvents per batch (≤ 10,000 events, ≤ 1 MiB, ≤ 24 h apart) and no
 * control-plane call: the stream is created (CreateLogStream, limited to 50 a second per account)
 * only when PutLogEvents answers ResourceNotFound — once per instance, when its first lines are
 * written — and the group (CreateLogGroup, PutRetentionPolicy) only when that in turn answers
 * ResourceNotFound (normally it exists from the customer's first instance). A throttled or unavailable write is tried {@value #WRITE_TRIES} times in all,
 * 100 ms, 200 ms, 400 ms apart; a write that times out is not tried again (it may have landed, and
 * a second copy would show its lines twice).
 *
 * <p><b>Reads</b> of one execution are FilterLogEvents on its customer's group and its instance's
 * stream with a JSON pattern on {@code $.executionId}, within the execution's time span when the
 * caller knows it: the lines of that execution, oldest first. Deleting an instance deletes its
 * stream. Search: {@link CloudWatchLogsSearch}.
 */
public final class CloudWatchLogsLogStore implements LogStore {
    public static final String GROUP_PREFIX = "/ferry/customers/";
    public static final int DEFAULT_RETENTION_DAYS = 14;
    /** The retention values CloudWatch Logs accepts. */
    static final int[] RETENTION_VALUES =
            {1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653};
    static final int MAX_BATCH_EVENTS = 10_000;
    static final int MAX_BATCH_BYTES = 1_048_576;
    static final int EVENT_OVERHEAD = 26;
    /** The key of a line's nanoseconds past its event's millisecond. */
    static final String NANOS = "nanos";
    /** Conservative per-event maximum (the documented limit was 256 KB for years). */
    static final int MAX_EVENT_BYTES = 256 * 1024 - EVENT_OVERHEAD;
    static final long MAX_BATCH_SPAN_MS = 24L * 3600 * 1000 - 1;
    /** Tries of a throttled or unavailable write, the pause doubling from {@link #FIRST_PAUSE}. */
    static final int WRITE_TRIES = 4;
    static final java.time.Duration FIRST_PAUSE = java.time.Duration.ofMillis(100);
    /** A guard against a service that keeps answering empty pages with new tokens. */
    private static final int MAX_EMPTY_PAGES = 50;

    private final CloudWatchLogsClient logs;
    private final int retentionDays;
    private final CloudWatchLogsSearch search;
    private final dev.ferry.core.port.Sleeper sleeper;
    private final Set<String> knownGroups = ConcurrentHashMap.newKeySet();

    public CloudWatchLogsLogStore(CloudWatchLogsClient logs) {
        this(logs, DEFAULT_RETENTION_DAYS);
    }

    /** @param retentionDays FERRY_RETENTION_DAYS; rounded up to a value CloudWatch accepts */
    public CloudWatchLogsLogStore(CloudWatchLogsClient logs, int retentionDays) {
        this(logs, retentionDays, CloudWatchLogsSearch.DEFAULT_CALL_BUDGET, CloudWatchLogsSearch.MAX_FILTER_LIMIT);
    }

    /**
     * @param searchCallBudget FilterLogEvents calls one search page may make (each group still gets one)
     * @param searchMaxBatch   the most events one FilterLogEvents call asks for
     */
    CloudWatchLogsLogStore(CloudWatchLogsClient logs, int retentionDays, int searchCallBudget, int searchMaxBatch) {
        this(logs, retentionDays, searchCallBudget, searchMaxBatch, dev.ferry.core.port.Sleeper.SYSTEM);
    }

    /** @param sleeper waits between the tries of a throttled write */
    CloudWatchLogsLogStore(CloudWatchLogsClient logs, int retentionDays, int searchCallBudget, int searchMaxBatch,
                           dev.ferry.core.port.Sleeper sleeper) {
        this.sleeper = sleeper;
        this.logs = logs;
        this.retentionDays = retentionFor(retentionDays);
        this.search = new CloudWatchLogsSearch(logs, searchCallBudget, searchMaxBatch);
    }

    /** The log group of a customer's instances. */
    public static String groupName(String customerId) {
        return GROUP_PREFIX + customerId;
    }

    /** The smallest retention CloudWatch accepts that keeps logs at least {@code days}. */
    static int retentionFor(int days) {
        for (int v : RETENTION_VALUES) if (v >= days) return v;
        return RETENTION_VALUES[RETENTION_VALUES.length - 1];
    }

    public int retentionDays() {
        return retentionDays;
    }

    @Override
    public void ensureGroup(String customerId) {
        String group = groupName(customerId);
        if (knownGroups.contains(group)) return;
        try {
            try {
                logs.createLogGroup(b -> b.logGroupName(group));
            } catch (ResourceAlreadyExistsException e) {
                // someone else created it; set the retention anyway (idempotent)
            }
            logs.putRetentionPolicy(b -> b.logGroupName(group).retentionInDays(retentionDays));
        } catch (SdkException e) {
            throw storeFailure("CloudWatch Logs CreateLogGroup " + group, e);
        }
        knownGroups.add(group);
    }

    /**
     * Nothing to do: an execution's lines go to its instance's one stream, which the first write
     * to it creates. Making it here would be a CreateLogStream call per execution.
     */
    @Override
    public void ensureStream(String customerId, String instanceId, String executionId) {
    }

    @Override
    public void append(String customerId, String instanceId, String executionId, List<LogLine> lines) {
        if (lines.isEmpty()) return;
        String group = groupName(customerId);
        String where = "CloudWatch Logs PutLogEvents " + group + "/" + instanceId;
        for (List<InputLogEvent> batch : batches(events(lines))) {
            boolean created = false;
            while (true) {
                try {
                    withTries(where, () -> logs.putLogEvents(b -> b.logGroupName(group).logStreamName(instanceId).logEvents(batch)));
                    break;
                } catch (ResourceNotFoundException e) {
                    if (created) throw storeFailure(where, e);
                    createStream(customerId, instanceId);
                    created = true;
                } catch (SdkException e) {
                    throw storeFailure(where, e);
                }
            }
        }
    }

    @Override
    public List<LogLine> read(String customerId, String instanceId, String executionId) {
        return read(customerId, instanceId, executionId, null, null);
    }

    @Override
    public List<LogLine> read(String customerId, String instanceId, String executionId, Instant from, Instant to) {
        String group = groupName(customerId);
        String pattern = "{ $.executionId = \"" + executionId.replace("\\", "\\\\").replace("\"", "\\\"") + "\" }";
        List<LogLine> out = new ArrayList<>();
        String token = null;
        int emptyPages = 0;
        try {
            do {
                String t = token;
                var res = logs.filterLogEvents(b -> {
                    b.logGroupName(group).logStreamNames(instanceId).filterPattern(pattern).nextToken(t);
                    if (from != null) b.startTime(from.toEpochMilli());
                    if (to != null) b.endTime(to.toEpochMilli() + 1);
                });
                for (var ev : res.events()) {
                    LogLine line = fromMessage(ev.message(), ev.timestamp() == null ? 0 : ev.timestamp(), instanceId, null);
                    if (executionId.equals(line.executionId())) out.add(line);
                }
                emptyPages = res.events().isEmpty() ? emptyPages + 1 : 0;
                token = res.nextToken();
            } while (token != null && emptyPages < MAX_EMPTY_PAGES);
        } catch (ResourceNotFoundException e) {
            return List.of();
        } catch (SdkException e) {
            throw storeFailure("CloudWatch Logs FilterLogEvents " + group + " (execution " + executionId + ")", e);
        }
        out.sort(Comparator.comparing(LogLine::timestamp)); // stable: equal times keep the order they were written in
        return out;
    }

    /** DeleteLogStream of the instance's stream (its events go with it); ResourceNotFound is success. */
    @Override
    public void deleteInstance(String customerId, String instanceId) {
        String group = groupName(customerId);
        try {
            logs.deleteLogStream(b -> b.logGroupName(group).logStreamName(instanceId));
        } catch (ResourceNotFoundException e) {
            // gone already, or never written
        } catch (SdkException e) {
            throw storeFailure("CloudWatch Logs DeleteLogStream " + group + "/" + instanceId, e);
        }
    }

    @Override
    public Page<LogLine> search(LogQuery query) {
        return search.search(query);
    }

    /** The FilterLogEvents pattern a search sends (null: none); it only narrows, the adapter decides. */
    public static String filterPattern(LogQuery query) {
        return CloudWatchLogsSearch.filterPattern(query);
    }

    /** CreateLogStream of the instance's stream, after its customer's group when that is missing too; made by someone else is fine. */
    private void createStream(String customerId, String instanceId) {
        String group = groupName(customerId);
        String what = "CloudWatch Logs CreateLogStream " + group + "/" + instanceId;
        try {
            try {
                withTries(what, () -> logs.createLogStream(b -> b.logGroupName(group).logStreamName(instanceId)));
            } catch (ResourceNotFoundException e) {
                knownGroups.remove(group);
                ensureGroup(customerId);
                withTries(what, () -> logs.createLogStream(b -> b.logGroupName(group).logStreamName(instanceId)));
            }
        } catch (ResourceAlreadyExistsException e) {
            // created meanwhile by another container's first write
        } catch (SdkException e) {
            throw storeFailure(what, e);
        }
    }

    /**
     * Runs the call, again after a pause when CloudWatch throttles it or is unavailable, up to
     * {@value #WRITE_TRIES} tries; other failures (ResourceNotFound among them) are the caller's.
     */
    private void withTries(String what, Runnable call) {
        java.time.Duration pause = FIRST_PAUSE;
        for (int attempt = 1; ; attempt++) {
            try {
                call.run();
                return;
            } catch (software.amazon.awssdk.awscore.exception.AwsServiceException e) {
                boolean busy = e.isThrottlingException() || e.statusCode() == 503
                        || e instanceof software.amazon.awssdk.services.cloudwatchlogs.model.ServiceUnavailableException;
                if (!busy || attempt >= WRITE_TRIES) throw e;
            }
            try {
                sleeper.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new dev.ferry.core.error.StoreException(what + " interrupted", e);
            }
            pause = pause.multipliedBy(2);
        }
    }

    /**
     * The events {@link #append} puts for these lines, in time order (equal times keep their order);
     * also what SnapStart priming encodes, without writing them anywhere that exists.
     */
    public static List<InputLogEvent> events(List<LogLine> lines) {
        List<InputLogEvent> events = new ArrayList<>(lines.size());
        for (LogLine line : lines) {
            events.add(InputLogEvent.builder().timestamp(line.timestamp().toEpochMilli()).message(toMessage(line)).build());
        }
        events.sort(Comparator.comparingLong(InputLogEvent::timestamp)); // stable
        return events;
    }

    /** Splits time-sorted events into PutLogEvents batches within CloudWatch's limits. */
    static List<List<InputLogEvent>> batches(List<InputLogEvent> events) {
        List<List<InputLogEvent>> out = new ArrayList<>();
        List<InputLogEvent> current = new ArrayList<>();
        long bytes = 0;
        for (InputLogEvent ev : events) {
            int size = ev.message().getBytes(StandardCharsets.UTF_8).length + EVENT_OVERHEAD;
            boolean full = current.size() == MAX_BATCH_EVENTS || bytes + size > MAX_BATCH_BYTES
                    || (!current.isEmpty() && ev.timestamp() - current.get(0).timestamp() > MAX_BATCH_SPAN_MS);
            if (full && !current.isEmpty()) {
                out.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(ev);
            bytes += size;
        }
        if (!current.isEmpty()) out.add(current);
        return out;
    }

    /**
     * The event message of a line (see the class comment): its time and instance are the event's
     * timestamp and stream, so only what they cannot say is written. A message too big for one event
     * is cut, keeping the line valid JSON.
     */
    static String toMessage(LogLine line) {
        ObjectNode o = Json.object();
        o.put("severity", line.severity() == null ? null : line.severity().name());
        o.put("message", line.message());
        o.put("executionId", line.executionId());
        if (line.flowConfigId() != null) o.put("flowConfigId", line.flowConfigId());
        if (line.step() != null) o.put("step", line.step());
        o.put("attempt", line.attempt());
        int nanos = nanosPastMillisecond(line.timestamp());
        if (nanos != 0) o.put(NANOS, nanos);
        String json = Json.write(o);
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes <= MAX_EVENT_BYTES || line.message() == null) return json;
        // Too big for one event: cut the message, keeping the line valid JSON.
        String msg = line.message();
        int keep = Math.max(0, msg.length() - (bytes - MAX_EVENT_BYTES) - 64);
        while (true) {
            o.put("message", msg.substring(0, keep) + "…[truncated]");
            json = Json.write(o);
            if (json.getBytes(StandardCharsets.UTF_8).length <= MAX_EVENT_BYTES || keep == 0) return json;
            keep = Math.max(0, keep - Math.max(1024, keep / 10));
        }
    }

    /** The nanoseconds of {@code t} past the millisecond its event carries ({@link Instant#toEpochMilli}, which rounds down). */
    static int nanosPastMillisecond(Instant t) {
        return t.getNano() % 1_000_000;
    }

    static LogLine fromMessage(OutputLogEvent ev, String instanceId, String executionId) {
        return fromMessage(ev.message(), ev.timestamp() == null ? 0 : ev.timestamp(), instanceId, executionId);
    }

    /**
     * A line from an event: its message is one of Ferry's JSON lines — as written now (the time is
     * the event's {@code timestamp} plus {@code nanos}, the instance the stream's), or as written
     * before, with its own {@code timestamp} and {@code instanceId} — or any other text, kept as an
     * INFO line at the event's time.
     *
     * @param timestamp  the event's time, in milliseconds
     * @param instanceId the event's stream: the instance whose line it is
     */
    static LogLine fromMessage(String message, long timestamp, String instanceId, String executionId) {
        try {
            JsonNode o = Json.tree(message);
            if (o.isObject() && o.hasNonNull("timestamp")) { // written before the message left out time and instance
                return new LogLine(Instant.parse(o.get("timestamp").asText()),
                        Severity.parse(text(o, "severity")).orElse(Severity.INFO),
                        text(o, "message"), text(o, "instanceId"), text(o, "executionId"),
                        text(o, "flowConfigId"), text(o, "step"), o.path("attempt").asInt(0));
            }
            if (o.isObject() && o.has("severity") && o.has("executionId")) {
                long nanos = o.path(NANOS).asLong(0);
                Instant at = Instant.ofEpochMilli(timestamp).plusNanos(nanos >= 0 && nanos < 1_000_000 ? nanos : 0);
                return new LogLine(at, Severity.parse(text(o, "severity")).orElse(Severity.INFO),
                        text(o, "message"), instanceId, text(o, "executionId"),
                        text(o, "flowConfigId"), text(o, "step"), o.path("attempt").asInt(0));
            }
        } catch (RuntimeException e) {
            // not one of our JSON lines: fall through and keep it as plain text
        }
        return new LogLine(Instant.ofEpochMilli(timestamp), Severity.INFO, message, instanceId, executionId,
                null, null, 0);
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}

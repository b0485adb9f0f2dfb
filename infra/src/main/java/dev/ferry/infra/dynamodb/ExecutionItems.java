package dev.ferry.infra.dynamodb;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.ferry.core.error.StoreException;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionError;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.StepResult;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.port.ExecutionStore;
import dev.ferry.infra.s3.S3PayloadStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The item codec of the ExecutionsTable: an {@link Execution} to its item (with the payloads that go
 * to S3) and back, the keys, and the attributes that put an item into each index. Makes no AWS call
 * except to read offloaded payloads back ({@link #decodeFull}). Layout: infra/README.md.
 */
final class ExecutionItems {
    static final int BODY_INLINE_MAX = 64 * 1024;
    static final int STEPS_INLINE_MAX = 128 * 1024;
    static final String BY_CUSTOMER = "byCustomer";
    static final String BY_FLOW_CONFIG = "byFlowConfig";
    /**
     * Keys only, partition {@code queuedDay} = {@code ALL#<shard>} ({@link #LIST_SHARDS}), sort
     * {@code queuedKey}: the deployment-wide list. Every execution writes one entry at accept, so one
     * partition would cap the whole deployment at about 1,000 executions a second; lists merge the
     * shards newest first. (The name is from when the partition was the execution's UTC day.)
     */
    static final String BY_DAY = "byDay";
    /** Sparse: only HELD executions carry {@code heldInstanceId}, so it holds exactly the held ones. */
    static final String BY_HELD = "byHeld";
    /** Sparse: only FAILED, unresolved executions carry its key {@code unresolvedDay} (= queuedDay: the same shard). */
    static final String BY_UNRESOLVED = "byUnresolved";
    /**
     * Shards of {@code byQueued}: each execution enters and leaves it once, so 2 writes per
     * execution land on one of these partitions. 16 carry about 16,000 writes a second (1,000 per
     * partition), 8,000 executions a second; the sweeps that read them run once a minute, one Query
     * per shard. A shard count that grows keeps every earlier shard.
     */
    static final int UNFINISHED_SHARDS = 16;
    /**
     * Shards of {@code byDay} and {@code byUnresolved}: one entry per execution lands on one of them,
     * so 16 carry about 16,000 executions a second. A time-ordered sort key writes at the end of its
     * partition, so a partition per day or per hour would add nothing but partitions to read.
     */
    static final int LIST_SHARDS = 16;
    /**
     * Sparse, keys only: the unfinished executions the sweep watches ({@code queuedPk} =
     * {@code QUEUED#<shard>}, sort {@code queuedKey}, the time each was queued). Nothing enters it when
     * an execution is accepted or claimed soon after: each minute the sweep reads the executions queued
     * since its previous run ({@code byDay}, from {@link ExecutionStore#LATE_WRITE} before it) and enters
     * those it finds RUNNING, and those still unclaimed and awaiting acknowledgement ({@code awaitsAck}:
     * a webhook's original or a single replay, which may have been answered 5xx) at its last look at
     * them. A claim made more than {@link ExecutionStore#LATE_CLAIM} after the queue time enters the
     * execution itself, since the sweep may have looked for the last time. Any end (succeeded, failed,
     * cancelled) leaves it. So an execution that ends within a minute costs the index nothing. The
     * unacknowledged sweep and the stuck and duration checks read it, and check each entry's item.
     */
    static final String BY_QUEUED = "byQueued";

    static final String SK_EXECUTION = "EXECUTION";

    /** What a list item carries: everything but the request body and the steps. */
    static final List<String> SUMMARY_ATTRIBUTES = List.of(
            "pk", "sk", "queuedKey", "queuedDay", "id", "instanceId", "customerId", "flowConfigId", "flow", "trigger",
            "status", "queuedAt", "startedAt", "endedAt", "durationMs", "error", "attempt", "retryOf", "nextRetryAt",
            "retriesRemaining", "replayOf", "replays", "resolved", "cancelledBy", "cancelledAt", "integrationVersion", "expiresAt",
            "expiresAtTime", "original", "hasRequest", "requestMethod", "requestHeaders", "requestQuery", "requestContentType", "unresolvedDay", "replayJobId",
            "outputsDiscarded", "logsDiscarded", "logLinesDropped", "awaitsAck");
    /** What the sweep's watch reads of each recent execution: whether it is unfinished and already watched. */
    static final List<String> WATCH_ATTRIBUTES = List.of(
            "pk", "sk", "queuedKey", "status", "awaitsAck", "queuedPk", "expiresAt", "expiresAtTime");

    private static final ObjectWriter STEPS_WRITER = Json.MAPPER.copy()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .writerFor(new TypeReference<List<StepResult>>() {});
    private static final ObjectReader STEPS_READER = Json.MAPPER.readerFor(new TypeReference<List<StepResult>>() {});
    private static final ObjectWriter ERROR_WRITER = Json.MAPPER.copy()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .writerFor(ExecutionError.class);

    private ExecutionItems() {}

    static String pk(String id) {
        return "EXECUTION#" + id;
    }

    /** The execution id of an item or index entry, from its {@code pk}. */
    static String idOf(Map<String, AttributeValue> item) {
        return Attr.str(item, "pk").substring(pk("").length());
    }

    static Map<String, AttributeValue> key(String id) {
        return Map.of("pk", Attr.s(pk(id)), "sk", Attr.s(SK_EXECUTION));
    }

    static String bodyKey(String id) {
        return "executions/" + id + "/request-body";
    }

    static String stepsKey(String id) {
        return "executions/" + id + "/steps.json";
    }

    static String queuedPk(String id) {
        return "QUEUED#" + Math.floorMod(id.hashCode(), UNFINISHED_SHARDS);
    }

    /** The {@code byDay} / {@code byUnresolved} partition of an execution: a shard of its id. */
    static String listShard(String id) {
        return "ALL#" + Math.floorMod(id.hashCode(), LIST_SHARDS);
    }

    /** The partitions a deployment-wide or unresolved list merges: every shard. */
    static List<String> listPartitions() {
        List<String> out = new ArrayList<>(LIST_SHARDS);
        for (int n = 0; n < LIST_SHARDS; n++) out.add("ALL#" + n);
        return out;
    }

    /** Whether the item is past its expiry ({@code expiresAtTime}, else {@code expiresAt}), TTL deletion or not. */
    static boolean expired(Map<String, AttributeValue> item, Instant now) {
        Instant exp = Attr.instant(item, "expiresAtTime");
        if (exp == null) {
            Long secs = Attr.lng(item, "expiresAt");
            exp = secs == null ? null : Instant.ofEpochSecond(secs);
        }
        return exp != null && !now.isBefore(exp);
    }

    /** Adds {@link #SUMMARY_ATTRIBUTES} to {@code names} as #p0, #p1… and answers the projection expression. */
    static String summaryProjection(Map<String, String> names) {
        return projection(SUMMARY_ATTRIBUTES, names);
    }

    /** Adds {@code attributes} to {@code names} as #p0, #p1… and answers the projection expression. */
    static String projection(List<String> attributes, Map<String, String> names) {
        StringBuilder projection = new StringBuilder();
        for (int i = 0; i < attributes.size(); i++) {
            if (i > 0) projection.append(", ");
            projection.append("#p").append(i);
            names.put("#p" + i, attributes.get(i));
        }
        return projection.toString();
    }

    // ---------------------------------------------------------------- encoding

    /** An item plus the payloads that go to S3 (null when inline). */
    record Encoded(String id, Map<String, AttributeValue> item, byte[] bodyBytes, byte[] stepsBytes) {
        void uploadBody(S3PayloadStore s3) {
            if (bodyBytes != null) s3.put(bodyKey(id), bodyBytes);
        }

        void uploadSteps(S3PayloadStore s3) {
            if (stepsBytes != null) s3.put(stepsKey(id), stepsBytes, "application/json");
        }
    }

    /**
     * The item of an execution whose request body and steps fit inline; larger payloads are refused
     * (see {@link DynamoDbExecutionStore#itemOf}).
     */
    static Map<String, AttributeValue> itemOf(Execution e) {
        Encoded enc = encode(e);
        if (enc.bodyBytes != null || enc.stepsBytes != null) {
            throw new IllegalArgumentException("execution " + e.id() + " has payloads for S3: use create()");
        }
        return enc.item;
    }

    /** The item of an execution as a later write stores it (see {@link #encode(Execution, boolean)}). */
    static Encoded encode(Execution e) {
        return encode(e, false);
    }

    /**
     * The item of an execution. A RUNNING one is among the watched ({@code queuedPk}: {@link #BY_QUEUED});
     * one still awaiting acknowledgement is too when this is a later write ({@code created} false: it
     * keeps the entry the sweep gave it), not when it is first stored: the sweep enters it if it is
     * still unclaimed at its last look, so an execution claimed soon after costs the index nothing.
     */
    static Encoded encode(Execution e, boolean created) {
        if (e.id() == null || e.queuedAt() == null) throw new IllegalArgumentException("an execution needs an id and queuedAt");
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", Attr.s(pk(e.id())));
        item.put("sk", Attr.s(SK_EXECUTION));
        item.put("queuedKey", Attr.s(Attr.keyTime(e.queuedAt()) + "#" + e.id()));
        item.put("queuedDay", Attr.s(listShard(e.id())));
        item.put("id", Attr.s(e.id()));
        Attr.put(item, "instanceId", e.instanceId());
        Attr.put(item, "customerId", e.customerId());
        Attr.put(item, "flowConfigId", e.flowConfigId());
        Attr.put(item, "flow", e.flow());
        if (e.trigger() != null) item.put("trigger", Attr.s(e.trigger().name()));
        if (e.status() != null) item.put("status", Attr.s(e.status().name()));
        if (e.status() == ExecutionStatus.HELD && e.instanceId() != null) item.put("heldInstanceId", Attr.s(e.instanceId()));
        boolean awaitsAck = ExecutionStore.awaitsAcknowledgement(e);
        if (awaitsAck) item.put("awaitsAck", Attr.bool(true));
        if ((awaitsAck && !created) || (e.status() == ExecutionStatus.RUNNING && e.startedAt() != null)) {
            item.put("queuedPk", Attr.s(queuedPk(e.id())));
        }
        Attr.put(item, "queuedAt", e.queuedAt());
        Attr.put(item, "startedAt", e.startedAt());
        Attr.put(item, "endedAt", e.endedAt());
        Attr.put(item, "durationMs", e.durationMs());
        if (e.error() != null) item.put("error", Attr.s(writeError(e.error())));
        item.put("attempt", Attr.n(e.attempt()));
        Attr.put(item, "retryOf", e.retryOf());
        Attr.put(item, "nextRetryAt", e.nextRetryAt());
        Attr.put(item, "retriesRemaining", e.retriesRemaining());
        Attr.put(item, "replayOf", e.replayOf());
        item.put("replays", Attr.stringList(e.replays()));
        item.put("resolved", Attr.bool(e.resolved()));
        item.put("original", Attr.bool(e.original()));
        if (e.status() == ExecutionStatus.FAILED && !e.resolved()) item.put("unresolvedDay", Attr.s(listShard(e.id())));
        Attr.put(item, "replayJobId", e.replayJobId());
        if (e.outputsDiscarded()) item.put("outputsDiscarded", Attr.bool(true));
        if (e.logsDiscarded()) item.put("logsDiscarded", Attr.bool(true));
        if (e.logLinesDropped() > 0) item.put("logLinesDropped", Attr.n(e.logLinesDropped()));
        Attr.put(item, "cancelledBy", e.cancelledBy());
        Attr.put(item, "cancelledAt", e.cancelledAt());
        Attr.put(item, "integrationVersion", e.integrationVersion());
        if (e.expiresAt() != null) {
            long secs = e.expiresAt().getEpochSecond() + (e.expiresAt().getNano() > 0 ? 1 : 0);
            item.put("expiresAt", Attr.n(secs));
            item.put("expiresAtTime", Attr.time(e.expiresAt()));
        }

        byte[] bodyOffloaded = null;
        ExecutionRequest r = e.request();
        item.put("hasRequest", Attr.bool(r != null));
        if (r != null) {
            Attr.put(item, "requestMethod", r.method());
            item.put("requestHeaders", Attr.stringMap(r.headers()));
            item.put("requestQuery", Attr.stringMap(r.query()));
            Attr.put(item, "requestContentType", r.contentType());
            item.put("requestBodySize", Attr.n(r.body().length));
            if (r.body().length > BODY_INLINE_MAX) {
                bodyOffloaded = r.body();
                item.put("requestBodyKey", Attr.s(bodyKey(e.id())));
                item.put("requestBodySha256", Attr.s(sha256(r.body())));
            } else if (r.body().length > 0) {
                item.put("requestBody", Attr.b(r.body()));
            }
        }

        byte[] stepsOffloaded = null;
        if (!e.steps().isEmpty()) {
            byte[] json = writeSteps(e.steps());
            if (json.length > STEPS_INLINE_MAX) {
                stepsOffloaded = json;
                item.put("stepsKey", Attr.s(stepsKey(e.id())));
            } else {
                item.put("steps", Attr.b(json));
            }
        }
        return new Encoded(e.id(), item, bodyOffloaded, stepsOffloaded);
    }

    // ---------------------------------------------------------------- decoding

    /** The whole execution: its request body and steps read back from S3 when they were offloaded. */
    static Execution decodeFull(Map<String, AttributeValue> item, S3PayloadStore payloads) {
        String id = Attr.str(item, "id");
        ExecutionRequest request = null;
        if (Attr.bool(item, "hasRequest")) {
            byte[] body;
            if (Attr.str(item, "requestBodyKey") != null) {
                body = payloads.get(Attr.str(item, "requestBodyKey")).orElseThrow(() -> missing(id, "request body"));
            } else {
                body = Attr.bytes(item, "requestBody");
            }
            request = new ExecutionRequest(Attr.str(item, "requestMethod"), body == null ? new byte[0] : body,
                    Attr.stringMap(item, "requestHeaders"), Attr.stringMap(item, "requestQuery"),
                    Attr.str(item, "requestContentType"));
        }
        List<StepResult> steps = List.of();
        if (Attr.str(item, "stepsKey") != null) {
            steps = readSteps(payloads.get(Attr.str(item, "stepsKey")).orElseThrow(() -> missing(id, "steps")));
        } else if (item.containsKey("steps")) {
            steps = readSteps(Attr.bytes(item, "steps"));
        }
        return decode(item).request(request).steps(steps).build();
    }

    /** A list's execution: the request without its body, no steps. */
    static Execution decodeSummary(Map<String, AttributeValue> item) {
        ExecutionRequest request = Attr.bool(item, "hasRequest")
                ? new ExecutionRequest(Attr.str(item, "requestMethod"), new byte[0], Attr.stringMap(item, "requestHeaders"),
                        Attr.stringMap(item, "requestQuery"), Attr.str(item, "requestContentType"))
                : null;
        return decode(item).request(request).steps(List.of()).build();
    }

    /** Every attribute but the request and the steps. */
    static Execution.Builder decode(Map<String, AttributeValue> i) {
        String trigger = Attr.str(i, "trigger");
        String status = Attr.str(i, "status");
        String error = Attr.str(i, "error");
        Instant expires = Attr.instant(i, "expiresAtTime");
        if (expires == null && Attr.lng(i, "expiresAt") != null) expires = Instant.ofEpochSecond(Attr.lng(i, "expiresAt"));
        return Execution.builder()
                .id(Attr.str(i, "id"))
                .instanceId(Attr.str(i, "instanceId"))
                .customerId(Attr.str(i, "customerId"))
                .flowConfigId(Attr.str(i, "flowConfigId"))
                .flow(Attr.str(i, "flow"))
                .trigger(trigger == null ? null : Trigger.valueOf(trigger))
                .status(status == null ? null : ExecutionStatus.valueOf(status))
                .queuedAt(Attr.instant(i, "queuedAt"))
                .startedAt(Attr.instant(i, "startedAt"))
                .endedAt(Attr.instant(i, "endedAt"))
                .durationMs(Attr.lng(i, "durationMs"))
                .error(error == null ? null : Json.read(error, ExecutionError.class))
                .attempt(Attr.integer(i, "attempt", 1))
                .retryOf(Attr.str(i, "retryOf"))
                .nextRetryAt(Attr.instant(i, "nextRetryAt"))
                .retriesRemaining(Attr.integer(i, "retriesRemaining"))
                .replayOf(Attr.str(i, "replayOf"))
                .replays(Attr.stringList(i, "replays"))
                .resolved(Attr.bool(i, "resolved"))
                .cancelledBy(Attr.str(i, "cancelledBy"))
                .cancelledAt(Attr.instant(i, "cancelledAt"))
                .integrationVersion(version(i))
                .expiresAt(expires)
                .replayJobId(Attr.str(i, "replayJobId"))
                .outputsDiscarded(Attr.bool(i, "outputsDiscarded"))
                .logsDiscarded(Attr.bool(i, "logsDiscarded"))
                .logLinesDropped(Attr.integer(i, "logLinesDropped", 0));
    }

    /** The version the run recorded; null before that (items written before it was optional hold 0). */
    private static Integer version(Map<String, AttributeValue> item) {
        Integer v = Attr.integer(item, "integrationVersion");
        return v == null || v < 1 ? null : v;
    }

    private static StoreException missing(String id, String what) {
        return new StoreException("the " + what + " of execution '" + id + "' is missing from the payload bucket", null);
    }

    static String writeError(ExecutionError error) {
        try {
            return ERROR_WRITER.writeValueAsString(error);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] writeSteps(List<StepResult> steps) {
        try {
            return STEPS_WRITER.writeValueAsBytes(steps);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<StepResult> readSteps(byte[] json) {
        try {
            return STEPS_READER.readValue(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

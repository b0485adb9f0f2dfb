package dev.ferry.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.local.lambda.FunctionError;
import dev.ferry.local.lambda.FunctionSpec;
import dev.ferry.local.lambda.LocalFunction;
import dev.ferry.template.Intrinsics;
import dev.ferry.template.TemplateException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * An SQS event source mapping: long-polls the queue ({@code MaxNumberOfMessages} = the event's
 * {@code BatchSize}, at most 10), hands each batch to the function as a Lambda SQS event, and
 * deletes what was handled — with {@code ReportBatchItemFailures}, every message but the reported
 * {@code batchItemFailures}; without it, the whole batch on success and nothing on an exception.
 * Messages not deleted come back after the queue's visibility timeout and go to its dead-letter
 * queue after {@code maxReceiveCount} receives, as on AWS (the emulator does that part).
 *
 * <p>{@value #POLLERS} pollers per queue, each invoking on its own thread — fewer when the event's
 * {@code ScalingConfig.MaximumConcurrency} is lower, so the source never has more invocations in
 * flight than AWS would allow it (a value outside AWS's 2 to 1,000 is refused, as CloudFormation
 * would).
 */
public final class SqsEventSource implements EventSource {
    public static final EventSourceType TYPE = SqsEventSource::create;
    /** Concurrent pollers per queue (Lambda starts with five; two keep a slow flow from blocking the queue). */
    public static final int POLLERS = 2;
    /** Long-poll wait; also bounds how long shutdown waits for an idle poller. */
    public static final int WAIT_SECONDS = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalFunction function;
    private final SqsClient sqs;
    private final String queueArn;
    private final String queueUrl;
    private final int batchSize;
    private final boolean partialFailures;
    private final int pollers;
    private final Consumer<String> log;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    private SqsEventSource(LocalFunction function, SqsClient sqs, String queueArn, String queueUrl, int batchSize,
                           boolean partialFailures, int pollers, Consumer<String> log) {
        this.function = function;
        this.sqs = sqs;
        this.queueArn = queueArn;
        this.queueUrl = queueUrl;
        this.batchSize = batchSize;
        this.partialFailures = partialFailures;
        this.pollers = pollers;
        this.log = log;
    }

    private static EventSource create(FunctionSpec spec, FunctionSpec.Event event, EventSourceContext ctx) {
        JsonNode p = event.properties();
        String arn = p.path("Queue").asText("");
        if (!arn.startsWith("arn:")) {
            throw new TemplateException(spec.name() + " event " + event.name() + ": Queue must be a queue ARN, got '" + arn + "'");
        }
        int batch = p.path("BatchSize").asInt(10);
        if (batch > 10) {
            ctx.log().accept("  note: " + spec.name() + " event " + event.name() + " has BatchSize " + batch
                    + "; the local poller receives at most 10 per batch");
            batch = 10;
        }
        int pollers = pollers(spec.name() + " event " + event.name(), p, POLLERS);
        boolean partial = false;
        for (JsonNode t : p.path("FunctionResponseTypes")) partial |= "ReportBatchItemFailures".equals(t.asText());
        String queueName = arn.substring(arn.lastIndexOf(':') + 1);
        String url = ctx.aws().sqs().getQueueUrl(b -> b.queueName(queueName)).queueUrl();
        LocalFunction f = ctx.functions().find(spec.name())
                .orElseThrow(() -> new IllegalStateException("function " + spec.name() + " is not loaded"));
        if (!p.path("Enabled").asBoolean(true)) {
            return new Disabled("SQS " + queueName + " → " + spec.name() + " (Enabled: false, not polled)");
        }
        return new SqsEventSource(f, ctx.functionClients().apply(spec.name()).sqs(), arn, url, Math.max(1, batch), partial, pollers, ctx.log());
    }

    /**
     * How many pollers (concurrent invocations) an event source runs: {@code localLimit}, or its
     * {@code ScalingConfig.MaximumConcurrency} when that is lower. Throws {@link TemplateException}
     * for a MaximumConcurrency AWS would not accept (below 2, above 1,000, not a number).
     */
    static int pollers(String what, JsonNode properties, int localLimit) {
        JsonNode max = properties.path("ScalingConfig").path("MaximumConcurrency");
        if (max.isMissingNode() || max.isNull()) return localLimit;
        String text = max.asText("").trim();
        if (!text.matches("[0-9]{1,9}") || Integer.parseInt(text) < 2 || Integer.parseInt(text) > 1000) {
            throw new TemplateException(what + ": ScalingConfig.MaximumConcurrency must be a number from 2 to 1000, got '"
                    + max.asText() + "'");
        }
        return Math.min(localLimit, Integer.parseInt(text));
    }

    @Override
    public String describe() {
        return "SQS " + queueName() + " → " + function.name() + " (batch " + batchSize
                + (partialFailures ? ", partial batch failures" : "") + ", " + pollers + " pollers)";
    }

    private String queueName() {
        return queueArn.substring(queueArn.lastIndexOf(':') + 1);
    }

    /**
     * Starts the pollers. First, as Lambda does when it creates an event source mapping, it reads the
     * queue's attributes with the function's role: a role that may not is refused here, not later.
     */
    @Override
    public synchronized void start() {
        if (running) return;
        sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNamesWithStrings("VisibilityTimeout"));
        running = true;
        for (int i = 1; i <= pollers; i++) {
            Thread t = new Thread(this::poll, "ferry-sqs-" + queueName() + "-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void poll() {
        long backoffMs = 0;
        String lastError = null;
        while (running) {
            List<Message> messages;
            try {
                messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                        .maxNumberOfMessages(batchSize)
                        .waitTimeSeconds(WAIT_SECONDS)
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                        .attributeNamesWithStrings(QueueAttributeName.ALL.toString())
                        .messageAttributeNames("All")).messages();
                backoffMs = 0;
                lastError = null;
            } catch (RuntimeException e) {
                if (!running) return;
                String reason = String.valueOf(e.getMessage());
                if (!reason.equals(lastError)) log.accept("SQS " + queueName() + ": receive failed: " + reason + " (retrying)");
                lastError = reason;
                backoffMs = Math.min(5000, backoffMs == 0 ? 200 : backoffMs * 2);
                if (!sleep(backoffMs)) return;
                continue;
            }
            if (!messages.isEmpty()) deliver(messages);
        }
    }

    private void deliver(List<Message> messages) {
        byte[] event = event(messages);
        Set<String> failed = new HashSet<>();
        try {
            byte[] out = function.invoke(event);
            if (partialFailures) failed = reportedFailures(out, messages);
        } catch (FunctionError e) {
            log.accept("SQS " + queueName() + ": " + function.name() + " failed on a batch of " + messages.size() + " ("
                    + e.errorType() + ": " + e.errorMessage() + "); the messages come back after the visibility timeout");
            return;
        }
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            if (!failed.contains(m.messageId())) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i)).receiptHandle(m.receiptHandle()).build());
            }
        }
        if (!failed.isEmpty()) {
            log.accept("SQS " + queueName() + ": " + function.name() + " reported " + failed.size() + " of "
                    + messages.size() + " messages failed; they come back after the visibility timeout");
        }
        if (entries.isEmpty()) return;
        try {
            var result = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            if (result.hasFailed() && !result.failed().isEmpty()) {
                log.accept("SQS " + queueName() + ": could not delete " + result.failed().size() + " handled messages: "
                        + result.failed().get(0).message());
            }
        } catch (RuntimeException e) {
            log.accept("SQS " + queueName() + ": could not delete handled messages: " + e.getMessage());
        }
    }

    /**
     * The ids in {@code {"batchItemFailures": [{"itemIdentifier": …}]}}. As on AWS, an answer that
     * is not of that shape or names an id not in the batch fails the whole batch.
     */
    private Set<String> reportedFailures(byte[] out, List<Message> messages) {
        Set<String> all = new HashSet<>();
        messages.forEach(m -> all.add(m.messageId()));
        try {
            JsonNode answer = out.length == 0 ? null : JSON.readTree(out);
            if (answer == null || answer.isNull() || answer.isObject() && !answer.has("batchItemFailures")) return Set.of();
            JsonNode failures = answer.path("batchItemFailures");
            if (failures.isNull()) return Set.of();
            if (!failures.isArray()) return all;
            Set<String> ids = new HashSet<>();
            for (JsonNode f : failures) {
                String id = f.path("itemIdentifier").asText("");
                if (!all.contains(id)) {
                    log.accept("SQS " + queueName() + ": batchItemFailures names '" + id
                            + "', not a message of the batch; the whole batch counts as failed");
                    return all;
                }
                ids.add(id);
            }
            return ids;
        } catch (Exception e) {
            log.accept("SQS " + queueName() + ": " + function.name()
                    + " answered something other than {\"batchItemFailures\": […]}; the whole batch counts as failed");
            return all;
        }
    }

    /** A Lambda SQS event, as AWS delivers it. */
    private byte[] event(List<Message> messages) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (Message m : messages) {
            ObjectNode r = records.addObject();
            r.put("messageId", m.messageId());
            r.put("receiptHandle", m.receiptHandle());
            r.put("body", m.body());
            ObjectNode attributes = r.putObject("attributes");
            m.attributesAsStrings().forEach(attributes::put);
            ObjectNode messageAttributes = r.putObject("messageAttributes");
            m.messageAttributes().forEach((name, v) -> messageAttributes.set(name, attribute(v)));
            r.put("md5OfBody", m.md5OfBody());
            if (m.md5OfMessageAttributes() != null) r.put("md5OfMessageAttributes", m.md5OfMessageAttributes());
            r.put("eventSource", "aws:sqs");
            r.put("eventSourceARN", queueArn);
            r.put("awsRegion", Intrinsics.REGION);
        }
        try {
            return JSON.writeValueAsBytes(event);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode attribute(MessageAttributeValue v) {
        ObjectNode a = JSON.createObjectNode();
        if (v.stringValue() != null) a.put("stringValue", v.stringValue());
        if (v.binaryValue() != null) a.put("binaryValue", java.util.Base64.getEncoder().encodeToString(v.binaryValue().asByteArray()));
        ArrayNode strings = a.putArray("stringListValues");
        v.stringListValues().forEach(strings::add);
        ArrayNode binaries = a.putArray("binaryListValues");
        for (SdkBytes b : v.binaryListValues()) binaries.add(java.util.Base64.getEncoder().encodeToString(b.asByteArray()));
        a.put("dataType", v.dataType());
        return a;
    }

    private boolean sleep(long ms) {
        try {
            Thread.sleep(ms);
            return running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        running = false;
        long deadline = System.nanoTime() + (WAIT_SECONDS + 3) * 1_000_000_000L;
        for (Thread t : threads) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            try {
                if (left > 0) t.join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** An event source the template switched off ({@code Enabled: false}). */
    private record Disabled(String describe) implements EventSource {
        @Override public void start() {}
        @Override public void close() {}
    }
}

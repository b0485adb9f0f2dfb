package dev.ferry.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.ferry.core.json.Json;
import dev.ferry.functions.Wiring;
import dev.ferry.functions.execution.FlowExecutionFunction;
import dev.ferry.functions.monitor.MonitorEvaluationFunction;
import dev.ferry.functions.webhook.WebhookFunction;
import dev.ferry.infra.AwsClients;
import dev.ferry.infra.CallCounter;
import dev.ferry.local.Demo;
import dev.ferry.local.LocalStack;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The cost of one one-step execution (the demo flow: a log and a transform step, triggered by a
 * webhook) at us-east-1 list prices: each function on the path (WebhookFunction, then
 * FlowExecutionFunction from the execution queue's message, then MonitorEvaluationFunction once for
 * each monitor event the run put on the real monitor queue) is run warm in this JVM with its
 * template environment, its AWS calls counted, its request units metered ({@link CapacityMeter}),
 * its log bytes counted and its duration timed. Measured twice: the demo as it is, with no monitor
 * in scope (so the run sends no monitor event), then with a FAILURE_RATE monitor of the demo
 * instance, which counts every execution's outcome (one event per run: this quick flow's end
 * carries its start).
 */
final class CostBenchmark {
    /** us-east-1 list prices (USD), looked up 2026-11-26; see docs/benchmarks.md for the sources. */
    static final double LAMBDA_ARM_GB_SECOND = 0.0000133334;
    static final double LAMBDA_REQUEST = 0.20 / 1e6;
    static final double HTTP_API_REQUEST = 1.00 / 1e6;
    static final double SCHEDULER_INVOCATION = 1.00 / 1e6;
    static final double DYNAMODB_WRU = 0.625 / 1e6;
    static final double DYNAMODB_RRU = 0.125 / 1e6;
    static final double SQS_REQUEST = 0.40 / 1e6;
    static final double LOGS_INGESTED_GB = 0.50;
    /** Lambda's own START, END and REPORT lines of an invocation in the Text log format, with CloudWatch's 26 bytes per event (an estimate). */
    static final long TEXT_PLATFORM_LOG_BYTES = 420;
    /**
     * A warm invocation's platform.start and platform.report lines in the JSON log format, as Lambda
     * documents their fields; the values (ids, version, durations, memory) are made up to a typical
     * length, so their size is an estimate.
     */
    static final List<String> JSON_PLATFORM_LINES = List.of(
            "{\"time\":\"2026-12-06T04:02:28.123Z\",\"type\":\"platform.start\",\"record\":{\"requestId\":"
                    + "\"6d68ca91-49c9-448d-89b8-7ca3e6dc66aa\",\"version\":\"12\"}}",
            "{\"time\":\"2026-12-06T04:02:28.204Z\",\"type\":\"platform.report\",\"record\":{\"requestId\":"
                    + "\"6d68ca91-49c9-448d-89b8-7ca3e6dc66aa\",\"metrics\":{\"durationMs\":81.27,\"billedDurationMs\":82,"
                    + "\"memorySizeMB\":1024,\"maxMemoryUsedMB\":187},\"status\":\"success\"}}");

    /**
     * What Lambda itself logs for one successful invocation of a function, as its {@code LoggingConfig}
     * in template.yaml sets it (a {@code Ref} to a parameter read as the parameter's default): in the
     * JSON format at system level WARN, nothing (Lambda writes WARN lines for failed and timed-out
     * invocations only); at INFO or DEBUG (Lambda's default), the platform.start and platform.report
     * lines, estimated (DEBUG may add more); in the Text format, the estimated START, END and REPORT lines.
     *
     * @param bytes with CloudWatch's 26 bytes per event
     * @param what  how the bytes were found, for the report
     */
    record PlatformLines(long bytes, String what) {
        static PlatformLines of(dev.ferry.template.Template template, String function) {
            com.fasterxml.jackson.databind.JsonNode logging = template.resource(function).properties().path("LoggingConfig");
            if (!logging.path("LogFormat").asText("Text").equals("JSON")) {
                return new PlatformLines(TEXT_PLATFORM_LOG_BYTES, "the Text log format: an estimated " + TEXT_PLATFORM_LOG_BYTES
                        + " bytes of Lambda's START/END/REPORT lines per invocation");
            }
            com.fasterxml.jackson.databind.JsonNode level = logging.path("SystemLogLevel");
            String from = level.has("Ref") ? ", the default of `" + level.get("Ref").asText() + "`" : "";
            String value = level.has("Ref") ? template.parameterDefault(level.get("Ref").asText()) : level.asText("INFO");
            if ("WARN".equals(value)) {
                return new PlatformLines(0, "the JSON log format and Lambda's system log level WARN" + from
                        + ": no line of Lambda's own for a successful invocation");
            }
            long bytes = JSON_PLATFORM_LINES.stream().mapToLong(l -> l.getBytes(StandardCharsets.UTF_8).length + 26).sum();
            return new PlatformLines(bytes, "the JSON log format and Lambda's system log level " + value + from + ": an estimated "
                    + bytes + " bytes of its platform.start and platform.report lines per invocation");
        }
    }

    /** What one invocation of one function on the path cost. */
    record Phase(String function, long calls, Map<String, Long> which, Map<String, Double> wru, Map<String, Double> rru,
                 long sqsRequests, long logBytes, int memoryMb, double wruKeysOnly) {
        double totalWru() {
            return wru.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        double totalRru() {
            return rru.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /** One case measured: the last sample's phases, every sample's durations, the monitor events one run sent. */
    record Case(Map<String, Phase> phases, Map<String, List<Double>> ms, int monitorEvents) {}

    private final CallCounter counter = new CallCounter();
    private final CapacityMeter meter;
    private final dev.ferry.template.Template template;
    private long printed;

    private CostBenchmark(AwsClients raw, dev.ferry.template.Template template) {
        this.meter = new CapacityMeter(raw.dynamoDb());
        this.template = template;
    }

    static String report(LocalStack stack, Demo demo, Path root, int runs) throws Exception {
        Map<String, String> env = Benchmarks.env(stack, "WebhookFunction");
        AwsClients raw = AwsClients.fromEnv(env);
        return new CostBenchmark(raw, dev.ferry.template.Template.load(root.resolve("template.yaml")))
                .measure(stack, demo, root, raw, Math.max(15, runs * 4));
    }

    private String measure(LocalStack stack, Demo demo, Path root, AwsClients raw, int samples) throws Exception {
        String executionQueue = Benchmarks.env(stack, "WebhookFunction").get("FERRY_EXECUTION_QUEUE_URL");
        String monitorQueue = Benchmarks.env(stack, "FlowExecutionFunction").get("FERRY_MONITOR_QUEUE_URL");
        raw.sqs().purgeQueue(b -> b.queueUrl(executionQueue));
        raw.sqs().purgeQueue(b -> b.queueUrl(monitorQueue));
        RequestStreamHandler webhook = new WebhookFunction(wired(stack, "WebhookFunction"));
        RequestStreamHandler execution = new FlowExecutionFunction(wired(stack, "FlowExecutionFunction"));
        dev.ferry.core.Ferry evaluation = wired(stack, "MonitorEvaluationFunction");
        RequestStreamHandler monitor = new MonitorEvaluationFunction(evaluation);
        byte[] webhookEvent = Files.readString(root.resolve("events/webhook-post-json.json"))
                .replace("wh_sample_token_0123456789abcdef", Benchmarks.token(demo)).getBytes(StandardCharsets.UTF_8);

        Case unwatched = run(stack, raw, executionQueue, monitorQueue, webhook, execution, monitor, webhookEvent, samples);
        // A monitor in scope that acts on every execution, raising no alert: the demo's runs succeed.
        dev.ferry.core.port.MonitorStore monitors = evaluation.ports().monitors();
        dev.ferry.core.model.Monitor counting = new dev.ferry.core.model.Monitor("mon_bench_cost_failure_rate",
                "Failure rate (cost benchmark)", dev.ferry.core.model.MonitorScope.instance(demo.instanceId()),
                List.of(dev.ferry.core.model.MonitorTrigger.failureRate(50, 15, null)), List.of(), java.time.Instant.now());
        monitors.create(counting);
        Case watched;
        try {
            watched = run(stack, raw, executionQueue, monitorQueue, webhook, execution, monitor, webhookEvent, samples);
        } finally {
            monitors.delete(counting.id());
        }
        Watch watch = watch(evaluation, stack);
        List<Double> callMs = new ArrayList<>();
        String configTable = Benchmarks.env(stack, "WebhookFunction").get("FERRY_CONFIG_TABLE");
        for (int i = 0; i < 40; i++) {
            long t0 = System.nanoTime();
            raw.dynamoDb().getItem(b -> b.tableName(configTable).consistentRead(true).key(Map.of(
                    "pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("bench-absent"),
                    "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("bench-absent"))));
            if (i >= 10) callMs.add((System.nanoTime() - t0) / 1e6);
        }
        return table(unwatched, watched, watch, samples, Benchmarks.Stats.of(callMs).median(), platformLines(unwatched, watched));
    }

    /**
     * What the sweep's watch of the recent executions costs per execution: one run's watch over the
     * executions just run (those queued since the stack's previous sweep, and a minute before it),
     * metered and divided by the executions it read, times the {@value #WATCH_READS} runs that read
     * each execution (each reads from {@code LATE_WRITE} before where the previous one stopped). Per
     * execution: its item's BatchGetItem read, and its share of the keys the Queries return (their
     * bytes, not each Query's rounding up to 4 KB: at most 0.5 RRU a Query, 16 a run, {@code fixedRru}
     * a minute whatever the rate), and the run's time shared out the same way.
     * {@value #WATCH_BACKGROUND} ended executions are stored first, as a steady rate of about 15 a
     * second would leave in the window, so the run's fixed calls do not weigh on each execution.
     */
    record Watch(int read, int entered, long calls, double rruPerExecution, double gbSecondsPerExecution, double fixedRru) {}

    /** Runs reading each execution: the one after it was queued, and the next (a minute of LATE_WRITE). */
    static final int WATCH_READS = 2;

    /** Ended executions stored just before the watch is measured, so its fixed calls are shared out as at a steady rate. */
    static final int WATCH_BACKGROUND = 2000;

    private Watch watch(dev.ferry.core.Ferry evaluation, LocalStack stack) {
        dev.ferry.core.port.ExecutionStore store = evaluation.ports().executions();
        java.time.Instant at = java.time.Instant.now();
        for (int i = 0; i < WATCH_BACKGROUND; i++) {
            at = at.plusMillis(1);
            store.create(dev.ferry.core.model.Execution.builder().id("exe_bench_watch_" + i).instanceId("ins_bench_watch")
                    .customerId("cus_bench_watch").flowConfigId("flc_bench_watch").flow("bench")
                    .trigger(dev.ferry.core.model.Trigger.SCHEDULE).status(dev.ferry.core.model.ExecutionStatus.SUCCEEDED)
                    .queuedAt(at).startedAt(at).endedAt(at).durationMs(0L).attempt(1)
                    .expiresAt(at.plus(java.time.Duration.ofDays(1))).build());
        }
        counter.reset();
        meter.reset();
        long t0 = System.nanoTime();
        dev.ferry.core.port.ExecutionStore.Watched w = store.watchUnfinished(java.time.Instant.now().plusSeconds(1));
        double ms = (System.nanoTime() - t0) / 1e6;
        int memory = stack.functions().find("MonitorEvaluationFunction").orElseThrow().spec().memoryMb();
        int read = Math.max(1, w.read());
        double items = 0;
        double keys = 0;
        double fixed = 0;
        for (Map.Entry<String, Double> e : meter.readUnits().entrySet()) {
            if (e.getKey().endsWith("/byDay")) {
                double share = meter.readBytes().getOrDefault(e.getKey(), 0.0) / 4096 / 2; // eventually consistent
                keys += share;
                fixed += e.getValue() - share;
            } else if (!e.getKey().contains("/")) {
                items += e.getValue(); // the items' BatchGetItem, and the cursor's GetItem (1 a run)
            }
        }
        return new Watch(w.read(), w.entered(), counter.total(), (items + keys) / read * WATCH_READS,
                ms / read * WATCH_READS / 1000 * memory / 1024.0, fixed);
    }

    /**
     * Runs the path {@code samples} times after 5 warm-up runs: the webhook, the execution from the
     * execution queue's message, then the monitor function once per message the run put on the
     * monitor queue (as many as its SendMessage calls; none when no monitor in scope acts on it).
     */
    private Case run(LocalStack stack, AwsClients raw, String executionQueue, String monitorQueue,
                     RequestStreamHandler webhook, RequestStreamHandler execution, RequestStreamHandler monitor,
                     byte[] webhookEvent, int samples) throws IOException {
        int warm = 5;
        Map<String, List<Double>> ms = new LinkedHashMap<>();
        Map<String, Phase> last = new LinkedHashMap<>();
        int monitorEvents = -1;
        for (int i = 0; i < warm + samples; i++) {
            boolean record = i >= warm;
            invoke(stack, "WebhookFunction", webhook, webhookEvent, record, ms, last);
            Message m = receive(raw, executionQueue, 1).get(0);
            Phase ran = invoke(stack, "FlowExecutionFunction", execution, sqsEvent(List.of(m)), record, ms, last);
            List<Message> events = receiveAll(raw, monitorQueue, ran.which().getOrDefault("Sqs.SendMessage", 0L).intValue());
            Phase first = null;
            for (Message e : events) { // one event per invocation: the low-traffic case
                Phase p = invoke(stack, "MonitorEvaluationFunction", monitor, sqsEvent(List.of(e)), record, ms, last);
                if (first == null) first = p;
                else if (record) last.put("MonitorEvaluationFunction", sum(first, p));
            }
            if (monitorEvents >= 0 && events.size() != monitorEvents) {
                throw new IllegalStateException("one run sent " + monitorEvents + " monitor events, another " + events.size());
            }
            monitorEvents = events.size();
        }
        return new Case(last, ms, monitorEvents);
    }

    private dev.ferry.core.Ferry wired(LocalStack stack, String function) {
        Map<String, String> env = Benchmarks.env(stack, function);
        return Wiring.fromEnv(env, AwsClients.fromEnv(env, List.of(counter, meter)));
    }

    private static Phase sum(Phase a, Phase b) {
        Map<String, Long> which = new java.util.TreeMap<>(a.which());
        b.which().forEach((k, v) -> which.merge(k, v, Long::sum));
        Map<String, Double> wru = new java.util.TreeMap<>(a.wru());
        b.wru().forEach((k, v) -> wru.merge(k, v, Double::sum));
        Map<String, Double> rru = new java.util.TreeMap<>(a.rru());
        b.rru().forEach((k, v) -> rru.merge(k, v, Double::sum));
        return new Phase(a.function(), a.calls() + b.calls(), which, wru, rru, a.sqsRequests() + b.sqsRequests(),
                a.logBytes() + b.logBytes(), a.memoryMb(), a.wruKeysOnly() + b.wruKeysOnly());
    }

    /** Invokes the handler once; its phase, kept in {@code last} (and its durations in {@code ms}) when recorded. */
    private Phase invoke(LocalStack stack, String function, RequestStreamHandler handler, byte[] event, boolean record,
                         Map<String, List<Double>> ms, Map<String, Phase> last) throws IOException {
        counter.reset();
        meter.reset();
        PrintStream out = System.out;
        PrintStream err = System.err;
        printed = 0;
        PrintStream counting = new PrintStream(new OutputStream() {
            @Override public void write(int b) {
                printed += b == '\n' ? 27 : 1; // CloudWatch bills 26 bytes per event; each line is one
            }
        }, true);
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long c0 = cpu.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        try {
            System.setOut(counting);
            System.setErr(counting);
            handler.handleRequest(new ByteArrayInputStream(event), answer, null);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        double elapsed = (System.nanoTime() - t0) / 1e6;
        double cpuMs = (cpu.getCurrentThreadCpuTime() - c0) / 1e6;
        String text = answer.toString(StandardCharsets.UTF_8);
        if (text.contains("\"itemIdentifier\"") || text.contains("\"statusCode\":5")) {
            throw new IllegalStateException(function + " failed: " + text);
        }
        int memory = stack.functions().find(function).orElseThrow().spec().memoryMb();
        Phase phase = new Phase(function, counter.total(), counter.snapshot(), meter.writeUnits(), meter.readUnits(),
                meter.sqsRequests(), meter.logBytes() + printed + PlatformLines.of(template, function).bytes(), memory,
                meter.totalWriteUnitsKeysOnly());
        if (!record) return phase;
        ms.computeIfAbsent(function, k -> new ArrayList<>()).add(elapsed);
        ms.computeIfAbsent(function + "#cpu", k -> new ArrayList<>()).add(cpuMs);
        last.put(function, phase);
        return phase;
    }

    /**
     * Every message on the queue now, each deleted: the {@code sent} ones (waiting up to 10 s for
     * them), then any more there are — none expected.
     */
    private static List<Message> receiveAll(AwsClients raw, String queue, int sent) {
        List<Message> out = receive(raw, queue, sent);
        List<Message> more;
        do {
            more = raw.sqs().receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            for (Message m : more) {
                out.add(m);
                raw.sqs().deleteMessage(b -> b.queueUrl(queue).receiptHandle(m.receiptHandle()));
            }
        } while (!more.isEmpty());
        return out;
    }

    private static List<Message> receive(AwsClients raw, String queue, int n) {
        List<Message> out = new ArrayList<>();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (out.size() < n && System.nanoTime() < deadline) {
            for (Message m : raw.sqs().receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(n - out.size())
                    .waitTimeSeconds(1)).messages()) {
                out.add(m);
                raw.sqs().deleteMessage(b -> b.queueUrl(queue).receiptHandle(m.receiptHandle()));
            }
        }
        if (out.size() < n) throw new IllegalStateException("expected " + n + " messages on " + queue + ", got " + out.size());
        return out;
    }

    private static byte[] sqsEvent(List<Message> messages) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (Message m : messages) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("messageId", m.messageId());
            r.put("receiptHandle", m.receiptHandle());
            r.put("body", m.body());
            r.put("attributes", Map.of("ApproximateReceiveCount", "1"));
            r.put("messageAttributes", Map.of());
            r.put("eventSource", "aws:sqs");
            r.put("eventSourceARN", "arn:aws:sqs:us-east-1:123456789012:bench");
            r.put("awsRegion", "us-east-1");
            records.add(r);
        }
        return Json.writeBytes(Map.of("Records", records));
    }

    /** Milliseconds an AWS call is assumed to take in AWS, for the duration estimate (same-Region DynamoDB/SQS). */
    static final double AWS_CALL_MS = 10;

    /** Each phase's duration per execution: the monitor function's times the events a run sent. */
    private static Map<String, Benchmarks.Stats> durations(Case c) {
        Map<String, Benchmarks.Stats> durations = new LinkedHashMap<>();
        for (Phase p : c.phases().values()) {
            Benchmarks.Stats d = Benchmarks.Stats.of(c.ms().get(p.function()));
            int times = times(p, c);
            durations.put(p.function(), new Benchmarks.Stats(d.median() * times, d.min() * times, d.max() * times));
        }
        return durations;
    }

    /** Invocations of the phase's function per execution: one per monitor event for the monitor function. */
    private static int times(Phase p, Case c) {
        return p.function().equals("MonitorEvaluationFunction") ? c.monitorEvents() : 1;
    }

    private static void functionRow(StringBuilder out, Phase p, Case c, Benchmarks.Stats duration, String label) {
        int times = times(p, c);
        out.append("| ").append(p.function()).append(label).append(times > 1 ? " ×" + times + " (one event each)" : "")
                .append(" | ").append(p.calls()).append(" | ").append(p.which()).append(" | ").append(fmt(p.totalWru()))
                .append(" | ").append(units(p.wru())).append(" | ").append(fmt(p.totalRru())).append(" | ")
                .append(p.sqsRequests()).append(" | ").append(p.logBytes()).append(" | ").append(duration).append(" | ")
                .append(p.memoryMb()).append(" |\n");
    }

    private static String events(int monitorEvents) {
        return monitorEvents == 1 ? "1 monitor event" : monitorEvents + " monitor events";
    }

    /** The cost rows of one case (appended to {@code out} when it is not null); returns the quiet and busy totals. */
    private static double[] costs(StringBuilder out, Case c, Map<String, Benchmarks.Stats> durations, Watch watch) {
        StringBuilder rows = out == null ? new StringBuilder() : out;
        Map<String, Phase> phases = c.phases();
        int monitorEvents = c.monitorEvents();
        double wru = phases.values().stream().mapToDouble(Phase::totalWru).sum();
        double rru = phases.values().stream().mapToDouble(Phase::totalRru).sum();
        long sent = phases.values().stream().mapToLong(Phase::sqsRequests).sum();
        long logBytes = phases.values().stream().mapToLong(Phase::logBytes).sum();
        double gbSeconds = gbSeconds(c, durations);
        String events = events(monitorEvents);
        double[] total = new double[2];
        row(rows, total, "API Gateway HTTP API request (the webhook)", 1, 1, HTTP_API_REQUEST, "$1.00 / M");
        row(rows, total, "Lambda requests (webhook 1; execution and " + events + " per batch)", 2 + monitorEvents,
                1 + (1 + monitorEvents) / 10.0, LAMBDA_REQUEST, "$0.20 / M");
        row(rows, total, String.format("Lambda duration, GB-s (%.0f ms of webhook + execution + " + events + ")",
                durations.values().stream().mapToDouble(Benchmarks.Stats::median).sum()), gbSeconds, gbSeconds,
                LAMBDA_ARM_GB_SECOND, "$0.0000133334 / GB-s");
        row(rows, total, "DynamoDB write request units", wru, wru, DYNAMODB_WRU, "$0.625 / M");
        row(rows, total, "DynamoDB read request units", rru, rru, DYNAMODB_RRU, "$0.125 / M");
        // Sent messages, then Lambda's poller: a ReceiveMessage and a DeleteMessageBatch per batch of each queue.
        int received = 1 + monitorEvents; // the execution's message and the monitor events
        double watchCost = (watch.rruPerExecution() * DYNAMODB_RRU + watch.gbSecondsPerExecution() * LAMBDA_ARM_GB_SECOND) * 1e6;
        total[0] += watchCost;
        total[1] += watchCost;
        rows.append(String.format("| The sweep's watch: each execution read by %d runs a minute apart (one run read %d: "
                        + "%d calls, %d entered in `byQueued`; its Queries' rounding up to 4 KB, %s RRU a minute, left out) "
                        + "| %s RRU + %s GB-s | the same | $0.125 / M RRU, $0.0000133334 / GB-s | $%.2f | $%.2f |%n",
                WATCH_READS, watch.read(), watch.calls(), watch.entered(), fmt(watch.fixedRru()), fmt(watch.rruPerExecution()),
                fmt(watch.gbSecondsPerExecution()), watchCost, watchCost));
        row(rows, total, "SQS requests (" + sent + " sent; receive + delete per batch of the " + received + " messages)",
                sent + received * 2, sent + received * 2 / 10.0, SQS_REQUEST, "$0.40 / M");
        row(rows, total, "CloudWatch Logs ingestion, GB (" + logBytes + " bytes)", logBytes / 1e9, logBytes / 1e9,
                LOGS_INGESTED_GB, "$0.50 / GB");
        return total;
    }

    private static double gbSeconds(Case c, Map<String, Benchmarks.Stats> durations) {
        double gbSeconds = 0;
        for (Phase p : c.phases().values()) gbSeconds += durations.get(p.function()).median() / 1000 * p.memoryMb() / 1024.0;
        return gbSeconds;
    }

    /** How Lambda's own lines were counted for the functions measured: one phrase when they are set alike. */
    private String platformLines(Case... cases) {
        java.util.Set<String> what = new java.util.LinkedHashSet<>();
        for (Case c : cases) {
            for (String function : c.phases().keySet()) {
                PlatformLines p = PlatformLines.of(template, function);
                what.add(p.what());
            }
        }
        return String.join("; ", what);
    }

    private static String table(Case unwatched, Case watched, Watch watch, int samples, double motoCallMs, String platformLines) {
        StringBuilder out = new StringBuilder("## Cost per million one-step executions\n\n");
        out.append("Each function on the path of one webhook-triggered execution of the demo flow (log + transform), ")
                .append("warm, with its template environment; calls counted by `CallCounter`, request units metered by ")
                .append("`CapacityMeter` (item sizes read before and after each write, every GSI's projected item ")
                .append("compared), log bytes counted (CloudWatch's 26 bytes per event included), plus Lambda's own lines ")
                .append("as template.yaml's `LoggingConfig` sets them (").append(platformLines).append("). ")
                .append("Durations: median (min–max) of ").append(samples).append(" invocations each, in this JVM against ")
                .append("moto (a local Python emulator: its latency stands in for DynamoDB's and SQS's). ")
                .append("The monitor function runs once per message the run put on the monitor queue: the demo has no ")
                .append("monitor in scope, so its run reads the monitors in scope and sends no event (")
                .append(events(unwatched.monitorEvents())).append("); the rows marked *monitor in scope* were measured ")
                .append("with a FAILURE_RATE monitor of the demo instance, which counts every execution's outcome (")
                .append(events(watched.monitorEvents())).append(" per run, no alert: the runs succeed).\n\n");
        out.append("| function (per execution) | AWS calls | which | WRU | where written | RRU | SQS requests sent | log bytes | duration ms | memory MB |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|\n");
        Map<String, Phase> phases = unwatched.phases();
        Map<String, Benchmarks.Stats> durations = durations(unwatched);
        for (Phase p : phases.values()) functionRow(out, p, unwatched, durations.get(p.function()), "");
        if (!phases.containsKey("MonitorEvaluationFunction")) {
            out.append("| MonitorEvaluationFunction | not invoked: no monitor event was sent | | | | | | | | |\n");
        }
        Map<String, Benchmarks.Stats> watchedDurations = durations(watched);
        for (Phase p : watched.phases().values()) {
            if (!p.function().equals("WebhookFunction")) {
                functionRow(out, p, watched, watchedDurations.get(p.function()), " (monitor in scope)");
            }
        }
        long calls = phases.values().stream().mapToLong(Phase::calls).sum();
        int monitorEvents = unwatched.monitorEvents();
        int invocations = 2 + monitorEvents; // webhook, execution, one per monitor event
        double wru = phases.values().stream().mapToDouble(Phase::totalWru).sum();
        double rru = phases.values().stream().mapToDouble(Phase::totalRru).sum();
        double gbSeconds = gbSeconds(unwatched, durations);

        out.append("\nAWS calls per execution, all functions: **").append(calls).append("** (")
                .append(watched.phases().values().stream().mapToLong(Phase::calls).sum())
                .append(" with the monitor in scope). ")
                .append("Prices: us-east-1 list prices looked up on 2026-11-26 (Lambda arm64 $0.0000133334 per GB-s and ")
                .append("$0.20 per million requests; API Gateway HTTP API $1.00 per million requests; DynamoDB on-demand ")
                .append("$0.625 per million WRU and $0.125 per million RRU since the November 2024 cut; SQS standard $0.40 ")
                .append("per million requests of 64 KB; CloudWatch Logs standard ingestion $0.50 per GB; EventBridge ")
                .append("Scheduler $1.00 per million invocations). Free tiers left out.\n\n");
        out.append("| item | per execution: quiet (batches of 1) | per execution: busy (batches of 10) | unit price | ")
                .append("$ per million: quiet | $ per million: busy |\n|---|---|---|---|---|---|\n");
        double[] total = costs(out, unwatched, durations, watch);
        out.append(String.format("| **total** | | | | **$%.2f** | **$%.2f** |%n", total[0], total[1]));
        double[] watchedTotal = costs(null, watched, watchedDurations, watch);
        out.append(String.format("| **total with a monitor in scope** (a FAILURE_RATE monitor: %s, %d AWS calls, "
                        + "%s WRU, %s RRU per execution) | | | | **$%.2f** | **$%.2f** |%n", events(watched.monitorEvents()),
                watched.phases().values().stream().mapToLong(Phase::calls).sum(),
                fmt(watched.phases().values().stream().mapToDouble(Phase::totalWru).sum()),
                fmt(watched.phases().values().stream().mapToDouble(Phase::totalRru).sum()), watchedTotal[0], watchedTotal[1]));
        double wruKeysOnly = phases.values().stream().mapToDouble(Phase::wruKeysOnly).sum();
        double estimatedGbSeconds = 0;
        double estimatedMs = 0;
        double cpuMs = 0;
        for (Phase p : phases.values()) {
            // The handler thread's CPU time, stretched to the function's CPU share (1,769 MB = one vCPU),
            // plus the AWS calls at an assumed same-Region latency.
            double c = Benchmarks.Stats.of(unwatched.ms().get(p.function() + "#cpu")).median() * times(p, unwatched);
            cpuMs += c;
            double m = c * Math.max(1, 1769.0 / p.memoryMb()) + p.calls() * AWS_CALL_MS;
            estimatedMs += m;
            estimatedGbSeconds += m / 1000 * p.memoryMb() / 1024.0;
        }
        double durationNow = gbSeconds * LAMBDA_ARM_GB_SECOND * 1e6;
        double durationAws = estimatedGbSeconds * LAMBDA_ARM_GB_SECOND * 1e6;
        double writesKeysOnly = wruKeysOnly * DYNAMODB_WRU * 1e6;
        out.append(String.format("%nWhat moves this total (computed in the same run):%n%n"
                + "- **Lambda duration here is mostly waiting for a CPU**: the machine was shared (load average %.1f on "
                + "%d cores as this section ended), so the handlers' wall time is far above their own work. Their threads used %.0f ms of CPU "
                + "for the %d invocations (a DynamoDB call took moto a median %.1f ms when timed alone). Stretched to "
                + "the CPU share of %d MB (1,769 MB is one vCPU) and with each of the %d AWS calls at %.0f ms (same-Region "
                + "DynamoDB/SQS: an assumption, not measured on AWS), the %d invocations take about %.0f ms: $%.2f per "
                + "million instead of $%.2f, total $%.2f quiet / $%.2f busy.%n"
                + "- **DynamoDB writes are mostly index writes**: %s WRU, of which the base tables take %s. With every "
                + "index now projected ALL made KEYS_ONLY (written only when an item enters or leaves it, or its keys "
                + "change), the same writes cost %s WRU: $%.2f per million instead of $%.2f.%n"
                + "- Both together: **$%.2f quiet / $%.2f busy** per million one-step executions.%n"
                + "- The per-message services alone (HTTP API, Lambda requests, SQS, CloudWatch Logs), before any "
                + "DynamoDB unit or Lambda millisecond, cost $%.2f quiet / $%.2f busy per million.%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors(), cpuMs, invocations, motoCallMs,
                phases.values().iterator().next().memoryMb(), calls, AWS_CALL_MS, invocations, estimatedMs,
                durationAws, durationNow,
                total[0] - durationNow + durationAws, total[1] - durationNow + durationAws,
                fmt(wru), fmt(baseWrites(phases)), fmt(wruKeysOnly), writesKeysOnly, wru * DYNAMODB_WRU * 1e6,
                total[0] - durationNow + durationAws - wru * DYNAMODB_WRU * 1e6 + writesKeysOnly,
                total[1] - durationNow + durationAws - wru * DYNAMODB_WRU * 1e6 + writesKeysOnly,
                total[0] - durationNow - (wru * DYNAMODB_WRU + rru * DYNAMODB_RRU) * 1e6,
                total[1] - durationNow - (wru * DYNAMODB_WRU + rru * DYNAMODB_RRU) * 1e6));
        out.append(String.format("%nA scheduled flow instead of a webhook: no HTTP API request, one Scheduler invocation "
                + "($1.00 / M) and one ScheduledTriggerFunction invocation in place of the webhook's — about the same total.%n"));
        out.append('\n');
        return out.toString();
    }

    private static double baseWrites(Map<String, Phase> phases) {
        return phases.values().stream().flatMap(p -> p.wru().entrySet().stream()).filter(e -> !e.getKey().contains("/"))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    private static void row(StringBuilder out, double[] total, String item, double quiet, double busy, double price,
                            String unit) {
        double q = quiet * price * 1e6;
        double b = busy * price * 1e6;
        total[0] += q;
        total[1] += b;
        out.append("| ").append(item).append(" | ").append(fmt(quiet)).append(" | ").append(fmt(busy)).append(" | ")
                .append(unit).append(" | ").append(String.format("$%.2f", q)).append(" | ")
                .append(String.format("$%.2f", b)).append(" |\n");
    }

    private static String units(Map<String, Double> by) {
        StringBuilder s = new StringBuilder();
        by.forEach((k, v) -> s.append(s.isEmpty() ? "" : ", ").append(k.replaceFirst("^[^/]*?-?([A-Z][A-Za-z]+Table)", "$1"))
                .append(' ').append(fmt(v)));
        return s.toString();
    }

    private static String fmt(double v) {
        if (v == Math.rint(v)) return String.valueOf((long) v);
        return v < 0.001 ? String.format("%.2e", v) : String.format("%.3f", v).replaceAll("0+$", "");
    }
}

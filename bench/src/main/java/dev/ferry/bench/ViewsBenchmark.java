package dev.ferry.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionError;
import dev.ferry.core.model.ExecutionQuery;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.LogLine;
import dev.ferry.core.model.LogQuery;
import dev.ferry.core.model.Page;
import dev.ferry.core.model.Severity;
import dev.ferry.core.model.StepResult;
import dev.ferry.core.model.Trigger;
import dev.ferry.infra.AwsClients;
import dev.ferry.infra.CallCounter;
import dev.ferry.infra.dynamodb.DynamoDbExecutionStore;
import dev.ferry.infra.logs.CloudWatchLogsLogStore;
import dev.ferry.infra.s3.S3PayloadStore;
import dev.ferry.template.Template;
import dev.ferry.template.TemplateResources;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The Executions and Logs views at volume (docs/benchmarks.md), run with {@code scripts/bench-views.sh}:
 * the latest 50 of 100,000 executions of one instance (Queries of its flow configs' {@code byFlowConfig} partitions)
 * next to a naive Scan, and a search over 100,000 log lines (FilterLogEvents) next to reading every
 * stream. Data is loaded with BatchWriteItem and PutLogEvents into the emulator; calls are counted
 * by an SDK interceptor, times are medians of several runs. Prints a Markdown report.
 *
 * <p>Arguments: {@code [executions=100000] [logLines=100000] [runs=5]}; env {@code FERRY_AWS_ENDPOINT},
 * {@code FERRY_REPO_ROOT}.
 */
public final class ViewsBenchmark {
    private static final String INSTANCE = "ins_bench";
    private static final String CUSTOMER = "cus_bench";
    private static final String FLOW_CONFIG = "flc_bench";
    /** The instance's flows: its executions take them in turn (an instance's flow configs are fixed when it is created). */
    private static final List<String> FLOW_CONFIGS = List.of("flc_bench_a", "flc_bench_b", "flc_bench_c");
    private static final String RARE = "order-77777";

    private final AwsClients aws;
    private final CallCounter counter;
    private final ItemsRead itemsRead;
    private final int runs;

    private ViewsBenchmark(AwsClients aws, CallCounter counter, ItemsRead itemsRead, int runs) {
        this.aws = aws;
        this.counter = counter;
        this.itemsRead = itemsRead;
        this.runs = runs;
    }

    /**
     * Sums the items DynamoDB read: ScannedCount of every Query and Scan answer (index entries, for a
     * Query of an index), and the items of every BatchGetItem answer; and the read request units they
     * cost by DynamoDB's rules: a Query or Scan 1 per started 4 KB of what it returned, a BatchGetItem
     * 1 per item per started 4 KB, half when eventually consistent. The sizes are those of the
     * attributes returned (the items here are under 4 KB whole, so a projection changes no count).
     */
    static final class ItemsRead implements ExecutionInterceptor {
        private final AtomicLong items = new AtomicLong();
        /** Half read request units, so that they add up exactly. */
        private final AtomicLong halfUnits = new AtomicLong();

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.response() instanceof QueryResponse q) {
                if (q.scannedCount() != null) items.addAndGet(q.scannedCount());
                boolean consistent = context.request() instanceof QueryRequest r && Boolean.TRUE.equals(r.consistentRead());
                halfUnits.addAndGet(units(q.items().stream().mapToLong(ViewsBenchmark::approxSize).sum()) * (consistent ? 2 : 1));
            }
            if (context.response() instanceof ScanResponse r) {
                if (r.scannedCount() != null) items.addAndGet(r.scannedCount());
                halfUnits.addAndGet(units(r.items().stream().mapToLong(ViewsBenchmark::approxSize).sum()));
            }
            if (context.response() instanceof BatchGetItemResponse b && context.request() instanceof BatchGetItemRequest req) {
                b.responses().forEach((table, list) -> {
                    items.addAndGet(list.size());
                    boolean consistent = Boolean.TRUE.equals(req.requestItems().get(table).consistentRead());
                    for (Map<String, AttributeValue> item : list) halfUnits.addAndGet(units(approxSize(item)) * (consistent ? 2 : 1));
                });
            }
        }

        private static long units(long bytes) {
            return Math.max(1, (bytes + 4095) / 4096);
        }

        long getAndReset() {
            return items.getAndSet(0);
        }

        /** The read request units since the last call. */
        double unitsAndReset() {
            return halfUnits.getAndSet(0) / 2.0;
        }
    }

    public static void main(String[] args) throws Exception {
        int executions = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int lines = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Path root = Path.of(System.getenv().getOrDefault("FERRY_REPO_ROOT", "."));
        String endpoint = System.getenv().getOrDefault("FERRY_AWS_ENDPOINT", "http://127.0.0.1:4566");
        CallCounter counter = new CallCounter();
        ItemsRead itemsRead = new ItemsRead();
        try (AwsClients aws = AwsClients.fromEnv(Map.of("AWS_ENDPOINT_URL", endpoint, "AWS_REGION", "us-east-1",
                "FERRY_AWS_API_CALL_TIMEOUT_MS", "120000"), List.of(counter, itemsRead))) {
            Template template = Template.load(root.resolve("template.yaml"));
            String prefix = "bench" + System.currentTimeMillis() % 100_000 + "-";
            TemplateResources resources = new TemplateResources(template,
                    new TemplateResources.Clients(aws::dynamoDb, aws::sqs, aws::s3, aws::scheduler), prefix,
                    template::parameterDefault, line -> { });
            String table = resources.ensure("ExecutionsTable").physicalName();
            String bucket = resources.ensure("PayloadBucket").physicalName();
            ViewsBenchmark bench = new ViewsBenchmark(aws, counter, itemsRead, runs);
            StringBuilder report = new StringBuilder();
            report.append("Emulator: ").append(endpoint).append(" (moto), JVM ").append(System.getProperty("java.version"))
                    .append(", ").append(runs).append(" runs per measurement (median).\n\n");
            if (executions > 0) report.append(bench.listing(table, bucket, executions));
            if (lines > 0) report.append(bench.logSearch(lines));
            System.out.println(report);
        }
    }

    // ------------------------------------------------------------------ executions

    private String listing(String table, String bucket, int count) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Random rnd = new Random(1);
        long loadStart = System.nanoTime();
        counter.reset();
        List<WriteRequest> batch = new ArrayList<>();
        long bytes = 0;
        // One instance's executions, one every 6 s back from now (100,000 span about 7 days), its three
        // flows in turn; 1 in 100 failed.
        for (int i = 0; i < count; i++) {
            Instant queued = now.minusSeconds(6L * (count - i));
            boolean failed = i % 100 == 37;
            Map<String, AttributeValue> item = DynamoDbExecutionStore.itemOf(execution(i, queued, failed, rnd));
            bytes += approxSize(item);
            batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
            if (i % 10_000 == 0) progress("loaded " + i + " executions");
            if (batch.size() == 25 || i == count - 1) {
                Map<String, List<WriteRequest>> pending = Map.of(table, List.copyOf(batch));
                while (!pending.isEmpty()) {
                    Map<String, List<WriteRequest>> p = pending;
                    var res = aws.dynamoDb().batchWriteItem(b -> b.requestItems(p));
                    pending = res.hasUnprocessedItems() ? res.unprocessedItems() : Map.of();
                }
                batch.clear();
            }
        }
        long loadMs = (System.nanoTime() - loadStart) / 1_000_000;
        long loadCalls = counter.total();
        long itemBytes = bytes / count;

        // The instance's flow configs as a warm container knows them (the first list of an instance in a
        // container reads them from the ConfigTable: one consistent Query more).
        DynamoDbExecutionStore store = new DynamoDbExecutionStore(aws.dynamoDb(), table,
                new S3PayloadStore(aws.s3(), bucket), id -> INSTANCE.equals(id) ? FLOW_CONFIGS : List.of(),
                Clock.systemUTC(), 14);
        ExecutionQuery latest = ExecutionQuery.forInstance(INSTANCE, 50);
        ExecutionQuery failed = new ExecutionQuery(INSTANCE, null, null, ExecutionStatus.FAILED, null, null, null,
                false, false, 50, null);
        ExecutionQuery everything = new ExecutionQuery(null, null, null, null, null, null, null, false, false, 50, null);

        List<String> expected = new ArrayList<>();
        for (int i = count - 1; i >= Math.max(0, count - 50); i--) expected.add(String.format("exe_bench_%07d", i));
        StringBuilder out = new StringBuilder("## Executions: the latest 50 of " + String.format("%,d", count)
                + " executions of one instance (" + FLOW_CONFIGS.size() + " flows)\n\n");
        out.append(String.format("Loaded with %,d BatchWriteItem calls in %,d ms; items are about %,d bytes "
                + "(summary, request of ~100 bytes, three step results inline).%n%n", loadCalls, loadMs, itemBytes));
        out.append("| view | how | AWS calls | items read | RRU | median ms | same answer |\n|---|---|---|---|---|---|---|\n");
        out.append(row("latest 50 of the instance", "Query `byFlowConfig` keys of each of its " + FLOW_CONFIGS.size()
                        + " flow configs, merged newest first; BatchGetItem of the 51 the page needs",
                () -> store.list(latest).items().stream().map(Execution::id).toList(), expected, runs));
        out.append(row("latest 50 of the instance", "naive: Scan the table, filter instanceId, sort, take 50",
                () -> naiveLatest(table, null), expected, 1));
        List<String> expectedFailed = expectedFailed(count);
        out.append(row("latest 50 FAILED of the instance (1 %)", "Query `byFlowConfig` keys of each of its flow configs, "
                        + "merged; BatchGetItem of the entries no unread one can outrank, status checked on the items",
                () -> store.list(failed).items().stream().map(Execution::id).toList(), expectedFailed, 1));
        out.append(row("latest 50 of all instances", "Query `byDay` keys, each of its 16 shards, merged newest first; BatchGetItem of the 51 the page needs",
                () -> store.list(everything).items().stream().map(Execution::id).toList(), expected, runs));
        out.append(String.format("%nOn DynamoDB a page reads keys-only index entries (about 150 bytes each: a few RCU for "
                        + "the partitions it merges, eventually consistent) and the 51 items with BatchGetItem (each item rounded up to 4 KB: "
                        + "≈ %d RCU eventually consistent); the Scan reads the whole table, about %,d MB (≈ %,d RCU), "
                        + "however large the page asked for.%n%n", (51 * ((itemBytes + 4095) / 4096) + 1) / 2,
                count * itemBytes / 1_000_000, rcu(count * itemBytes)));
        return out.toString();
    }

    private static List<String> expectedFailed(int count) {
        List<String> out = new ArrayList<>();
        for (int i = count - 1; i >= 0 && out.size() < 50; i--) if (i % 100 == 37) out.add(String.format("exe_bench_%07d", i));
        return out;
    }

    private static long rcu(long bytes) {
        return (long) Math.ceil(bytes / 4096.0 / 2);
    }

    private static Execution execution(int i, Instant queued, boolean failed, Random rnd) {
        String id = String.format("exe_bench_%07d", i);
        ObjectNode order = JsonNodeFactory.instance.objectNode().put("id", i).put("total", rnd.nextInt(10_000) / 100.0);
        ExecutionRequest request = new ExecutionRequest("POST", order.toString().getBytes(),
                Map.of("content-type", "application/json", "x-request-id", "req-" + i), Map.of(), "application/json");
        Instant started = queued.plusMillis(40);
        List<StepResult> steps = List.of(
                new StepResult("log", "log", StepResult.SUCCEEDED, started, started.plusMillis(1), 1,
                        JsonNodeFactory.instance.objectNode().put("message", "order " + i), null),
                new StepResult("fetch", "http", failed ? StepResult.FAILED : StepResult.SUCCEEDED, started.plusMillis(1),
                        started.plusMillis(120), 119, JsonNodeFactory.instance.objectNode().put("status", failed ? 503 : 200)
                        .set("body", order), failed ? new ExecutionError("HTTP 503", "fetch", true) : null),
                new StepResult("shape", "transform", failed ? StepResult.SKIPPED : StepResult.SUCCEEDED,
                        started.plusMillis(120), started.plusMillis(121), 1, order, null));
        Execution.Builder b = Execution.builder().id(id).instanceId(INSTANCE).customerId(CUSTOMER)
                .flowConfigId(FLOW_CONFIGS.get(i % FLOW_CONFIGS.size()))
                .flow("On new order").trigger(Trigger.WEBHOOK).queuedAt(queued).startedAt(started).attempt(1)
                .integrationVersion(1).request(request).steps(steps).expiresAt(queued.plus(Duration.ofDays(14)));
        return (failed ? b.error(new ExecutionError("HTTP 503", "fetch", true)).end(ExecutionStatus.FAILED, started.plusMillis(121))
                : b.end(ExecutionStatus.SUCCEEDED, started.plusMillis(121))).build();
    }

    private static long approxSize(Map<String, AttributeValue> item) {
        long size = 0;
        for (var e : item.entrySet()) size += e.getKey().length() + approxSize(e.getValue());
        return size;
    }

    private static long approxSize(AttributeValue v) {
        if (v.s() != null) return v.s().length();
        if (v.n() != null) return v.n().length();
        if (v.b() != null) return v.b().asByteArray().length;
        if (v.bool() != null) return 1;
        long size = 0;
        if (v.hasM()) for (var e : v.m().entrySet()) size += e.getKey().length() + approxSize(e.getValue());
        if (v.hasL()) for (AttributeValue x : v.l()) size += approxSize(x);
        return size + 3;
    }

    /** The naive way: Scan everything, keep the instance's (and status's), sort newest first, take 50. */
    private List<String> naiveLatest(String table, String status) {
        List<Map<String, AttributeValue>> all = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> s = start;
            ScanResponse res = aws.dynamoDb().scan(b -> {
                b.tableName(table).exclusiveStartKey(s);
                if (status == null) {
                    b.filterExpression("instanceId = :i").expressionAttributeValues(Map.of(":i", AttributeValue.fromS(INSTANCE)));
                } else {
                    b.filterExpression("instanceId = :i AND #s = :s").expressionAttributeNames(Map.of("#s", "status"))
                            .expressionAttributeValues(Map.of(":i", AttributeValue.fromS(INSTANCE), ":s", AttributeValue.fromS(status)));
                }
            });
            all.addAll(res.items());
            start = res.hasLastEvaluatedKey() && !res.lastEvaluatedKey().isEmpty() ? res.lastEvaluatedKey() : null;
        } while (start != null);
        return all.stream().sorted(Comparator.comparing((Map<String, AttributeValue> i) -> i.get("queuedKey").s()).reversed())
                .limit(50).map(i -> i.get("id").s()).toList();
    }

    /** Runs {@code run} {@code times} times: the first run's answer and calls, and the median time. */
    private <T> Measured<T> measure(Supplier<T> run, int times) {
        List<Long> ms = new ArrayList<>();
        T first = null;
        long calls = 0;
        long items = 0;
        double units = 0;
        Map<String, Long> byOperation = Map.of();
        for (int r = 0; r < Math.max(1, times); r++) {
            counter.reset();
            itemsRead.getAndReset();
            itemsRead.unitsAndReset();
            long t = System.nanoTime();
            T answer = run.get();
            ms.add((System.nanoTime() - t) / 1_000_000);
            if (r == 0) {
                first = answer;
                calls = counter.total();
                items = itemsRead.getAndReset();
                units = itemsRead.unitsAndReset();
                byOperation = counter.snapshot();
            }
        }
        ms.sort(null);
        return new Measured<>(first, calls, items, units, byOperation, ms.get(ms.size() / 2), ms.size());
    }

    private record Measured<T>(T answer, long calls, long itemsRead, double readUnits, Map<String, Long> byOperation,
                               long medianMs, int runs) {
        String cells(Object expected) {
            return calls + " " + byOperation + " | %s | " + String.format("%,d", medianMs) + (runs > 1 ? "" : " (1 run)")
                    + " | " + (answer.equals(expected) ? "yes" : "NO") + " |";
        }
    }

    /**
     * A DynamoDB row: "items read" is what DynamoDB read (ScannedCount), what it charges read units
     * for; "RRU" the read request units of those reads ({@link ItemsRead}).
     */
    private <T> String row(String view, String how, Supplier<T> run, T expected, int times) {
        progress(view + " — " + how);
        Measured<T> m = measure(run, times);
        return "| " + view + " | " + how + " | " + String.format(m.cells(expected), String.format("%,d | %,.1f",
                m.itemsRead(), m.readUnits())) + "\n";
    }

    private static void progress(String what) {
        System.err.println("bench: " + what);
    }

    // ------------------------------------------------------------------ logs

    /** The instances of the customer whose logs are searched together: each a stream of the customer's group. */
    private static final int CUSTOMER_INSTANCES = 20;

    private String logSearch(int count) {
        CloudWatchLogsLogStore logs = new CloudWatchLogsLogStore(aws.logs(), 14);
        long tag = System.currentTimeMillis() % 100_000;
        String instance = "ins_bench_logs_" + tag;
        String owner = "cus_bench_logs_" + tag;
        String otherCustomer = owner + "_c";
        int perExecution = 100;
        int executions = Math.max(1, count / perExecution);
        Instant t0 = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MILLIS);
        Random rnd = new Random(2);
        List<LogLine> written = new ArrayList<>();
        long loadStart = System.nanoTime();
        counter.reset();
        logs.ensureGroup(owner);
        for (int e = 0; e < executions; e++) {
            String exe = String.format("exe_log_%06d", e);
            List<LogLine> lines = new ArrayList<>();
            for (int n = 0; n < perExecution; n++) {
                int k = e * perExecution + n;
                Instant t = t0.plusMillis(k * 50L);
                Severity s = k % 50 == 7 ? Severity.ERROR : k % 12 == 3 ? Severity.WARN : k % 10 == 0 ? Severity.DEBUG : Severity.INFO;
                String msg = switch (k % 4) {
                    case 0 -> "execution started: flow 'On new order', trigger WEBHOOK, attempt 1";
                    case 1 -> "GET https://api.example.test/orders/" + rnd.nextInt(1_000_000) + " answered " + (s == Severity.ERROR ? 503 : 200);
                    case 2 -> "order " + rnd.nextInt(1_000_000) + " total " + rnd.nextInt(10_000) / 100.0;
                    default -> "step 'shape' produced " + rnd.nextInt(100) + " fields";
                };
                if (k == 12_345 || k == 54_321 || k == 98_765) msg = "customer reference " + RARE + " not found";
                lines.add(new LogLine(t, s, msg, instance, exe, FLOW_CONFIG, k % 4 == 1 ? "fetch" : null, 1));
            }
            logs.append(owner, instance, exe, lines);
            written.addAll(lines);
            if (e % 100 == 0) progress("loaded " + written.size() + " log lines");
        }
        long loadMs = (System.nanoTime() - loadStart) / 1_000_000;
        long loadCalls = counter.total();

        StringBuilder out = new StringBuilder("## Logs: a search over " + String.format("%,d", written.size())
                + " log lines of one instance\n\n");
        out.append(String.format("%,d executions × %d lines in the instance's one stream of `/ferry/customers/<id>`, loaded "
                + "with %,d calls (the group and its stream once, then PutLogEvents) in %,d ms. Ferry's search sends a filter pattern that "
                + "moto ignores (it returns every event for `%%regex%%` and JSON patterns), so on moto the text is "
                + "matched client-side and these call counts are an upper bound: CloudWatch Logs applies the "
                + "pattern server-side.%n%n", executions, perExecution, loadCalls, loadMs));
        out.append("| search | how | AWS calls | lines returned | median ms | same answer |\n|---|---|---|---|---|---|\n");
        Instant since = t0.minusSeconds(1);
        search(out, "rare text `" + RARE + "` (3 lines), first page", logs, written,
                new LogQuery(List.of(new LogQuery.Scope(owner, List.of(instance))), RARE, null, since, null, 50, null), false);
        search(out, "`severity=ERROR` (2 %), first page of 50", logs, written,
                new LogQuery(List.of(new LogQuery.Scope(owner, List.of(instance))), null, Severity.ERROR, since, null, 50, null), false);
        search(out, "`severity=ERROR`, every page (100 a page)", logs, written,
                new LogQuery(List.of(new LogQuery.Scope(owner, List.of(instance))), null, Severity.ERROR, since, null, 100, null), true);
        search(out, "common text `order` (25 %), first page of 50", logs, written,
                new LogQuery(List.of(new LogQuery.Scope(owner, List.of(instance))), "order", null, since, null, 50, null), false);
        // One execution's logs, as the API reads them: its instance's stream, filtered to its id and time span.
        String exe = String.format("exe_log_%06d", executions / 2);
        List<LogLine> ofExecution = written.stream().filter(l -> exe.equals(l.executionId())).toList();
        out.append(rowOf("one execution's logs (" + ofExecution.size() + " lines)",
                "FilterLogEvents on the instance's stream (`{ $.executionId = \"…\" }`, the execution's time span)",
                () -> logs.read(owner, instance, exe, ofExecution.getFirst().timestamp(), ofExecution.getLast().timestamp()),
                ofExecution, runs));
        // A customer's search: one group for all its instances, so a page asks it once, whatever their number.
        List<String> customer = new ArrayList<>();
        List<LogLine> customerLines = new ArrayList<>();
        for (int i = 0; i < CUSTOMER_INSTANCES; i++) {
            String ins = instance + "_c" + i;
            customer.add(ins);
            List<LogLine> lines = new ArrayList<>();
            for (int n = 0; n < 50; n++) {
                Instant t = t0.plusMillis((n * (long) CUSTOMER_INSTANCES + i) * 50L);
                lines.add(new LogLine(t, n % 5 == 0 ? Severity.ERROR : Severity.INFO, "order " + n + " of instance " + i,
                        ins, "exe_cus_" + i, FLOW_CONFIG, null, 1));
            }
            logs.append(otherCustomer, ins, "exe_cus_" + i, lines);
            customerLines.addAll(lines);
        }
        search(out, "a customer's " + CUSTOMER_INSTANCES + " instances, `severity=ERROR` (20 %), first page of 50", logs,
                customerLines, new LogQuery(List.of(new LogQuery.Scope(otherCustomer, customer)), null, Severity.ERROR, since, null, 50, null), false);
        search(out, "a customer's " + CUSTOMER_INSTANCES + " instances, `severity=ERROR`, every page (50 a page)", logs,
                customerLines, new LogQuery(List.of(new LogQuery.Scope(otherCustomer, customer)), null, Severity.ERROR, since, null, 50, null), true);
        LogQuery rare = new LogQuery(List.of(new LogQuery.Scope(owner, List.of(instance))), RARE, null, since, null, 50, null);
        List<LogLine> expectedRare = written.stream().filter(rare::matches).toList();
        out.append(rowOf("rare text, or any search", "naive: DescribeLogStreams, GetLogEvents on every stream, filter and sort",
                () -> naiveSearch(owner, rare), expectedRare, 1));
        // What the service's own filtering is worth: the same FilterLogEvents with a pattern moto does apply
        // (a quoted phrase), as CloudWatch applies Ferry's %regex%.
        out.append(rowOf("rare text, the service filtering", "FilterLogEvents with a pattern the emulator applies (`\"" + RARE
                        + "\"`): what server-side filtering saves",
                () -> serviceFiltered(owner, instance, "\"" + RARE + "\"", rare), expectedRare, runs));
        out.append('\n');
        return out.toString();
    }

    private void search(StringBuilder out, String what, CloudWatchLogsLogStore logs, List<LogLine> written, LogQuery q,
                        boolean allPages) {
        List<LogLine> matching = written.stream().filter(q::matches)
                .sorted(Comparator.comparing((LogLine l) -> l.timestamp().toEpochMilli())).toList();
        List<LogLine> expected = allPages ? matching : matching.subList(0, Math.min(q.limit(), matching.size()));
        out.append(rowOf(what, "FilterLogEvents (`" + CloudWatchLogsLogStore.filterPattern(q) + "`)", () -> {
            List<LogLine> got = new ArrayList<>();
            String cursor = null;
            do {
                Page<LogLine> page = logs.search(q.withCursor(cursor));
                got.addAll(page.items());
                cursor = page.nextCursor();
            } while (cursor != null && (allPages || got.size() < q.limit()));
            return got;
        }, expected, runs));
    }

    private String rowOf(String view, String how, Supplier<List<LogLine>> run, List<LogLine> expected, int times) {
        progress(view + " — " + how);
        Measured<List<LogLine>> m = measure(run, times);
        return "| " + view + " | " + how + " | " + String.format(m.cells(expected), m.answer().size()) + "\n";
    }

    /** Every stream read whole, then filtered and sorted here: what a client without FilterLogEvents does. */
    private List<LogLine> naiveSearch(String customer, LogQuery q) {
        String group = CloudWatchLogsLogStore.groupName(customer);
        List<String> streams = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            var res = aws.logs().describeLogStreams(b -> b.logGroupName(group).nextToken(t));
            for (LogStream s : res.logStreams()) streams.add(s.logStreamName());
            token = res.nextToken();
        } while (token != null);
        List<LogLine> out = new ArrayList<>();
        Map<String, Integer> order = new HashMap<>();
        for (String stream : streams) {
            String next = null;
            while (true) {
                String n = next;
                GetLogEventsResponse res = aws.logs().getLogEvents(b -> b.logGroupName(group).logStreamName(stream)
                        .startFromHead(true).nextToken(n));
                for (OutputLogEvent ev : res.events()) {
                    LogLine line = dev.ferry.core.json.Json.read(ev.message(), LogLineJson.class).toLine();
                    if (q.matches(line)) {
                        order.put(line.executionId() + line.timestamp(), out.size());
                        out.add(line);
                    }
                }
                if (res.nextForwardToken() == null || res.nextForwardToken().equals(n) || res.events().isEmpty()) break;
                next = res.nextForwardToken();
            }
        }
        out.sort(Comparator.comparing((LogLine l) -> l.timestamp().toEpochMilli()));
        return out.subList(0, Math.min(q.limit(), out.size()));
    }

    /** FilterLogEvents with a pattern the service applies, every page, lines checked and sorted here. */
    private List<LogLine> serviceFiltered(String customer, String instance, String pattern, LogQuery q) {
        List<LogLine> out = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            var res = aws.logs().filterLogEvents(b -> b.logGroupName(CloudWatchLogsLogStore.groupName(customer))
                    .logStreamNames(instance).filterPattern(pattern).interleaved(true).nextToken(t));
            for (var ev : res.events()) {
                LogLine line = dev.ferry.core.json.Json.read(ev.message(), LogLineJson.class).toLine();
                if (q.matches(line)) out.add(line);
            }
            token = res.nextToken();
        } while (token != null);
        return out.subList(0, Math.min(q.limit(), out.size()));
    }

    /** A stored JSON line, read back. */
    record LogLineJson(String timestamp, String severity, String message, String instanceId, String executionId,
                       String flowConfigId, String step, int attempt) {
        LogLine toLine() {
            return new LogLine(Instant.parse(timestamp), Severity.valueOf(severity), message, instanceId, executionId,
                    flowConfigId, step, attempt);
        }
    }
}

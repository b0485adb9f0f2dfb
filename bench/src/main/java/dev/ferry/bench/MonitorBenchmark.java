package dev.ferry.bench;

import com.sun.net.httpserver.HttpServer;
import dev.ferry.core.Ferry;
import dev.ferry.core.message.MonitorEvent;
import dev.ferry.core.model.AlertChannel;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionError;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.LogLine;
import dev.ferry.core.model.Monitor;
import dev.ferry.core.model.MonitorScope;
import dev.ferry.core.model.MonitorTrigger;
import dev.ferry.core.model.MonitorTriggerType;
import dev.ferry.core.model.Page;
import dev.ferry.core.model.Severity;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.port.MonitorStore;
import dev.ferry.functions.Wiring;
import dev.ferry.infra.AwsClients;
import dev.ferry.infra.CallCounter;
import dev.ferry.local.Demo;
import dev.ferry.local.LocalStack;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The monitor evaluation record of docs/benchmarks.md ({@code scripts/bench-monitors.sh}): with
 * 1,000 monitors defined — three of them in the scope of the demo instance — the AWS calls, the
 * monitor items read and the time to evaluate one execution event, next to reading every monitor;
 * then what raising and delivering one alert adds, and what one sweep costs. Prints Markdown.
 */
public final class MonitorBenchmark {
    static final int DEFAULT_MONITORS = 1000;

    /** Items returned by DynamoDB Query calls (what an evaluation reads). */
    static final class QueryItems implements ExecutionInterceptor {
        final AtomicLong items = new AtomicLong();

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.response() instanceof QueryResponse q) items.addAndGet(q.count());
        }
    }

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int monitors = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_MONITORS;
        Path root = Path.of(System.getenv().getOrDefault("FERRY_REPO_ROOT", "."));
        String endpoint = System.getenv().getOrDefault("FERRY_AWS_ENDPOINT", "http://127.0.0.1:4566");
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", x -> {
            x.getRequestBody().readAllBytes();
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        receiver.start();
        try (LocalStack stack = LocalStack.builder().template(root.resolve("template.yaml")).awsEndpoint(endpoint)
                .httpPort(0).lambdaPort(0).demo(true).stateDir(Files.createTempDirectory("ferry-bench-monitors"))
                .out(new java.io.PrintStream(java.io.OutputStream.nullOutputStream())).build().start()) {
            Demo demo = stack.demo().orElseThrow();
            Map<String, String> env = new HashMap<>(stack.functions().find("MonitorEvaluationFunction").orElseThrow()
                    .spec().environment());
            CallCounter calls = new CallCounter();
            QueryItems items = new QueryItems();
            Ferry ferry = Wiring.fromEnv(env, AwsClients.fromEnv(env, List.of(calls, items)));
            MonitorStore store = ferry.ports().monitors();

            // What monitoring adds to every execution: the runner's read of the monitors in scope (3 Queries), and its
            // monitor event when one of them acts on it (none in scope yet: no event).
            Ferry quiet = new Ferry(ferry.ports().withQueue(id -> { }), ferry.settings());
            String token = demo.webhookUrl().substring(demo.webhookUrl().lastIndexOf('/') + 1);
            dev.ferry.core.model.ExecutionRequest request = new dev.ferry.core.model.ExecutionRequest("POST",
                    Demo.SAMPLE_BODY.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    Map.of("content-type", "application/json"), Map.of(), "application/json");
            quiet.runner().run(quiet.webhooks().accept(token, request).id());
            String queued = quiet.webhooks().accept(token, request).id();
            calls.reset();
            quiet.runner().run(queued);
            String runnerRow = "| run one execution of the demo flow, warm container (for reference) | " + calls.total()
                    + " | " + calls.snapshot() + " | 0 | |\n";

            long seedStart = System.nanoTime();
            Instant now = Instant.now();
            for (int i = 0; i < monitors - 3; i++) {
                MonitorScope scope = switch (i % 3) {
                    case 0 -> MonitorScope.instance("ins_bench_" + i);
                    case 1 -> MonitorScope.customer("cus_bench_" + i);
                    default -> MonitorScope.flowConfig("ins_bench_" + i, "flc_bench_" + i);
                };
                store.create(monitor("mon_bench_" + i, scope, MonitorTriggerType.EXECUTION_FAILED, null));
            }
            store.create(monitor("mon_in_instance", MonitorScope.instance(demo.instanceId()), MonitorTriggerType.EXECUTION_STARTED, null));
            store.create(monitor("mon_in_customer", MonitorScope.customer(demo.customerId()), MonitorTriggerType.EXECUTION_COMPLETED, null));
            store.create(monitor("mon_everything", MonitorScope.EVERYTHING, MonitorTriggerType.INSTANCE_REMOVED, null));
            long seedMs = (System.nanoTime() - seedStart) / 1_000_000;

            StringBuilder out = new StringBuilder("## Monitors: evaluation cost with " + monitors + " monitors defined\n\n");
            out.append("Seeded ").append(monitors).append(" monitors in ").append(seedMs).append(" ms: ")
                    .append(monitors - 3).append(" scoped to other instances, flow configs and customers, and 3 in the ")
                    .append("demo execution's scope (its instance, its customer, everything), none of whose triggers match it.\n\n");
            out.append("| what | AWS calls | which | monitor items read | median ms (").append(samples).append(" runs) |\n")
                    .append("|---|---|---|---|---|\n");

            out.append(runnerRow);
            MonitorEvent ended = MonitorEvent.executionEnded(failedExecution(demo, "exe_bench_0"),
                    List.of(new LogLine(now, Severity.ERROR, "execution failed", demo.instanceId(), "exe_bench_0",
                            demo.flowConfigId(), "fetch", 1)), now);
            out.append(measure("evaluate one execution event (nothing matches)", samples, calls, items,
                    () -> ferry.monitors().handle(ended)));
            out.append(measure("for comparison: read every monitor (list all, 100 a page)", samples, calls, items, () -> {
                String cursor = null;
                do {
                    Page<Monitor> page = store.list(100, cursor);
                    cursor = page.nextCursor();
                } while (cursor != null);
            }));

            store.create(monitor("mon_alerting", MonitorScope.instance(demo.instanceId()), MonitorTriggerType.EXECUTION_FAILED,
                    "http://127.0.0.1:" + receiver.getAddress().getPort() + "/alert"));
            int[] n = {0};
            out.append(measure("evaluate one execution event that raises one alert and delivers it (a new execution each run)",
                    samples, calls, items, () -> ferry.monitors().handle(MonitorEvent.executionEnded(
                            failedExecution(demo, "exe_bench_alert_" + (n[0]++)), List.of(), Instant.now()))));
            out.append(measure("the same event delivered again (duplicate: no second alert)", samples, calls, items,
                    () -> ferry.monitors().handle(MonitorEvent.executionEnded(failedExecution(demo, "exe_bench_alert_0"),
                            List.of(), Instant.now()))));
            out.append(measure("one sweep (no running executions, no time-based monitor)", samples, calls, items,
                    () -> ferry.monitors().sweep()));
            System.out.println(out);
        } finally {
            receiver.stop(0);
        }
    }

    private static Monitor monitor(String id, MonitorScope scope, MonitorTriggerType type, String url) {
        return new Monitor(id, id, scope, List.of(MonitorTrigger.of(type)),
                url == null ? List.of() : List.of(AlertChannel.webhook(url)), Instant.now());
    }

    private static Execution failedExecution(Demo demo, String id) {
        Instant t = Instant.now();
        return Execution.builder().id(id).instanceId(demo.instanceId()).customerId(demo.customerId())
                .flowConfigId(demo.flowConfigId()).flow("On new order").trigger(Trigger.WEBHOOK)
                .status(ExecutionStatus.RUNNING).queuedAt(t).startedAt(t).attempt(1).integrationVersion(1)
                .error(new ExecutionError("HTTP 500", "fetch", true)).end(ExecutionStatus.FAILED, t.plusMillis(40)).build();
    }

    private static String measure(String what, int samples, CallCounter calls, QueryItems items, Runnable r) {
        r.run(); // warm: first-use clients and caches are not what a warm container pays
        calls.reset();
        items.items.set(0);
        r.run();
        Map<String, Long> which = calls.snapshot();
        long total = calls.total();
        long read = items.items.get();
        List<Long> ms = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            long t0 = System.nanoTime();
            r.run();
            ms.add((System.nanoTime() - t0) / 1000);
        }
        ms.sort(Long::compare);
        return "| " + what + " | " + total + " | " + which + " | " + read + " | "
                + String.format(java.util.Locale.ROOT, "%.1f", ms.get(ms.size() / 2) / 1000.0) + " |\n";
    }
}

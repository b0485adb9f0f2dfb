package dev.ferry.bench;

import dev.ferry.core.Ferry;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionError;
import dev.ferry.core.model.ExecutionQuery;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.ReplayJob;
import dev.ferry.core.model.StepResult;
import dev.ferry.core.model.Trigger;
import dev.ferry.functions.Wiring;
import dev.ferry.infra.AwsClients;
import dev.ferry.infra.CallCounter;
import dev.ferry.local.Demo;
import dev.ferry.local.LocalStack;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Bulk replay of N failed executions (docs/benchmarks.md, "Retries and replays"), run with
 * {@code scripts/bench.sh replay [N]}: seeds N FAILED originals of the demo instance, then starts a
 * job (count + job item + job message) and runs its worker to completion, counting every AWS call
 * by an SDK interceptor and timing both. The worker sends the replays to a queue nobody polls, so
 * only selecting and dispatching is measured (running the replays is the execution path's cost).
 * Filtered by instance (the sparse byUnresolved index, the instance a filter); with a second argument {@code all}, also across all
 * instances (the sparse byUnresolved index). A worker invocation that reaches its deadline queues
 * the job again; the benchmark then runs the next invocation, as the job queue would.
 */
public final class ReplayBenchmark {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path root = Path.of(System.getenv().getOrDefault("FERRY_REPO_ROOT", "."));
        String endpoint = System.getenv().getOrDefault("FERRY_AWS_ENDPOINT", "http://127.0.0.1:4566");
        try (LocalStack stack = LocalStack.builder().template(root.resolve("template.yaml")).awsEndpoint(endpoint)
                .httpPort(0).lambdaPort(0).demo(true).stateDir(Files.createTempDirectory("ferry-bench-replay"))
                .out(new PrintStream(OutputStream.nullOutputStream())).build().start()) {
            Demo demo = stack.demo().orElseThrow();
            Map<String, String> env = new HashMap<>(stack.functions().find("ReplayFunction").orElseThrow().spec().environment());
            // moto answers a GSI Query by walking the whole table: give its calls time as the table grows.
            env.put("FERRY_AWS_API_CALL_TIMEOUT_MS", "300000");
            AwsClients plain = AwsClients.fromEnv(env);
            // Replays go to queues nobody polls: the benchmark measures selection and dispatch only.
            env.put("FERRY_EXECUTION_QUEUE_URL", plain.sqs().createQueue(b -> b.queueName("ferry-bench-replays")).queueUrl());
            env.put("FERRY_REPLAY_JOB_QUEUE_URL", plain.sqs().createQueue(b -> b.queueName("ferry-bench-jobs")).queueUrl());
            Ferry seeder = Wiring.fromEnv(env, plain);
            // What FlowExecutionFunction's poller does to the execution queue (without running the flows):
            // moto's SendMessageBatch slows down with every message left in a queue, a queue Lambda keeps short.
            Thread consumer = Thread.ofPlatform().daemon().start(() -> consume(plain, env.get("FERRY_EXECUTION_QUEUE_URL")));
            long seedStart = System.nanoTime();
            seed(seeder, demo, n);
            long seedMs = (System.nanoTime() - seedStart) / 1_000_000;
            System.err.println("seeded " + n + " in " + seedMs + " ms");

            StringBuilder out = new StringBuilder("## Retries and replays: bulk replay of " + n
                    + " failed executions\n\n");
            out.append("Seeded ").append(n).append(" FAILED originals of one instance in ").append(seedMs)
                    .append(" ms (not measured below). Each row: `POST /replays` (count + job) and the job's worker run "
                            + "to COMPLETED in one invocation, no rate limit, against moto on this machine.\n\n");
            out.append("| filter | index | matched | dispatched | wall ms (start / worker) | AWS calls | calls per replayed execution | calls by operation |\n");
            out.append("|---|---|---|---|---|---|---|---|\n");
            Instant now = Instant.now();
            out.append(run(env, "instanceId + unresolved + originalsOnly", "byUnresolved (sparse), instance as filter",
                    new ExecutionQuery(demo.instanceId(), null, null, null, null, null, null, true, true, 100, null)));
            if (args.length > 1 && args[1].equals("all")) {
                out.append(run(env, "unresolved + originalsOnly (all instances)", "byUnresolved (sparse)",
                        new ExecutionQuery(null, null, null, null, null, now.minus(Duration.ofDays(1)), null, true, true,
                                100, null)));
            }
            consumer.interrupt();
            System.out.println(out);
        }
    }

    /** Receives and deletes execution messages until interrupted (uncounted: it stands for the consumer). */
    private static void consume(AwsClients aws, String queueUrl) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                var messages = aws.sqs().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                        .messages();
                if (messages.isEmpty()) continue;
                List<software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
                for (int i = 0; i < messages.size(); i++) {
                    entries.add(software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry.builder()
                            .id("d" + i).receiptHandle(messages.get(i).receiptHandle()).build());
                }
                aws.sqs().deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) return;
            }
        }
    }

    private static String run(Map<String, String> env, String label, String index, ExecutionQuery filter) {
        CallCounter counter = new CallCounter();
        AwsClients counted = AwsClients.fromEnv(env, List.of(counter));
        Ferry ferry = Wiring.fromEnv(env, counted);
        counter.reset();
        long t0 = System.nanoTime();
        ReplayJob job = ferry.replayJobs().start(filter, "benchmark", null, false);
        long t1 = System.nanoTime();
        // Each call is one invocation of the worker (14 minutes, as ReplayFunction's 900 s timeout less its
        // margin); a job still RUNNING after it was queued again, so the next invocation goes on.
        ReplayJob done = job;
        int invocations = 0;
        while (done.status() == dev.ferry.core.model.ReplayJobStatus.RUNNING) {
            done = ferry.replayJobs().work(job.id(), Instant.now().plus(Duration.ofMinutes(14))).orElseThrow();
            invocations++;
        }
        long t2 = System.nanoTime();
        System.err.println(label + ": " + invocations + " worker invocation(s)");
        Map<String, Long> calls = new TreeMap<>(counter.snapshot());
        System.err.println(label + ": start " + (t1 - t0) / 1_000_000 + " ms, worker " + (t2 - t1) / 1_000_000 + " ms, " + calls);
        long total = calls.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder ops = new StringBuilder();
        calls.forEach((k, v) -> ops.append(ops.isEmpty() ? "" : ", ").append(k).append(" ").append(v));
        return "| " + label + " | " + index + " | " + done.matched() + " | " + done.dispatched() + " | "
                + (t1 - t0) / 1_000_000 + " / " + (t2 - t1) / 1_000_000 + " | " + total + " | "
                + String.format("%.3f", (double) total / Math.max(1, done.dispatched())) + " | " + ops + " |\n";
    }

    /** n FAILED webhook executions of the demo instance, a second apart, with a small body and one failed step. */
    private static void seed(Ferry ferry, Demo demo, int n) throws Exception {
        Instant base = Instant.now().minus(Duration.ofSeconds(n + 60L));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            final int k = i;
            done.add(pool.submit(() -> {
                Instant at = base.plusSeconds(k);
                ferry.ports().executions().create(Execution.builder()
                        .id(String.format("exe_bench%07d", k)).instanceId(demo.instanceId()).customerId(demo.customerId())
                        .flowConfigId(demo.flowConfigId()).flow("On new order").trigger(Trigger.WEBHOOK)
                        .status(ExecutionStatus.FAILED).queuedAt(at).startedAt(at).endedAt(at.plusMillis(120))
                        .durationMs(120L).attempt(1).integrationVersion(1)
                        .error(new ExecutionError("HTTP 503 from https://api.example.test", "fetch", true))
                        .request(new ExecutionRequest("POST", ("{\"id\": " + k + ", \"total\": 9.5}")
                                .getBytes(StandardCharsets.UTF_8), Map.of("content-type", "application/json"),
                                Map.of(), "application/json"))
                        .steps(List.of(new StepResult("fetch", "http", StepResult.FAILED, at, at.plusMillis(100), 100L,
                                null, new ExecutionError("HTTP 503", "fetch", true))))
                        .expiresAt(at.plus(Duration.ofDays(14))).build());
            }));
        }
        for (Future<?> f : done) f.get();
        pool.shutdown();
    }

    private ReplayBenchmark() {}
}

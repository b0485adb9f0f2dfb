package dev.ferry.bench;

import dev.ferry.infra.AwsClients;
import dev.ferry.local.Demo;
import dev.ferry.local.LocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Webhook acceptance on the local stack — N POSTs to {@code /webhooks/{token}} over HTTP from T
 * client threads, each answered 202 once stored and enqueued — next to the emulator's own rate for
 * the same work done directly: T threads each making one PutItem of an execution item (a copy of
 * one the webhook stored, so the same size and indexes) and one SendMessage. Rounds alternate the
 * two so that drift on a shared machine hits both; each round starts with empty queues.
 */
final class Throughput {
    private Throughput() {}

    record Round(double localPerSecond, double rawPerSecond) {}

    static String report(LocalStack stack, Demo demo, int requests, int threads, int rounds) throws Exception {
        Map<String, String> env = Benchmarks.env(stack, "WebhookFunction");
        AwsClients aws = AwsClients.fromEnv(env);
        String table = env.get("FERRY_EXECUTIONS_TABLE");
        String executionQueue = env.get("FERRY_EXECUTION_QUEUE_URL");
        String rawQueue = aws.sqs().createQueue(b -> b.queueName("ferry-bench-raw-throughput")).queueUrl();
        URI url = stack.apiUrl().resolve("/webhooks/" + Benchmarks.token(demo));
        ExecutorService httpThreads = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bench-http");
            t.setDaemon(true);
            return t;
        });
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).executor(httpThreads).build()) {
            return measure(aws, http, url, table, executionQueue, rawQueue, requests, threads, rounds);
        } finally {
            httpThreads.shutdownNow();
        }
    }

    private static String measure(AwsClients aws, HttpClient http, URI url, String table, String executionQueue,
                                  String rawQueue, int requests, int threads, int rounds) throws Exception {

        local(http, url, 20, threads); // warm both sides
        Map<String, AttributeValue> template = storedItem(aws, table);
        raw(aws, table, rawQueue, template, 20, threads);

        List<Round> results = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            aws.sqs().purgeQueue(b -> b.queueUrl(rawQueue));
            double rawRate = raw(aws, table, rawQueue, template, requests, threads);
            aws.sqs().purgeQueue(b -> b.queueUrl(executionQueue));
            double localRate = local(http, url, requests, threads);
            results.add(new Round(localRate, rawRate));
        }
        aws.sqs().purgeQueue(b -> b.queueUrl(executionQueue));
        aws.sqs().deleteQueue(b -> b.queueUrl(rawQueue));

        StringBuilder out = new StringBuilder("## Webhook acceptance throughput on the local stack\n\n");
        out.append(requests).append(" requests from ").append(threads).append(" client threads per round, ")
                .append(rounds).append(" rounds alternating the two (queue consumers off; every local answer checked ")
                .append("to be 202).\n\n| round | local stack: webhooks accepted / s | emulator raw: PutItem + SendMessage / s | ")
                .append("fraction |\n|---|---|---|---|\n");
        List<Double> fractions = new ArrayList<>();
        List<Double> locals = new ArrayList<>();
        List<Double> raws = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            Round r = results.get(i);
            double f = r.localPerSecond() / r.rawPerSecond();
            fractions.add(f * 100);
            locals.add(r.localPerSecond());
            raws.add(r.rawPerSecond());
            out.append(String.format("| %d | %.1f | %.1f | %.0f %% |%n", i + 1, r.localPerSecond(), r.rawPerSecond(), f * 100));
        }
        out.append("| **median (min–max)** | ").append(Benchmarks.Stats.of(locals)).append(" | ")
                .append(Benchmarks.Stats.of(raws)).append(" | **").append(Benchmarks.Stats.of(fractions)).append(" %** |\n\n");
        return out.toString();
    }

    /** Requests per second accepted by the local stack's HTTP API. */
    private static double local(HttpClient http, URI url, int requests, int threads) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Demo.SAMPLE_BODY)).build();
        return run(requests, threads, () -> {
            HttpResponse<String> res = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() != 202) throw new IllegalStateException("webhook answered " + res.statusCode() + ": " + res.body());
        });
    }

    /** The same work straight to the emulator: one PutItem and one SendMessage per request. */
    private static double raw(AwsClients aws, String table, String queue, Map<String, AttributeValue> template,
                              int requests, int threads) throws Exception {
        return run(requests, threads, () -> {
            String id = "exe_bench_" + UUID.randomUUID().toString().replace("-", "");
            Map<String, AttributeValue> item = new HashMap<>(template);
            item.put("pk", AttributeValue.fromS("EXECUTION#" + id));
            item.put("id", AttributeValue.fromS(id));
            item.put("instanceId", AttributeValue.fromS("ins_bench_raw_throughput"));
            aws.dynamoDb().putItem(b -> b.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(pk)"));
            aws.sqs().sendMessage(b -> b.queueUrl(queue).messageBody("{\"executionId\":\"" + id + "\"}"));
        });
    }

    /** A QUEUED execution item the webhook stored: the shape the raw side writes. */
    private static Map<String, AttributeValue> storedItem(AwsClients aws, String table) {
        var items = aws.dynamoDb().scan(b -> b.tableName(table).filterExpression("#s = :q")
                .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(Map.of(":q", AttributeValue.fromS("QUEUED"))))
                .items();
        if (items.isEmpty()) throw new IllegalStateException("no QUEUED execution stored by the warm-up");
        return items.get(0);
    }

    interface Call {
        void run() throws Exception;
    }

    private static double run(int requests, int threads, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger next = new AtomicInteger();
        try {
            long t0 = System.nanoTime();
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    while (next.getAndIncrement() < requests) call.run();
                    return null;
                }));
            }
            for (Future<?> w : workers) w.get();
            return requests / ((System.nanoTime() - t0) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }
}

package dev.ferry.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.infra.logs.CloudWatchLogsLogStore;
import dev.ferry.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every 202 ends in exactly one terminal execution — under a concurrent burst, and when the AWS
 * emulator freezes mid-burst and comes back. Counts are printed for the benchmark record.
 *
 * <p>The waits follow the work, not the clock: a test waits as long as executions keep moving or
 * their messages are still in the queues (waiting, in flight, or handed back to come again), and
 * fails at once when an accepted execution is stranded — its message dead-lettered, or nothing left
 * in the queues while it has not succeeded — or when nothing has moved for {@link #QUIET}.
 */
class ReliabilityIT {
    /** Every HTTP answer of this class's stacks, held to the API reference at the end. */
    private static final ApiAnswers API_ANSWERS = new ApiAnswers();

    @AfterAll
    static void answersConformToTheApiReference() {
        API_ANSWERS.verify();
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /**
     * How long nothing may move (no status, no queue count changes) before a wait gives up: longer
     * than the second pause of a failed execution message (2 min), so a message failing twice while
     * the store is unavailable still counts as work under way.
     */
    private static final Duration QUIET = Duration.ofMinutes(3);
    /** The queues whose messages are work still to come for an accepted execution. */
    private static final List<String> WORK_QUEUES = List.of("ExecutionQueue", "RetryQueue");
    /** Where that work goes when it fails every delivery. */
    private static final List<String> DEAD_LETTER_QUEUES = List.of("ExecutionDeadLetterQueue", "RetryDeadLetterQueue");

    record Sent(int status, String executionId) {}

    @Test
    void concurrentWebhooksEachEndInExactlyOneTerminalExecution() throws Exception {
        TestEmulator.reset();
        try (LocalStack stack = stack(TestEmulator.endpoint(), Map.of())) {
            Demo demo = stack.demo().orElseThrow();
            int n = 150;
            long t0 = System.nanoTime();
            List<Sent> sent = burst(demo.webhookUrl(), n, 24, 0);
            double acceptSeconds = (System.nanoTime() - t0) / 1e9;
            assertThat(sent).allMatch(s -> s.status() == 202);
            Map<String, String> statuses = awaitSucceeded(stack, List.of(demo.instanceId()), ids(sent));
            double completeSeconds = (System.nanoTime() - t0) / 1e9;

            assertThat(statuses).hasSize(n).allSatisfy((id, status) -> assertThat(status).isEqualTo("SUCCEEDED"));
            assertThat(startsPerExecution(stack, demo)).hasSize(n).allSatisfy((id, starts) -> assertThat(starts).isEqualTo(1));
            System.out.printf("reliability: %d webhooks, %d accepted, %d terminal, 0 duplicates; "
                            + "accepted %.1f/s, completed %.1f/s%n",
                    n, sent.size(), statuses.size(), n / acceptSeconds, n / completeSeconds);
        }
    }

    @Test
    void emulatorFrozenMidBurstLosesNothingThatWasAccepted() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process moto = new ProcessBuilder("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(Files.createTempFile("moto", ".log").toFile()).start();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        try {
            awaitUp(endpoint, moto);
            // The unacknowledged bound is 10 s here (900 s by default) so the sweep withdraws the executions
            // stored while the emulator was frozen without waiting a quarter of an hour. One attempt per AWS call
            // within the default 10 s: a frozen store fails a call after 10 s, while a store that is only slow
            // (a loaded machine, the emulator working off what piled up while frozen) still answers in time.
            // The freeze lasts one round of webhooks (a write timing out: about 10 s), far less than a claim's
            // four tries (about 47 s), so every claim made during it gets an answer once the emulator is back.
            try (LocalStack stack = stack(endpoint, Map.of("FERRY_AWS_API_CALL_TIMEOUT_MS", "10000", "AWS_MAX_ATTEMPTS", "1",
                    "FERRY_UNACKNOWLEDGED_AFTER_SECONDS", "10"))) {
                Demo demo = stack.demo().orElseThrow();
                List<Sent> before = burst(demo.webhookUrl(), 40, 8, 0);
                signal("STOP", moto.pid());
                List<Sent> frozen;
                try {
                    frozen = burst(demo.webhookUrl(), 8, 8, 1000);
                } finally {
                    signal("CONT", moto.pid());
                }
                // The senders whose requests failed send them again, as a webhook sender does on a 5xx.
                List<Sent> resent = burst(demo.webhookUrl(), (int) frozen.stream().filter(s -> s.status() != 202).count(), 8, 1000);
                List<Sent> after = burst(demo.webhookUrl(), 40, 8, 2000);

                assertThat(before).allMatch(s -> s.status() == 202);
                assertThat(frozen).allMatch(s -> s.status() == 202 || s.status() >= 500)
                        .as("a frozen store never gets a 202").anyMatch(s -> s.status() >= 500);
                assertThat(resent).allMatch(s -> s.status() == 202);
                assertThat(after).allMatch(s -> s.status() == 202);

                List<Sent> accepted = new ArrayList<>(before);
                accepted.addAll(frozen.stream().filter(s -> s.status() == 202).toList());
                accepted.addAll(resent);
                accepted.addAll(after);
                // A claim (QUEUED -> RUNNING) whose answer timed out while the emulator was frozen but which it
                // applied on resuming is taken back by the same delivery (same claim token and start), so the
                // execution runs now instead of staying RUNNING until the stuck sweep. An execution message that
                // failed while frozen is handed back for 30 s, not the queue's 90 min, so it runs once the store is
                // back without anyone redriving it: none is dead-lettered (awaitSucceeded fails if one is).
                Map<String, String> statuses = awaitSucceeded(stack, List.of(demo.instanceId()), ids(accepted));
                assertThat(statuses).as("every 202 ends in one terminal execution").hasSize(accepted.size())
                        .allSatisfy((id, st) -> assertThat(st).isEqualTo("SUCCEEDED"));
                // A request answered 5xx whose write the emulator applied after resuming is stored QUEUED and
                // never enqueued; the sweep withdraws it once it is older than the bound.
                Progress sweeping = new Progress();
                Map<String, String> all;
                int withdrawn = 0;
                while (true) {
                    JsonNode swept = Json.tree(new String(stack.functions().invoke("MonitorEvaluationFunction",
                            "{\"sweep\": true}".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                            java.nio.charset.StandardCharsets.UTF_8));
                    withdrawn += swept.path("unacknowledgedCancelled").asInt();
                    all = listAll(stack, demo);
                    if (all != null && !all.containsValue("QUEUED")) break;
                    sweeping.saw(all == null ? null : countBy(all), "orphans left after the sweep: " + all);
                    TimeUnit.SECONDS.sleep(1); // the bound is 10 s: poll while the sweep withdraws them
                }
                Map<String, String> strays = new HashMap<>(all);
                strays.keySet().removeAll(statuses.keySet());
                assertThat(strays).as("a request answered 5xx never runs: it is CANCELLED (withdrawn by the webhook or by the sweep)")
                        .allSatisfy((id, st) -> assertThat(st).isEqualTo("CANCELLED"));
                assertThat(all.values()).as("0 orphans left QUEUED, nothing RUNNING").doesNotContain("QUEUED", "RUNNING");
                assertThat(startsPerExecution(stack, demo)).as("no duplicates, no stray ever started")
                        .hasSize(accepted.size()).allSatisfy((id, starts) -> assertThat(starts).isEqualTo(1));
                System.out.printf("fault: emulator frozen mid-burst: %d accepted, %d terminal (all SUCCEEDED), "
                                + "%d answered 5xx while frozen, %d stored anyway (%d withdrawn by the unacknowledged sweep, "
                                + "0 orphans left), 0 lost, 0 duplicates%n", accepted.size(), statuses.size(),
                        frozen.stream().filter(x -> x.status() >= 500).count(), strays.size(), withdrawn);
            }
        } finally {
            signal("CONT", moto.pid());
            moto.destroy();
            moto.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void concurrentWebhooksAcrossManyInstancesEachEndInExactlyOneTerminalExecution() throws Exception {
        TestEmulator.reset();
        try (LocalStack stack = stack(TestEmulator.endpoint(), Map.of())) {
            Demo demo = stack.demo().orElseThrow();
            int instances = 6;
            List<String> instanceIds = new ArrayList<>(List.of(demo.instanceId()));
            List<String> urls = new ArrayList<>(List.of(demo.webhookUrl()));
            for (int i = 1; i < instances; i++) {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(stack.apiUrl().resolve("/instances"))
                        .header("authorization", "Bearer " + stack.adminApiKey()).header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"Load " + i + "\", \"customerId\": \""
                                + demo.customerId() + "\", \"integrationId\": \"" + demo.integrationId()
                                + "\", \"configVariables\": {\"apiKey\": \"k-" + i + "\"}}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                JsonNode instance = Json.tree(r.body());
                instanceIds.add(instance.get("id").asText());
                urls.add(instance.get("flowConfigs").get(0).get("webhookUrl").asText());
            }
            int n = 120;
            long t0 = System.nanoTime();
            List<Sent> sent = spread(urls, n, 24);
            double acceptSeconds = (System.nanoTime() - t0) / 1e9;
            assertThat(sent).allMatch(s -> s.status() == 202);
            Set<String> accepted = new java.util.HashSet<>(ids(sent));
            assertThat(accepted).as("distinct execution ids").hasSize(n);

            awaitSucceeded(stack, instanceIds, accepted);
            Map<String, String> statuses = listAnswered(stack, instanceIds);
            double completeSeconds = (System.nanoTime() - t0) / 1e9;

            assertThat(statuses.keySet()).as("exactly the accepted executions, nothing else").isEqualTo(accepted);
            assertThat(statuses.values()).allMatch("SUCCEEDED"::equals);
            Map<String, Integer> starts = new HashMap<>();
            for (String instanceId : instanceIds) starts.putAll(startsPerExecution(stack, demo.customerId(), instanceId));
            assertThat(starts).hasSize(n).allSatisfy((id, c) -> assertThat(c).isEqualTo(1));
            System.out.printf("reliability: %d webhooks across %d instances, %d accepted, %d terminal, 0 duplicates; "
                            + "accepted %.1f/s, completed %.1f/s%n",
                    n, instances, accepted.size(), statuses.size(), n / acceptSeconds, n / completeSeconds);
        }
    }

    // ------------------------------------------------------------------ helpers

    /** {@code n} webhooks sent round-robin to the urls, {@code concurrency} at a time. */
    private static List<Sent> spread(List<String> urls, int n, int concurrency) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<Sent>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int id = i;
                futures.add(pool.submit(() -> send(urls.get(id % urls.size()), "{\"id\": " + id + ", \"total\": 1}")));
            }
            List<Sent> out = new ArrayList<>();
            for (Future<Sent> f : futures) out.add(f.get(60, TimeUnit.SECONDS));
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static LocalStack stack(URI endpoint, Map<String, String> env) throws IOException {
        LocalStackBuilder b = LocalStack.builder().template(TestEmulator.template()).awsEndpoint(endpoint)
                .httpPort(0).lambdaPort(0).demo(true).stateDir(Files.createTempDirectory("ferry-rel"))
                .httpListener(API_ANSWERS)
                .iam(true).iamLedger(TestEmulator.iamLedgerDir())
                .out(new PrintStream(new ByteArrayOutputStream()));
        env.forEach(b::functionEnvironment);
        return b.build().start();
    }

    private static List<String> ids(List<Sent> sent) {
        return sent.stream().filter(s -> s.status() == 202).map(Sent::executionId).toList();
    }

    private static List<Sent> burst(String url, int n, int concurrency, int offset) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<Sent>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int id = offset + i;
                futures.add(pool.submit(() -> send(url, "{\"id\": " + id + ", \"total\": 1}")));
            }
            List<Sent> out = new ArrayList<>();
            for (Future<Sent> f : futures) out.add(f.get(60, TimeUnit.SECONDS));
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Sent send(String url, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        String id = r.statusCode() == 202 ? Json.tree(r.body()).get("executionId").asText() : null;
        return new Sent(r.statusCode(), id);
    }

    /**
     * Polls until every id has SUCCEEDED, answering id → status, for as long as the work goes on
     * (see the class comment). Fails at once when one is stranded: a message in a dead-letter queue,
     * or the work queues empty (nothing waiting, in flight or delayed) on every look for 2 s while
     * an id has not succeeded.
     */
    private static Map<String, String> awaitSucceeded(LocalStack stack, List<String> instanceIds, java.util.Collection<String> ids)
            throws Exception {
        var sqs = dev.ferry.infra.AwsClients.fromEnv(stack.adminEnvironment()).sqs();
        Progress progress = new Progress();
        long idleSince = 0;
        while (true) {
            Map<String, String> all = listAll(stack, instanceIds); // null while the API answers 503: look again
            Map<String, Integer> queues = messages(stack, sqs);
            Map<String, String> statuses = new HashMap<>();
            if (all != null) for (String id : ids) if (all.containsKey(id)) statuses.put(id, all.get(id));
            if (statuses.size() == ids.size() && statuses.values().stream().allMatch("SUCCEEDED"::equals)) return statuses;
            String state = statuses.size() + " of " + ids.size() + " found, statuses " + countBy(statuses)
                    + ", messages " + queues;
            for (String dlq : DEAD_LETTER_QUEUES) {
                assertThat(queues.get(dlq)).as("stranded: dead-lettered instead of run once the store was back; " + state)
                        .isZero();
            }
            boolean idle = all != null && WORK_QUEUES.stream().allMatch(q -> queues.get(q) == 0);
            if (!idle) idleSince = 0;
            else if (idleSince == 0) idleSince = System.nanoTime();
            else if (System.nanoTime() - idleSince > Duration.ofSeconds(2).toNanos()) {
                throw new AssertionError("stranded: nothing left in the queues, yet not every execution succeeded: " + state);
            }
            progress.saw(all == null ? null : List.of(statuses, queues), "nothing moved: " + state);
            TimeUnit.MILLISECONDS.sleep(250); // poll interval; the wait lasts as long as the work does
        }
    }

    /** Every execution of the instances, id → status, read again while the API answers 503. */
    private static Map<String, String> listAnswered(LocalStack stack, List<String> instanceIds) throws Exception {
        Progress progress = new Progress();
        while (true) {
            Map<String, String> all = listAll(stack, instanceIds);
            if (all != null) return all;
            progress.saw(null, "the executions could not be listed");
            TimeUnit.MILLISECONDS.sleep(250); // the store is slow to answer: look again
        }
    }

    /** Each of the work and dead-letter queues → its messages waiting, in flight and delayed. */
    private static Map<String, Integer> messages(LocalStack stack, software.amazon.awssdk.services.sqs.SqsClient sqs) {
        Map<String, Integer> out = new java.util.TreeMap<>();
        for (String id : java.util.stream.Stream.concat(WORK_QUEUES.stream(), DEAD_LETTER_QUEUES.stream()).toList()) {
            String url = stack.resources().stream().filter(r -> r.logicalId().equals(id)).findFirst().orElseThrow().ref();
            Map<String, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings(
                    "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"))
                    .attributesAsStrings();
            out.put(id, a.values().stream().mapToInt(Integer::parseInt).sum());
        }
        return out;
    }

    /** A deadline that follows the work: it passes only when what is watched has not changed for {@link #QUIET}. */
    private static final class Progress {
        private Object last = new Object();
        private long since = System.nanoTime();

        void saw(Object state, String failure) {
            if (!java.util.Objects.equals(state, last)) {
                last = state;
                since = System.nanoTime();
            } else if (System.nanoTime() - since > QUIET.toNanos()) {
                throw new AssertionError(failure + " (for " + QUIET.toMinutes() + " min)");
            }
        }
    }

    private static Map<String, Long> countBy(Map<String, String> statuses) {
        Map<String, Long> c = new HashMap<>();
        statuses.values().forEach(s -> c.merge(s, 1L, Long::sum));
        return c;
    }

    private static Map<String, String> listAll(LocalStack stack, Demo demo) throws Exception {
        return listAll(stack, demo.instanceId());
    }

    /** Every execution of the instances, id → status; null when the API answered 503 for any. */
    private static Map<String, String> listAll(LocalStack stack, List<String> instanceIds) throws Exception {
        Map<String, String> all = new HashMap<>();
        for (String instanceId : instanceIds) {
            Map<String, String> one = listAll(stack, instanceId);
            if (one == null) return null;
            all.putAll(one);
        }
        return all;
    }

    private static Map<String, String> listAll(LocalStack stack, String instanceId) throws Exception {
        Map<String, String> all = new ConcurrentHashMap<>();
        String cursor = null;
        do {
            String q = "/executions?instanceId=" + instanceId + "&limit=25" + (cursor == null ? "" : "&cursor=" + cursor);
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(stack.apiUrl().resolve(q))
                    .header("authorization", "Bearer " + stack.adminApiKey()).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 503) return null;
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode page = Json.tree(r.body());
            page.get("items").forEach(e -> all.put(e.get("id").asText(), e.get("status").asText()));
            cursor = page.get("nextCursor").isNull() ? null : java.net.URLEncoder.encode(page.get("nextCursor").asText(),
                    java.nio.charset.StandardCharsets.UTF_8);
        } while (cursor != null);
        return all;
    }

    /** How many times each execution's flow started, from its instance's log lines ("execution started" lines, by their execution id). */
    private static Map<String, Integer> startsPerExecution(LocalStack stack, Demo demo) {
        return startsPerExecution(stack, demo.customerId(), demo.instanceId());
    }

    private static Map<String, Integer> startsPerExecution(LocalStack stack, String customerId, String instanceId) {
        var logs = dev.ferry.infra.AwsClients.fromEnv(stack.adminEnvironment()).logs();
        Map<String, Integer> starts = new HashMap<>();
        logs.filterLogEventsPaginator(b -> b.logGroupName(CloudWatchLogsLogStore.groupName(customerId)).logStreamNames(instanceId)
                        .filterPattern("\"execution started\""))
                .events().forEach(e -> starts.merge(Json.tree(e.message()).path("executionId").asText(e.logStreamName()), 1,
                        Integer::sum));
        return starts;
    }

    /** Waits for the emulator to answer while its process lives (a loaded machine starts it slowly), up to {@link #QUIET}. */
    private static void awaitUp(URI endpoint, Process moto) throws Exception {
        long end = System.nanoTime() + QUIET.toNanos();
        while (System.nanoTime() < end) {
            if (!moto.isAlive()) throw new AssertionError("moto exited with status " + moto.exitValue() + " before answering");
            try {
                HTTP.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                TimeUnit.MILLISECONDS.sleep(200); // poll interval while it starts
            }
        }
        throw new AssertionError("moto did not start on " + endpoint);
    }

    private static void signal(String sig, long pid) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).start().waitFor(5, TimeUnit.SECONDS);
    }
}

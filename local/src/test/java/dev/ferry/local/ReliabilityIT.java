package dev.ferry.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.time.Instant;
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
import org.junit.jupiter.api.Test;

/**
 * Every 202 ends in exactly one terminal execution — under a concurrent burst, and when the AWS
 * emulator freezes mid-burst and comes back. Counts are printed for the benchmark record.
 */
class ReliabilityIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

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
            Map<String, String> statuses = awaitTerminal(stack, demo, ids(sent), Duration.ofSeconds(180));
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
            awaitUp(endpoint);
            try (LocalStack stack = stack(endpoint, Map.of("FERRY_AWS_API_CALL_TIMEOUT_MS", "3000", "AWS_MAX_ATTEMPTS", "1"))) {
                Demo demo = stack.demo().orElseThrow();
                List<Sent> before = burst(demo.webhookUrl(), 40, 8, 0);
                signal("STOP", moto.pid());
                List<Sent> frozen;
                try {
                    frozen = burst(demo.webhookUrl(), 16, 8, 1000);
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
                // A claim (QUEUED -> RUNNING) whose answer timed out while the emulator was frozen, but which the
                // emulator applied when it resumed, leaves its execution RUNNING: its message comes back only after
                // the queue's visibility timeout and then finds it claimed. The monitor sweep fails such stuck
                // executions after the function's timeout and their retry policy applies; here we count them.
                Set<String> settled = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "RUNNING");
                Map<String, String> statuses = awaitSettled(stack, demo, ids(accepted), Duration.ofSeconds(180), settled);
                long stuck = statuses.values().stream().filter("RUNNING"::equals).count();
                assertThat(statuses).hasSize(accepted.size())
                        .allSatisfy((id, st) -> assertThat(st).isIn("SUCCEEDED", "RUNNING"));
                Map<String, String> all = listAll(stack, demo);
                while (all == null) all = listAll(stack, demo);
                long strays = all.keySet().stream().filter(id -> !statuses.containsKey(id)).count();
                assertThat(all).allSatisfy((id, st) -> {
                    if (!statuses.containsKey(id)) {
                        assertThat(st).as("a request answered 5xx never runs: " + id).isIn("QUEUED", "CANCELLED");
                    }
                });
                assertThat(startsPerExecution(stack, demo).values()).allMatch(c -> c == 1);
                System.out.printf("fault: emulator frozen mid-burst: %d accepted, %d terminal, %d left RUNNING by a late-applied "
                                + "claim (recovered by the stuck sweep), %d answered 5xx while frozen (%d stored but never run), "
                                + "0 lost, 0 duplicates%n", accepted.size(), statuses.size() - stuck, stuck,
                        frozen.stream().filter(s -> s.status() >= 500).count(), strays);
            }
        } finally {
            signal("CONT", moto.pid());
            moto.destroy();
            moto.waitFor(10, TimeUnit.SECONDS);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static LocalStack stack(URI endpoint, Map<String, String> env) throws IOException {
        LocalStack.Builder b = LocalStack.builder().template(TestEmulator.template()).awsEndpoint(endpoint)
                .httpPort(0).lambdaPort(0).demo(true).stateDir(Files.createTempDirectory("ferry-rel"))
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

    /** Polls the API until every id is terminal (deadline), answering id → status. */
    private static Map<String, String> awaitTerminal(LocalStack stack, Demo demo, List<String> ids, Duration deadline)
            throws Exception {
        return awaitSettled(stack, demo, ids, deadline, TERMINAL);
    }

    /** Polls until every id is in one of {@code settled} (deadline), answering id → status. */
    private static Map<String, String> awaitSettled(LocalStack stack, Demo demo, List<String> ids, Duration deadline,
                                                    Set<String> settled) throws Exception {
        Instant end = Instant.now().plus(deadline);
        Map<String, String> statuses = Map.of();
        while (Instant.now().isBefore(end)) {
            Map<String, String> all = listAll(stack, demo);
            if (all == null) { // the API answered 503 (store slow to answer): poll again
                TimeUnit.MILLISECONDS.sleep(250);
                continue;
            }
            statuses = new HashMap<>();
            for (String id : ids) if (all.containsKey(id)) statuses.put(id, all.get(id));
            if (statuses.size() == ids.size() && statuses.values().stream().allMatch(settled::contains)) {
                // settled states must hold still: RUNNING ones are only accepted once nothing moves
                if (settled == TERMINAL || stable(stack, demo, statuses)) return statuses;
            }
            Thread.onSpinWait();
            TimeUnit.MILLISECONDS.sleep(250); // poll interval, bounded by the deadline
        }
        throw new AssertionError("not all executions ended by the deadline: " + statuses.size() + " of " + ids.size()
                + " found, statuses " + new HashMap<>(countBy(statuses)));
    }

    /** True when a second look, a few seconds later, finds the same statuses (nothing is still running). */
    private static boolean stable(LocalStack stack, Demo demo, Map<String, String> statuses) throws Exception {
        if (!statuses.containsValue("RUNNING")) return true;
        TimeUnit.SECONDS.sleep(5); // the runner saves within a second when it can; bounded by the caller's deadline
        Map<String, String> again = listAll(stack, demo);
        return again != null && statuses.entrySet().stream().allMatch(e -> e.getValue().equals(again.get(e.getKey())));
    }

    private static Map<String, Long> countBy(Map<String, String> statuses) {
        Map<String, Long> c = new HashMap<>();
        statuses.values().forEach(s -> c.merge(s, 1L, Long::sum));
        return c;
    }

    private static Map<String, String> listAll(LocalStack stack, Demo demo) throws Exception {
        Map<String, String> all = new ConcurrentHashMap<>();
        String cursor = null;
        do {
            String q = "/executions?instanceId=" + demo.instanceId() + "&limit=100" + (cursor == null ? "" : "&cursor=" + cursor);
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

    /** How many times each execution's flow started, from its log stream ("execution started" lines). */
    private static Map<String, Integer> startsPerExecution(LocalStack stack, Demo demo) {
        var logs = dev.ferry.infra.AwsClients.fromEnv(Map.of("AWS_ENDPOINT_URL", stack.awsEndpoint().toString(),
                "AWS_REGION", "us-east-1")).logs();
        Map<String, Integer> starts = new HashMap<>();
        logs.filterLogEventsPaginator(b -> b.logGroupName("/ferry/instances/" + demo.instanceId())
                        .filterPattern("\"execution started\""))
                .events().forEach(e -> starts.merge(e.logStreamName(), 1, Integer::sum));
        return starts;
    }

    private static void awaitUp(URI endpoint) throws Exception {
        Instant end = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(end)) {
            try {
                HTTP.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                TimeUnit.MILLISECONDS.sleep(200); // poll interval, bounded by the deadline
            }
        }
        throw new AssertionError("moto did not start on " + endpoint);
    }

    private static void signal(String sig, long pid) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).start().waitFor(5, TimeUnit.SECONDS);
    }
}

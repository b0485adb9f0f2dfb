package dev.ferry.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * One instance under a sustained burst of webhooks on the local stack, as fast as this machine
 * sends them for a bounded time: every accepted execution succeeds with its complete log set, no
 * line was dropped, and its instance's log streams stay far fewer than its executions (the writes
 * need no CreateLogStream per execution).
 */
class BurstLoadIT {
    /** How long the senders keep sending, and the most webhooks they send. */
    private static final Duration SENDING = Duration.ofSeconds(10);
    private static final int MAX_WEBHOOKS = 200;
    private static final int SENDERS = 12;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void oneInstanceUnderABurstKeepsEveryExecutionsLinesWithFewStreams() throws Exception {
        try (StackFixture f = StackFixture.start("burst", b -> b.demo(true))) {
            var demo = f.stack.demo().orElseThrow();
            ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
            AtomicInteger refused = new AtomicInteger();
            AtomicInteger sent = new AtomicInteger();
            long start = System.nanoTime();
            long stop = start + SENDING.toNanos();
            ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
            for (int t = 0; t < SENDERS; t++) {
                senders.submit(() -> {
                    int n;
                    while (System.nanoTime() < stop && (n = sent.incrementAndGet()) <= MAX_WEBHOOKS) {
                        try {
                            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(demo.webhookUrl()))
                                    .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\": " + n + ", \"total\": 1}")).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 202) accepted.add(StackFixture.JSON.readTree(r.body()).get("executionId").asText());
                            else refused.incrementAndGet();
                        } catch (Exception e) {
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
            senders.shutdown();
            assertThat(senders.awaitTermination(SENDING.toSeconds() + 60, TimeUnit.SECONDS)).as("senders done").isTrue();
            double sendSeconds = (System.nanoTime() - start) / 1e9;
            List<String> ids = new ArrayList<>(accepted);
            assertThat(refused.get()).as("webhooks not answered 202").isZero();
            assertThat(ids).as("a burst worth the name").hasSizeGreaterThanOrEqualTo(50);

            int lines = -1;
            for (String id : ids) {
                JsonNode e = f.awaitEnd(id, Duration.ofMinutes(4));
                assertThat(e.path("status").asText()).as(id).isEqualTo("SUCCEEDED");
                assertThat(e.path("logLinesDropped").asInt(-1)).as(id + " lines dropped").isZero();
                JsonNode items = StackFixture.json(f.get("/executions/" + id + "/logs")).path("items");
                List<String> messages = new ArrayList<>();
                for (JsonNode l : items) {
                    assertThat(l.path("executionId").asText()).isEqualTo(id);
                    messages.add(l.path("message").asText());
                }
                assertThat(messages).as(id).isNotEmpty();
                assertThat(messages.get(0)).as(id).startsWith("execution started");
                assertThat(messages.get(messages.size() - 1)).as(id).startsWith("execution succeeded");
                if (lines < 0) lines = messages.size();
                assertThat(messages).as(id + ": the same flow writes the same number of lines").hasSize(lines);
            }
            double doneSeconds = (System.nanoTime() - start) / 1e9;

            var logs = dev.ferry.infra.AwsClients.fromEnv(f.stack.adminEnvironment()).logs();
            int streams = (int) logs.describeLogStreams(b -> b.logGroupName(
                            dev.ferry.infra.logs.CloudWatchLogsLogStore.groupName(demo.customerId())))
                    .logStreams().stream().filter(st -> st.logStreamName().startsWith(demo.instanceId())).count();
            assertThat(streams).as("log streams of the instance after %d executions", ids.size())
                    .isBetween(1, Math.max(1, ids.size() / 10));
            System.out.printf("burst: %d webhooks to one instance accepted in %.1f s (%.1f/s), all %d SUCCEEDED with "
                            + "%d lines each after %.1f s, 0 lines dropped, %d log stream(s)%n",
                    ids.size(), sendSeconds, ids.size() / sendSeconds, ids.size(), lines, doneSeconds, streams);
        }
    }
}

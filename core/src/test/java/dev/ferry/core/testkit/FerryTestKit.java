package dev.ferry.core.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.Ferry;
import dev.ferry.core.Ports;
import dev.ferry.core.api.ApiRequest;
import dev.ferry.core.api.ApiResponse;
import dev.ferry.core.api.Auth;
import dev.ferry.core.fakes.InMemoryAlertStore;
import dev.ferry.core.fakes.InMemoryApiKeyStore;
import dev.ferry.core.fakes.InMemoryCustomerStore;
import dev.ferry.core.fakes.InMemoryExecutionQueue;
import dev.ferry.core.fakes.InMemoryExecutionStore;
import dev.ferry.core.fakes.InMemoryInstanceStore;
import dev.ferry.core.fakes.InMemoryIntegrationStore;
import dev.ferry.core.fakes.InMemoryLogStore;
import dev.ferry.core.fakes.InMemoryMonitorEventQueue;
import dev.ferry.core.fakes.InMemoryMonitorStore;
import dev.ferry.core.fakes.InMemoryReplayJobQueue;
import dev.ferry.core.fakes.InMemoryReplayJobStore;
import dev.ferry.core.fakes.InMemoryRetryQueue;
import dev.ferry.core.fakes.InMemorySchedules;
import dev.ferry.core.fakes.InMemoryUniqueRequestStore;
import dev.ferry.core.fakes.MutableClock;
import dev.ferry.core.fakes.SequentialIdGenerator;
import dev.ferry.core.json.Json;
import dev.ferry.core.message.ExecutionMessage;
import dev.ferry.core.message.MonitorMessage;
import dev.ferry.core.message.ReplayJobMessage;
import dev.ferry.core.message.RetryMessage;
import dev.ferry.core.model.Email;
import dev.ferry.core.model.EmailResult;
import dev.ferry.core.model.HttpCallRequest;
import dev.ferry.core.model.HttpCallResult;
import dev.ferry.core.port.EmailSender;
import dev.ferry.core.port.HttpCaller;
import dev.ferry.core.service.Settings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole application on in-memory fakes, a settable clock and sequential ids: what the core
 * and handler tests drive. Sleeping advances the clock instead of waiting.
 */
public final class FerryTestKit {
    public static final String ADMIN_KEY = "test-admin-key";
    public static final String SECRET = "s3cr3t-api-key-value";

    public final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    public final SequentialIdGenerator ids = new SequentialIdGenerator();
    public final InMemoryCustomerStore customers = new InMemoryCustomerStore();
    public final InMemoryIntegrationStore integrations = new InMemoryIntegrationStore();
    public final InMemoryInstanceStore instances = new InMemoryInstanceStore();
    public final InMemoryExecutionStore executions = new InMemoryExecutionStore(clock);
    public final InMemoryLogStore logs = new InMemoryLogStore();
    public final InMemoryExecutionQueue queue = new InMemoryExecutionQueue();
    public final InMemorySchedules schedules = new InMemorySchedules();
    public final InMemoryRetryQueue retryQueue = new InMemoryRetryQueue(clock);
    public final InMemoryUniqueRequestStore uniqueRequests = new InMemoryUniqueRequestStore();
    public final InMemoryReplayJobStore replayJobs = new InMemoryReplayJobStore(clock);
    public final InMemoryReplayJobQueue replayJobQueue = new InMemoryReplayJobQueue();
    /** Outbound HTTP of http steps: answers from {@link #httpAnswer}. */
    public volatile HttpCallResult httpAnswer = new HttpCallResult(200, Map.of("content-type", "application/json"),
            "{\"ok\":true}".getBytes(StandardCharsets.UTF_8));
    /** Every outbound request (http steps and alert deliveries), in order. */
    public final List<HttpCallRequest> httpRequests = Collections.synchronizedList(new ArrayList<>());
    /** Answers outbound requests; by default {@link #httpAnswer}. Tests replace it to answer per URL or fail. */
    public volatile HttpCaller httpHandler = request -> httpAnswer;
    public final HttpCaller http = request -> {
        httpRequests.add(request);
        return httpHandler.call(request);
    };
    /** The sender of alert emails in {@link #FerryTestKit()}'s settings. */
    public static final String EMAIL_FROM = "alerts@example.test";
    /** Every alert email sent, in order. */
    public final List<Email> emails = Collections.synchronizedList(new ArrayList<>());
    /** Answers alert emails; by default accepts each (200) with a message id. Tests replace it to refuse or fail. */
    public volatile EmailSender emailHandler = email -> new EmailResult(200, "msg-" + emails.size(), null);
    public final EmailSender email = email -> {
        emails.add(email);
        return emailHandler.send(email);
    };
    public final InMemoryMonitorStore monitors = new InMemoryMonitorStore();
    public final InMemoryAlertStore alerts = new InMemoryAlertStore(clock);
    public final InMemoryMonitorEventQueue monitorEvents = new InMemoryMonitorEventQueue(clock);
    public final InMemoryApiKeyStore apiKeys = new InMemoryApiKeyStore();
    /** Dead letters: a redrive puts each message back on its source queue's fake. */
    /** Every metric recorded, as readable lines. */
    public final dev.ferry.core.fakes.RecordingMetrics metrics = new dev.ferry.core.fakes.RecordingMetrics();
    public final dev.ferry.core.fakes.InMemoryDeadLetters deadLetters =
            new dev.ferry.core.fakes.InMemoryDeadLetters(clock, this::redeliver);
    /** Seals secret config values as KMS envelope encryption would; counts data keys and openings. */
    public final dev.ferry.core.fakes.InMemorySecretCipher secrets = new dev.ferry.core.fakes.InMemorySecretCipher();
    public final Ferry ferry;

    public FerryTestKit() {
        this(Settings.defaults());
    }

    public FerryTestKit(Settings settings) {
        Ports ports = Ports.builder().customers(customers).integrations(integrations).instances(instances)
                .executions(executions).logs(logs).queue(queue).ids(ids).clock(clock).http(http)
                .sleeper(this::sleep).schedules(schedules).retries(retryQueue).uniqueRequests(uniqueRequests)
                .replayJobs(replayJobs).replayJobQueue(replayJobQueue).monitors(monitors).alerts(alerts)
                .monitorEvents(monitorEvents).apiKeys(apiKeys).deadLetters(deadLetters).email(email).metrics(metrics)
                .secrets(secrets).build();
        ferry = new Ferry(ports, settings.withAdminKeySha256(Auth.sha256Hex(ADMIN_KEY))
                .withPublicBaseUrl("https://hooks.example.test").withRouteCacheTtl(Duration.ZERO)
                .withAlertEmailFrom(settings.alertEmailFrom() != null ? settings.alertEmailFrom() : EMAIL_FROM));
    }

    /** Sleeping advances the clock; meanwhile FlowExecutionFunction takes the test runs queued (see {@link #runTestsAsSent}). */
    private void sleep(Duration d) {
        clock.advance(d);
        if (runTestsAsSent) runQueuedTests();
    }

    /**
     * Whether a queued test run ({@code POST /flow-configs/{id}/test}) is run at the request's first
     * wait, as FlowExecutionFunction would pick it up while the request waits (default); false leaves
     * it on the queue, as when the run takes longer than the request's wait.
     */
    public volatile boolean runTestsAsSent = true;

    private void runQueuedTests() {
        for (String id : queue.pending()) {
            boolean test = executions.get(id).map(e -> e.trigger() == dev.ferry.core.model.Trigger.TEST).orElse(false);
            if (test && queue.take(id)) ferry.runner().run(id);
        }
    }

    private void redeliver(dev.ferry.core.model.DeadLetterQueue queue, String body) {
        switch (queue) {
            case EXECUTION -> this.queue.send(ExecutionMessage.CODEC.read(body));
            case RETRY -> retryQueue.send(RetryMessage.CODEC.read(body), Duration.ZERO);
            case MONITOR -> monitorEvents.send(MonitorMessage.CODEC.read(body), Duration.ZERO);
            case REPLAY_JOB -> replayJobQueue.enqueue(ReplayJobMessage.CODEC.read(body).replayJobId());
            case SCHEDULE -> {
                var tick = dev.ferry.core.message.ScheduleTickFailure.CODEC.read(body);
                ferry.schedules().fire(tick.flowConfigId(), tick.scheduledTime());
            }
        }
    }

    /** Calls the management API as the admin. */
    public ApiResponse api(String method, String path, String body) {
        return api(method, path, Map.of(), body);
    }

    public ApiResponse api(String method, String path, Map<String, String> query, String body) {
        return apiAs(ADMIN_KEY, method, path, query, body);
    }

    /** Calls the management API with {@code apiKey} (null: no Authorization header). */
    public ApiResponse apiAs(String apiKey, String method, String path, Map<String, String> query, String body) {
        Map<String, String> headers = new HashMap<>();
        if (apiKey != null) headers.put("authorization", "Bearer " + apiKey);
        headers.put("content-type", "application/json");
        return ferry.api().handle(new ApiRequest(method, path, query, headers,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), "https://api.example.test"));
    }

    /** Creates an API key as the admin ({@code customerId} null: an admin key) and returns the key. */
    public String createApiKey(String name, String customerId) {
        ApiResponse r = api("POST", "/api-keys", customerId == null ? "{\"name\":\"" + name + "\"}"
                : "{\"name\":\"" + name + "\",\"customerId\":\"" + customerId + "\"}");
        if (r.status() != 201) throw new IllegalStateException(r.bodyText());
        return json(r).get("key").asText();
    }

    public static JsonNode json(ApiResponse r) {
        return Json.tree(r.body());
    }

    /**
     * Runs every queued execution, as the queue's consumer would, in the order they were enqueued,
     * and serves release and deletion requests; until nothing is left.
     */
    public void drainQueue() {
        while (true) {
            List<String> ids = queue.drain();
            List<String> releases = queue.drainReleases();
            List<String> deletions = queue.drainDeletions();
            if (ids.isEmpty() && releases.isEmpty() && deletions.isEmpty()) return;
            for (String id : ids) ferry.runner().run(id);
            for (String instanceId : releases) ferry.pauses().continueRelease(instanceId);
            for (String instanceId : deletions) ferry.deletions().continueDeletion(instanceId);
        }
    }

    /** Hands every retry message deliverable now to the retry dispatcher, as RetryDispatchFunction would. */
    public void dispatchRetries() {
        List<RetryMessage> due;
        while (!(due = retryQueue.receive()).isEmpty()) due.forEach(ferry.retryDispatcher()::dispatch);
    }

    /** Runs every queued bulk replay job (the replay job queue's consumer), with time to spare. */
    public void drainReplayJobs() {
        for (String id : replayJobQueue.drain()) ferry.replayJobs().work(id, clock.instant().plus(Duration.ofMinutes(14)));
    }

    /**
     * Evaluates every monitor queue message that is due, as the monitor evaluation function would,
     * until none is (delivery retries wait for their delay: advance the clock). Returns how many ran.
     */
    public int drainMonitorEvents() {
        int n = 0;
        for (List<MonitorMessage> due = monitorEvents.drainDue(); !due.isEmpty(); due = monitorEvents.drainDue()) {
            for (MonitorMessage e : due) {
                ferry.monitors().handle(e);
                n++;
            }
        }
        return n;
    }

    /**
     * Everything the fakes hold, as text: equal text means nothing was written. Fuzz tests compare
     * it before and after a rejected request.
     */
    public String stateSnapshot() {
        StringBuilder s = new StringBuilder();
        s.append(customers.list(100, null)).append('\n');
        s.append(integrations.list(100, null)).append('\n');
        for (var i : instances.list(null, 100, null).items()) s.append(i).append(instances.listFlowConfigs(i.id())).append('\n');
        for (var e : executions.all()) s.append(e).append(e.steps()).append('\n');
        for (String g : logs.instancesWithLogs()) s.append(g).append(logs.linesOf(g)).append('\n');
        s.append(queue.pending()).append(queue.pendingReleases()).append(schedules.all()).append('\n');
        s.append(retryQueue.sent()).append(replayJobQueue.pending()).append('\n');
        s.append(monitors.list(100, null)).append(alerts.all()).append(monitorEvents.pending()).append('\n');
        s.append(apiKeys.all()).append('\n');
        return s.toString();
    }

    /** A customer, an integration with one webhook flow and a secret variable, and an instance of it. */
    public Demo seedDemo() {
        return seed(DEMO_DEFINITION);
    }

    public Demo seed(String definition) {
        String customerId = json(api("POST", "/customers", "{\"name\":\"Acme\",\"externalId\":\"acme-1\"}")).get("id").asText();
        ApiResponse integration = api("POST", "/integrations", definition);
        if (integration.status() != 201) throw new IllegalStateException(integration.bodyText());
        String integrationId = json(integration).get("id").asText();
        ApiResponse instance = api("POST", "/instances", "{\"name\":\"Acme orders\",\"customerId\":\"" + customerId
                + "\",\"integrationId\":\"" + integrationId + "\",\"configVariables\":{\"apiBase\":\"https://api.example.test\",\"apiKey\":\""
                + SECRET + "\"}}");
        if (instance.status() != 201) throw new IllegalStateException(instance.bodyText());
        JsonNode node = json(instance);
        JsonNode fc = node.get("flowConfigs").get(0);
        String url = fc.get("webhookUrl").asText();
        return new Demo(customerId, integrationId, node.get("id").asText(), fc.get("id").asText(),
                url.substring(url.lastIndexOf('/') + 1));
    }

    public record Demo(String customerId, String integrationId, String instanceId, String flowConfigId, String token) {}

    public static final String DEMO_DEFINITION = """
            {
              "name": "Order sync",
              "configVariables": [{"key": "apiBase", "required": true}, {"key": "apiKey", "secret": true}],
              "flows": [{
                "name": "On new order",
                "trigger": {"type": "webhook"},
                "steps": [
                  {"name": "log", "type": "log", "severity": "INFO", "message": "{% 'order ' & $trigger.body.id & ' key ' & $config.apiKey %}"},
                  {"name": "fetch", "type": "http", "method": "GET", "url": "{% $config.apiBase & '/orders/' & $trigger.body.id %}",
                   "headers": {"Authorization": "{% 'Bearer ' & $config.apiKey %}"}},
                  {"name": "shape", "type": "transform", "output": {"id": "{% $trigger.body.id %}", "total": "{% $trigger.body.total %}", "echo": "{% $config.apiKey %}"}}
                ]
              }]
            }
            """;
}

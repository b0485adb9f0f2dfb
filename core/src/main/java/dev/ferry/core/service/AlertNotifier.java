package dev.ferry.core.service;

import dev.ferry.core.definition.IntegrationDefinition;
import dev.ferry.core.engine.Redactor;
import dev.ferry.core.error.StoreException;
import dev.ferry.core.log.Log;
import dev.ferry.core.message.AlertDeliveryRetry;
import dev.ferry.core.model.Alert;
import dev.ferry.core.model.AlertChannel;
import dev.ferry.core.model.AlertDelivery;
import dev.ferry.core.model.Customer;
import dev.ferry.core.model.Email;
import dev.ferry.core.model.EmailResult;
import dev.ferry.core.model.HttpCallRequest;
import dev.ferry.core.model.HttpCallResult;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.Monitor;
import dev.ferry.core.model.MonitorTriggerType;
import dev.ferry.core.port.AlertStore;
import dev.ferry.core.port.CustomerStore;
import dev.ferry.core.port.EmailSender;
import dev.ferry.core.port.Metrics;
import dev.ferry.core.port.HttpCaller;
import dev.ferry.core.port.IdGenerator;
import dev.ferry.core.port.InstanceStore;
import dev.ferry.core.port.MonitorEventQueue;
import dev.ferry.core.port.MonitorStore;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Raises alerts and delivers them. An alert is stored first, under its (monitor, key) — a second
 * raise of the same key finds it and sends nothing new — then sent to each of the monitor's
 * channels (a webhook or Slack POST through the {@link HttpCaller}, an email through the
 * {@link EmailSender}), all at once, so a slow or failing channel holds up no other. A failed attempt
 * (network error, 5xx, 408, 429) is recorded and retried through the monitor queue with a delay
 * ({@link #backoff}), up to {@value #MAX_ATTEMPTS} attempts; every attempt is recorded on the alert.
 * A channel's URL, header values and signing secrets are stored sealed ({@link ChannelSecrets}) and
 * opened only here, just before they are sent; the attempt records a webhook's URL still sealed.
 */
public final class AlertNotifier {
    public static final int MAX_ATTEMPTS = 5;
    public static final Duration TIMEOUT = Duration.ofSeconds(5);
    /**
     * How long after an alert fired a duplicate event may take over its first delivery: the raiser
     * delivers to every channel at once within {@link #TIMEOUT}, so an alert with a channel never
     * tried a minute later was left by a raiser that died (its message comes back after the queue's
     * visibility timeout, long after this).
     */
    static final Duration RAISER_GONE = Duration.ofMinutes(1);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(30);
    private static final Duration MAX_DELAY = Duration.ofMinutes(15);

    private final AlertStore alerts;
    private final MonitorStore monitors;
    private final MonitorEventQueue monitorEvents;
    private final InstanceStore instances;
    private final CustomerStore customers;
    private final IdGenerator ids;
    private final Clock clock;
    private final HttpCaller http;
    private final EmailSender email;
    private final Metrics metrics;
    private final Settings settings;
    private final Definitions definitions;
    private final ChannelSecrets channelSecrets;
    private final Executor deliveries;

    public AlertNotifier(AlertStore alerts, MonitorStore monitors, MonitorEventQueue monitorEvents,
                         InstanceStore instances, CustomerStore customers, IdGenerator ids, Clock clock,
                         HttpCaller http, EmailSender email, Metrics metrics, Settings settings, Definitions definitions,
                         ChannelSecrets channelSecrets, Executor deliveries) {
        this.alerts = alerts;
        this.monitors = monitors;
        this.monitorEvents = monitorEvents;
        this.instances = instances;
        this.customers = customers;
        this.ids = ids;
        this.clock = clock;
        this.http = http;
        this.email = email;
        this.metrics = metrics;
        this.settings = settings;
        this.definitions = definitions;
        this.channelSecrets = channelSecrets;
        this.deliveries = deliveries;
    }

    /**
     * What an alert is about, before names are looked up and secrets redacted; {@code status} and
     * {@code error} are the execution's, for alerts about one.
     */
    public record Draft(MonitorTriggerType trigger, String key, String subject, String instanceId, String customerId,
                        String flowConfigId, String flow, String executionId, String step, String status,
                        String error) {
        /** An alert about no execution in particular (an instance, a state over a scope). */
        public Draft(MonitorTriggerType trigger, String key, String subject, String instanceId, String customerId,
                     String flowConfigId, String flow, String executionId, String step) {
            this(trigger, key, subject, instanceId, customerId, flowConfigId, flow, executionId, step, null, null);
        }
    }

    /** Delay before attempt {@code attempt + 1}: 30 s, 2 min, 8 min, then 15 min (SQS's longest delay). */
    public static Duration backoff(int attempt) {
        long seconds = FIRST_RETRY.getSeconds() << (2L * Math.max(0, Math.min(attempt - 1, 10)));
        return Duration.ofSeconds(Math.min(seconds, MAX_DELAY.getSeconds()));
    }

    /**
     * Raises the alert unless the monitor already has one with this key, and delivers it. Returns
     * the stored alert when it was raised now, empty for a duplicate. A duplicate whose first
     * delivery never happened (the raiser crashed in between) is delivered now — once the alert is
     * older than {@link #RAISER_GONE}, so a concurrent copy of the event never delivers it twice.
     */
    public Optional<Alert> raise(Monitor monitor, Draft d, Lookups lookups) {
        return raise(monitor, d, lookups, null);
    }

    /**
     * As {@link #raise(Monitor, Draft, Lookups)}; the alert is recorded muted, and not delivered, when
     * {@code mutedBecause} says why (an instance paused on purpose) or the monitor is muted now.
     */
    public Optional<Alert> raise(Monitor monitor, Draft d, Lookups lookups, String mutedBecause) {
        Instant now = clock.instant();
        Alert alert = build(monitor, d, lookups, now);
        String muted = mutedBecause != null ? mutedBecause
                : monitor.mutedAt(now) ? "monitor muted until " + monitor.mutedUntil() : null;
        if (muted != null) alert = alert.withMuted(muted);
        if (!alerts.create(alert)) {
            // A duplicate of the event arriving while the raiser is still delivering (a concurrent copy)
            // must not deliver too; only an alert left undelivered past the raiser's time is one it died on.
            alerts.get(monitor.id(), d.key())
                    .filter(a -> !a.muted())
                    .filter(a -> a.firedAt() == null || !a.firedAt().plus(RAISER_GONE).isAfter(clock.instant()))
                    .ifPresent(a -> deliverUnsent(monitor, a));
            return Optional.empty();
        }
        if (alert.muted()) {
            Log.info("alert recorded muted", "alertId", alert.id(), "monitorId", monitor.id(), "reason", muted);
            return Optional.of(alert);
        }
        deliverAll(monitor, alert, channelIndexes(monitor));
        return Optional.of(alert);
    }

    /** Records that a state condition cleared. */
    public void cleared(String monitorId, String key, Instant at) {
        alerts.cleared(monitorId, key, at);
    }

    /** Attempt {@code retry.attempt()} of a delivery that failed before; a stale or repeated message does nothing. */
    public void retry(AlertDeliveryRetry retry) {
        Optional<Monitor> monitor = monitors.get(retry.monitorId());
        Optional<Alert> alert = alerts.get(retry.monitorId(), retry.alertKey());
        if (monitor.isEmpty() || alert.isEmpty() || retry.channel() < 0
                || retry.channel() >= monitor.get().channels().size()) {
            return;
        }
        boolean done = alert.get().deliveries().stream().anyMatch(d -> d.channel() == retry.channel()
                && (d.delivered() || d.attempt() >= retry.attempt()));
        // Copies of one retry message may run at once: only the one that takes the attempt sends it.
        if (!done && alerts.claimAttempt(retry.monitorId(), retry.alertKey(), retry.channel(), retry.attempt())) {
            deliver(monitor.get(), alert.get(), retry.channel(), retry.attempt(), open(monitor.get(), retry.channel()));
        }
    }

    private void deliverUnsent(Monitor monitor, Alert alert) {
        Set<Integer> tried = new java.util.HashSet<>();
        alert.deliveries().forEach(d -> tried.add(d.channel()));
        List<Integer> unsent = channelIndexes(monitor).stream().filter(i -> !tried.contains(i)).toList();
        if (!unsent.isEmpty()) deliverAll(monitor, alert, unsent);
    }

    private static List<Integer> channelIndexes(Monitor monitor) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < monitor.channels().size(); i++) out.add(i);
        return out;
    }

    private void deliverAll(Monitor monitor, Alert alert, List<Integer> channels) {
        // Opened here, one after the other, so a container that has not opened the monitor's data key yet
        // asks the key service once, not once per channel's thread.
        Map<Integer, Opened> opened = new HashMap<>();
        for (int i : channels) opened.put(i, open(monitor, i));
        if (channels.size() == 1) {
            deliver(monitor, alert, channels.get(0), 1, opened.get(channels.get(0)));
            return;
        }
        CompletableFuture.allOf(channels.stream()
                .map(i -> CompletableFuture.runAsync(Log.carry(() -> deliver(monitor, alert, i, 1, opened.get(i))),
                        deliveries))
                .toArray(CompletableFuture[]::new)).join();
    }

    /** A channel with its sealed values opened, or why they could not be. */
    private record Opened(AlertChannel channel, RuntimeException failure) {}

    private Opened open(Monitor monitor, int index) {
        try {
            return new Opened(channelSecrets.open(monitor, index), null);
        } catch (RuntimeException e) {
            return new Opened(null, e);
        }
    }

    /**
     * One attempt to one channel; never throws for a channel's failure. A channel value that can never
     * be opened fails the delivery for good; a key service that cannot answer is retried like a network error.
     */
    private void deliver(Monitor monitor, Alert alert, int index, int attempt, Opened opened) {
        AlertChannel stored = monitor.channels().get(index);
        AlertChannel channel = opened.channel();
        Integer status = null;
        String error = null;
        boolean delivered = false;
        boolean retryable = true;
        Instant at = clock.instant();
        try {
            if (opened.failure() != null) throw opened.failure();
            status = send(channel, alert, attempt, at);
            delivered = status >= 200 && status < 300;
            if (!delivered) {
                retryable = status >= 500 || status == 408 || status == 429;
                error = "answered HTTP " + status;
            }
        } catch (Refused e) {
            status = e.status;
            retryable = status >= 500 || status == 408 || status == 429;
            error = e.getMessage();
        } catch (IOException e) {
            error = "not delivered: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (StoreException e) {
            error = "not delivered: " + e.getMessage();
        } catch (RuntimeException e) {
            retryable = false;
            error = "cannot be sent: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        boolean again = !delivered && retryable && attempt < MAX_ATTEMPTS;
        Duration delay = backoff(attempt);
        alerts.addDelivery(monitor.id(), alert.key(), new AlertDelivery(index, ChannelSecrets.recordedTarget(stored, channel),
                attempt, at, status, error, delivered, again ? at.plus(delay) : null));
        if (again) {
            monitorEvents.send(new AlertDeliveryRetry(monitor.id(), alert.key(), index, attempt + 1, at), delay);
        } else {
            metrics.alertDelivery(stored.type(), delivered);
        }
        if (!delivered) {
            Log.warn("alert not delivered", "alertId", alert.id(), "monitorId", monitor.id(), "channel", index,
                    "attempt", attempt, "reason", String.valueOf(error), "retry", again);
        }
    }

    /** Sends one attempt to the channel and answers the receiver's HTTP status. */
    private int send(AlertChannel channel, Alert alert, int attempt, Instant at) throws IOException {
        return switch (channel.type()) {
            case AlertChannel.EMAIL -> sendEmail(channel, alert);
            case AlertChannel.SLACK -> post(channel, alert, attempt, AlertMessages.slackBody(alert, channel),
                    "application/json", Map.of());
            default -> {
                byte[] body = AlertMessages.body(alert, channel);
                Map<String, String> signatures = new LinkedHashMap<>();
                if (channel.secret() != null && !channel.secret().isEmpty()) {
                    signatures.put(AlertMessages.SIGNATURE_HEADER, AlertMessages.signature(channel.secret(), body));
                }
                if (channel.standardWebhooksSecret() != null && !channel.standardWebhooksSecret().isEmpty()) {
                    // The message id is the alert's, the same on every attempt, so a receiver can drop a repeat.
                    long timestamp = at.getEpochSecond();
                    signatures.put(AlertMessages.WEBHOOK_ID, alert.id());
                    signatures.put(AlertMessages.WEBHOOK_TIMESTAMP, Long.toString(timestamp));
                    signatures.put(AlertMessages.WEBHOOK_SIGNATURE, AlertMessages.standardSignature(
                            channel.standardWebhooksSecret(), alert.id(), timestamp, body));
                }
                yield post(channel, alert, attempt, body, AlertMessages.contentType(channel), signatures);
            }
        };
    }

    private int post(AlertChannel channel, Alert alert, int attempt, byte[] body, String contentType,
                     Map<String, String> signatures) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", contentType);
        headers.put("user-agent", "Ferry-Alerts/1");
        headers.put("x-ferry-alert-id", alert.id());
        headers.put("x-ferry-delivery-attempt", Integer.toString(attempt));
        channel.headers().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v));
        headers.putAll(signatures);
        HttpCallResult r = http.call(new HttpCallRequest("POST", channel.url(), headers, body, TIMEOUT));
        return r.status();
    }

    private int sendEmail(AlertChannel channel, Alert alert) throws IOException {
        if (settings.alertEmailFrom() == null) {
            throw new IllegalStateException("email alerts are not set up in this deployment (no AlertEmailSender)");
        }
        EmailResult r = email.send(new Email(settings.alertEmailFrom(), channel.to(), AlertMessages.emailSubject(alert),
                AlertMessages.emailText(alert, channel)));
        if (!r.accepted()) throw new Refused(r.status(), "refused by the email service: " + r.error());
        return r.status();
    }

    /** The receiver answered, with an error of its own to record. */
    private static final class Refused extends IOException {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private Alert build(Monitor monitor, Draft d, Lookups lookups, Instant now) {
        Optional<Instance> instance = lookups.instance(d.instanceId());
        String customerId = d.customerId() != null ? d.customerId() : instance.map(Instance::customerId).orElse(null);
        Optional<Customer> customer = lookups.customer(customerId);
        Redactor redactor = lookups.redactor(d.instanceId());
        String subject = redactor.redact(d.subject());
        String url = url(d);
        Map<String, String> v = new LinkedHashMap<>();
        v.put("SUBJECT", subject);
        v.put("NAME", monitor.name());
        v.put("INSTANCE", instance.map(Instance::name).orElse(lookups.instanceName(d.instanceId())));
        v.put("INSTANCE_ID", d.instanceId());
        v.put("EXECUTION_ID", d.executionId());
        v.put("CUSTOMER", customer.map(Customer::name).orElse(null));
        v.put("CUSTOMER_EXTERNAL_ID", customer.map(Customer::externalId).orElse(null));
        v.put("FLOW", redactor.redact(d.flow()));
        v.put("TRIGGER", d.trigger().name());
        v.put("STEP", redactor.redact(d.step()));
        v.put("URL", url);
        v.put("STATUS", d.status());
        v.put("ERROR", redactor.redact(d.error()));
        v.replaceAll((k, val) -> val == null ? "" : val);
        return new Alert(ids.newId("alr"), monitor.id(), monitor.name(), d.key(), d.trigger(), subject,
                d.instanceId(), customerId, d.flowConfigId(), d.flow(), d.executionId(), now, null, url, v, List.of(),
                now.plus(Duration.ofDays(settings.retentionDays())));
    }

    /**
     * Where a person looks: the console's page of the execution, else of the instance, else the
     * alerts page. A link opens in a browser (signing in first returns to it), where a management
     * route would need a bearer key.
     */
    static String consoleUrl(String publicBaseUrl, String executionId, String instanceId) {
        String base = (publicBaseUrl == null ? "" : publicBaseUrl.replaceAll("/+$", "")) + "/console";
        if (executionId != null) return base + "/executions/" + encode(executionId);
        if (instanceId != null) return base + "/instances/" + encode(instanceId);
        return base + "/alerts";
    }

    private static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String url(Draft d) {
        return consoleUrl(settings.publicBaseUrl(), d.executionId(), d.instanceId());
    }

    /**
     * Instances, customers and secret values looked up at most once per evaluation (an event, a
     * sweep). An instance that no longer exists can be named by the event that reported its removal.
     */
    public final class Lookups {
        private final Map<String, Optional<Instance>> instances = new HashMap<>();
        private final Map<String, Optional<Customer>> customers = new HashMap<>();
        private final Map<String, Redactor> redactors = new HashMap<>();
        private final Map<String, String> knownNames = new HashMap<>();

        public Lookups() {}

        /** Lets an instance already read (or one just removed) be used without another read. */
        public Lookups know(Instance instance) {
            instances.put(instance.id(), Optional.of(instance));
            return this;
        }

        public Lookups knowName(String instanceId, String name) {
            knownNames.put(instanceId, name);
            return this;
        }

        public Optional<Instance> instance(String id) {
            if (id == null) return Optional.empty();
            return instances.computeIfAbsent(id, k -> AlertNotifier.this.instances.get(k));
        }

        String instanceName(String id) {
            return id == null ? null : knownNames.get(id);
        }

        Optional<Customer> customer(String id) {
            if (id == null) return Optional.empty();
            return customers.computeIfAbsent(id, k -> AlertNotifier.this.customers.get(k));
        }

        /** Masks the instance's secret config values in alert text. */
        Redactor redactor(String instanceId) {
            return redactors.computeIfAbsent(instanceId == null ? "" : instanceId, k -> {
                Optional<Instance> i = instance(instanceId);
                if (i.isEmpty()) return new Redactor(List.of());
                try {
                    IntegrationDefinition def = definitions.definition(i.get().integrationId(), i.get().integrationVersion());
                    Instance stored = Secrets.plainOnly(i.get());
                    return new Redactor(ExecutionRunner.secretValues(def, ExecutionRunner.effectiveConfig(def, stored)));
                } catch (RuntimeException e) {
                    // Without the definition, mask every config value rather than risk a secret.
                    return new Redactor(Secrets.plainOnly(i.get()).configVariables().values());
                }
            });
        }
    }
}

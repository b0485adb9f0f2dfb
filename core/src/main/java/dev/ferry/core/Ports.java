package dev.ferry.core;

import dev.ferry.core.port.AlertStore;
import dev.ferry.core.port.ApiKeyStore;
import dev.ferry.core.port.CustomerStore;
import dev.ferry.core.port.DeadLetters;
import dev.ferry.core.port.EmailSender;
import dev.ferry.core.port.ExecutionQueue;
import dev.ferry.core.port.ExecutionStore;
import dev.ferry.core.port.HttpCaller;
import dev.ferry.core.port.Metrics;
import dev.ferry.core.port.IdGenerator;
import dev.ferry.core.port.InstanceStore;
import dev.ferry.core.port.IntegrationStore;
import dev.ferry.core.port.LogStore;
import dev.ferry.core.port.MonitorEventQueue;
import dev.ferry.core.port.MonitorStore;
import dev.ferry.core.port.ReplayJobQueue;
import dev.ferry.core.port.QuotaCounters;
import dev.ferry.core.port.ReplayJobStore;
import dev.ferry.core.port.RetryQueue;
import dev.ferry.core.port.Schedules;
import dev.ferry.core.port.SecretCipher;
import dev.ferry.core.port.Sleeper;
import dev.ferry.core.port.UniqueRequestStore;
import java.time.Clock;

/**
 * Everything the core needs from outside — stores, queues, time, ids and the network — as the one
 * input {@link Ferry} is built from. No service takes it: {@link Ferry} hands each service the few
 * ports it uses. Tests and benchmarks swap one port ({@link #toBuilder()}, {@code with…}) and build
 * another {@link Ferry}.
 */
public record Ports(
        CustomerStore customers,
        IntegrationStore integrations,
        InstanceStore instances,
        ExecutionStore executions,
        LogStore logs,
        ExecutionQueue queue,
        IdGenerator ids,
        Clock clock,
        HttpCaller http,
        Sleeper sleeper,
        Schedules schedules,
        RetryQueue retries,
        UniqueRequestStore uniqueRequests,
        ReplayJobStore replayJobs,
        ReplayJobQueue replayJobQueue,
        MonitorStore monitors,
        AlertStore alerts,
        MonitorEventQueue monitorEvents,
        ApiKeyStore apiKeys,
        DeadLetters deadLetters,
        EmailSender email,
        Metrics metrics,
        QuotaCounters quotaCounters,
        SecretCipher secrets) {

    /** A builder for the ports, each set by name: a port added later is one more setter, not a new constructor order. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these ports: tests and benchmarks swap one port at a time. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.customers = customers;
        b.integrations = integrations;
        b.instances = instances;
        b.executions = executions;
        b.logs = logs;
        b.queue = queue;
        b.ids = ids;
        b.clock = clock;
        b.http = http;
        b.sleeper = sleeper;
        b.schedules = schedules;
        b.retries = retries;
        b.uniqueRequests = uniqueRequests;
        b.replayJobs = replayJobs;
        b.replayJobQueue = replayJobQueue;
        b.monitors = monitors;
        b.alerts = alerts;
        b.monitorEvents = monitorEvents;
        b.apiKeys = apiKeys;
        b.deadLetters = deadLetters;
        b.email = email;
        b.metrics = metrics;
        b.quotaCounters = quotaCounters;
        b.secrets = secrets;
        return b;
    }

    /** The same ports with another execution store. */
    public Ports withExecutions(ExecutionStore e) {
        return toBuilder().executions(e).build();
    }

    /** The same ports with another instance store. */
    public Ports withInstances(InstanceStore i) {
        return toBuilder().instances(i).build();
    }

    /** The same ports with another replay job store. */
    public Ports withReplayJobs(ReplayJobStore j) {
        return toBuilder().replayJobs(j).build();
    }

    /** The same ports with another clock. */
    public Ports withClock(Clock c) {
        return toBuilder().clock(c).build();
    }

    /** The same ports with another execution queue. */
    public Ports withQueue(ExecutionQueue q) {
        return toBuilder().queue(q).build();
    }

    /** Sets ports by name; {@link #build()} makes the record. */
    public static final class Builder {
        private CustomerStore customers;
        private IntegrationStore integrations;
        private InstanceStore instances;
        private ExecutionStore executions;
        private LogStore logs;
        private ExecutionQueue queue;
        private IdGenerator ids;
        private Clock clock;
        private HttpCaller http;
        private Sleeper sleeper;
        private Schedules schedules;
        private RetryQueue retries;
        private UniqueRequestStore uniqueRequests;
        private ReplayJobStore replayJobs;
        private ReplayJobQueue replayJobQueue;
        private MonitorStore monitors;
        private AlertStore alerts;
        private MonitorEventQueue monitorEvents;
        private ApiKeyStore apiKeys;
        private DeadLetters deadLetters;
        private EmailSender email = EmailSender.UNCONFIGURED;
        private Metrics metrics = Metrics.NONE;
        private QuotaCounters quotaCounters;
        private SecretCipher secrets = SecretCipher.UNAVAILABLE;

        private Builder() {}

        public Builder customers(CustomerStore v) {
            this.customers = v;
            return this;
        }

        public Builder integrations(IntegrationStore v) {
            this.integrations = v;
            return this;
        }

        public Builder instances(InstanceStore v) {
            this.instances = v;
            return this;
        }

        public Builder executions(ExecutionStore v) {
            this.executions = v;
            return this;
        }

        public Builder logs(LogStore v) {
            this.logs = v;
            return this;
        }

        public Builder queue(ExecutionQueue v) {
            this.queue = v;
            return this;
        }

        public Builder ids(IdGenerator v) {
            this.ids = v;
            return this;
        }

        public Builder clock(Clock v) {
            this.clock = v;
            return this;
        }

        public Builder http(HttpCaller v) {
            this.http = v;
            return this;
        }

        public Builder sleeper(Sleeper v) {
            this.sleeper = v;
            return this;
        }

        public Builder schedules(Schedules v) {
            this.schedules = v;
            return this;
        }

        public Builder retries(RetryQueue v) {
            this.retries = v;
            return this;
        }

        public Builder uniqueRequests(UniqueRequestStore v) {
            this.uniqueRequests = v;
            return this;
        }

        public Builder replayJobs(ReplayJobStore v) {
            this.replayJobs = v;
            return this;
        }

        public Builder replayJobQueue(ReplayJobQueue v) {
            this.replayJobQueue = v;
            return this;
        }

        public Builder monitors(MonitorStore v) {
            this.monitors = v;
            return this;
        }

        public Builder alerts(AlertStore v) {
            this.alerts = v;
            return this;
        }

        public Builder monitorEvents(MonitorEventQueue v) {
            this.monitorEvents = v;
            return this;
        }

        public Builder apiKeys(ApiKeyStore v) {
            this.apiKeys = v;
            return this;
        }

        /** The dead-letter queues (the management function's); unset, their routes answer 503. */
        public Builder deadLetters(DeadLetters v) {
            this.deadLetters = v;
            return this;
        }

        /** Alert emails (Amazon SES where the deployment names a sender); unset, email channels cannot be sent. */
        public Builder email(EmailSender v) {
            this.email = v;
            return this;
        }

        /** Where the metrics go (CloudWatch embedded metric format lines in AWS); unset, nowhere. */
        public Builder metrics(Metrics v) {
            this.metrics = v;
            return this;
        }

        /** The counters behind per-customer quotas (DynamoDB in AWS); unset, counters in this process only. */
        public Builder quotaCounters(QuotaCounters v) {
            this.quotaCounters = v;
            return this;
        }

        /**
         * Seals and opens secret config values (KMS envelope encryption in AWS); unset, a function
         * holding no key, which stores no secret and opens none.
         */
        public Builder secrets(SecretCipher v) {
            this.secrets = v;
            return this;
        }

        public Ports build() {
            return new Ports(customers, integrations, instances, executions, logs, queue, ids, clock, http, sleeper, schedules, retries, uniqueRequests, replayJobs, replayJobQueue, monitors, alerts, monitorEvents, apiKeys,
                    deadLetters != null ? deadLetters : DeadLetters.UNCONFIGURED,
                    email != null ? email : EmailSender.UNCONFIGURED,
                    metrics != null ? metrics : Metrics.NONE,
                    quotaCounters != null ? quotaCounters : QuotaCounters.inProcess(),
                    secrets != null ? secrets : SecretCipher.UNAVAILABLE);
        }
    }
}

package dev.ferry.functions;

import dev.ferry.core.Ferry;
import dev.ferry.core.Ports;
import dev.ferry.core.log.Log;
import dev.ferry.core.model.FlowConfig;
import dev.ferry.core.model.ScheduleSpec;
import dev.ferry.core.net.DestinationPolicy;
import dev.ferry.core.net.OutboundHttpCaller;
import dev.ferry.core.port.EmailSender;
import dev.ferry.core.port.Metrics;
import dev.ferry.core.port.Schedules;
import dev.ferry.core.port.SecretCipher;
import dev.ferry.core.port.Sleeper;
import dev.ferry.core.service.Settings;
import dev.ferry.infra.AwsClients;
import dev.ferry.infra.dynamodb.DynamoDbAlertStore;
import dev.ferry.infra.dynamodb.DynamoDbApiKeyStore;
import dev.ferry.infra.dynamodb.DynamoDbCustomerStore;
import dev.ferry.infra.dynamodb.DynamoDbExecutionStore;
import dev.ferry.infra.dynamodb.DynamoDbInstanceStore;
import dev.ferry.infra.dynamodb.DynamoDbIntegrationStore;
import dev.ferry.infra.dynamodb.DynamoDbMonitorStore;
import dev.ferry.infra.dynamodb.DynamoDbQuotaCounters;
import dev.ferry.infra.dynamodb.DynamoDbReplayJobStore;
import dev.ferry.infra.dynamodb.DynamoDbUniqueRequestStore;
import dev.ferry.infra.dynamodb.InstanceFlowConfigs;
import dev.ferry.infra.ids.UlidIdGenerator;
import dev.ferry.infra.kms.DataKeyCache;
import dev.ferry.infra.kms.KmsSecretCipher;
import dev.ferry.infra.logs.CloudWatchLogsLogStore;
import dev.ferry.infra.metrics.EmfMetrics;
import dev.ferry.infra.s3.S3PayloadStore;
import dev.ferry.infra.scheduler.EventBridgeSchedulerSchedules;
import dev.ferry.infra.ses.SesEmailSender;
import dev.ferry.infra.sqs.SqsExecutionQueue;
import dev.ferry.infra.sqs.SqsMonitorEventQueue;
import dev.ferry.infra.sqs.SqsReplayJobQueue;
import dev.ferry.infra.sqs.SqsRetryQueue;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the application from a function's environment (the variables template.yaml gives it):
 * once per container for Lambda, once per function for the local stack.
 */
public final class Wiring {
    private static volatile Ferry instance;

    private Wiring() {}

    /**
     * The container's application, built on first use from the process environment, with its
     * SnapStart priming hook registered ({@link Priming}).
     */
    public static Ferry ferry() {
        Ferry f = instance;
        if (f == null) {
            synchronized (Wiring.class) {
                f = instance;
                if (f == null) {
                    Map<String, String> env = System.getenv();
                    AwsClients aws = AwsClients.fromEnv(env);
                    instance = f = fromEnv(env, aws);
                    Priming.register(new Priming(f, aws, env));
                }
            }
        }
        return f;
    }

    /**
     * The S3 client of a function that needs S3 alone (PayloadBucketEmptierFunction, which empties
     * the payload bucket when the stack is deleted), configured from {@code env} as every client is.
     */
    public static software.amazon.awssdk.services.s3.S3Client s3(Map<String, String> env) {
        return AwsClients.fromEnv(env).s3();
    }

    /** The outbound caller, with the destination policy {@code env} gives (FERRY_OUTBOUND_*), as every function has it. */
    public static dev.ferry.core.port.HttpCaller outbound(Map<String, String> env) {
        return OutboundHttpCaller.create(DestinationPolicy.fromEnv(env));
    }

    public static Ferry fromEnv(Map<String, String> env) {
        return fromEnv(env, AwsClients.fromEnv(env));
    }

    public static Ferry fromEnv(Map<String, String> env, AwsClients aws) {
        Settings settings = Settings.fromEnv(env);
        Clock clock = Clock.systemUTC();
        Sleeper sleeper = Sleeper.SYSTEM;
        S3PayloadStore payloads = new S3PayloadStore(aws.s3(), require(env, "FERRY_PAYLOAD_BUCKET"));
        // A redriven schedule tick is fired again by this application's ScheduleService, built below.
        java.util.concurrent.atomic.AtomicReference<Ferry> built = new java.util.concurrent.atomic.AtomicReference<>();
        DynamoDbInstanceStore instances = new DynamoDbInstanceStore(aws.dynamoDb(), require(env, "FERRY_CONFIG_TABLE"), sleeper);
        Ports ports = Ports.builder()
                .customers(new DynamoDbCustomerStore(aws.dynamoDb(), require(env, "FERRY_CONFIG_TABLE")))
                .integrations(new DynamoDbIntegrationStore(aws.dynamoDb(), require(env, "FERRY_CONFIG_TABLE")))
                .instances(instances)
                .executions(new DynamoDbExecutionStore(aws.dynamoDb(), require(env, "FERRY_EXECUTIONS_TABLE"), payloads,
                        flowConfigsOf(instances), clock, settings.retentionDays(), DynamoDbExecutionStore.DEFAULT_MAX_ITEMS_READ,
                        sleeper))
                .logs(new CloudWatchLogsLogStore(aws.logs(), settings.retentionDays()))
                .queue(new SqsExecutionQueue(aws.sqs(), require(env, "FERRY_EXECUTION_QUEUE_URL")))
                .ids(new UlidIdGenerator())
                .clock(clock)
                .http(OutboundHttpCaller.create(DestinationPolicy.fromEnv(env)))
                .sleeper(sleeper)
                .schedules(schedules(env, aws))
                .retries(new SqsRetryQueue(aws.sqs(), require(env, "FERRY_RETRY_QUEUE_URL")))
                .uniqueRequests(new DynamoDbUniqueRequestStore(aws.dynamoDb(), require(env, "FERRY_EXECUTIONS_TABLE"), sleeper))
                .replayJobs(new DynamoDbReplayJobStore(aws.dynamoDb(), require(env, "FERRY_EXECUTIONS_TABLE"), clock))
                .replayJobQueue(new SqsReplayJobQueue(aws.sqs(), require(env, "FERRY_REPLAY_JOB_QUEUE_URL")))
                // Monitors: a function without these variables fails only when it uses them.
                .monitors(new DynamoDbMonitorStore(aws.dynamoDb(), env.get("FERRY_MONITORS_TABLE"), sleeper))
                .alerts(new DynamoDbAlertStore(aws.dynamoDb(), env.get("FERRY_MONITORS_TABLE"), clock))
                .monitorEvents(new SqsMonitorEventQueue(aws.sqs(), env.get("FERRY_MONITOR_QUEUE_URL")))
                .apiKeys(new DynamoDbApiKeyStore(aws.dynamoDb(), require(env, "FERRY_CONFIG_TABLE")))
                .deadLetters(deadLetters(aws, env, body -> fireAgain(built.get(), body)))
                // Alert emails, where template.yaml gives the function a sender (AlertEmailSender).
                .email(settings.alertEmailFrom() == null ? EmailSender.UNCONFIGURED : new SesEmailSender(aws::ses))
                .metrics(metrics(env, clock))
                .quotaCounters(new DynamoDbQuotaCounters(aws.dynamoDb(), require(env, "FERRY_EXECUTIONS_TABLE")))
                .secrets(secrets(env, aws, clock))
                .build();
        Ferry ferry = new Ferry(ports, settings);
        built.set(ferry);
        return ferry;
    }

    /** Instances whose flow config ids a container keeps (a few ids each): the executions store reads an instance's through them. */
    static final int FLOW_CONFIGS_CACHED = 4096;

    /**
     * An instance's flow config ids, from the ConfigTable (one Query of the instance's partition; still
     * found while the instance is being deleted), kept per container: they are fixed when the
     * instance is created.
     */
    static InstanceFlowConfigs flowConfigsOf(DynamoDbInstanceStore instances) {
        return InstanceFlowConfigs.cached(id -> instances.listFlowConfigs(id).stream().map(FlowConfig::id).toList(),
                FLOW_CONFIGS_CACHED);
    }

    /** A schedule dead letter (Lambda's record of a failed tick) fired again: once per flow config and time, as ever. */
    private static void fireAgain(Ferry ferry, String body) {
        dev.ferry.core.message.ScheduleTickFailure tick = dev.ferry.core.message.ScheduleTickFailure.CODEC.read(body);
        ferry.schedules().fire(tick.flowConfigId(), tick.scheduledTime());
    }

    /**
     * CloudWatch embedded metric format lines on stdout, in FERRY_METRICS_NAMESPACE (template.yaml:
     * {@code Ferry/<stack name>}), with the instance as a dimension when
     * FERRY_METRICS_INSTANCE_DIMENSION is true; none without a namespace. Log lines go to stderr
     * ({@link Log}) and never carry {@code _aws}: CloudWatch makes metrics of these lines only.
     */
    static Metrics metrics(Map<String, String> env, Clock clock) {
        String namespace = env.get("FERRY_METRICS_NAMESPACE");
        if (namespace == null || namespace.isBlank()) return Metrics.NONE;
        return new EmfMetrics(namespace.trim(), Boolean.parseBoolean(env.get("FERRY_METRICS_INSTANCE_DIMENSION")), clock,
                Log.STDOUT::write);
    }

    /**
     * Envelope encryption of secret config values and alert channels under the KMS key template.yaml
     * gives the function as FERRY_SECRETS_KEY_ARN (the management function seals both and opens
     * channels for their owner, the webhook and flow execution functions open config values, the
     * monitor evaluation function channels); elsewhere a cipher that says it holds no key if it is
     * ever used.
     */
    static SecretCipher secrets(Map<String, String> env, AwsClients aws, Clock clock) {
        String key = env.get("FERRY_SECRETS_KEY_ARN");
        if (key == null || key.isBlank()) return SecretCipher.UNAVAILABLE;
        return new KmsSecretCipher(aws.kms(), key.trim(), new DataKeyCache(clock));
    }

    /**
     * The Scheduler adapter where template.yaml gives the function FERRY_SCHEDULE_GROUP (with
     * FERRY_SCHEDULER_TARGET_ARN and FERRY_SCHEDULER_ROLE_ARN): the functions that change
     * schedules. Elsewhere a port that says so if it is ever used.
     */
    static Schedules schedules(Map<String, String> env, AwsClients aws) {
        String group = env.get("FERRY_SCHEDULE_GROUP");
        if (group == null || group.isBlank()) return NO_SCHEDULES;
        return new EventBridgeSchedulerSchedules(aws.scheduler(), group, require(env, "FERRY_SCHEDULER_TARGET_ARN"),
                require(env, "FERRY_SCHEDULER_ROLE_ARN"));
    }

    private static final Schedules NO_SCHEDULES = new Schedules() {
        private IllegalStateException missing() {
            return new IllegalStateException("FERRY_SCHEDULE_GROUP is not set: this function does not manage schedules "
                    + "(template.yaml gives it to ManagementApiFunction)");
        }

        @Override public void create(ScheduleSpec spec) { throw missing(); }
        @Override public void update(ScheduleSpec spec) { throw missing(); }
        @Override public void delete(String flowConfigId) { throw missing(); }
        @Override public Optional<ScheduleSpec> get(String flowConfigId) { throw missing(); }
    };

    private static String require(Map<String, String> env, String key) {
        String v = env.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(key + " is not set: the function's environment comes from template.yaml");
        }
        return v;
    }

    /**
     * The dead-letter queues the environment names (only the management function is given them:
     * FERRY_{EXECUTION,RETRY,MONITOR,REPLAY_JOB}_DLQ_URL next to the source queues' URLs, and
     * FERRY_SCHEDULE_DLQ_URL, whose messages go back through {@code redriveSchedule}).
     */
    static dev.ferry.core.port.DeadLetters deadLetters(AwsClients aws, Map<String, String> env,
                                                       java.util.function.Consumer<String> redriveSchedule) {
        Map<dev.ferry.core.model.DeadLetterQueue, dev.ferry.infra.sqs.SqsDeadLetters.Urls> urls =
                new java.util.EnumMap<>(dev.ferry.core.model.DeadLetterQueue.class);
        for (dev.ferry.core.model.DeadLetterQueue q : dev.ferry.core.model.DeadLetterQueue.values()) {
            String name = q.name();
            String source = q == dev.ferry.core.model.DeadLetterQueue.SCHEDULE ? null : env.get("FERRY_" + name + "_QUEUE_URL");
            String dlq = env.get("FERRY_" + name + "_DLQ_URL");
            boolean hasSource = q == dev.ferry.core.model.DeadLetterQueue.SCHEDULE || source != null && !source.isBlank();
            if (hasSource && dlq != null && !dlq.isBlank()) {
                urls.put(q, new dev.ferry.infra.sqs.SqsDeadLetters.Urls(source, dlq));
            }
        }
        Map<dev.ferry.core.model.DeadLetterQueue, java.util.function.Consumer<String>> redeliverers =
                urls.containsKey(dev.ferry.core.model.DeadLetterQueue.SCHEDULE)
                        ? Map.of(dev.ferry.core.model.DeadLetterQueue.SCHEDULE, redriveSchedule) : Map.of();
        return urls.isEmpty() ? dev.ferry.core.port.DeadLetters.UNCONFIGURED
                : new dev.ferry.infra.sqs.SqsDeadLetters(aws.sqs(), urls, redeliverers);
    }
}

package dev.ferry.infra;

import dev.ferry.template.Template;
import dev.ferry.template.TemplateResources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The emulator side of the integration tests: the endpoint (system property {@code ferry.aws.endpoint},
 * which must be on 127.0.0.1), clients for it, a reset, and the tables, queues, bucket and schedule
 * group of template.yaml, created from the template itself by the local stack's reader
 * ({@link TemplateResources}), so what these tests prove holds for the tables that are deployed.
 * Every create uses a fresh name, so each test can have empty resources without a reset.
 */
public final class TestResources {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static AwsClients clients;
    private static Template template;

    private TestResources() {}

    public static String endpoint() {
        String endpoint = System.getProperty("ferry.aws.endpoint", "http://127.0.0.1:4566");
        String host = URI.create(endpoint).getHost();
        if (!"127.0.0.1".equals(host) && !"localhost".equals(host)) {
            throw new IllegalStateException("integration tests only talk to 127.0.0.1, not " + endpoint);
        }
        return endpoint;
    }

    /** Environment for {@link AwsClients#fromEnv} pointing at the emulator. */
    public static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL", endpoint());
        return env;
    }

    /** Clients shared by every test in this JVM (built once, as in a Lambda container). */
    public static synchronized AwsClients clients() {
        if (clients == null) clients = AwsClients.fromEnv(env());
        return clients;
    }

    /** Clears every resource in the emulator (moto's reset API). */
    public static void reset() {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(endpoint() + "/moto-api/reset"))
                    .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() != 200) throw new IllegalStateException("moto reset answered " + res.statusCode());
        } catch (IOException e) {
            throw new UncheckedIOException("no emulator at " + endpoint() + " (start moto, see infra/README.md)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String unique(String base) {
        return base + "-" + System.currentTimeMillis() % 100000 + "-" + SEQ.incrementAndGet();
    }

    /** A new ConfigTable, as template.yaml describes it; returns its name. */
    public static String createConfigTable(DynamoDbClient ddb) {
        return fromTemplate(ddb, null, null, null).ensure("ConfigTable").physicalName();
    }

    /** A new ExecutionsTable, as template.yaml describes it (indexes, TTL); returns its name. */
    public static String createExecutionsTable(DynamoDbClient ddb) {
        return fromTemplate(ddb, null, null, null).ensure("ExecutionsTable").physicalName();
    }

    /** A new MonitorsTable, as template.yaml describes it (indexes, TTL); returns its name. */
    public static String createMonitorsTable(DynamoDbClient ddb) {
        return fromTemplate(ddb, null, null, null).ensure("MonitorsTable").physicalName();
    }

    /** A new EventBridge Scheduler schedule group (template.yaml's ScheduleGroup); returns its name. */
    public static String createScheduleGroup(SchedulerClient scheduler) {
        return fromTemplate(null, null, null, scheduler).ensure("ScheduleGroup").physicalName();
    }

    /** A new KMS key (template.yaml's SecretsKey); returns its ARN. */
    public static String createSecretsKey() {
        return fromTemplate(null, null, null, null).getAtt("SecretsKey", "Arn");
    }

    /** A new PayloadBucket, as template.yaml describes it (lifecycle, encryption); returns its name. */
    public static String createBucket(S3Client s3) {
        return fromTemplate(null, null, s3, null).ensure("PayloadBucket").physicalName();
    }

    /**
     * A new queue of template.yaml by its logical id ({@code ExecutionQueue}, {@code RetryQueue}…),
     * with the template's attributes and, for a source queue, its own new dead-letter queue; returns
     * its URL.
     */
    public static String createQueue(SqsClient sqs, String logicalId) {
        return createQueues(sqs, logicalId).get(logicalId);
    }

    /**
     * New queues of template.yaml created together, so a source queue and its dead-letter queue
     * ({@code "ExecutionQueue", "ExecutionDeadLetterQueue"}) are a pair as deployed: logical id → URL.
     */
    public static Map<String, String> createQueues(SqsClient sqs, String... logicalIds) {
        TemplateResources resources = fromTemplate(null, sqs, null, null);
        Map<String, String> urls = new LinkedHashMap<>();
        for (String id : logicalIds) urls.put(id, resources.ensure(id).ref());
        return urls;
    }

    /**
     * The template's resources under fresh physical names ({@code <unique>-ConfigTable}), created
     * with the given clients; a resource of a service whose client is null is not expected here.
     */
    private static TemplateResources fromTemplate(DynamoDbClient ddb, SqsClient sqs, S3Client s3, SchedulerClient scheduler) {
        Template t = template();
        return new TemplateResources(t, new TemplateResources.Clients(
                () -> Objects.requireNonNull(ddb, "no DynamoDB client given"),
                () -> Objects.requireNonNull(sqs, "no SQS client given"),
                () -> Objects.requireNonNull(s3, "no S3 client given"),
                () -> Objects.requireNonNull(scheduler, "no Scheduler client given"),
                () -> clients().kms()),
                unique("ferry") + "-", t::parameterDefault, line -> { });
    }

    /** The repository's template.yaml ({@code -Dferry.repo.root}, set by the build, else the first one above the working directory). */
    public static synchronized Template template() {
        if (template == null) template = Template.load(Template.inRepository());
        return template;
    }

    /** Every message the queue delivers now (no wait), deleted as received. */
    public static List<software.amazon.awssdk.services.sqs.model.Message> receiveAll(SqsClient sqs, String queueUrl) {
        List<software.amazon.awssdk.services.sqs.model.Message> out = new java.util.ArrayList<>();
        while (true) {
            var batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            if (batch.isEmpty()) return out;
            for (var m : batch) {
                out.add(m);
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
    }
}

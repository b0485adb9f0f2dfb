package dev.ferry.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The emulator side of the integration tests: the endpoint (system property {@code ferry.aws.endpoint},
 * which must be on 127.0.0.1), clients for it, a reset, and the tables, bucket and queue with the
 * same schemas as template.yaml (ConfigTable: pk/sk + gsi1; ExecutionsTable: pk/sk + byInstance,
 * byCustomer, byFlowConfig, byDay, byHeld, byUnresolved, byRunning, byQueued; TTL expiresAt; schedule groups; MonitorsTable: pk/sk + gsi1..gsi3). Every create uses a fresh name, so each test can
 * have empty resources without a reset.
 */
public final class TestResources {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static AwsClients clients;

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

    /** A new ConfigTable: pk/sk, GSI gsi1 (gsi1pk, gsi1sk), projection ALL. */
    public static String createConfigTable(DynamoDbClient ddb) {
        String name = unique("ferry-config");
        ddb.createTable(b -> b.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attr("pk"), attr("sk"), attr("gsi1pk"), attr("gsi1sk"))
                .keySchema(hash("pk"), range("sk"))
                .globalSecondaryIndexes(gsi("gsi1", "gsi1pk", "gsi1sk")));
        return name;
    }

    /** A new ExecutionsTable (TemplateResourcesIT checks it is template.yaml's): pk/sk, GSIs byInstance, byCustomer, byFlowConfig, byDay (keys only), byUnresolved (ALL) and byHeld (keys + expiresAt), TTL expiresAt. */
    public static String createExecutionsTable(DynamoDbClient ddb) {
        String name = unique("ferry-executions");
        ddb.createTable(b -> b.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attr("pk"), attr("sk"), attr("instanceId"), attr("customerId"),
                        attr("flowConfigId"), attr("queuedDay"), attr("queuedKey"), attr("heldInstanceId"),
                        attr("unresolvedDay"), attr("runningPk"), attr("runningKey"), attr("queuedPk"))
                .keySchema(hash("pk"), range("sk"))
                .globalSecondaryIndexes(
                        keysOnly(gsi("byInstance", "instanceId", "queuedKey")),
                        keysOnly(gsi("byCustomer", "customerId", "queuedKey")),
                        keysOnly(gsi("byFlowConfig", "flowConfigId", "queuedKey")),
                        keysOnly(gsi("byDay", "queuedDay", "queuedKey")),
                        GlobalSecondaryIndex.builder().indexName("byHeld")
                                .keySchema(List.of(hash("heldInstanceId"), range("queuedKey")))
                                .projection(Projection.builder().projectionType(ProjectionType.INCLUDE)
                                        .nonKeyAttributes("expiresAt").build())
                                .build(),
                        gsi("byUnresolved", "unresolvedDay", "queuedKey"),
                        GlobalSecondaryIndex.builder().indexName("byRunning")
                                .keySchema(List.of(hash("runningPk"), range("runningKey")))
                                .projection(Projection.builder().projectionType(ProjectionType.INCLUDE)
                                        .nonKeyAttributes("id", "instanceId", "customerId", "flowConfigId", "flow", "trigger",
                                                "status", "queuedAt", "startedAt", "attempt", "integrationVersion", "expiresAt",
                                                "expiresAtTime").build())
                                .build(),
                        GlobalSecondaryIndex.builder().indexName("byQueued")
                                .keySchema(List.of(hash("queuedPk"), range("queuedKey")))
                                .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                                .build()));
        ddb.updateTimeToLive(b -> b.tableName(name)
                .timeToLiveSpecification(t -> t.attributeName("expiresAt").enabled(true)));
        return name;
    }

    /** A new MonitorsTable: pk/sk, GSIs gsi1, gsi2, gsi3 (…pk, …sk), projection ALL, TTL expiresAt. */
    public static String createMonitorsTable(DynamoDbClient ddb) {
        String name = unique("ferry-monitors");
        ddb.createTable(b -> b.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attr("pk"), attr("sk"), attr("gsi1pk"), attr("gsi1sk"), attr("gsi2pk"),
                        attr("gsi2sk"), attr("gsi3pk"), attr("gsi3sk"))
                .keySchema(hash("pk"), range("sk"))
                .globalSecondaryIndexes(gsi("gsi1", "gsi1pk", "gsi1sk"), gsi("gsi2", "gsi2pk", "gsi2sk"),
                        gsi("gsi3", "gsi3pk", "gsi3sk")));
        ddb.updateTimeToLive(b -> b.tableName(name)
                .timeToLiveSpecification(t -> t.attributeName("expiresAt").enabled(true)));
        return name;
    }

    /** A new EventBridge Scheduler schedule group; returns its name. */
    public static String createScheduleGroup(SchedulerClient scheduler) {
        String name = unique("ferry-schedules");
        scheduler.createScheduleGroup(b -> b.name(name));
        return name;
    }

    public static String createBucket(S3Client s3) {
        String name = unique("ferry-payloads");
        s3.createBucket(b -> b.bucket(name));
        return name;
    }

    /** A new queue; returns its URL. */
    public static String createQueue(SqsClient sqs) {
        return sqs.createQueue(b -> b.queueName(unique("ferry-executions"))).queueUrl();
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

    private static AttributeDefinition attr(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement hash(String name) {
        return KeySchemaElement.builder().attributeName(name).keyType(KeyType.HASH).build();
    }

    private static KeySchemaElement range(String name) {
        return KeySchemaElement.builder().attributeName(name).keyType(KeyType.RANGE).build();
    }

    private static GlobalSecondaryIndex keysOnly(GlobalSecondaryIndex index) {
        return index.toBuilder().projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build()).build();
    }

    private static GlobalSecondaryIndex gsi(String name, String hashKey, String rangeKey) {
        return GlobalSecondaryIndex.builder()
                .indexName(name)
                .keySchema(List.of(hash(hashKey), range(rangeKey)))
                .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                .build();
    }
}

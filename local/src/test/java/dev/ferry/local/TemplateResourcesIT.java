package dev.ferry.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ferry.infra.AwsClients;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Every table, queue, bucket and schedule group of template.yaml exists after start, as the template describes it. */
class TemplateResourcesIT {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode resources;
    private static AwsClients aws;
    private static LocalStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        TestEmulator.reset();
        resources = YAML.readTree(TestEmulator.template().toFile()).path("Resources");
        aws = AwsClients.fromEnv(Map.of("AWS_ENDPOINT_URL", TestEmulator.endpoint().toString(), "AWS_REGION", "us-east-1"));
        stack = start();
    }

    private static LocalStack start() {
        return LocalStack.builder().template(TestEmulator.template()).awsEndpoint(TestEmulator.endpoint())
                .httpPort(0).lambdaPort(0).demo(false).out(new PrintStream(new ByteArrayOutputStream()))
                .build().start();
    }

    @AfterAll
    static void stop() {
        if (stack != null) stack.close();
        if (aws != null) aws.close();
    }

    private static List<String> ofType(String type) {
        List<String> ids = new ArrayList<>();
        resources.fields().forEachRemaining(e -> {
            if (type.equals(e.getValue().path("Type").asText())) ids.add(e.getKey());
        });
        return ids;
    }

    private static Map<String, String> keySchema(JsonNode ks) {
        Map<String, String> m = new TreeMap<>();
        ks.forEach(k -> m.put(k.path("AttributeName").asText(), k.path("KeyType").asText()));
        return m;
    }

    @Test
    void everyTableHasTheTemplatesKeySchemaIndexesBillingAndTtl() {
        List<String> tables = ofType("AWS::DynamoDB::Table");
        assertThat(tables).isNotEmpty();
        for (String id : tables) assertTableMatchesTemplate(id, "ferry-" + id);
    }

    private static void assertTableMatchesTemplate(String id, String name) {
        JsonNode p = resources.path(id).path("Properties");
        TableDescription t = aws.dynamoDb().describeTable(b -> b.tableName(name)).table();

        Map<String, String> actualKeys = new TreeMap<>();
        t.keySchema().forEach(k -> actualKeys.put(k.attributeName(), k.keyTypeAsString()));
        assertThat(actualKeys).as(name + " key schema").isEqualTo(keySchema(p.path("KeySchema")));

        Map<String, String> wantAttributes = new TreeMap<>();
        p.path("AttributeDefinitions").forEach(a -> wantAttributes.put(a.path("AttributeName").asText(), a.path("AttributeType").asText()));
        assertThat(t.attributeDefinitions().stream().collect(Collectors.toMap(a -> a.attributeName(), a -> a.attributeTypeAsString())))
                .as(name + " attribute definitions").isEqualTo(wantAttributes);

        Map<String, Map<String, String>> wantIndexes = new TreeMap<>();
        Map<String, String> wantProjections = new HashMap<>();
        p.path("GlobalSecondaryIndexes").forEach(g -> {
            wantIndexes.put(g.path("IndexName").asText(), keySchema(g.path("KeySchema")));
            List<String> nonKey = new ArrayList<>();
            g.path("Projection").path("NonKeyAttributes").forEach(a -> nonKey.add(a.asText()));
            wantProjections.put(g.path("IndexName").asText(), g.path("Projection").path("ProjectionType").asText()
                    + (nonKey.isEmpty() ? "" : " " + new java.util.TreeSet<>(nonKey)));
        });
        Map<String, Map<String, String>> actualIndexes = new TreeMap<>();
        t.globalSecondaryIndexes().forEach(g -> {
            Map<String, String> ks = new TreeMap<>();
            g.keySchema().forEach(k -> ks.put(k.attributeName(), k.keyTypeAsString()));
            actualIndexes.put(g.indexName(), ks);
            assertThat(g.projection().projectionTypeAsString() + (g.projection().hasNonKeyAttributes()
                    && !g.projection().nonKeyAttributes().isEmpty() ? " " + new java.util.TreeSet<>(g.projection().nonKeyAttributes()) : ""))
                    .as(name + "." + g.indexName() + " projection").isEqualTo(wantProjections.get(g.indexName()));
        });
        assertThat(actualIndexes).as(name + " global secondary indexes").isEqualTo(wantIndexes);

        if (p.has("BillingMode")) {
            assertThat(t.billingModeSummary().billingModeAsString()).as(name + " billing").isEqualTo(p.path("BillingMode").asText());
        }
        JsonNode ttl = p.path("TimeToLiveSpecification");
        if (ttl.path("Enabled").asBoolean(false)) {
            var d = aws.dynamoDb().describeTimeToLive(b -> b.tableName(name)).timeToLiveDescription();
            assertThat(d.timeToLiveStatus()).as(name + " TTL").isEqualTo(TimeToLiveStatus.ENABLED);
            assertThat(d.attributeName()).isEqualTo(ttl.path("AttributeName").asText());
        }
    }

    @Test
    void everyQueueHasTheTemplatesAttributesAndRedrivesToItsDeadLetterQueue() throws Exception {
        List<String> queues = ofType("AWS::SQS::Queue");
        assertThat(queues).isNotEmpty();
        int redriven = 0;
        for (String id : queues) {
            JsonNode p = resources.path(id).path("Properties");
            String url = aws.sqs().getQueueUrl(b -> b.queueName("ferry-" + id)).queueUrl();
            Map<String, String> attrs = aws.sqs().getQueueAttributes(b -> b.queueUrl(url)
                    .attributeNames(QueueAttributeName.ALL)).attributesAsStrings();
            for (String a : List.of("VisibilityTimeout", "MessageRetentionPeriod", "DelaySeconds")) {
                if (p.has(a)) assertThat(attrs.get(a)).as(id + " " + a).isEqualTo(p.get(a).asText());
            }
            JsonNode redrive = p.path("RedrivePolicy");
            if (!redrive.isMissingNode()) {
                String dlqId = redrive.path("deadLetterTargetArn").path("Fn::GetAtt").path(0).asText();
                String dlqUrl = aws.sqs().getQueueUrl(b -> b.queueName("ferry-" + dlqId)).queueUrl();
                String dlqArn = aws.sqs().getQueueAttributes(b -> b.queueUrl(dlqUrl)
                        .attributeNames(QueueAttributeName.QUEUE_ARN)).attributesAsStrings().get("QueueArn");
                JsonNode actual = JSON.readTree(attrs.get("RedrivePolicy"));
                assertThat(actual.path("deadLetterTargetArn").asText()).as(id + " DLQ").isEqualTo(dlqArn);
                assertThat(actual.path("maxReceiveCount").asInt()).as(id + " maxReceiveCount")
                        .isEqualTo(redrive.path("maxReceiveCount").asInt());
                redriven++;
            }
        }
        assertThat(redriven).as("queues with a RedrivePolicy").isGreaterThan(0);
    }

    @Test
    void everyBucketExistsWithItsLifecycleRules() {
        List<String> buckets = ofType("AWS::S3::Bucket");
        assertThat(buckets).isNotEmpty();
        for (String id : buckets) {
            String name = ("ferry-" + id).toLowerCase(Locale.ROOT);
            aws.s3().headBucket(b -> b.bucket(name));
            JsonNode rules = resources.path(id).path("Properties").path("LifecycleConfiguration").path("Rules");
            if (rules.size() > 0) {
                Set<String> ids = aws.s3().getBucketLifecycleConfiguration(b -> b.bucket(name)).rules().stream()
                        .map(r -> r.id()).collect(Collectors.toSet());
                List<String> want = new ArrayList<>();
                rules.forEach(r -> want.add(r.path("Id").asText()));
                assertThat(ids).as(name + " lifecycle rules").containsAll(want);
            }
        }
    }

    @Test
    void everyScheduleGroupExists() {
        for (String id : ofType("AWS::Scheduler::ScheduleGroup")) {
            String name = resources.path(id).path("Properties").path("Name").asText("ferry-" + id);
            assertThat(aws.scheduler().getScheduleGroup(b -> b.name(name)).name()).isEqualTo(name);
        }
    }

    @Test
    void everyKmsKeyExistsUnderTheAliasOfItsLocalName() {
        List<String> keys = ofType("AWS::KMS::Key");
        assertThat(keys).isNotEmpty();
        for (String id : keys) {
            var key = aws.kms().describeKey(b -> b.keyId("alias/ferry-" + id)).keyMetadata();
            assertThat(key.enabled()).as(id).isTrue();
            assertThat(key.keyUsageAsString()).as(id).isEqualTo("ENCRYPT_DECRYPT");
        }
    }

    @Test
    void startingAgainstExistingResourcesKeepsThem() {
        String url = aws.sqs().getQueueUrl(b -> b.queueName("ferry-" + ofType("AWS::SQS::Queue").get(0))).queueUrl();
        aws.sqs().sendMessage(b -> b.queueUrl(url).messageBody("{\"executionId\": \"kept\"}").delaySeconds(900));
        try (LocalStack second = start()) {
            assertThat(second.resources()).extracting(TemplateResourcesIT::state)
                    .allSatisfy(s -> assertThat(s).doesNotStartWith("created"));
        }
        String count = aws.sqs().getQueueAttributes(b -> b.queueUrl(url)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributesAsStrings()
                .get("ApproximateNumberOfMessagesDelayed");
        assertThat(count).isEqualTo("1");
    }

    private static String state(dev.ferry.template.TemplateResources.Provisioned p) {
        return p.state();
    }
}

package dev.ferry.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleExpiration;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionByDefault;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.ConflictException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;

/**
 * Creates the template's tables, queues, buckets, schedule groups and KMS keys in the emulator, each under a
 * physical name derived from its logical id ({@code ferry-ConfigTable}) unless the template names
 * it, and answers what their {@code Ref} and {@code Fn::GetAtt} are. A resource is created the
 * first time anything refers to it, so referenced resources (a dead-letter queue) come first.
 * Idempotent: existing resources are kept and brought in line where that is cheap (TTL, queue
 * attributes); a table whose key schema differs is reported, not replaced.
 */
public final class TemplateResources implements Intrinsics.Resources {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ACTIVE_DEADLINE = Duration.ofSeconds(30);
    /** Types this class creates. */
    public static final Set<String> PROVISIONED = Set.of(Template.TABLE, Template.QUEUE, Template.BUCKET,
            Template.SCHEDULE_GROUP, Template.KMS_KEY);

    /** A resource of the template as it exists locally. */
    public record Provisioned(String logicalId, String type, String physicalName, String ref,
                              Map<String, String> attributes, String state) {}

    /**
     * The SDK clients resources are created with, each asked for only when a resource of its
     * service is created (a caller that provisions only tables need not build the others).
     */
    public record Clients(Supplier<DynamoDbClient> dynamoDb, Supplier<SqsClient> sqs, Supplier<S3Client> s3,
                          Supplier<SchedulerClient> scheduler, Supplier<KmsClient> kms) {
        /** Clients for a caller that creates no KMS key. */
        public Clients(Supplier<DynamoDbClient> dynamoDb, Supplier<SqsClient> sqs, Supplier<S3Client> s3,
                       Supplier<SchedulerClient> scheduler) {
            this(dynamoDb, sqs, s3, scheduler, () -> {
                throw new TemplateException("no KMS client given");
            });
        }
    }

    private final Template template;
    private final Clients aws;
    private final String namePrefix;
    private final Consumer<String> log;
    private final Intrinsics intrinsics;
    private final Map<String, Provisioned> done = new LinkedHashMap<>();
    private final Set<String> inProgress = new LinkedHashSet<>();

    /**
     * @param parameters parameter name → value (null when not a parameter)
     * @param log        where one line per resource goes
     */
    public TemplateResources(Template template, Clients aws, String namePrefix,
                             Function<String, String> parameters, Consumer<String> log) {
        this.template = template;
        this.aws = aws;
        this.namePrefix = namePrefix;
        this.log = log;
        this.intrinsics = new Intrinsics(parameters, this);
    }

    public Intrinsics intrinsics() {
        return intrinsics;
    }

    /** Creates every table, queue, bucket and schedule group of the template; returns them in template order. */
    public synchronized List<Provisioned> provisionAll() {
        List<Provisioned> out = new ArrayList<>();
        for (Template.Resource r : template.resources().values()) {
            if (PROVISIONED.contains(r.type())) out.add(ensure(r.logicalId()));
        }
        return out;
    }

    /** The resource, created first if nothing has referred to it yet. */
    public synchronized Provisioned ensure(String logicalId) {
        Provisioned p = done.get(logicalId);
        if (p != null) return p;
        Template.Resource r = template.resource(logicalId);
        if (r == null) throw new TemplateException("no resource '" + logicalId + "' in " + template.path());
        if (!inProgress.add(logicalId)) {
            throw new TemplateException("circular reference between resources: " + String.join(" → ", inProgress)
                    + " → " + logicalId);
        }
        try {
            p = switch (r.type()) {
                case Template.TABLE -> table(r);
                case Template.QUEUE -> queue(r);
                case Template.BUCKET -> bucket(r);
                case Template.SCHEDULE_GROUP -> scheduleGroup(r);
                case Template.KMS_KEY -> kmsKey(r);
                case Template.FUNCTION -> new Provisioned(logicalId, r.type(), logicalId, logicalId,
                        Map.of("Arn", arn("lambda", "function:" + logicalId)), "in-process");
                case Template.HTTP_API -> new Provisioned(logicalId, r.type(), "local", "local", Map.of(), "local");
                // Not created (IAM has no local effect), but its ARN is passed around (e.g. a Scheduler target's role).
                case Template.IAM_ROLE -> {
                    String roleName = nameOf(intrinsicsFree(r), "RoleName", r.logicalId());
                    yield new Provisioned(logicalId, r.type(), roleName, roleName,
                            Map.of("Arn", "arn:" + Intrinsics.PARTITION + ":iam::" + Intrinsics.ACCOUNT_ID + ":role/" + roleName,
                                    "RoleId", "AROA" + logicalId.toUpperCase(java.util.Locale.ROOT)), "not emulated (ARN only)");
                }
                // Not created: a function's own log group (its LoggingConfig), where Lambda's runtime writes its
                // output on AWS; the local stack prints that output instead. Its ARN is in its role's statements.
                case Template.LOG_GROUP -> {
                    String name = nameOf(intrinsics.resolve(r.properties()), "LogGroupName", r.logicalId());
                    yield new Provisioned(logicalId, r.type(), name, name,
                            Map.of("Arn", arn("logs", "log-group:" + name + ":*")), "not emulated (ARN only)");
                }
                default -> new Provisioned(logicalId, r.type(), logicalId, logicalId, Map.of(), "not emulated");
            };
            done.put(logicalId, p);
            if (PROVISIONED.contains(r.type())) {
                log.accept(String.format("  %-15s %-32s %s", shortType(r.type()), p.physicalName(), p.state()));
            }
            return p;
        } catch (TemplateException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new TemplateException("cannot create " + logicalId + " (" + r.type() + "): " + e.getMessage(), e);
        } finally {
            inProgress.remove(logicalId);
        }
    }

    @Override
    public boolean exists(String logicalId) {
        return template.resource(logicalId) != null;
    }

    @Override
    public String ref(String logicalId) {
        return ensure(logicalId).ref();
    }

    @Override
    public String getAtt(String logicalId, String attribute) {
        Provisioned p = ensure(logicalId);
        String v = p.attributes().get(attribute);
        if (v == null) {
            throw new TemplateException("Fn::GetAtt " + logicalId + "." + attribute + " is not supported locally for "
                    + p.type() + " (supported: " + p.attributes().keySet() + ")");
        }
        return v;
    }

    // ------------------------------------------------------------------ DynamoDB

    private Provisioned table(Template.Resource r) {
        JsonNode p = intrinsics.resolve(r.properties());
        String name = nameOf(p, "TableName", r.logicalId());
        DynamoDbClient ddb = aws.dynamoDb().get();
        String state;
        TableDescription existing = describeTable(ddb, name);
        if (existing == null) {
            try {
                ddb.createTable(createTableRequest(name, p));
                state = "created";
            } catch (ResourceInUseException raced) {
                state = "exists";
            }
        } else {
            state = "exists";
            checkKeySchema(name, p, existing);
        }
        TableDescription active = awaitActive(ddb, name);
        JsonNode ttl = p.path("TimeToLiveSpecification");
        if (ttl.path("Enabled").asBoolean(false) && ttl.hasNonNull("AttributeName")) {
            String attribute = ttl.get("AttributeName").asText();
            var current = ddb.describeTimeToLive(b -> b.tableName(name)).timeToLiveDescription();
            boolean on = current != null && current.timeToLiveStatus() == TimeToLiveStatus.ENABLED
                    && attribute.equals(current.attributeName());
            if (!on) {
                ddb.updateTimeToLive(b -> b.tableName(name).timeToLiveSpecification(t -> t.enabled(true).attributeName(attribute)));
            }
            state += ", TTL on " + attribute;
        }
        Map<String, String> attrs = new HashMap<>();
        attrs.put("Arn", active.tableArn() != null ? active.tableArn() : arn("dynamodb", "table/" + name));
        if (active.latestStreamArn() != null) attrs.put("StreamArn", active.latestStreamArn());
        return new Provisioned(r.logicalId(), r.type(), name, name, attrs, state);
    }

    private static CreateTableRequest createTableRequest(String name, JsonNode p) {
        BillingMode billing = BillingMode.fromValue(p.path("BillingMode").asText("PROVISIONED"));
        boolean provisioned = billing != BillingMode.PAY_PER_REQUEST;
        CreateTableRequest.Builder b = CreateTableRequest.builder()
                .tableName(name)
                .billingMode(billing)
                .attributeDefinitions(list(p.path("AttributeDefinitions"), a -> AttributeDefinition.builder()
                        .attributeName(a.path("AttributeName").asText())
                        .attributeType(a.path("AttributeType").asText()).build()))
                .keySchema(keySchema(p.path("KeySchema")));
        if (provisioned) b.provisionedThroughput(throughput(p.path("ProvisionedThroughput")));
        if (p.path("GlobalSecondaryIndexes").size() > 0) {
            b.globalSecondaryIndexes(list(p.path("GlobalSecondaryIndexes"), g -> {
                GlobalSecondaryIndex.Builder gb = GlobalSecondaryIndex.builder()
                        .indexName(g.path("IndexName").asText())
                        .keySchema(keySchema(g.path("KeySchema")))
                        .projection(projection(g.path("Projection")));
                if (provisioned) gb.provisionedThroughput(throughput(g.path("ProvisionedThroughput")));
                return gb.build();
            }));
        }
        if (p.path("LocalSecondaryIndexes").size() > 0) {
            b.localSecondaryIndexes(list(p.path("LocalSecondaryIndexes"), l -> LocalSecondaryIndex.builder()
                    .indexName(l.path("IndexName").asText())
                    .keySchema(keySchema(l.path("KeySchema")))
                    .projection(projection(l.path("Projection"))).build()));
        }
        if (p.path("StreamSpecification").hasNonNull("StreamViewType")) {
            b.streamSpecification(StreamSpecification.builder().streamEnabled(true)
                    .streamViewType(p.path("StreamSpecification").get("StreamViewType").asText()).build());
        }
        return b.build();
    }

    private static List<KeySchemaElement> keySchema(JsonNode ks) {
        return list(ks, k -> KeySchemaElement.builder().attributeName(k.path("AttributeName").asText())
                .keyType(k.path("KeyType").asText()).build());
    }

    private static Projection projection(JsonNode p) {
        Projection.Builder b = Projection.builder().projectionType(p.path("ProjectionType").asText("ALL"));
        if (p.path("NonKeyAttributes").size() > 0) b.nonKeyAttributes(list(p.path("NonKeyAttributes"), JsonNode::asText));
        return b.build();
    }

    private static ProvisionedThroughput throughput(JsonNode t) {
        return ProvisionedThroughput.builder()
                .readCapacityUnits(t.path("ReadCapacityUnits").asLong(5))
                .writeCapacityUnits(t.path("WriteCapacityUnits").asLong(5)).build();
    }

    private void checkKeySchema(String name, JsonNode p, TableDescription existing) {
        List<KeySchemaElement> want = keySchema(p.path("KeySchema"));
        Set<String> wantIndexes = new LinkedHashSet<>();
        p.path("GlobalSecondaryIndexes").forEach(g -> wantIndexes.add(g.path("IndexName").asText()));
        Set<String> haveIndexes = new LinkedHashSet<>();
        existing.globalSecondaryIndexes().forEach(g -> haveIndexes.add(g.indexName()));
        if (!want.equals(existing.keySchema()) || !haveIndexes.containsAll(wantIndexes)) {
            log.accept("  WARNING: table " + name + " exists with a different key schema or indexes than the template "
                    + "(has " + existing.keySchema() + " and indexes " + haveIndexes + "); delete it or reset the "
                    + "emulator (POST /moto-api/reset) to recreate it");
        }
    }

    private static TableDescription describeTable(DynamoDbClient ddb, String name) {
        try {
            return ddb.describeTable(b -> b.tableName(name)).table();
        } catch (ResourceNotFoundException e) {
            return null;
        }
    }

    private static TableDescription awaitActive(DynamoDbClient ddb, String name) {
        long deadline = System.nanoTime() + ACTIVE_DEADLINE.toNanos();
        while (true) {
            TableDescription t = describeTable(ddb, name);
            if (t != null && t.tableStatus() == TableStatus.ACTIVE) return t;
            if (System.nanoTime() > deadline) {
                throw new TemplateException("table " + name + " is not ACTIVE after " + ACTIVE_DEADLINE.toSeconds() + " s");
            }
            pause(50);
        }
    }

    // ------------------------------------------------------------------ SQS

    private static final Set<String> QUEUE_NOT_ATTRIBUTES = Set.of("QueueName", "Tags");

    private Provisioned queue(Template.Resource r) {
        JsonNode p = intrinsics.resolve(r.properties());
        boolean fifo = p.path("FifoQueue").asBoolean(false);
        String name = nameOf(p, "QueueName", r.logicalId());
        if (fifo && !name.endsWith(".fifo")) name += ".fifo";
        Map<String, String> attributes = new LinkedHashMap<>();
        p.fields().forEachRemaining(e -> {
            if (QUEUE_NOT_ATTRIBUTES.contains(e.getKey())) return;
            JsonNode v = e.getValue();
            attributes.put(e.getKey(), v.isContainerNode() ? writeJson(v) : v.asText());
        });
        SqsClient sqs = aws.sqs().get();
        final String queueName = name;
        String url = existingQueueUrl(sqs, queueName);
        String state;
        if (url == null) {
            try {
                url = sqs.createQueue(b -> b.queueName(queueName).attributesWithStrings(attributes)).queueUrl();
                state = "created";
            } catch (QueueNameExistsException raced) {
                url = existingQueueUrl(sqs, queueName);
                state = "exists";
            }
        } else {
            Map<String, String> changeable = new LinkedHashMap<>(attributes);
            changeable.remove("FifoQueue");
            final String u = url;
            if (!changeable.isEmpty()) sqs.setQueueAttributes(b -> b.queueUrl(u).attributesWithStrings(changeable));
            state = "exists, attributes set";
        }
        final String u = url;
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(u).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributesAsStrings().getOrDefault("QueueArn", arn("sqs", name));
        if (attributes.containsKey("RedrivePolicy")) {
            JsonNode rp = p.path("RedrivePolicy");
            state += ", DLQ " + rp.path("deadLetterTargetArn").asText().replaceAll(".*:", "")
                    + " after " + rp.path("maxReceiveCount").asText() + " receives";
        }
        Map<String, String> attrs = Map.of("Arn", arn, "QueueName", name, "QueueUrl", url);
        return new Provisioned(r.logicalId(), r.type(), name, url, attrs, state);
    }

    private static String existingQueueUrl(SqsClient sqs, String name) {
        try {
            return sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
        } catch (QueueDoesNotExistException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ S3

    private Provisioned bucket(Template.Resource r) {
        JsonNode p = intrinsics.resolve(r.properties());
        String name = p.hasNonNull("BucketName") ? p.get("BucketName").asText()
                : (namePrefix + r.logicalId()).toLowerCase(Locale.ROOT);
        S3Client s3 = aws.s3().get();
        String state;
        if (bucketExists(s3, name)) {
            state = "exists";
        } else {
            try {
                s3.createBucket(b -> b.bucket(name));
                state = "created";
            } catch (BucketAlreadyOwnedByYouException | BucketAlreadyExistsException e) {
                state = "exists";
            }
        }
        JsonNode rules = p.path("LifecycleConfiguration").path("Rules");
        if (rules.size() > 0) {
            try {
                List<LifecycleRule> lifecycle = list(rules, rule -> {
                    LifecycleRule.Builder lb = LifecycleRule.builder()
                            .id(rule.path("Id").asText(null))
                            .status(ExpirationStatus.fromValue(rule.path("Status").asText("Enabled").toUpperCase(Locale.ROOT)))
                            .filter(LifecycleRuleFilter.builder().prefix(rule.path("Prefix").asText("")).build());
                    if (rule.hasNonNull("ExpirationInDays")) {
                        lb.expiration(LifecycleExpiration.builder().days(rule.get("ExpirationInDays").asInt()).build());
                    }
                    return lb.build();
                });
                s3.putBucketLifecycleConfiguration(b -> b.bucket(name)
                        .lifecycleConfiguration(BucketLifecycleConfiguration.builder().rules(lifecycle).build()));
                state += ", lifecycle " + rules.size() + " rule(s)";
            } catch (RuntimeException e) {
                log.accept("  note: lifecycle of bucket " + name + " not set locally: " + e.getMessage());
            }
        }
        JsonNode sse = p.path("BucketEncryption").path("ServerSideEncryptionConfiguration");
        if (sse.size() > 0) {
            try {
                List<ServerSideEncryptionRule> encryption = list(sse, rule -> ServerSideEncryptionRule.builder()
                        .applyServerSideEncryptionByDefault(ServerSideEncryptionByDefault.builder()
                                .sseAlgorithm(rule.path("ServerSideEncryptionByDefault").path("SSEAlgorithm").asText("AES256"))
                                .kmsMasterKeyID(rule.path("ServerSideEncryptionByDefault").path("KMSMasterKeyID").asText(null))
                                .build()).build());
                s3.putBucketEncryption(b -> b.bucket(name).serverSideEncryptionConfiguration(c -> c.rules(encryption)));
            } catch (RuntimeException e) {
                log.accept("  note: encryption of bucket " + name + " not set locally: " + e.getMessage());
            }
        }
        Map<String, String> attrs = Map.of(
                "Arn", "arn:" + Intrinsics.PARTITION + ":s3:::" + name,
                "DomainName", name + ".s3." + Intrinsics.URL_SUFFIX,
                "RegionalDomainName", name + ".s3." + Intrinsics.REGION + "." + Intrinsics.URL_SUFFIX);
        return new Provisioned(r.logicalId(), r.type(), name, name, attrs, state);
    }

    private static boolean bucketExists(S3Client s3, String name) {
        try {
            s3.headBucket(b -> b.bucket(name));
            return true;
        } catch (NoSuchBucketException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) return false;
            throw e;
        }
    }

    // ------------------------------------------------------------------ EventBridge Scheduler

    private Provisioned scheduleGroup(Template.Resource r) {
        JsonNode p = intrinsics.resolve(r.properties());
        String name = nameOf(p, "Name", r.logicalId());
        SchedulerClient scheduler = aws.scheduler().get();
        String state;
        String arn;
        // Look first: moto's CreateScheduleGroup replaces an existing group, schedules and all, instead of a conflict.
        try {
            arn = scheduler.getScheduleGroup(b -> b.name(name)).arn();
            state = "exists";
        } catch (software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException missing) {
            try {
                arn = scheduler.createScheduleGroup(b -> b.name(name)).scheduleGroupArn();
                state = "created";
            } catch (ConflictException raced) {
                arn = scheduler.getScheduleGroup(b -> b.name(name)).arn();
                state = "exists";
            }
        }
        if (arn == null) arn = arn("scheduler", "schedule-group/" + name);
        return new Provisioned(r.logicalId(), r.type(), name, name, Map.of("Arn", arn), state);
    }

    // ------------------------------------------------------------------ KMS

    /**
     * A symmetric encryption key, found again by an alias of its local name ({@code alias/<prefix><logical
     * id>}) since a key has no name of its own. Its key policy has no local effect. Ref is the key id,
     * {@code Arn} its ARN.
     */
    private Provisioned kmsKey(Template.Resource r) {
        String name = namePrefix + r.logicalId();
        String alias = "alias/" + name;
        KmsClient kms = aws.kms().get();
        String state = "exists";
        String keyId = kms.listAliasesPaginator(b -> b.limit(100)).aliases().stream().filter(a -> alias.equals(a.aliasName()))
                .map(a -> a.targetKeyId()).findFirst().orElse(null);
        if (keyId == null) {
            JsonNode p = intrinsics.resolve(r.properties());
            keyId = kms.createKey(b -> b.description(p.path("Description").asText(r.logicalId()))
                    .keyUsage(KeyUsageType.ENCRYPT_DECRYPT).keySpec(KeySpec.SYMMETRIC_DEFAULT)).keyMetadata().keyId();
            String created = keyId;
            kms.createAlias(b -> b.aliasName(alias).targetKeyId(created));
            state = "created";
        }
        String id = keyId;
        String arn = kms.describeKey(b -> b.keyId(id)).keyMetadata().arn();
        return new Provisioned(r.logicalId(), r.type(), alias, keyId, Map.of("Arn", arn, "KeyId", keyId), state);
    }

    // ------------------------------------------------------------------ helpers

    /** A role's properties without resolving them: its policies refer to functions, which need not exist yet. */
    private static JsonNode intrinsicsFree(Template.Resource r) {
        JsonNode name = r.properties().path("RoleName");
        return name.isTextual() ? r.properties() : JSON.createObjectNode();
    }

    private String nameOf(JsonNode p, String property, String logicalId) {
        return p.hasNonNull(property) ? p.get(property).asText() : namePrefix + logicalId;
    }

    private static String arn(String service, String resource) {
        return "arn:" + Intrinsics.PARTITION + ":" + service + ":" + Intrinsics.REGION + ":" + Intrinsics.ACCOUNT_ID
                + ":" + resource;
    }

    private static String shortType(String type) {
        return switch (type) {
            case Template.TABLE -> "table";
            case Template.QUEUE -> "queue";
            case Template.BUCKET -> "bucket";
            case Template.SCHEDULE_GROUP -> "schedule group";
            case Template.KMS_KEY -> "kms key";
            default -> type;
        };
    }

    private static <T> List<T> list(JsonNode array, Function<JsonNode, T> f) {
        List<T> out = new ArrayList<>();
        if (array != null) for (JsonNode n : array) out.add(f.apply(n));
        return out;
    }

    private static String writeJson(JsonNode v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (Exception e) {
            throw new TemplateException("cannot write " + v + " as JSON", e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TemplateException("interrupted");
        }
    }
}

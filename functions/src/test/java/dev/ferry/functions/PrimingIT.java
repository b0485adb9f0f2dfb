package dev.ferry.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.infra.AwsClients;
import dev.ferry.infra.CallCounter;
import dev.ferry.infra.TestResources;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.scheduler.model.ScheduleSummary;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The SnapStart priming hook against the emulator: it touches every client, runs a management
 * request through the router (a Query included) without any API key existing, makes each write a
 * first event makes — to an absent execution or an absent table, queue and log group — and
 * nothing is written or created.
 */
class PrimingIT {
    private static final Set<String> READS = Set.of("DynamoDb.GetItem", "DynamoDb.BatchGetItem", "DynamoDb.Query", "Sqs.GetQueueAttributes",
            "CloudWatchLogs.DescribeLogGroups", "S3.HeadObject", "Scheduler.GetSchedule");
    /**
     * The writes, each refused: the claim of an absent execution (UpdateItem, condition fails), then to
     * absent resources PutItem create and save, UpdateItem of the instance's last run, SendMessage of an
     * execution message and a monitor event, CreateLogStream and PutLogEvents.
     */
    private static final Map<String, Long> WRITES = Map.of("DynamoDb.UpdateItem", 2L, "DynamoDb.PutItem", 2L,
            "Sqs.SendMessage", 2L, "CloudWatchLogs.CreateLogStream", 1L, "CloudWatchLogs.PutLogEvents", 1L);
    private static Map<String, String> env;
    private static String executionQueue;

    @BeforeAll
    static void resources() {
        AwsClients aws = TestResources.clients();
        DynamoDbClient ddb = aws.dynamoDb();
        env = new HashMap<>(TestResources.env());
        env.put("FERRY_CONFIG_TABLE", TestResources.createConfigTable(ddb));
        env.put("FERRY_EXECUTIONS_TABLE", TestResources.createExecutionsTable(ddb));
        env.put("FERRY_MONITORS_TABLE", TestResources.createMonitorsTable(ddb));
        env.put("FERRY_PAYLOAD_BUCKET", TestResources.createBucket(aws.s3()));
        executionQueue = TestResources.createQueue(aws.sqs(), "ExecutionQueue");
        env.put("FERRY_EXECUTION_QUEUE_URL", executionQueue);
        env.put("FERRY_RETRY_QUEUE_URL", TestResources.createQueue(aws.sqs(), "RetryQueue"));
        env.put("FERRY_REPLAY_JOB_QUEUE_URL", TestResources.createQueue(aws.sqs(), "ReplayJobQueue"));
        env.put("FERRY_MONITOR_QUEUE_URL", TestResources.createQueue(aws.sqs(), "MonitorQueue"));
        env.put("FERRY_SCHEDULE_GROUP", TestResources.createScheduleGroup(aws.scheduler()));
        env.put("FERRY_SCHEDULER_TARGET_ARN", "arn:aws:lambda:us-east-1:123456789012:function:ferry-ScheduledTrigger");
        env.put("FERRY_SCHEDULER_ROLE_ARN", "arn:aws:iam::123456789012:role/ferry-scheduler");
    }

    @Test
    void primingReadsThroughEveryClientAndWritesNothing() {
        CallCounter counter = new CallCounter();
        AwsClients aws = AwsClients.fromEnv(env, List.of(counter));
        Priming priming = new Priming(Wiring.fromEnv(env, aws), aws, env);
        Map<String, Integer> before = itemCounts();
        Map<String, List<String>> resourcesBefore = existing();

        List<String> failed = priming.prime();

        Set<String> expected = new HashSet<>(READS);
        expected.addAll(WRITES.keySet());
        assertThat(counter.snapshot().keySet()).as("the reads and the refused writes, nothing else").isEqualTo(expected);
        assertThat(counter.snapshot()).containsAllEntriesOf(WRITES);
        // Only the reads of things that do not exist may fail (404s); the in-memory steps never do,
        // the management request answered as expected (401 for the unknown key, 200 trusted), the
        // claim found nothing to claim and every write was refused.
        assertThat(failed).doesNotContain("json", "engine", "api", "dynamodb", "sqs", "logs",
                "claim", "encoding", "dynamodb-writes", "sqs-writes", "logs-writes");
        assertThat(existing()).as("no table, queue, log group, bucket or schedule created").isEqualTo(resourcesBefore);
        assertThat(existing().values()).allSatisfy(names -> assertThat(names).noneMatch(n -> n.contains(Priming.ABSENT_PREFIX)));
        assertThat(itemCounts()).isEqualTo(before);
        assertThat(itemCounts().values()).containsOnly(0);
        assertThat(TestResources.clients().sqs().getQueueAttributes(b -> b.queueUrl(executionQueue)
                .attributeNamesWithStrings("ApproximateNumberOfMessages")).attributesAsStrings()
                .get("ApproximateNumberOfMessages")).isEqualTo("0");
        assertThat(TestResources.clients().s3().listObjectsV2(b -> b.bucket(env.get("FERRY_PAYLOAD_BUCKET")))
                .contents()).isEmpty();
        assertThat(TestResources.clients().scheduler().listSchedules(b -> b.groupName(env.get("FERRY_SCHEDULE_GROUP")))
                .schedules()).isEmpty();
    }

    @Test
    void theManagementRequestReadsTheKeyAndListsTheAbsentInstancesExecutionsWithOneQuery() {
        CallCounter counter = new CallCounter();
        AwsClients aws = AwsClients.fromEnv(env, List.of(counter));
        Priming priming = new Priming(Wiring.fromEnv(env, aws), aws, env);

        priming.prime();

        // One GetItem of the unknown key's hash, one GetItem for the route, one for the execution and
        // one BatchGetItem of the DynamoDB step, and the list's one Query of the instance's flow configs
        // (it finds none, so no index is read and no BatchGetItem of its own): nothing else in DynamoDB.
        assertThat(counter.snapshot()).containsEntry("DynamoDb.Query", 1L).containsEntry("DynamoDb.GetItem", 3L)
                .containsEntry("DynamoDb.BatchGetItem", 1L);
        assertThat(itemCounts().values()).as("no API key nor anything else stored").containsOnly(0);
    }

    @Test
    void primingTwiceIsHarmless() {
        AwsClients aws = AwsClients.fromEnv(env);
        Priming priming = new Priming(Wiring.fromEnv(env, aws), aws, env);
        assertThat(priming.prime()).isEqualTo(priming.prime());
        assertThat(itemCounts().values()).containsOnly(0);
    }

    @Test
    void theAbsentExecutionsClaimFailsItsConditionAndWritesNoItem() {
        AwsClients aws = AwsClients.fromEnv(env);
        Wiring.fromEnv(env, aws).runner().run(Priming.ABSENT);
        // The UpdateItem's condition (QUEUED, or an unacknowledged CANCELLED) fails on a missing item:
        // DynamoDB does not create one.
        assertThat(aws.dynamoDb().scan(b -> b.tableName(env.get("FERRY_EXECUTIONS_TABLE"))).count()).isZero();
    }

    @Test
    void writesToTheAbsentResourcesAreRefusedAndCreateNothing() {
        AwsClients aws = TestResources.clients();
        String absent = Priming.ABSENT_PREFIX + "check";
        Map<String, List<String>> before = existing();
        String queueUrl = Priming.absentQueueUrl(executionQueue, absent);
        assertThatThrownBy(() -> aws.sqs().sendMessage(b -> b.queueUrl(queueUrl).messageBody("{}")))
                .isInstanceOf(QueueDoesNotExistException.class);
        assertThatThrownBy(() -> aws.logs().createLogStream(b -> b.logGroupName(dev.ferry.infra.logs.CloudWatchLogsLogStore.groupName(absent)).logStreamName("s")))
                .isInstanceOf(software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException.class);
        assertThatThrownBy(() -> aws.dynamoDb().putItem(b -> b.tableName(absent).item(Map.of("pk", AttributeValue.fromS("x")))))
                .isInstanceOf(software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException.class);
        assertThat(existing()).isEqualTo(before);
    }

    /** The names of every table, queue, log group, bucket and schedule in the emulator. */
    private static Map<String, List<String>> existing() {
        AwsClients aws = TestResources.clients();
        return Map.of(
                "tables", aws.dynamoDb().listTables().tableNames(),
                "queues", aws.sqs().listQueues().queueUrls(),
                "logGroups", aws.logs().describeLogGroups().logGroups().stream().map(LogGroup::logGroupName).toList(),
                "logStreams", aws.logs().describeLogGroups().logGroups().stream()
                        .flatMap(g -> aws.logs().describeLogStreams(b -> b.logGroupName(g.logGroupName())).logStreams().stream()
                                .map(st -> g.logGroupName() + "/" + st.logStreamName())).toList(),
                "buckets", aws.s3().listBuckets().buckets().stream().map(Bucket::name).toList(),
                "schedules", aws.scheduler().listSchedules(b -> b.groupName(env.get("FERRY_SCHEDULE_GROUP"))).schedules().stream()
                        .map(ScheduleSummary::name).toList());
    }

    private static Map<String, Integer> itemCounts() {
        DynamoDbClient ddb = TestResources.clients().dynamoDb();
        Map<String, Integer> counts = new HashMap<>();
        for (String table : List.of("FERRY_CONFIG_TABLE", "FERRY_EXECUTIONS_TABLE", "FERRY_MONITORS_TABLE")) {
            counts.put(table, ddb.scan(b -> b.tableName(env.get(table))).count());
        }
        return counts;
    }
}

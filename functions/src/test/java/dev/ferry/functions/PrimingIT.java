package dev.ferry.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.infra.AwsClients;
import dev.ferry.infra.CallCounter;
import dev.ferry.infra.TestResources;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The SnapStart priming hook against the emulator: it touches every client, runs a management
 * request through the router (a Query included) without any API key existing, and writes nothing.
 */
class PrimingIT {
    private static final Set<String> READS = Set.of("DynamoDb.GetItem", "DynamoDb.BatchGetItem", "DynamoDb.Query", "Sqs.GetQueueAttributes",
            "CloudWatchLogs.DescribeLogGroups", "S3.HeadObject", "Scheduler.GetSchedule");
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
        executionQueue = TestResources.createQueue(aws.sqs());
        env.put("FERRY_EXECUTION_QUEUE_URL", executionQueue);
        env.put("FERRY_RETRY_QUEUE_URL", TestResources.createQueue(aws.sqs()));
        env.put("FERRY_REPLAY_JOB_QUEUE_URL", TestResources.createQueue(aws.sqs()));
        env.put("FERRY_MONITOR_QUEUE_URL", TestResources.createQueue(aws.sqs()));
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

        List<String> failed = priming.prime();

        assertThat(READS).as("only reads").containsAll(counter.snapshot().keySet());
        assertThat(counter.snapshot().keySet()).contains("DynamoDb.GetItem", "DynamoDb.BatchGetItem", "DynamoDb.Query", "Sqs.GetQueueAttributes",
                "CloudWatchLogs.DescribeLogGroups", "S3.HeadObject", "Scheduler.GetSchedule");
        // Only the reads of things that do not exist may fail (404s); the in-memory steps never do,
        // and the management request answered as expected (401 for the unknown key, 200 trusted).
        assertThat(failed).doesNotContain("json", "engine", "api", "dynamodb", "sqs", "logs");
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
        // one BatchGetItem of the DynamoDB step, and the list's one Query of the byInstance index
        // (it finds no key, so no BatchGetItem of its own): nothing else in DynamoDB.
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

    private static Map<String, Integer> itemCounts() {
        DynamoDbClient ddb = TestResources.clients().dynamoDb();
        Map<String, Integer> counts = new HashMap<>();
        for (String table : List.of("FERRY_CONFIG_TABLE", "FERRY_EXECUTIONS_TABLE", "FERRY_MONITORS_TABLE")) {
            counts.put(table, ddb.scan(b -> b.tableName(env.get(table))).count());
        }
        return counts;
    }
}

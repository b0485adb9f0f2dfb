package dev.ferry.local.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.template.Intrinsics;
import dev.ferry.template.Template;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * The roles of template.yaml as the SAM translator makes them, held to calls the functions make
 * (and some they must never make): resource ARNs and conditions included, which moto does not
 * check. The first two cases are grants the template once lacked: stuck executions the sweep
 * fails could not be retried, and a synchronous webhook could not read its response back.
 */
class IamGuardTest {
    private static final String ACCOUNT = Intrinsics.ACCOUNT_ID;
    private static final String REGION = Intrinsics.REGION;
    private static FunctionRoles roles;

    @BeforeAll
    static void transform() {
        Template template = Template.load(Template.inRepository());
        Intrinsics intrinsics = new Intrinsics(name -> name.equals("AlertEmailSender") ? "alerts@example.com"
                : template.parameters().containsKey(name) ? template.parameters().get(name).path("Default").asText("x") : null,
                new Intrinsics.Resources() {
                    @Override public boolean exists(String id) { return template.resource(id) != null; }
                    @Override public String ref(String id) {
                        return id.endsWith("Queue") ? "http://127.0.0.1/" + ACCOUNT + "/" + id : id;
                    }
                    @Override public String getAtt(String id, String attribute) {
                        String type = template.resource(id).type();
                        if (attribute.equals("QueueName")) return id;
                        return switch (type) {
                            case Template.QUEUE -> "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":" + id;
                            case Template.TABLE -> "arn:aws:dynamodb:" + REGION + ":" + ACCOUNT + ":table/" + id;
                            case Template.BUCKET -> "arn:aws:s3:::" + id;
                            case Template.KMS_KEY -> "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/" + id;
                            case Template.IAM_ROLE -> "arn:aws:iam::" + ACCOUNT + ":role/" + id;
                            default -> "arn:aws:local:" + REGION + ":" + ACCOUNT + ":" + id;
                        };
                    }
                });
        roles = FunctionRoles.from(SamTransform.of(Template.inRepository()), intrinsics);
    }

    private static void allowed(String function, AwsCall call) {
        guard(function).check("test", call);
    }

    private static void refused(String function, AwsCall call) {
        assertThatThrownBy(() -> guard(function).check("test", call))
                .isInstanceOf(AwsServiceException.class)
                .satisfies(e -> assertThat(((AwsServiceException) e).statusCode()).isEqualTo(403))
                .hasMessageContaining("is not authorized to perform: " + call.action());
    }

    private static IamGuard guard(String function) {
        return new IamGuard(roles.role(function), new CallMapper(REGION, ACCOUNT), new IamLedger(Map.of()));
    }

    private static String table(String id) {
        return "arn:aws:dynamodb:" + REGION + ":" + ACCOUNT + ":table/" + id;
    }

    private static String queue(String id) {
        return "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":" + id;
    }

    private static final String KEY = "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/SecretsKey";

    @Test
    void theSweepMayRetryTheStuckExecutionsItFails() {
        allowed("MonitorEvaluationFunction", new AwsCall("sqs:SendMessage", queue("RetryQueue")));
    }

    @Test
    void aWebhookMayReadBackAndDeletePayloadObjects() {
        allowed("WebhookFunction", new AwsCall("s3:GetObject", "arn:aws:s3:::PayloadBucket/executions/e1/response.json"));
        allowed("WebhookFunction", new AwsCall("s3:DeleteObject", "arn:aws:s3:::PayloadBucket/executions/e1/request.bin"));
    }

    @Test
    void aFunctionReachesOnlyItsOwnTablesQueuesAndIndexes() {
        refused("WebhookFunction", new AwsCall("dynamodb:GetItem", table("MonitorsTable")));
        refused("WebhookFunction", new AwsCall("sqs:SendMessage", queue("RetryQueue")));
        refused("ScheduledTriggerFunction", new AwsCall("s3:PutObject", "arn:aws:s3:::PayloadBucket/x"));
        refused("ReplayFunction", new AwsCall("dynamodb:DeleteItem", table("ConfigTable")));
        refused("FlowExecutionFunction", new AwsCall("dynamodb:GetItem", table("SomeOtherTable")));
        allowed("ManagementApiFunction", new AwsCall("dynamodb:Query", table("ExecutionsTable") + "/index/byFlowConfig"));
    }

    @Test
    void onlyTheFunctionsThatRunFlowsOpenSecretsAndOnlyWithTheirInstanceAsContext() {
        Map<String, String> context = Map.of("kms:EncryptionContext:ferry:instance", "i-1");
        allowed("FlowExecutionFunction", new AwsCall("kms:Decrypt", KEY, context));
        allowed("WebhookFunction", new AwsCall("kms:Decrypt", KEY, context));
        refused("FlowExecutionFunction", new AwsCall("kms:Decrypt", KEY));
        refused("ManagementApiFunction", new AwsCall("kms:Decrypt", KEY, context));
        allowed("ManagementApiFunction", new AwsCall("kms:GenerateDataKey", KEY, context));
        refused("MonitorEvaluationFunction", new AwsCall("kms:Decrypt", KEY, context));
    }

    @Test
    void schedulesPassOnlyTheSchedulerRoleAndEmailsLeaveOnlyFromTheDeploymentsSender() {
        String role = "arn:aws:iam::" + ACCOUNT + ":role/SchedulerInvokeRole";
        allowed("ManagementApiFunction", new AwsCall("iam:PassRole", role, Map.of("iam:PassedToService", "scheduler.amazonaws.com")));
        refused("ManagementApiFunction", new AwsCall("iam:PassRole", role, Map.of("iam:PassedToService", "lambda.amazonaws.com")));
        refused("ManagementApiFunction", new AwsCall("iam:PassRole", "arn:aws:iam::" + ACCOUNT + ":role/Admin",
                Map.of("iam:PassedToService", "scheduler.amazonaws.com")));
        String identity = "arn:aws:ses:" + REGION + ":" + ACCOUNT + ":identity/";
        allowed("MonitorEvaluationFunction", new AwsCall("ses:SendEmail", identity + "alerts@example.com",
                Map.of("ses:FromAddress", "alerts@example.com")));
        refused("MonitorEvaluationFunction", new AwsCall("ses:SendEmail", identity + "ceo@example.com",
                Map.of("ses:FromAddress", "ceo@example.com")));
    }

    @Test
    void mapsBatchesAndTransactionsToTheActionsAwsAuthorizesThemAs() {
        CallMapper mapper = new CallMapper(REGION, ACCOUNT);
        var batch = mapper.map("Sqs", "SendMessageBatch", software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest.builder()
                .queueUrl("http://127.0.0.1/" + ACCOUNT + "/ferry-ExecutionQueue").build());
        assertThat(batch).containsExactly(new AwsCall("sqs:SendMessage", queue("ferry-ExecutionQueue")));
        var tx = mapper.map("DynamoDb", "TransactWriteItems", software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest.builder()
                .transactItems(t -> t.put(p -> p.tableName("A")), t -> t.conditionCheck(c -> c.tableName("B"))).build());
        assertThat(tx).containsExactly(new AwsCall("dynamodb:PutItem", table("A")), new AwsCall("dynamodb:ConditionCheckItem", table("B")));
        assertThat(FunctionRoles.motoPolicy(roles.role("FlowExecutionFunction"))).contains("dynamodb:TransactWriteItems");
    }

    @Test
    void theBucketEmptierListsAndDeletesThePayloadBucketsVersionsAndNothingElse() {
        CallMapper mapper = new CallMapper(REGION, ACCOUNT);
        var list = mapper.map("S3", "ListObjectVersions", software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest.builder()
                .bucket("PayloadBucket").build());
        assertThat(list).containsExactly(new AwsCall("s3:ListBucketVersions", "arn:aws:s3:::PayloadBucket"));
        var delete = mapper.map("S3", "DeleteObjects", software.amazon.awssdk.services.s3.model.DeleteObjectsRequest.builder()
                .bucket("PayloadBucket").delete(d -> d.objects(o -> o.key("a").versionId("null"), o -> o.key("b"))).build());
        assertThat(delete).containsExactly(new AwsCall("s3:DeleteObject", "arn:aws:s3:::PayloadBucket/a"),
                new AwsCall("s3:DeleteObjectVersion", "arn:aws:s3:::PayloadBucket/a"),
                new AwsCall("s3:DeleteObject", "arn:aws:s3:::PayloadBucket/b"));
        for (AwsCall call : list) allowed("PayloadBucketEmptierFunction", call);
        for (AwsCall call : delete) allowed("PayloadBucketEmptierFunction", call);
        refused("PayloadBucketEmptierFunction", new AwsCall("s3:ListBucketVersions", "arn:aws:s3:::SomeOtherBucket"));
        refused("PayloadBucketEmptierFunction", new AwsCall("s3:DeleteObjectVersion", "arn:aws:s3:::SomeOtherBucket/a"));
        refused("PayloadBucketEmptierFunction", new AwsCall("s3:GetObject", "arn:aws:s3:::PayloadBucket/a"));
        refused("PayloadBucketEmptierFunction", new AwsCall("s3:PutObject", "arn:aws:s3:::PayloadBucket/a"));
        refused("PayloadBucketEmptierFunction", new AwsCall("s3:DeleteBucket", "arn:aws:s3:::PayloadBucket"));
    }
}

package dev.ferry.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** template.yaml's share of docs/security.md: what the deployment itself refuses. */
class SecurityTemplateTest {
    private final Template template = Template.load(Template.inRepository());


    @Test
    void everyFunctionsReservedConcurrencyIsAParameterThatLeavesItUnreservedWhenEmptyOrZero() {
        // A custom resource's function (PayloadBucketEmptierFunction) runs only while CloudFormation
        // changes the stack: it has no concurrency to reserve from the traffic.
        List<Template.Resource> functions = template.ofType(Template.FUNCTION).stream()
                .filter(f -> !PayloadBucketEmptierTemplateTest.customResourceFunctions(template).contains(f.logicalId())).toList();
        assertThat(functions).hasSizeGreaterThanOrEqualTo(7);
        for (Template.Resource f : functions) {
            String base = f.logicalId().replaceFirst("Function$", "");
            JsonNode reserved = f.properties().path("ReservedConcurrentExecutions").path("Fn::If");
            assertThat(reserved.toString()).as(f.logicalId()).isEqualTo("[\"Reserves" + base
                    + "\",{\"Ref\":\"ReservedConcurrency" + base + "\"},{\"Ref\":\"AWS::NoValue\"}]");
            JsonNode parameter = template.parameters().get("ReservedConcurrency" + base);
            assertThat(parameter.path("Default").asText()).as(f.logicalId()).isEmpty();
            assertThat("12").matches(parameter.path("AllowedPattern").asText());
            assertThat("-1").doesNotMatch(parameter.path("AllowedPattern").asText());
            String condition = template.root().path("Conditions").path("Reserves" + base).toString();
            assertThat(condition).as(f.logicalId()).contains("Fn::Not", "\"\"", "\"0\"", "ReservedConcurrency" + base);
        }
    }

    @Test
    void thePayloadBucketDeniesEveryRequestNotMadeOverTls() {
        List<JsonNode> policies = new ArrayList<>();
        template.resources().forEach((id, r) -> {
            if (r.type().equals("AWS::S3::BucketPolicy")
                    && r.properties().path("Bucket").path("Ref").asText().equals("PayloadBucket")) policies.add(r.properties());
        });
        assertThat(policies).hasSize(1);
        List<JsonNode> denies = new ArrayList<>();
        policies.get(0).path("PolicyDocument").path("Statement").forEach(s -> {
            if (s.path("Effect").asText().equals("Deny")
                    && s.path("Condition").path("Bool").path("aws:SecureTransport").asText().equals("false")) denies.add(s);
        });
        assertThat(denies).hasSize(1);
        JsonNode deny = denies.get(0);
        assertThat(deny.path("Principal").asText()).isEqualTo("*");
        assertThat(deny.path("Action").asText()).isEqualTo("s3:*");
        List<String> resources = new ArrayList<>();
        deny.path("Resource").forEach(r -> resources.add(r.toString()));
        assertThat(resources).containsExactlyInAnyOrder("{\"Fn::GetAtt\":[\"PayloadBucket\",\"Arn\"]}",
                "{\"Fn::Sub\":\"${PayloadBucket.Arn}/*\"}");
    }

    /** A function's inline statements and SAM policy templates, as written in template.yaml. */
    private List<String> policies(String function) {
        List<String> out = new ArrayList<>();
        template.functionPolicies(function).forEach(p -> out.add(p.toString()));
        return out;
    }

    @Test
    void theWebhookReadsAndDeletesPayloadObjectsAndGetsNoBucketWideWrite() {
        List<String> webhook = policies("WebhookFunction");
        // A synchronous webhook reads its execution's response back; a held execution of a deleted
        // instance has its payloads deleted.
        assertThat(webhook).anySatisfy(p -> assertThat(p).contains("s3:PutObject", "s3:GetObject", "s3:DeleteObject",
                "${PayloadBucket.Arn}/*"));
        assertThat(webhook).noneMatch(p -> p.contains("S3WritePolicy") || p.contains("S3CrudPolicy"));
    }

    @Test
    void theMonitorSweepMaySendTheRetriesOfTheStuckExecutionsItFails() {
        assertThat(policies("MonitorEvaluationFunction")).anySatisfy(p -> assertThat(p)
                .contains("sqs:SendMessage", "RetryQueue"));
    }

    /**
     * The flow execution function reads the monitors in an execution's scope before sending its
     * monitor event: Query on MonitorsTable itself, no other action and none of its indexes.
     */
    @Test
    void theFlowExecutionFunctionOnlyQueriesTheMonitorsTable() {
        List<String> monitorStatements = new ArrayList<>();
        template.functionPolicies("FlowExecutionFunction").forEach(p -> p.path("Statement").forEach(st -> {
            if (st.toString().contains("MonitorsTable")) monitorStatements.add(st.path("Action") + " " + st.path("Resource"));
        }));
        assertThat(monitorStatements).containsExactly("[\"dynamodb:Query\"] [{\"Fn::GetAtt\":[\"MonitorsTable\",\"Arn\"]}]");
    }

    /**
     * Every function's policies are its own narrow statements: SAM's policy templates grant actions no
     * code path of Ferry uses (Scan, DescribeTable, ConditionCheckItem, every index, PutObjectAcl,
     * PutLifecycleConfiguration, GetObjectVersion, bucket listing, SendMessage*), and a wildcard
     * resource or action would outgrow what IamPolicyAudit checks.
     */
    @Test
    void everyFunctionHasOnlyNarrowStatementsOfItsOwn() {
        for (Template.Resource f : template.ofType(Template.FUNCTION)) {
            assertThat(f.properties().has("Policies")).as(f.logicalId() + ": policies on its own role, not SAM's").isFalse();
            template.functionPolicies(f.logicalId()).forEach(p -> {
                assertThat(p.has("Statement")).as(f.logicalId() + ": " + p).isTrue();
                String text = p.toString();
                assertThat(text).as(f.logicalId()).doesNotContain("dynamodb:Scan", "DescribeTable", "ConditionCheckItem",
                        "index/*", "PutObjectAcl", "LifecycleConfiguration", "GetObjectVersion", "\"s3:ListBucket\"",
                        "SendMessage*", "\"Resource\":\"*\"", "logs:GetLogEvents", "scheduler:GetSchedule");
            });
        }
    }

    /**
     * Every KMS action any function's policies allow, by function and the encryption context key its
     * statement requires: the key's ARN is the only resource; the management function alone makes data
     * keys; config secrets (data keys bound to an instance) are decrypted only by the webhook and flow
     * functions, alert channels (bound to a monitor) only by the monitor evaluation and management
     * functions — so the management function, which decrypts channels for their owner's view, still
     * cannot open a config secret: an instance's data key decrypts only under its own context, which a
     * request its statement allows (one naming a monitor) cannot present.
     */
    @Test
    void dataKeysAreMadeByTheManagementFunctionAndEachKindIsDecryptedOnlyWhereItIsNeeded() {
        java.util.Map<String, List<String>> actions = new java.util.TreeMap<>();
        for (Template.Resource f : template.ofType(Template.FUNCTION)) {
            List<String> mine = new ArrayList<>();
            template.functionPolicies(f.logicalId()).forEach(policy -> policy.path("Statement").forEach(st -> {
                JsonNode action = st.path("Action");
                List<String> names = new ArrayList<>();
                if (action.isArray()) action.forEach(a -> names.add(a.asText()));
                else names.add(action.asText());
                for (String a : names) {
                    assertThat(a).as(f.logicalId() + ": no KMS wildcard").doesNotMatch("(?i)kms:.*\\*.*|\\*");
                    if (!a.startsWith("kms:")) continue;
                    assertThat(st.path("Effect").asText()).isEqualTo("Allow");
                    assertThat(st.path("Resource").toString()).as(f.logicalId() + " " + a)
                            .isEqualTo("{\"Fn::GetAtt\":[\"SecretsKey\",\"Arn\"]}");
                    JsonNode condition = st.path("Condition");
                    assertThat(condition.size()).as(f.logicalId() + " " + a + ": one condition operator").isEqualTo(1);
                    JsonNode nulls = condition.path("Null");
                    assertThat(nulls.size()).as(f.logicalId() + " " + a + ": one context key required").isEqualTo(1);
                    String key = nulls.fieldNames().next();
                    assertThat(nulls.path(key).asText()).as(f.logicalId() + " " + a + ": the key must be present")
                            .isEqualTo("false");
                    assertThat(key).startsWith("kms:EncryptionContext:");
                    mine.add(a + " " + key.substring("kms:EncryptionContext:".length()));
                }
            }));
            assertThat(template.functionPolicies(f.logicalId()).toString()).as(f.logicalId()).doesNotContain("KMSDecryptPolicy")
                    .doesNotContain("KMSEncryptPolicy");
            if (!mine.isEmpty()) actions.put(f.logicalId(), mine.stream().sorted().toList());
            JsonNode keyArn = f.properties().path("Environment").path("Variables").path("FERRY_SECRETS_KEY_ARN");
            assertThat(keyArn.isMissingNode()).as(f.logicalId() + " is given the key's ARN exactly when it holds a KMS action")
                    .isEqualTo(mine.isEmpty());
            if (!mine.isEmpty()) assertThat(keyArn.toString()).isEqualTo("{\"Fn::GetAtt\":[\"SecretsKey\",\"Arn\"]}");
        }

        assertThat(actions).containsExactly(
                java.util.Map.entry("FlowExecutionFunction", List.of("kms:Decrypt ferry:instance")),
                java.util.Map.entry("ManagementApiFunction", List.of("kms:Decrypt ferry:monitor",
                        "kms:GenerateDataKey ferry:instance", "kms:GenerateDataKey ferry:monitor")),
                java.util.Map.entry("MonitorEvaluationFunction", List.of("kms:Decrypt ferry:monitor")),
                java.util.Map.entry("WebhookFunction", List.of("kms:Decrypt ferry:instance")));
        assertThat(template.root().path("Globals").toString()).doesNotContain("FERRY_SECRETS_KEY_ARN").doesNotContain("kms:");
    }

    /**
     * The console's function reads its own package and nothing else: its role writes its own log
     * group and holds no other policy, no variable of its own, and no event but its two routes.
     */
    @Test
    void theConsoleFunctionHoldsNoPermissionBeyondItsOwnLogs() {
        JsonNode console = template.resource("ConsoleFunction").properties();
        for (String granting : List.of("Policies", "PermissionsBoundary", "Environment", "VpcConfig", "Layers")) {
            assertThat(console.has(granting)).as("ConsoleFunction." + granting).isFalse();
        }
        assertThat(template.functionPolicies("ConsoleFunction")).isEmpty();
        List<String> events = new ArrayList<>();
        console.path("Events").forEach(e -> events.add(e.path("Type").asText()));
        assertThat(events).containsExactly("HttpApi", "HttpApi");
        assertThat(template.root().path("Globals").path("Function").has("Policies")).isFalse();
        assertThat(template.root().path("Globals").path("Function").has("Role")).isFalse();
    }

    /**
     * Every function has a role of its own, so SAM attaches no managed policy (AWSLambdaBasicExecutionRole
     * and AWSLambdaSQSQueueExecutionRole allow their log and queue actions on every resource): Lambda
     * writes the function's output to its own log group only, with the retention the stack sets, and
     * polls only the function's own queue.
     */
    @Test
    void everyFunctionHasItsOwnRoleWritingItsOwnLogGroupAndPollingItsOwnQueue() {
        for (Template.Resource f : template.ofType(Template.FUNCTION)) {
            String fn = f.logicalId();
            assertThat(f.properties().path("Role").toString()).as(fn).isEqualTo("{\"Fn::GetAtt\":[\"" + fn + "Role\",\"Arn\"]}");
            assertThat(f.properties().path("LoggingConfig").path("LogGroup").toString()).as(fn).isEqualTo("{\"Ref\":\"" + fn + "Logs\"}");
            JsonNode role = template.resource(fn + "Role").properties();
            assertThat(role.has("ManagedPolicyArns")).as(fn).isFalse();
            assertThat(role.path("AssumeRolePolicyDocument").toString()).contains("lambda.amazonaws.com");
            JsonNode logs = template.resource(fn + "Logs").properties();
            assertThat(logs.path("LogGroupName").path("Fn::Sub").asText()).isEqualTo("/aws/lambda/${AWS::StackName}-" + fn);
            assertThat(logs.path("RetentionInDays").toString()).isEqualTo("{\"Ref\":\"FunctionLogRetentionDays\"}");
            List<String> runtime = new ArrayList<>();
            List<String> polled = new ArrayList<>();
            for (JsonNode policy : role.path("Policies")) {
                String name = policy.path("PolicyName").asText();
                String text = policy.path("PolicyDocument").toString();
                if (name.equals(fn + "RuntimeLogs")) runtime.add(text);
                if (name.equals(fn + "EventSource")) polled.add(text);
            }
            assertThat(runtime).as(fn).containsExactly("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                    + "\"Action\":[\"logs:CreateLogStream\",\"logs:PutLogEvents\"],\"Resource\":{\"Fn::GetAtt\":[\"" + fn + "Logs\",\"Arn\"]}}]}");
            List<String> queues = new ArrayList<>();
            f.properties().path("Events").forEach(e -> {
                if (e.path("Type").asText().equals("SQS")) queues.add(e.path("Properties").path("Queue").toString());
            });
            assertThat(polled).as(fn + ": receives from its event source's queue alone").hasSize(queues.size());
            for (int i = 0; i < queues.size(); i++) assertThat(polled.get(i)).contains(queues.get(i));
        }
    }

    @Test
    void theSecretsKeyIsASymmetricKeyTheAccountAdministersWithAnAlias() {
        Template.Resource key = template.resource("SecretsKey");
        assertThat(key.type()).isEqualTo(Template.KMS_KEY);
        assertThat(key.properties().path("KeySpec").asText()).isEqualTo("SYMMETRIC_DEFAULT");
        assertThat(key.properties().path("EnableKeyRotation").asBoolean()).isTrue();
        JsonNode statements = key.properties().path("KeyPolicy").path("Statement");
        assertThat(statements).hasSize(1);
        assertThat(statements.get(0).path("Principal").path("AWS").path("Fn::Sub").asText())
                .isEqualTo("arn:${AWS::Partition}:iam::${AWS::AccountId}:root");
        assertThat(statements.get(0).path("Action").asText()).isEqualTo("kms:*");
        Template.Resource alias = template.resource("SecretsKeyAlias");
        assertThat(alias.type()).isEqualTo("AWS::KMS::Alias");
        assertThat(alias.properties().path("TargetKeyId").path("Ref").asText()).isEqualTo("SecretsKey");
    }
}

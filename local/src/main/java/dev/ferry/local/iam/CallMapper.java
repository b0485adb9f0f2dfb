package dev.ferry.local.iam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.CreateLogGroupRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.CreateLogStreamRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.DeleteLogGroupRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.DeleteLogStreamRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogStreamsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutRetentionPolicyRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.StartQueryRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.kms.model.DecryptRequest;
import software.amazon.awssdk.services.kms.model.EncryptRequest;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.scheduler.model.CreateScheduleRequest;
import software.amazon.awssdk.services.scheduler.model.DeleteScheduleRequest;
import software.amazon.awssdk.services.scheduler.model.GetScheduleRequest;
import software.amazon.awssdk.services.scheduler.model.UpdateScheduleRequest;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * What IAM authorizes for an SDK request, as AWS documents it per action: the action, the
 * resource ARN (tables and their indexes, queues, objects and buckets, log groups and streams,
 * schedules, keys, identities) and the condition keys the request carries. Batch and
 * transaction calls are authorized per underlying action (SendMessageBatch as sqs:SendMessage,
 * a TransactWriteItems Put as dynamodb:PutItem). A request this class does not know maps to its
 * operation on resource {@code *}, so a new call is never silently allowed by a narrow statement.
 */
public final class CallMapper {
    private final String region;
    private final String account;

    public CallMapper(String region, String account) {
        this.region = region;
        this.account = account;
    }

    /** The authorizations {@code request} needs; {@code service} and {@code operation} as the SDK names them. */
    public List<AwsCall> map(String service, String operation, SdkRequest request) {
        List<AwsCall> out = new ArrayList<>();
        switch (request) {
            // DynamoDB
            case GetItemRequest r -> out.add(new AwsCall("dynamodb:GetItem", table(r.tableName())));
            case PutItemRequest r -> out.add(new AwsCall("dynamodb:PutItem", table(r.tableName())));
            case UpdateItemRequest r -> out.add(new AwsCall("dynamodb:UpdateItem", table(r.tableName())));
            case DeleteItemRequest r -> out.add(new AwsCall("dynamodb:DeleteItem", table(r.tableName())));
            case QueryRequest r -> out.add(new AwsCall("dynamodb:Query", index(r.tableName(), r.indexName())));
            case ScanRequest r -> out.add(new AwsCall("dynamodb:Scan", index(r.tableName(), r.indexName())));
            case DescribeTableRequest r -> out.add(new AwsCall("dynamodb:DescribeTable", table(r.tableName())));
            case BatchGetItemRequest r -> r.requestItems().keySet().forEach(t -> out.add(new AwsCall("dynamodb:BatchGetItem", table(t))));
            case BatchWriteItemRequest r -> r.requestItems().keySet().forEach(t -> out.add(new AwsCall("dynamodb:BatchWriteItem", table(t))));
            case TransactWriteItemsRequest r -> r.transactItems().forEach(i -> out.add(transactWrite(i)));
            case TransactGetItemsRequest r -> r.transactItems().forEach(i -> out.add(new AwsCall("dynamodb:GetItem", table(i.get().tableName()))));
            // SQS
            case SendMessageRequest r -> out.add(new AwsCall("sqs:SendMessage", queue(r.queueUrl())));
            case SendMessageBatchRequest r -> out.add(new AwsCall("sqs:SendMessage", queue(r.queueUrl())));
            case ReceiveMessageRequest r -> out.add(new AwsCall("sqs:ReceiveMessage", queue(r.queueUrl())));
            case DeleteMessageRequest r -> out.add(new AwsCall("sqs:DeleteMessage", queue(r.queueUrl())));
            case DeleteMessageBatchRequest r -> out.add(new AwsCall("sqs:DeleteMessage", queue(r.queueUrl())));
            case ChangeMessageVisibilityRequest r -> out.add(new AwsCall("sqs:ChangeMessageVisibility", queue(r.queueUrl())));
            case ChangeMessageVisibilityBatchRequest r -> out.add(new AwsCall("sqs:ChangeMessageVisibility", queue(r.queueUrl())));
            case GetQueueAttributesRequest r -> out.add(new AwsCall("sqs:GetQueueAttributes", queue(r.queueUrl())));
            case GetQueueUrlRequest r -> out.add(new AwsCall("sqs:GetQueueUrl", "arn:aws:sqs:" + region + ":" + account + ":" + r.queueName()));
            // S3
            case GetObjectRequest r -> out.add(new AwsCall("s3:GetObject", object(r.bucket(), r.key())));
            case HeadObjectRequest r -> out.add(new AwsCall("s3:GetObject", object(r.bucket(), r.key())));
            case PutObjectRequest r -> out.add(new AwsCall("s3:PutObject", object(r.bucket(), r.key())));
            case DeleteObjectRequest r -> out.add(new AwsCall("s3:DeleteObject", object(r.bucket(), r.key())));
            // DeleteObjects needs s3:DeleteObject for every key, and s3:DeleteObjectVersion for a key named with its version.
            case DeleteObjectsRequest r -> r.delete().objects().forEach(o -> {
                out.add(new AwsCall("s3:DeleteObject", object(r.bucket(), o.key())));
                if (o.versionId() != null) out.add(new AwsCall("s3:DeleteObjectVersion", object(r.bucket(), o.key())));
            });
            case ListObjectsV2Request r -> out.add(new AwsCall("s3:ListBucket", "arn:aws:s3:::" + r.bucket()));
            case ListObjectVersionsRequest r -> out.add(new AwsCall("s3:ListBucketVersions", "arn:aws:s3:::" + r.bucket()));
            // CloudWatch Logs
            case CreateLogGroupRequest r -> out.add(new AwsCall("logs:CreateLogGroup", logGroup(r.logGroupName())));
            case DeleteLogGroupRequest r -> out.add(new AwsCall("logs:DeleteLogGroup", logGroup(r.logGroupName())));
            case DeleteLogStreamRequest r -> out.add(new AwsCall("logs:DeleteLogStream", logStream(r.logGroupName(), r.logStreamName())));
            case PutRetentionPolicyRequest r -> out.add(new AwsCall("logs:PutRetentionPolicy", logGroup(r.logGroupName())));
            case CreateLogStreamRequest r -> out.add(new AwsCall("logs:CreateLogStream", logStream(r.logGroupName(), r.logStreamName())));
            case PutLogEventsRequest r -> out.add(new AwsCall("logs:PutLogEvents", logStream(r.logGroupName(), r.logStreamName())));
            case GetLogEventsRequest r -> out.add(new AwsCall("logs:GetLogEvents",
                    logStream(r.logGroupName() != null ? r.logGroupName() : r.logGroupIdentifier(), r.logStreamName())));
            case FilterLogEventsRequest r -> out.add(new AwsCall("logs:FilterLogEvents",
                    logGroup(r.logGroupName() != null ? r.logGroupName() : r.logGroupIdentifier())));
            case DescribeLogStreamsRequest r -> out.add(new AwsCall("logs:DescribeLogStreams",
                    logGroup(r.logGroupName() != null ? r.logGroupName() : r.logGroupIdentifier())));
            case StartQueryRequest r -> r.logGroupNames().forEach(g -> out.add(new AwsCall("logs:StartQuery", logGroup(g))));
            // EventBridge Scheduler (creating or changing a schedule passes its target's role)
            case CreateScheduleRequest r -> {
                out.add(new AwsCall("scheduler:CreateSchedule", schedule(r.groupName(), r.name())));
                if (r.target() != null && r.target().roleArn() != null) out.add(passRole(r.target().roleArn()));
            }
            case UpdateScheduleRequest r -> {
                out.add(new AwsCall("scheduler:UpdateSchedule", schedule(r.groupName(), r.name())));
                if (r.target() != null && r.target().roleArn() != null) out.add(passRole(r.target().roleArn()));
            }
            case DeleteScheduleRequest r -> out.add(new AwsCall("scheduler:DeleteSchedule", schedule(r.groupName(), r.name())));
            case GetScheduleRequest r -> out.add(new AwsCall("scheduler:GetSchedule", schedule(r.groupName(), r.name())));
            // KMS (the encryption context is a condition key per entry)
            case GenerateDataKeyRequest r -> out.add(new AwsCall("kms:GenerateDataKey", key(r.keyId()), context(r.encryptionContext())));
            case DecryptRequest r -> out.add(new AwsCall("kms:Decrypt", key(r.keyId()), context(r.encryptionContext())));
            case EncryptRequest r -> out.add(new AwsCall("kms:Encrypt", key(r.keyId()), context(r.encryptionContext())));
            // SES
            case SendEmailRequest r -> out.add(new AwsCall("ses:SendEmail",
                    "arn:aws:ses:" + region + ":" + account + ":identity/" + r.fromEmailAddress(),
                    r.fromEmailAddress() == null ? Map.of() : Map.of("ses:FromAddress", r.fromEmailAddress())));
            default -> out.add(new AwsCall(service.toLowerCase(java.util.Locale.ROOT) + ":" + operation, "*"));
        }
        return out;
    }

    private AwsCall transactWrite(TransactWriteItem i) {
        if (i.put() != null) return new AwsCall("dynamodb:PutItem", table(i.put().tableName()));
        if (i.update() != null) return new AwsCall("dynamodb:UpdateItem", table(i.update().tableName()));
        if (i.delete() != null) return new AwsCall("dynamodb:DeleteItem", table(i.delete().tableName()));
        return new AwsCall("dynamodb:ConditionCheckItem", table(i.conditionCheck().tableName()));
    }

    private String table(String name) {
        return name != null && name.startsWith("arn:") ? name : "arn:aws:dynamodb:" + region + ":" + account + ":table/" + name;
    }

    private String index(String table, String index) {
        return index == null ? table(table) : table(table) + "/index/" + index;
    }

    private String queue(String url) {
        return "arn:aws:sqs:" + region + ":" + account + ":" + url.substring(url.lastIndexOf('/') + 1);
    }

    private static String object(String bucket, String key) {
        return "arn:aws:s3:::" + bucket + "/" + key;
    }

    private String logGroup(String name) {
        return name != null && name.startsWith("arn:") ? name : "arn:aws:logs:" + region + ":" + account + ":log-group:" + name;
    }

    private String logStream(String group, String stream) {
        return logGroup(group) + ":log-stream:" + stream;
    }

    private String schedule(String group, String name) {
        return "arn:aws:scheduler:" + region + ":" + account + ":schedule/" + (group == null ? "default" : group) + "/" + name;
    }

    private String key(String keyId) {
        if (keyId == null) return "*";
        return keyId.startsWith("arn:") ? keyId : "arn:aws:kms:" + region + ":" + account + ":" + (keyId.startsWith("alias/") ? keyId : "key/" + keyId);
    }

    private static AwsCall passRole(String roleArn) {
        return new AwsCall("iam:PassRole", roleArn, Map.of("iam:PassedToService", "scheduler.amazonaws.com"));
    }

    private static Map<String, String> context(Map<String, String> encryptionContext) {
        Map<String, String> out = new LinkedHashMap<>();
        if (encryptionContext != null) encryptionContext.forEach((k, v) -> out.put("kms:EncryptionContext:" + k, v));
        return out;
    }
}

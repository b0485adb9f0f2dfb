package dev.ferry.infra.limits;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.sqs.model.BatchEntryIdsNotDistinctException;
import software.amazon.awssdk.services.sqs.model.BatchRequestTooLongException;
import software.amazon.awssdk.services.sqs.model.EmptyBatchRequestException;
import software.amazon.awssdk.services.sqs.model.InvalidMessageContentsException;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.sqs.model.TooManyEntriesInBatchRequestException;

/**
 * Refuses, before it is sent, a request AWS would refuse for one of its limits — with AWS's own
 * error code and message, so code that meets the limit in the tests or the local stack fails there
 * exactly as it would on AWS. The emulator is more permissive than AWS; this guard is what makes
 * the difference visible. {@link dev.ferry.infra.AwsClients} installs it when configured
 * ({@code FERRY_AWS_LIMITS}, on by default with an emulator endpoint, off on AWS, which enforces
 * the limits itself).
 *
 * <table>
 *   <tr><th>service</th><th>refused</th><th>code</th></tr>
 *   <tr><td>DynamoDB</td><td>an item over 400 KB (PutItem, a transaction's or batch's put)</td><td>ValidationException</td></tr>
 *   <tr><td></td><td>TransactWriteItems over 100 actions, or two actions on one item</td><td>ValidationException</td></tr>
 *   <tr><td></td><td>BatchWriteItem over 25 requests, BatchGetItem over 100 keys, a key twice in one batch</td><td>ValidationException</td></tr>
 *   <tr><td></td><td>{@code BETWEEN :a AND :b} with {@code :a > :b} in any expression</td><td>ValidationException</td></tr>
 *   <tr><td>SQS</td><td>a message over 256 KiB (body and attributes), DelaySeconds outside 0–900, characters SQS does not allow</td><td>InvalidParameterValue, InvalidMessageContents</td></tr>
 *   <tr><td></td><td>SendMessageBatch over 10 entries or 256 KiB in all, none, or ids repeated</td><td>TooManyEntriesInBatchRequest, BatchRequestTooLong, EmptyBatchRequest, BatchEntryIdsNotDistinct</td></tr>
 *   <tr><td>CloudWatch Logs</td><td>PutLogEvents over 10,000 events or 1,048,576 bytes (messages + 26 bytes each), an event over 256 KB, events out of time order or spanning more than 24 h</td><td>InvalidParameterException</td></tr>
 * </table>
 *
 * <p>What the emulator already checks after the request (an UpdateItem whose result would exceed
 * 400 KB) is left to it. Thread-safe; one instance may serve every client.
 */
public final class AwsLimits implements ExecutionInterceptor {
    public static final int TRANSACT_MAX_ITEMS = 100;
    public static final int BATCH_WRITE_MAX_ITEMS = 25;
    public static final int BATCH_GET_MAX_KEYS = 100;
    /** 256 KiB: one message, or a whole batch. */
    public static final int SQS_MAX_MESSAGE_BYTES = 262_144;
    public static final int SQS_MAX_BATCH_ENTRIES = 10;
    public static final int SQS_MAX_DELAY_SECONDS = 900;
    public static final int LOGS_MAX_BATCH_BYTES = 1_048_576;
    public static final int LOGS_MAX_BATCH_EVENTS = 10_000;
    public static final int LOGS_EVENT_OVERHEAD = 26;
    public static final int LOGS_MAX_EVENT_BYTES = 262_144;
    public static final long LOGS_MAX_SPAN_MS = 24L * 3600 * 1000;
    /** The request id of a refusal, so a reader can tell it from one AWS sent. */
    public static final String REQUEST_ID = "refused-by-AwsLimits";

    private static final Pattern BETWEEN = Pattern.compile("(?i)\\bBETWEEN\\s+(:[A-Za-z0-9_]+)\\s+AND\\s+(:[A-Za-z0-9_]+)");

    /** Each table's key attribute names, learned from the requests that name a key. */
    private final Map<String, List<String>> keyNames = new ConcurrentHashMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        check(context.request());
    }

    /** Throws the exception AWS would answer {@code request} with, if one of its limits refuses it. */
    public void check(SdkRequest request) {
        switch (request) {
            case PutItemRequest r -> {
                itemSize(r.item(), "Item size has exceeded the maximum allowed size");
                between("ConditionExpression", r.conditionExpression(), r.expressionAttributeValues());
            }
            case UpdateItemRequest r -> {
                learn(r.tableName(), r.key());
                between("ConditionExpression", r.conditionExpression(), r.expressionAttributeValues());
            }
            case DeleteItemRequest r -> {
                learn(r.tableName(), r.key());
                between("ConditionExpression", r.conditionExpression(), r.expressionAttributeValues());
            }
            case GetItemRequest r -> learn(r.tableName(), r.key());
            case QueryRequest r -> {
                between("KeyConditionExpression", r.keyConditionExpression(), r.expressionAttributeValues());
                between("FilterExpression", r.filterExpression(), r.expressionAttributeValues());
            }
            case ScanRequest r -> between("FilterExpression", r.filterExpression(), r.expressionAttributeValues());
            case TransactWriteItemsRequest r -> transactWrite(r);
            case BatchWriteItemRequest r -> batchWrite(r);
            case BatchGetItemRequest r -> batchGet(r);
            case SendMessageRequest r -> sendMessage(r);
            case SendMessageBatchRequest r -> sendMessageBatch(r);
            case PutLogEventsRequest r -> putLogEvents(r);
            default -> { }
        }
    }

    // ------------------------------------------------------------------ DynamoDB

    private void transactWrite(TransactWriteItemsRequest r) {
        List<TransactWriteItem> items = r.transactItems();
        if (items.size() > TRANSACT_MAX_ITEMS) {
            throw dynamoDb("1 validation error detected: Value '[…" + items.size() + " items]' at 'transactItems' failed to "
                    + "satisfy constraint: Member must have length less than or equal to " + TRANSACT_MAX_ITEMS);
        }
        for (TransactWriteItem i : items) {
            if (i.update() != null) learn(i.update().tableName(), i.update().key());
            if (i.delete() != null) learn(i.delete().tableName(), i.delete().key());
            if (i.conditionCheck() != null) learn(i.conditionCheck().tableName(), i.conditionCheck().key());
        }
        Set<Object> touched = new HashSet<>();
        for (TransactWriteItem i : items) {
            Object target = null;
            if (i.put() != null) {
                itemSize(i.put().item(), "Item size has exceeded the maximum allowed size");
                between("ConditionExpression", i.put().conditionExpression(), i.put().expressionAttributeValues());
                target = keyOf(i.put().tableName(), i.put().item());
            } else if (i.update() != null) {
                between("ConditionExpression", i.update().conditionExpression(), i.update().expressionAttributeValues());
                target = Map.entry(i.update().tableName(), i.update().key());
            } else if (i.delete() != null) {
                between("ConditionExpression", i.delete().conditionExpression(), i.delete().expressionAttributeValues());
                target = Map.entry(i.delete().tableName(), i.delete().key());
            } else if (i.conditionCheck() != null) {
                between("ConditionExpression", i.conditionCheck().conditionExpression(),
                        i.conditionCheck().expressionAttributeValues());
                target = Map.entry(i.conditionCheck().tableName(), i.conditionCheck().key());
            }
            if (target != null && !touched.add(target)) {
                throw dynamoDb("Transaction request cannot include multiple operations on one item");
            }
        }
    }

    private void batchWrite(BatchWriteItemRequest r) {
        int count = r.requestItems().values().stream().mapToInt(List::size).sum();
        if (count > BATCH_WRITE_MAX_ITEMS) throw dynamoDb("Too many items requested for the BatchWriteItem call");
        r.requestItems().forEach((table, writes) -> {
            for (WriteRequest w : writes) if (w.deleteRequest() != null) learn(table, w.deleteRequest().key());
        });
        Set<Object> keys = new HashSet<>();
        r.requestItems().forEach((table, writes) -> {
            for (WriteRequest w : writes) {
                Object key = null;
                if (w.putRequest() != null) {
                    itemSize(w.putRequest().item(), "Item size has exceeded the maximum allowed size");
                    key = keyOf(table, w.putRequest().item());
                } else if (w.deleteRequest() != null) {
                    key = Map.entry(table, w.deleteRequest().key());
                }
                if (key != null && !keys.add(key)) throw dynamoDb("Provided list of item keys contains duplicates");
            }
        });
    }

    private void batchGet(BatchGetItemRequest r) {
        int count = r.requestItems().values().stream().mapToInt(k -> k.keys().size()).sum();
        if (count > BATCH_GET_MAX_KEYS) throw dynamoDb("Too many items requested for the BatchGetItem call");
        for (Map.Entry<String, KeysAndAttributes> e : r.requestItems().entrySet()) {
            Set<Map<String, AttributeValue>> seen = new HashSet<>();
            for (Map<String, AttributeValue> key : e.getValue().keys()) {
                learn(e.getKey(), key);
                if (!seen.add(key)) throw dynamoDb("Provided list of item keys contains duplicates");
            }
        }
    }

    private static void itemSize(Map<String, AttributeValue> item, String message) {
        if (DynamoDbSizes.item(item) > DynamoDbSizes.MAX_ITEM_BYTES) throw dynamoDb(message);
    }

    private static void between(String which, String expression, Map<String, AttributeValue> values) {
        if (expression == null || values == null || values.isEmpty()) return;
        Matcher m = BETWEEN.matcher(expression);
        while (m.find()) {
            AttributeValue low = values.get(m.group(1));
            AttributeValue high = values.get(m.group(2));
            if (DynamoDbSizes.comparable(low, high) && DynamoDbSizes.compare(low, high) > 0) {
                throw dynamoDb("Invalid " + which + ": The BETWEEN operator requires upper bound to be greater than or "
                        + "equal to lower bound; lower bound operand: " + DynamoDbSizes.describe(low)
                        + ", upper bound operand: " + DynamoDbSizes.describe(high));
            }
        }
    }

    private void learn(String table, Map<String, AttributeValue> key) {
        if (table != null && key != null && !key.isEmpty()) keyNames.putIfAbsent(table, DynamoDbSizes.sortedKeyNames(key));
    }

    /** The (table, key) of a put's item, or null while the table's key is not known yet. */
    private Object keyOf(String table, Map<String, AttributeValue> item) {
        List<String> names = keyNames.get(table);
        if (names == null || item == null) return null;
        Map<String, AttributeValue> key = new java.util.HashMap<>();
        for (String n : names) {
            if (item.get(n) == null) return null;
            key.put(n, item.get(n));
        }
        return Map.entry(table, key);
    }

    private static DynamoDbException dynamoDb(String message) {
        return (DynamoDbException) refusal(DynamoDbException.builder(), "DynamoDb", "ValidationException", message);
    }

    // ------------------------------------------------------------------ SQS

    private static void sendMessage(SendMessageRequest r) {
        delay(r.delaySeconds());
        contents(r.messageBody());
        long size = messageBytes(r.messageBody(), r.messageAttributes());
        if (size > SQS_MAX_MESSAGE_BYTES) {
            throw sqs(SqsException.builder(), "InvalidParameterValue",
                    "One or more parameters are invalid. Reason: Message must be shorter than " + SQS_MAX_MESSAGE_BYTES + " bytes.");
        }
    }

    private static void sendMessageBatch(SendMessageBatchRequest r) {
        List<SendMessageBatchRequestEntry> entries = r.entries();
        if (entries.isEmpty()) {
            throw sqs(EmptyBatchRequestException.builder(), "AWS.SimpleQueueService.EmptyBatchRequest",
                    "There should be at least one SendMessageBatchRequestEntry in the request.");
        }
        if (entries.size() > SQS_MAX_BATCH_ENTRIES) {
            throw sqs(TooManyEntriesInBatchRequestException.builder(), "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
                    "Maximum number of entries per request are " + SQS_MAX_BATCH_ENTRIES + ". You have sent " + entries.size() + ".");
        }
        Set<String> ids = new HashSet<>();
        long total = 0;
        for (SendMessageBatchRequestEntry e : entries) {
            if (!ids.add(e.id())) {
                throw sqs(BatchEntryIdsNotDistinctException.builder(), "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
                        "Id " + e.id() + " repeated.");
            }
            delay(e.delaySeconds());
            contents(e.messageBody());
            total += messageBytes(e.messageBody(), e.messageAttributes());
        }
        if (total > SQS_MAX_MESSAGE_BYTES) {
            throw sqs(BatchRequestTooLongException.builder(), "AWS.SimpleQueueService.BatchRequestTooLong",
                    "Batch requests cannot be longer than " + SQS_MAX_MESSAGE_BYTES + " bytes. You have sent " + total + " bytes.");
        }
    }

    private static void delay(Integer seconds) {
        if (seconds != null && (seconds < 0 || seconds > SQS_MAX_DELAY_SECONDS)) {
            throw sqs(SqsException.builder(), "InvalidParameterValue", "Value " + seconds
                    + " for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= " + SQS_MAX_DELAY_SECONDS + ".");
        }
    }

    /** The characters a message may hold: #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF. */
    private static void contents(String body) {
        if (body == null) return;
        for (int i = 0; i < body.length(); ) {
            int c = body.codePointAt(i);
            boolean ok = c == 0x9 || c == 0xA || c == 0xD || c >= 0x20 && c <= 0xD7FF || c >= 0xE000 && c <= 0xFFFD
                    || c >= 0x10000 && c <= 0x10FFFF;
            if (!ok) {
                throw sqs(InvalidMessageContentsException.builder(), "InvalidMessageContents",
                        "Invalid binary character '#x" + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT)
                                + "' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | "
                                + "#x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF");
            }
            i += Character.charCount(c);
        }
    }

    /** A message's size as SQS counts it: the body, and each attribute's name, type and value. */
    static long messageBytes(String body, Map<String, MessageAttributeValue> attributes) {
        long size = DynamoDbSizes.utf8(body);
        if (attributes != null) {
            for (Map.Entry<String, MessageAttributeValue> a : attributes.entrySet()) {
                MessageAttributeValue v = a.getValue();
                size += DynamoDbSizes.utf8(a.getKey()) + DynamoDbSizes.utf8(v.dataType()) + DynamoDbSizes.utf8(v.stringValue())
                        + (v.binaryValue() == null ? 0 : v.binaryValue().asByteArrayUnsafe().length);
            }
        }
        return size;
    }

    private static SqsException sqs(SqsException.Builder builder, String code, String message) {
        return (SqsException) refusal(builder, "Sqs", code, message);
    }

    // ------------------------------------------------------------------ CloudWatch Logs

    private static void putLogEvents(PutLogEventsRequest r) {
        List<InputLogEvent> events = r.logEvents();
        if (events.size() > LOGS_MAX_BATCH_EVENTS) {
            throw logs("1 validation error detected: Value '[…" + events.size() + " events]' at 'logEvents' failed to "
                    + "satisfy constraint: Member must have length less than or equal to " + LOGS_MAX_BATCH_EVENTS);
        }
        long total = 0;
        Long previous = null;
        Long first = null;
        for (InputLogEvent e : events) {
            long size = (e.message() == null ? 0 : e.message().getBytes(StandardCharsets.UTF_8).length) + LOGS_EVENT_OVERHEAD;
            if (size > LOGS_MAX_EVENT_BYTES) {
                throw logs("Log event too large: " + size + " bytes exceeds limit of " + LOGS_MAX_EVENT_BYTES);
            }
            total += size;
            long t = e.timestamp() == null ? 0 : e.timestamp();
            if (previous != null && t < previous) {
                throw logs("Log events in a single PutLogEvents request must be in chronological order.");
            }
            if (first == null) first = t;
            if (t - first > LOGS_MAX_SPAN_MS) {
                throw logs("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
            }
            previous = t;
        }
        if (total > LOGS_MAX_BATCH_BYTES) {
            throw logs("Upload too large: " + total + " bytes exceeds limit of " + LOGS_MAX_BATCH_BYTES);
        }
    }

    private static InvalidParameterException logs(String message) {
        return (InvalidParameterException) refusal(InvalidParameterException.builder(), "CloudWatchLogs",
                "InvalidParameterException", message);
    }

    // ------------------------------------------------------------------

    private static AwsServiceException refusal(AwsServiceException.Builder builder, String service, String code, String message) {
        return builder.message(message)
                .statusCode(400)
                .requestId(REQUEST_ID)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode(code)
                        .errorMessage(message)
                        .serviceName(service)
                        .sdkHttpResponse(SdkHttpResponse.builder().statusCode(400).build())
                        .build())
                .build();
    }
}

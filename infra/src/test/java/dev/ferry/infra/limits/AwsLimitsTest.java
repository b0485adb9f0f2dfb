package dev.ferry.infra.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.infra.AwsClients;
import dev.ferry.infra.CallCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.sqs.model.BatchRequestTooLongException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.sqs.model.TooManyEntriesInBatchRequestException;

/**
 * The guard refuses exactly what AWS refuses, with AWS's codes and messages. Requests that pass are
 * checked on the guard directly; refusals also through real clients aimed at a closed loopback
 * port, which they never reach.
 */
class AwsLimitsTest {
    private static final String TABLE = "t";
    private final AwsLimits limits = new AwsLimits();
    private final CallCounter counter = new CallCounter();
    private final AwsClients clients = AwsClients.fromEnv(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:1",
            "AWS_REGION", "us-east-1", "FERRY_AWS_CONNECT_TIMEOUT_MS", "200", "FERRY_AWS_API_CALL_TIMEOUT_MS", "500"),
            List.of(counter));

    @AfterEach
    void close() {
        clients.close();
    }

    // ------------------------------------------------------------------ wiring

    @Test
    void theFactoryInstallsTheGuardWithAnEmulatorEndpointAndNotOnAws() {
        assertThat(clients.limitsEnforced()).isTrue();
        try (AwsClients aws = AwsClients.fromEnv(Map.of("AWS_REGION", "us-east-1"))) {
            assertThat(aws.limitsEnforced()).isFalse();
        }
        try (AwsClients off = AwsClients.fromEnv(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:1", "FERRY_AWS_LIMITS", "off"))) {
            assertThat(off.limitsEnforced()).isFalse();
        }
        try (AwsClients on = AwsClients.fromEnv(Map.of("FERRY_AWS_LIMITS", "enforce"))) {
            assertThat(on.limitsEnforced()).isTrue();
        }
        assertThatThrownBy(() -> AwsClients.fromEnv(Map.of("FERRY_AWS_LIMITS", "yes")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FERRY_AWS_LIMITS");
    }

    @Test
    void aRefusalIsAwsOwnErrorAndIsNeitherSentNorRetried() {
        Map<String, AttributeValue> item = item("a", 401 * 1024);
        assertThatThrownBy(() -> clients.dynamoDb().putItem(b -> b.tableName(TABLE).item(item)))
                .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Item size has exceeded the maximum allowed size");
                    assertThat(e.requestId()).isEqualTo(AwsLimits.REQUEST_ID);
                });
        assertThat(counter.total()).isZero();
    }

    // ------------------------------------------------------------------ DynamoDB

    @Test
    void anItemOf400KibibytesPassesAndOneByteMoreIsRefused() {
        // names count: "pk" (2) + "x" (1) + "p" (1) + the payload
        Map<String, AttributeValue> exact = item("x", DynamoDbSizes.MAX_ITEM_BYTES - 4);
        assertThat(DynamoDbSizes.item(exact)).isEqualTo(DynamoDbSizes.MAX_ITEM_BYTES);
        passes(PutItemRequest.builder().tableName(TABLE).item(exact).build());
        Map<String, AttributeValue> over = item("x", DynamoDbSizes.MAX_ITEM_BYTES - 3);
        refused(PutItemRequest.builder().tableName(TABLE).item(over).build(), DynamoDbException.class,
                "ValidationException", "Item size has exceeded the maximum allowed size");
    }

    @Test
    void sizesCountNamesNumbersMapsListsAndMultibyteText() {
        assertThat(DynamoDbSizes.value(AttributeValue.fromS("é"))).isEqualTo(2);
        assertThat(DynamoDbSizes.value(AttributeValue.fromN("12345"))).isEqualTo(4);
        assertThat(DynamoDbSizes.value(AttributeValue.fromN("-1.500"))).isEqualTo(3); // digits "15", negative
        assertThat(DynamoDbSizes.value(AttributeValue.fromBool(true))).isEqualTo(1);
        assertThat(DynamoDbSizes.value(AttributeValue.fromL(List.of(AttributeValue.fromS("ab"))))).isEqualTo(3 + 1 + 2);
        assertThat(DynamoDbSizes.value(AttributeValue.fromM(Map.of("k", AttributeValue.fromS("ab"))))).isEqualTo(3 + 1 + 1 + 2);
        assertThat(DynamoDbSizes.value(AttributeValue.fromB(SdkBytes.fromByteArray(new byte[7])))).isEqualTo(7);
    }

    @Test
    void aTransactionOfMoreThan100ActionsIsRefused() {
        passes(transaction(100));
        refused(transaction(101), DynamoDbException.class, "ValidationException",
                "Member must have length less than or equal to 100");
    }

    @Test
    void twoActionsOnOneItemInATransactionAreRefused() {
        TransactWriteItem update = TransactWriteItem.builder().update(Update.builder().tableName(TABLE)
                .key(key("1")).updateExpression("SET a = :a").expressionAttributeValues(Map.of(":a", AttributeValue.fromS("x")))
                .build()).build();
        TransactWriteItem put = TransactWriteItem.builder().put(Put.builder().tableName(TABLE).item(key("1")).build()).build();
        refused(TransactWriteItemsRequest.builder().transactItems(update, put).build(), DynamoDbException.class,
                "ValidationException", "Transaction request cannot include multiple operations on one item");
        refused(TransactWriteItemsRequest.builder().transactItems(update, update).build(), DynamoDbException.class,
                "ValidationException", "Transaction request cannot include multiple operations on one item");
        TransactWriteItem other = TransactWriteItem.builder().put(Put.builder().tableName(TABLE).item(key("2")).build()).build();
        passes(TransactWriteItemsRequest.builder().transactItems(update, other).build());
    }

    @Test
    void twoPutsOfOneItemAreRefusedOnceTheTablesKeyIsKnown() {
        TransactWriteItem put = TransactWriteItem.builder().put(Put.builder().tableName(TABLE)
                .item(Map.of("pk", AttributeValue.fromS("1"), "sk", AttributeValue.fromS("A"), "v", AttributeValue.fromS("a")))
                .build()).build();
        TransactWriteItem samePut = TransactWriteItem.builder().put(Put.builder().tableName(TABLE)
                .item(Map.of("pk", AttributeValue.fromS("1"), "sk", AttributeValue.fromS("A"), "v", AttributeValue.fromS("b")))
                .build()).build();
        passes(GetItemRequest.builder().tableName(TABLE).key(Map.of("pk", AttributeValue.fromS("0"),
                "sk", AttributeValue.fromS("A"))).build());
        // (the clients' guard has not seen the key: checked on this guard only)
        assertThatThrownBy(() -> limits.check(TransactWriteItemsRequest.builder().transactItems(put, samePut).build()))
                .isInstanceOf(DynamoDbException.class).hasMessageContaining("multiple operations on one item");
    }

    @Test
    void batchWriteOfMoreThan25AndRepeatedKeysAreRefused() {
        passes(batchWrite(25));
        refused(batchWrite(26), DynamoDbException.class, "ValidationException",
                "Too many items requested for the BatchWriteItem call");
        WriteRequest delete = WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(key("1")).build()).build();
        refused(BatchWriteItemRequest.builder().requestItems(Map.of(TABLE, List.of(delete, delete))).build(),
                DynamoDbException.class, "ValidationException", "Provided list of item keys contains duplicates");
        WriteRequest big = WriteRequest.builder().putRequest(PutRequest.builder().item(item("2", 410_000)).build()).build();
        refused(BatchWriteItemRequest.builder().requestItems(Map.of(TABLE, List.of(big))).build(),
                DynamoDbException.class, "ValidationException", "Item size has exceeded the maximum allowed size");
    }

    @Test
    void batchGetOfMoreThan100KeysIsRefused() {
        passes(batchGet(100));
        refused(batchGet(101), DynamoDbException.class, "ValidationException",
                "Too many items requested for the BatchGetItem call");
    }

    @Test
    void betweenWithItsBoundsReversedIsRefusedInEveryExpression() {
        Map<String, AttributeValue> reversed = Map.of(":p", AttributeValue.fromS("x"),
                ":lo", AttributeValue.fromS("2026-02-01"), ":hi", AttributeValue.fromS("2026-01-01"));
        refused(QueryRequest.builder().tableName(TABLE).keyConditionExpression("pk = :p AND sk BETWEEN :lo AND :hi")
                        .expressionAttributeValues(reversed).build(), DynamoDbException.class, "ValidationException",
                "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to "
                        + "lower bound; lower bound operand: AttributeValue: {S:2026-02-01}, upper bound operand: "
                        + "AttributeValue: {S:2026-01-01}");
        refused(QueryRequest.builder().tableName(TABLE).keyConditionExpression("pk = :p")
                        .filterExpression("a between :lo and :hi").expressionAttributeValues(reversed).build(),
                DynamoDbException.class, "ValidationException", "Invalid FilterExpression: The BETWEEN operator");
        refused(PutItemRequest.builder().tableName(TABLE).item(key("1")).conditionExpression("n BETWEEN :a AND :b")
                        .expressionAttributeValues(Map.of(":a", AttributeValue.fromN("10"), ":b", AttributeValue.fromN("9")))
                        .build(), DynamoDbException.class, "ValidationException", "Invalid ConditionExpression");
        passes(QueryRequest.builder().tableName(TABLE).keyConditionExpression("pk = :p AND sk BETWEEN :lo AND :hi")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("x"), ":lo", AttributeValue.fromS("a"),
                        ":hi", AttributeValue.fromS("a"))).build());
        passes(QueryRequest.builder().tableName(TABLE).keyConditionExpression("pk = :p AND n BETWEEN :lo AND :hi")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("x"), ":lo", AttributeValue.fromN("9"),
                        ":hi", AttributeValue.fromN("10"))).build()); // numbers compare as numbers, not text
    }

    // ------------------------------------------------------------------ SQS

    @Test
    void aMessageOver256KibibytesIsRefused() {
        passes(SendMessageRequest.builder().queueUrl("q").messageBody("a".repeat(AwsLimits.SQS_MAX_MESSAGE_BYTES)).build());
        refused(SendMessageRequest.builder().queueUrl("q").messageBody("é".repeat(AwsLimits.SQS_MAX_MESSAGE_BYTES / 2 + 1)).build(),
                SqsException.class, "InvalidParameterValue",
                "One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes.");
    }

    @Test
    void aDelayOver900SecondsIsRefused() {
        passes(SendMessageRequest.builder().queueUrl("q").messageBody("a").delaySeconds(900).build());
        refused(SendMessageRequest.builder().queueUrl("q").messageBody("a").delaySeconds(901).build(),
                SqsException.class, "InvalidParameterValue",
                "Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.");
        refused(batch(1, 10, 901), SqsException.class, "InvalidParameterValue", "DelaySeconds must be >= 0 and <= 900");
    }

    @Test
    void aBatchOfMoreThan10EntriesOrOver256KibibytesInAllIsRefused() {
        passes(batch(10, 26_000, 0));
        refused(batch(11, 10, 0), TooManyEntriesInBatchRequestException.class,
                "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", "Maximum number of entries per request are 10. You have sent 11.");
        refused(batch(10, 27_000, 0), BatchRequestTooLongException.class, "AWS.SimpleQueueService.BatchRequestTooLong",
                "Batch requests cannot be longer than 262144 bytes. You have sent 270000 bytes.");
    }

    @Test
    void aMessageWithACharacterSqsDoesNotAllowIsRefused() {
        refused(SendMessageRequest.builder().queueUrl("q").messageBody("a\u0001b").build(), SqsException.class,
                "InvalidMessageContents", "Invalid binary character '#x1'");
    }

    // ------------------------------------------------------------------ CloudWatch Logs

    @Test
    void putLogEventsOver10000EventsOrOverOneMebibyteIsRefused() {
        passes(logs(10_000, 10, 0));
        refused(logs(10_001, 10, 0), InvalidParameterException.class, "InvalidParameterException",
                "Member must have length less than or equal to 10000");
        // 1,048,576 bytes exactly: 4 events of 262,118 + 26 = 262,144 bytes each
        passes(logs(4, 262_144 - 26, 0));
        refused(logs(5, 209_716, 0), InvalidParameterException.class, "InvalidParameterException",
                "Upload too large: 1048710 bytes exceeds limit of 1048576");
    }

    @Test
    void anEventOver256KilobytesIsRefused() {
        refused(logs(1, 262_144 - 26 + 1, 0), InvalidParameterException.class, "InvalidParameterException",
                "Log event too large: 262145 bytes exceeds limit of 262144");
    }

    @Test
    void eventsOutOfTimeOrderOrSpanningMoreThan24HoursAreRefused() {
        refused(PutLogEventsRequest.builder().logGroupName("g").logStreamName("s").logEvents(event(2, "b"), event(1, "a")).build(),
                InvalidParameterException.class, "InvalidParameterException",
                "Log events in a single PutLogEvents request must be in chronological order.");
        passes(logs(2, 10, AwsLimits.LOGS_MAX_SPAN_MS));
        refused(logs(2, 10, AwsLimits.LOGS_MAX_SPAN_MS + 1), InvalidParameterException.class, "InvalidParameterException",
                "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
    }

    // ------------------------------------------------------------------ helpers

    private void passes(SdkRequest request) {
        assertThatCode(() -> limits.check(request)).doesNotThrowAnyException();
    }

    /** Refused by the guard directly, and through a client with the same exception. */
    private void refused(SdkRequest request, Class<? extends AwsServiceException> type, String code, String message) {
        assertThatThrownBy(() -> limits.check(request)).isInstanceOfSatisfying(type, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.awsErrorDetails().errorMessage()).contains(message);
            assertThat(e.statusCode()).isEqualTo(400);
        });
        // Sent, it would have met the closed port: a client error, not the service's answer.
        assertThatThrownBy(() -> send(request)).isInstanceOf(type);
        assertThat(counter.total()).isZero();
    }

    private void send(SdkRequest request) {
        switch (request) {
            case PutItemRequest r -> clients.dynamoDb().putItem(r);
            case QueryRequest r -> clients.dynamoDb().query(r);
            case TransactWriteItemsRequest r -> clients.dynamoDb().transactWriteItems(r);
            case BatchWriteItemRequest r -> clients.dynamoDb().batchWriteItem(r);
            case BatchGetItemRequest r -> clients.dynamoDb().batchGetItem(r);
            case SendMessageRequest r -> clients.sqs().sendMessage(r);
            case SendMessageBatchRequest r -> clients.sqs().sendMessageBatch(r);
            case PutLogEventsRequest r -> clients.logs().putLogEvents(r);
            default -> throw new IllegalArgumentException(request.toString());
        }
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("pk", AttributeValue.fromS(id));
    }

    /** An item {pk: id, p: <payloadBytes of 'x'>}. */
    private static Map<String, AttributeValue> item(String id, int payloadBytes) {
        return Map.of("pk", AttributeValue.fromS(id), "p", AttributeValue.fromS("x".repeat(payloadBytes)));
    }

    private static TransactWriteItemsRequest transaction(int n) {
        List<TransactWriteItem> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(TransactWriteItem.builder().put(Put.builder().tableName(TABLE).item(key("k" + i)).build()).build());
        }
        return TransactWriteItemsRequest.builder().transactItems(items).build();
    }

    private static BatchWriteItemRequest batchWrite(int n) {
        List<WriteRequest> writes = new ArrayList<>();
        for (int i = 0; i < n; i++) writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(key("k" + i)).build()).build());
        return BatchWriteItemRequest.builder().requestItems(Map.of(TABLE, writes)).build();
    }

    private static BatchGetItemRequest batchGet(int n) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) keys.add(key("k" + i));
        return BatchGetItemRequest.builder().requestItems(Map.of(TABLE, KeysAndAttributes.builder().keys(keys).build())).build();
    }

    private static SendMessageBatchRequest batch(int entries, int bytesEach, int delay) {
        List<SendMessageBatchRequestEntry> list = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            list.add(SendMessageBatchRequestEntry.builder().id("e" + i).messageBody("a".repeat(bytesEach)).delaySeconds(delay).build());
        }
        return SendMessageBatchRequest.builder().queueUrl("q").entries(list).build();
    }

    /** n events of {@code bytes} each, the last {@code spanMs} after the first. */
    private static PutLogEventsRequest logs(int n, int bytes, long spanMs) {
        List<InputLogEvent> events = new ArrayList<>();
        String message = "m".repeat(bytes);
        for (int i = 0; i < n; i++) events.add(event(i == n - 1 && n > 1 ? spanMs : 0, message));
        return PutLogEventsRequest.builder().logGroupName("g").logStreamName("s").logEvents(events).build();
    }

    private static InputLogEvent event(long timestamp, String message) {
        return InputLogEvent.builder().timestamp(1_700_000_000_000L + timestamp).message(message).build();
    }
}

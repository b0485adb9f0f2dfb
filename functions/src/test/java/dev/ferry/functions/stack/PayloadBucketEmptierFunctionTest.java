package dev.ferry.functions.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.HttpCallRequest;
import dev.ferry.core.model.HttpCallResult;
import dev.ferry.core.port.HttpCaller;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The PayloadBucketEmptier custom resource's function against a bucket in memory, its answer to
 * CloudFormation recorded instead of sent: Delete empties the bucket (versions and delete markers,
 * 1,000 at most per DeleteObjects) and answers SUCCESS; Create and Update touch nothing; every
 * failure, and a bucket too large for one invocation, is answered FAILED with a reason.
 */
class PayloadBucketEmptierFunctionTest {
    private static final String BUCKET = "ferry-payloadbucket-1a2b3c";
    private static final String URL = "https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/"
            + "arn%3Aaws%3Acloudformation%3Aus-east-1%3A123456789012%3Astack/ferry/abc%7CPayloadBucketEmptier%7Creq-1"
            + "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc";
    private static final String STACK = "arn:aws:cloudformation:us-east-1:123456789012:stack/ferry/abc";

    private final FakeVersionedS3 s3 = new FakeVersionedS3(BUCKET);
    private final List<HttpCallRequest> sent = new ArrayList<>();
    private HttpCaller responses = request -> {
        sent.add(request);
        return new HttpCallResult(200, Map.of(), new byte[0]);
    };

    private static String event(String type, String physicalId, String bucket) {
        Map<String, Object> e = new java.util.LinkedHashMap<>();
        e.put("RequestType", type);
        e.put("ServiceToken", "arn:aws:lambda:us-east-1:123456789012:function:ferry-PayloadBucketEmptierFunction-x");
        e.put("ResponseURL", URL);
        e.put("StackId", STACK);
        e.put("RequestId", "req-1");
        e.put("LogicalResourceId", "PayloadBucketEmptier");
        e.put("ResourceType", "Custom::PayloadBucketEmptier");
        if (physicalId != null) e.put("PhysicalResourceId", physicalId);
        Map<String, Object> props = new java.util.LinkedHashMap<>();
        props.put("ServiceToken", e.get("ServiceToken"));
        if (bucket != null) props.put("Bucket", bucket);
        e.put("ResourceProperties", props);
        return Json.write(e);
    }

    private JsonNode invoke(String event, Context context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PayloadBucketEmptierFunction(s3, responses)
                .handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, context);
        return Json.tree(out.toByteArray());
    }

    private JsonNode invoke(String event) {
        return invoke(event, new TimeContext(new AtomicLong(900_000)));
    }

    /** The one response PUT to CloudFormation, as JSON. */
    private JsonNode answer() {
        assertThat(sent).hasSize(1);
        return Json.tree(sent.get(0).body());
    }

    @Test
    void deleteEmptiesEveryVersionAndDeleteMarkerInBatchesOfAtMostAThousandAndAnswersSuccess() {
        for (int i = 0; i < 2_300; i++) s3.putVersion("executions/e" + i + "/request.bin", "null");
        for (int i = 0; i < 40; i++) {
            s3.putVersion("executions/v" + i + "/output.json", "v1-" + i);
            s3.putVersion("executions/v" + i + "/output.json", "v2-" + i);
            s3.putDeleteMarker("executions/v" + i + "/output.json", "dm-" + i);
        }

        JsonNode output = invoke(event("Delete", BUCKET, BUCKET));

        assertThat(s3.entries).as("nothing left in the bucket").isEmpty();
        assertThat(s3.deletes).allSatisfy(d -> {
            assertThat(d.bucket()).isEqualTo(BUCKET);
            assertThat(d.delete().objects()).hasSizeBetween(1, 1000);
            assertThat(d.delete().objects()).allSatisfy(o -> assertThat(o.versionId()).isNotNull());
        });
        assertThat(s3.deletes.stream().mapToInt(d -> d.delete().objects().size()).sum()).isEqualTo(2_420);
        assertThat(s3.lists).as("pages of at most 1,000, then a listing from the start that finds nothing")
                .allSatisfy(l -> assertThat(l.maxKeys()).isEqualTo(1000));
        assertThat(s3.lists.get(s3.lists.size() - 1).keyMarker()).isNull();
        JsonNode answer = answer();
        assertThat(answer.path("Status").asText()).isEqualTo("SUCCESS");
        assertThat(answer.path("Reason").asText()).contains(BUCKET, "2420");
        assertThat(answer.path("PhysicalResourceId").asText()).isEqualTo(BUCKET);
        assertThat(output).as("the invocation's own output is the response").isEqualTo(answer);
    }

    @Test
    void theResponseIsPutToTheResponseUrlWithAnEmptyContentTypeAndCloudFormationsFields() {
        invoke(event("Delete", BUCKET, BUCKET));

        HttpCallRequest put = sent.get(0);
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.url()).isEqualTo(URL);
        assertThat(put.headers()).containsExactly(Map.entry("Content-Type", ""));
        assertThat(put.timeout()).isNotNull();
        JsonNode body = answer();
        List<String> fields = new ArrayList<>();
        body.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("Status", "Reason", "PhysicalResourceId", "StackId", "RequestId",
                "LogicalResourceId", "NoEcho", "Data");
        assertThat(body.path("StackId").asText()).isEqualTo(STACK);
        assertThat(body.path("RequestId").asText()).isEqualTo("req-1");
        assertThat(body.path("LogicalResourceId").asText()).isEqualTo("PayloadBucketEmptier");
        assertThat(body.path("NoEcho").isBoolean()).isTrue();
        assertThat(body.path("NoEcho").asBoolean()).isFalse();
        assertThat(body.path("Data").isObject()).isTrue();
        assertThat(put.body().length).as("within CloudFormation's 4,096 bytes").isLessThan(4096);
    }

    @Test
    void createAndUpdateTouchNothingAndAnswerSuccessWithTheBucketAsPhysicalId() {
        s3.putVersion("executions/e1/request.bin", "null");

        invoke(event("Create", null, BUCKET));
        invoke(event("Update", BUCKET, BUCKET));

        assertThat(s3.lists).isEmpty();
        assertThat(s3.deletes).isEmpty();
        assertThat(s3.entries).hasSize(1);
        assertThat(sent).hasSize(2).allSatisfy(put -> {
            JsonNode a = Json.tree(put.body());
            assertThat(a.path("Status").asText()).isEqualTo("SUCCESS");
            assertThat(a.path("PhysicalResourceId").asText()).as("stable: an Update never replaces the resource").isEqualTo(BUCKET);
        });
    }

    @Test
    void anUpdateNamingAReplacedBucketAnswersItsNameSoTheOldResourcesDeleteEmptiesTheOldBucket() {
        invoke(event("Update", BUCKET, "ferry-payloadbucket-new"));

        assertThat(answer().path("PhysicalResourceId").asText()).isEqualTo("ferry-payloadbucket-new");
        assertThat(s3.deletes).isEmpty();
    }

    @Test
    void aDeleteOfABucketAlreadyGoneSucceeds() {
        s3.exists = false;

        invoke(event("Delete", BUCKET, BUCKET));

        assertThat(answer().path("Status").asText()).isEqualTo("SUCCESS");
    }

    @Test
    void anS3FailureIsAnsweredFailedWithItsReasonAndWhatToDo() {
        s3.putVersion("executions/e1/request.bin", "null");
        s3.beforeDelete = () -> {
            throw S3Exception.builder().statusCode(403).message("Access Denied")
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").errorMessage("Access Denied").build()).build();
        };

        invoke(event("Delete", BUCKET, BUCKET));

        JsonNode a = answer();
        assertThat(a.path("Status").asText()).isEqualTo("FAILED");
        assertThat(a.path("Reason").asText()).contains("could not empty bucket " + BUCKET, "Access Denied",
                "aws s3 rm \"s3://" + BUCKET + "\" --recursive");
        assertThat(a.path("PhysicalResourceId").asText()).isEqualTo(BUCKET);
    }

    @Test
    void versionsS3DidNotDeleteAreAnsweredFailedNamingTheFirst() {
        s3.putVersion("executions/e1/request.bin", "null");
        s3.putVersion("executions/e2/request.bin", "null");
        s3.undeletable.add("executions/e2/request.bin");

        invoke(event("Delete", BUCKET, BUCKET));

        JsonNode a = answer();
        assertThat(a.path("Status").asText()).isEqualTo("FAILED");
        assertThat(a.path("Reason").asText()).contains("1 of 2 object versions were not deleted", "executions/e2/request.bin",
                "AccessDenied");
    }

    @Test
    void aBucketTooLargeForOneInvocationIsAnsweredFailedBeforeTheTimeoutSayingWhatToDo() {
        for (int i = 0; i < 10_000; i++) s3.putVersion(String.format("executions/e%05d/request.bin", i), "null");
        // 200 s left, and each DeleteObjects of 1,000 versions takes 40 s of them: four fit before the reserve.
        AtomicLong remaining = new AtomicLong(200_000);
        s3.beforeDelete = () -> remaining.addAndGet(-40_000);

        invoke(event("Delete", BUCKET, BUCKET), new TimeContext(remaining));

        JsonNode a = answer();
        assertThat(a.path("Status").asText()).isEqualTo("FAILED");
        assertThat(a.path("Reason").asText()).contains("too large to empty in one invocation", "4000 object versions deleted",
                "aws s3 rm \"s3://" + BUCKET + "\" --recursive", "Delete the stack again (sam delete) to go on emptying it");
        assertThat(s3.deletes).hasSize(4);
        assertThat(s3.entries).hasSize(6_000);
        assertThat(remaining.get()).as("answered before the timeout").isPositive();
    }

    @Test
    void aDeleteForAResourceThatWasNeverCreatedForTheBucketEmptiesNothing() {
        s3.putVersion("executions/e1/request.bin", "null");

        // The rollback of a Create that failed: its physical id is the logical id, no bucket's name.
        invoke(event("Delete", "PayloadBucketEmptier", BUCKET));

        assertThat(answer().path("Status").asText()).isEqualTo("SUCCESS");
        assertThat(s3.lists).isEmpty();
        assertThat(s3.entries).hasSize(1);
    }

    @Test
    void anEventWithoutAValidBucketOrRequestTypeIsAnsweredFailed() {
        invoke(event("Create", null, "Not_A_Bucket"));
        invoke(event("Update", BUCKET, null));
        invoke(event("Rename", BUCKET, BUCKET));

        assertThat(sent).hasSize(3);
        JsonNode create = Json.tree(sent.get(0).body());
        assertThat(create.path("Status").asText()).isEqualTo("FAILED");
        assertThat(create.path("Reason").asText()).contains("ResourceProperties.Bucket must be an S3 bucket name", "'Not_A_Bucket'");
        assertThat(create.path("PhysicalResourceId").asText()).isEqualTo("PayloadBucketEmptier");
        JsonNode update = Json.tree(sent.get(1).body());
        assertThat(update.path("Status").asText()).isEqualTo("FAILED");
        assertThat(update.path("PhysicalResourceId").asText()).isEqualTo(BUCKET);
        JsonNode rename = Json.tree(sent.get(2).body());
        assertThat(rename.path("Status").asText()).isEqualTo("FAILED");
        assertThat(rename.path("Reason").asText()).isEqualTo("RequestType must be Create, Update or Delete, got 'Rename'");
        assertThat(s3.lists).isEmpty();
    }

    @Test
    void anEventWithoutAResponseUrlIsRefusedWithoutAnyCall() {
        JsonNode output = invoke("{\"RequestType\": \"Delete\", \"ResourceProperties\": {\"Bucket\": \"" + BUCKET + "\"}}");

        assertThat(output.path("error").path("message").asText() + output).contains("ResponseURL");
        assertThat(sent).isEmpty();
        assertThat(s3.lists).isEmpty();
    }

    @Test
    void aResponseThatCannotBeDeliveredFailsTheInvocationSoLambdaRetriesIt() {
        responses = request -> {
            throw new IOException("connection reset");
        };
        assertThatThrownBy(() -> invoke(event("Create", null, BUCKET))).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("could not send the response to CloudFormation");

        responses = request -> new HttpCallResult(403, Map.of(), "<Error><Code>AccessDenied</Code></Error>".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> invoke(event("Create", null, BUCKET))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("answered 403");
    }

    /** A Lambda context whose time left is what the test says. */
    private record TimeContext(AtomicLong remainingMs) implements Context {
        @Override public int getRemainingTimeInMillis() { return (int) remainingMs.get(); }
        @Override public String getAwsRequestId() { return "lambda-req-1"; }
        @Override public String getLogGroupName() { return "/aws/lambda/PayloadBucketEmptierFunction"; }
        @Override public String getLogStreamName() { return "stream"; }
        @Override public String getFunctionName() { return "PayloadBucketEmptierFunction"; }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:PayloadBucketEmptierFunction"; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getMemoryLimitInMB() { return 1024; }
        @Override public LambdaLogger getLogger() { return null; }
    }
}

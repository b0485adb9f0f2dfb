package dev.ferry.functions.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.HttpCallRequest;
import dev.ferry.core.model.HttpCallResult;
import dev.ferry.infra.AwsClients;
import dev.ferry.infra.TestResources;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;

/**
 * The PayloadBucketEmptier function against the emulator's S3: the template's PayloadBucket
 * (unversioned, as deployed) and a versioned bucket with several versions and delete markers are
 * each emptied by a Delete event, so that the bucket can then be deleted, and the answer recorded
 * by the injected sender is SUCCESS.
 */
class PayloadBucketEmptierIT {
    private final AwsClients aws = TestResources.clients();
    private final S3Client s3 = aws.s3();
    private final List<HttpCallRequest> sent = new ArrayList<>();

    private JsonNode delete(String bucket) {
        String event = Json.write(Map.of("RequestType", "Delete",
                "ResponseURL", "https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/x?X-Amz-Signature=1",
                "StackId", "arn:aws:cloudformation:us-east-1:123456789012:stack/ferry/1", "RequestId", "req-" + bucket,
                "LogicalResourceId", "PayloadBucketEmptier", "ResourceType", "Custom::PayloadBucketEmptier",
                "PhysicalResourceId", bucket, "ResourceProperties", Map.of("Bucket", bucket)));
        PayloadBucketEmptierFunction function = new PayloadBucketEmptierFunction(s3, request -> {
            sent.add(request);
            return new HttpCallResult(200, Map.of(), new byte[0]);
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        assertThat(sent).isNotEmpty();
        return Json.tree(sent.get(sent.size() - 1).body());
    }

    private void put(String bucket, String key, String body) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body));
    }

    private int entries(String bucket) {
        ListObjectVersionsResponse r = s3.listObjectVersions(b -> b.bucket(bucket));
        return r.versions().size() + r.deleteMarkers().size();
    }

    @Test
    void theTemplatesPayloadBucketIsEmptiedSoItCanBeDeleted() {
        String bucket = TestResources.createBucket(s3);
        for (int i = 0; i < 7; i++) put(bucket, "executions/e" + i + "/request.bin", "body " + i);
        put(bucket, "other/outside-the-lifecycle-prefix.json", "{}");
        assertThat(entries(bucket)).isEqualTo(8);

        JsonNode answer = delete(bucket);

        assertThat(answer.path("Status").asText()).as(answer.toString()).isEqualTo("SUCCESS");
        assertThat(answer.path("Reason").asText()).contains("8 object versions");
        assertThat(answer.path("PhysicalResourceId").asText()).isEqualTo(bucket);
        assertThat(entries(bucket)).isZero();
        s3.deleteBucket(b -> b.bucket(bucket));
        assertThat(s3.listBuckets().buckets()).noneMatch(b -> b.name().equals(bucket));
    }

    @Test
    void aVersionedBucketLosesEveryVersionAndDeleteMarker() {
        String bucket = TestResources.createBucket(s3);
        s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        for (int i = 0; i < 4; i++) {
            put(bucket, "executions/e" + i + "/output.json", "first " + i);
            put(bucket, "executions/e" + i + "/output.json", "second " + i);
        }
        s3.deleteObject(b -> b.bucket(bucket).key("executions/e0/output.json"));
        s3.deleteObject(b -> b.bucket(bucket).key("executions/e1/output.json"));
        assertThat(entries(bucket)).as("8 versions and 2 delete markers").isEqualTo(10);

        JsonNode answer = delete(bucket);

        assertThat(answer.path("Status").asText()).as(answer.toString()).isEqualTo("SUCCESS");
        assertThat(answer.path("Reason").asText()).contains("10 object versions");
        assertThat(entries(bucket)).isZero();
        s3.deleteBucket(b -> b.bucket(bucket));
    }

    @Test
    void aBucketAlreadyDeletedIsNoFailure() {
        String bucket = TestResources.createBucket(s3);
        s3.deleteBucket(b -> b.bucket(bucket));

        JsonNode answer = delete(bucket);

        assertThat(answer.path("Status").asText()).as(answer.toString()).isEqualTo("SUCCESS");
    }
}

package dev.ferry.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.infra.AwsClients;
import dev.ferry.local.iam.IamLedger;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The stack's deletion, as far as the local stack can play it: CloudFormation's Delete event for the
 * PayloadBucketEmptier custom resource, sent to its function through the Lambda API. The function,
 * acting with its own role (IAM enforced), empties the stack's PayloadBucket and PUTs its answer to
 * the event's ResponseURL — here a server on loopback standing in for CloudFormation's presigned URL.
 * Every grant of its role is needed by these calls, so the suite's IAM audit holds it to them.
 */
class PayloadBucketEmptierLocalStackIT {
    private static final String FUNCTION = "PayloadBucketEmptierFunction";

    record Put(String method, String contentType, String contentLength, byte[] body) {}

    @Test
    void aDeleteEventEmptiesThePayloadBucketWithTheFunctionsOwnRoleAndAnswersAtTheResponseUrl() throws Exception {
        List<Put> received = new CopyOnWriteArrayList<>();
        HttpServer cloudFormation = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        cloudFormation.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Put(exchange.getRequestMethod(), exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Content-Length"), body));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        cloudFormation.start();
        try (StackFixture fx = StackFixture.start("emptier", b -> {});
             AwsClients admin = AwsClients.fromEnv(fx.stack.adminEnvironment())) {
            String bucket = fx.stack.resources().stream().filter(r -> r.logicalId().equals("PayloadBucket")).findFirst()
                    .orElseThrow().ref();
            S3Client s3 = admin.s3();
            for (int i = 0; i < 5; i++) {
                int n = i;
                s3.putObject(b -> b.bucket(bucket).key("executions/e" + n + "/request.bin"), RequestBody.fromString("body " + n));
            }
            assertThat(s3.listObjectVersions(b -> b.bucket(bucket)).versions()).hasSize(5);

            String responseUrl = "http://127.0.0.1:" + cloudFormation.getAddress().getPort()
                    + "/arn%3Aaws%3Acloudformation%3Aus-east-1%3A123456789012%3Astack/ferry/1%7CPayloadBucketEmptier%7Creq-1"
                    + "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=0";
            String event = StackFixture.JSON.writeValueAsString(Map.of("RequestType", "Delete", "ResponseURL", responseUrl,
                    "StackId", "arn:aws:cloudformation:us-east-1:123456789012:stack/ferry/1", "RequestId", "req-1",
                    "LogicalResourceId", "PayloadBucketEmptier", "ResourceType", "Custom::PayloadBucketEmptier",
                    "PhysicalResourceId", bucket, "ResourceProperties", Map.of("ServiceToken", "arn:aws:lambda:us-east-1:"
                            + "123456789012:function:" + FUNCTION, "Bucket", bucket)));
            HttpResponse<String> invoked = fx.send(StackFixture.sigV4(HttpRequest.newBuilder(fx.stack.lambdaUrl()
                    .resolve("/2015-03-31/functions/" + FUNCTION + "/invocations")).POST(HttpRequest.BodyPublishers.ofString(event))));
            assertThat(invoked.statusCode()).as(invoked.body()).isEqualTo(200);

            assertThat(received).hasSize(1);
            Put put = received.get(0);
            assertThat(put.method()).isEqualTo("PUT");
            assertThat(put.contentType()).as("the presigned URL was signed without a Content-Type").isEmpty();
            assertThat(put.contentLength()).isEqualTo(Integer.toString(put.body().length));
            JsonNode answer = StackFixture.JSON.readTree(put.body());
            assertThat(answer.path("Status").asText()).as(answer.toString()).isEqualTo("SUCCESS");
            assertThat(answer.path("PhysicalResourceId").asText()).isEqualTo(bucket);
            assertThat(answer.path("RequestId").asText()).isEqualTo("req-1");
            assertThat(s3.listObjectVersions(b -> b.bucket(bucket)).versions()).isEmpty();
            s3.deleteBucket(b -> b.bucket(bucket));

            IamLedger ledger = fx.stack.iamLedger().orElseThrow();
            List<IamLedger.Entry> calls = ledger.entries().stream().filter(e -> e.function().equals(FUNCTION)).toList();
            assertThat(calls).noneMatch(IamLedger.Entry::denied);
            assertThat(calls).extracting(e -> e.action() + " " + e.resource()).contains(
                    "s3:ListBucketVersions arn:aws:s3:::${PayloadBucket}",
                    "s3:DeleteObject arn:aws:s3:::${PayloadBucket}/{key}",
                    "s3:DeleteObjectVersion arn:aws:s3:::${PayloadBucket}/{key}");
            Set<IamLedger.Use> unused = new HashSet<>(ledger.granted());
            unused.removeAll(ledger.used());
            assertThat(unused).as("every grant of the emptier's role was needed").noneMatch(u -> u.function().equals(FUNCTION));
        } finally {
            cloudFormation.stop(0);
        }
    }
}

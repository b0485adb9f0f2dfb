package dev.ferry.functions.stack;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.json.Json;
import dev.ferry.core.log.Log;
import dev.ferry.core.model.HttpCallRequest;
import dev.ferry.core.model.HttpCallResult;
import dev.ferry.core.port.HttpCaller;
import dev.ferry.functions.DirectEvents;
import dev.ferry.functions.LambdaIo;
import dev.ferry.functions.Wiring;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The CloudFormation custom resource {@code PayloadBucketEmptier} (template.yaml): on the stack's
 * deletion it empties {@code PayloadBucket} — every object version and delete marker — before
 * CloudFormation deletes the bucket, which it refuses to do while anything is in it. Create and
 * Update do nothing. The answer goes where CloudFormation waits for it: an HTTP PUT of the
 * response JSON to the event's presigned {@code ResponseURL} (empty Content-Type, as the URL was
 * signed), through the functions' one outbound seam ({@link HttpCaller}, whose destination policy
 * holds here too).
 *
 * <p>The resource's physical id is the bucket's name, so an Update that keeps the bucket never
 * makes CloudFormation delete the old resource; one that names a new bucket (the bucket was
 * replaced) does, and that Delete empties the old bucket, which CloudFormation deletes next.
 *
 * <p>Every failure is answered {@code FAILED} with its reason, never left for CloudFormation to
 * wait out its hour. A bucket too large to empty in one invocation is answered {@code FAILED}
 * {@link #RESERVE} before the function's timeout, saying how many versions were deleted and what to
 * do. A response that cannot be delivered is an error of the invocation, so that Lambda retries it
 * (CloudFormation invokes the function asynchronously).
 */
public final class PayloadBucketEmptierFunction implements RequestStreamHandler {
    /** Time kept back for a DeleteObjects call already started and the answer to CloudFormation. */
    public static final Duration RESERVE = Duration.ofSeconds(45);
    /** CloudFormation takes a response of at most 4,096 bytes; the reason is kept well inside. */
    static final int MAX_REASON = 1000;
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private final BucketEmptier emptier;
    private final HttpCaller responses;

    /** Lambda's constructor: the S3 client and the outbound caller from the function's environment. */
    public PayloadBucketEmptierFunction() {
        this(Wiring.s3(System.getenv()), Wiring.outbound(System.getenv()));
    }

    /** With {@code s3} for the bucket and {@code responses} for the PUT to CloudFormation (tests, the local stack). */
    public PayloadBucketEmptierFunction(S3Client s3, HttpCaller responses) {
        this.emptier = new BucketEmptier(s3);
        this.responses = responses;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        try (Log.Scope invocation = LambdaIo.logScope(context)) {
            JsonNode event;
            try {
                event = LambdaIo.readTree(input);
            } catch (ValidationException invalid) {
                LambdaIo.write(output, DirectEvents.error(invalid));
                return;
            }
            String responseUrl = text(event, "ResponseURL");
            if (responseUrl == null) {
                ValidationException invalid = new ValidationException("ResponseURL", "is required: PayloadBucketEmptierFunction "
                        + "answers CloudFormation custom resource events only, at the URL they give");
                Log.error("not a CloudFormation custom resource event", "reason", invalid.getMessage());
                LambdaIo.write(output, DirectEvents.error(invalid));
                return;
            }
            Map<String, Object> response = respond(event, context);
            try (Log.Scope request = Log.with("stackId", text(event, "StackId"), "logicalResourceId", text(event, "LogicalResourceId"))) {
                Log.info("custom resource answered", "requestType", text(event, "RequestType"), "status", response.get("Status"),
                        "reason", response.get("Reason"));
                send(responseUrl, response);
            }
            LambdaIo.write(output, response);
        }
    }

    /** What this event asks for, done, and the response CloudFormation is to receive. */
    Map<String, Object> respond(JsonNode event, Context context) {
        String type = text(event, "RequestType");
        String bucket = text(event.path("ResourceProperties"), "Bucket");
        String previous = text(event, "PhysicalResourceId");
        String logicalId = text(event, "LogicalResourceId");
        // The physical id of an answer that names no bucket: the one CloudFormation holds, else (a first
        // Create, whose failure leaves nothing to empty) the resource's logical id.
        String current = previous != null ? previous : logicalId != null ? logicalId : "PayloadBucketEmptier";
        for (String field : new String[] {"StackId", "RequestId", "LogicalResourceId"}) {
            if (text(event, field) == null) {
                return response(event, "FAILED", field + " is required (a CloudFormation custom resource event)", current);
            }
        }
        boolean validBucket = bucket != null && BUCKET_NAME.matcher(bucket).matches();
        String invalidBucket = "ResourceProperties.Bucket must be an S3 bucket name (the template passes "
                + "{Ref: PayloadBucket}), got " + (bucket == null ? "nothing" : "'" + bucket + "'");
        if (type == null) type = "";
        switch (type) {
            case "Create", "Update":
                // A failed Create's physical id is no bucket's name, so its rollback's Delete empties nothing.
                return validBucket ? response(event, "SUCCESS", "nothing to do until the stack is deleted", bucket)
                        : response(event, "FAILED", invalidBucket, current);
            case "Delete":
                if (!validBucket || !bucket.equals(previous)) {
                    return response(event, "SUCCESS", "nothing to empty: this resource was not created for bucket "
                            + (bucket == null ? "(none)" : bucket), current);
                }
                return delete(event, bucket, context);
            default:
                return response(event, "FAILED", "RequestType must be Create, Update or Delete, got '" + type + "'", current);
        }
    }

    private Map<String, Object> delete(JsonNode event, String bucket, Context context) {
        BucketEmptier.Result result;
        try {
            result = emptier.empty(bucket, () -> context == null || context.getRemainingTimeInMillis() > RESERVE.toMillis());
        } catch (RuntimeException e) {
            Log.error("could not empty the payload bucket", "bucket", bucket, "reason", e);
            return response(event, "FAILED", "could not empty bucket " + bucket + ": " + e.getMessage()
                    + ". Empty it (aws s3 rm \"s3://" + bucket + "\" --recursive, and its object versions if it is versioned), "
                    + "then delete the stack again", bucket);
        }
        if (!result.complete()) {
            return response(event, "FAILED", "bucket " + bucket + " is too large to empty in one invocation: "
                    + result.deleted() + " object versions deleted before the function's timeout. Delete the stack again "
                    + "(sam delete) to go on emptying it, or empty it first with aws s3 rm \"s3://" + bucket + "\" --recursive", bucket);
        }
        return response(event, "SUCCESS", "emptied bucket " + bucket + ": " + result.deleted()
                + " object versions and delete markers deleted", bucket);
    }

    private static Map<String, Object> response(JsonNode event, String status, String reason, String physicalId) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("Status", status);
        r.put("Reason", reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON - 1) + "…");
        r.put("PhysicalResourceId", physicalId);
        r.put("StackId", orEmpty(text(event, "StackId")));
        r.put("RequestId", orEmpty(text(event, "RequestId")));
        r.put("LogicalResourceId", orEmpty(text(event, "LogicalResourceId")));
        r.put("NoEcho", false);
        r.put("Data", Map.of());
        return r;
    }

    /**
     * PUTs the response to the presigned URL: an empty Content-Type (the URL's signature covers
     * none) and the body's length. A failure to deliver it is thrown, for Lambda to retry.
     */
    private void send(String url, Map<String, Object> response) {
        byte[] body = Json.writeBytes(response);
        HttpCallResult r;
        try {
            r = responses.call(new HttpCallRequest("PUT", url, Map.of("Content-Type", ""), body, RESPONSE_TIMEOUT));
        } catch (IOException e) {
            Log.error("could not send the response to CloudFormation", "reason", e);
            throw new UncheckedIOException("could not send the response to CloudFormation: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            Log.error("could not send the response to CloudFormation", "reason", e);
            throw e;
        }
        if (r.status() / 100 != 2) {
            Log.error("CloudFormation's response URL refused the response", "status", r.status());
            throw new IllegalStateException("CloudFormation's response URL answered " + r.status() + " to the response");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || !v.isTextual() || v.asText().isBlank() ? null : v.asText();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}

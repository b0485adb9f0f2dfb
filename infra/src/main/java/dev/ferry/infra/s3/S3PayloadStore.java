package dev.ferry.infra.s3;

import static dev.ferry.infra.AwsFailures.storeFailure;

import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Bytes by key in the payload bucket: what does not fit in a DynamoDB item (large request bodies,
 * large step results). Failures become {@link dev.ferry.core.error.StoreException}.
 */
public final class S3PayloadStore {
    private final S3Client s3;
    private final String bucket;

    public S3PayloadStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    public String bucket() {
        return bucket;
    }

    /** Stores (or overwrites) the object; durable when this returns. */
    public void put(String key, byte[] bytes, String contentType) {
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw storeFailure("S3 PutObject s3://" + bucket + "/" + key, e);
        }
    }

    public void put(String key, byte[] bytes) {
        put(key, bytes, "application/octet-stream");
    }

    /** The object's bytes, or empty if there is no such key. */
    public Optional<byte[]> get(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw storeFailure("S3 GetObject s3://" + bucket + "/" + key, e);
        }
    }

    /**
     * Deletes these objects, up to 1,000 per DeleteObjects call; keys that do not exist are no error.
     * A key S3 reports as not deleted is a failure.
     */
    public void deleteAll(java.util.List<String> keys) {
        for (int from = 0; from < keys.size(); from += 1000) {
            java.util.List<software.amazon.awssdk.services.s3.model.ObjectIdentifier> ids = keys
                    .subList(from, Math.min(from + 1000, keys.size())).stream()
                    .map(k -> software.amazon.awssdk.services.s3.model.ObjectIdentifier.builder().key(k).build()).toList();
            try {
                var res = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(ids).quiet(true)));
                if (res.hasErrors() && !res.errors().isEmpty()) {
                    var first = res.errors().get(0);
                    throw new dev.ferry.core.error.StoreException("S3 DeleteObjects s3://" + bucket + ": " + res.errors().size()
                            + " not deleted, e.g. " + first.key() + " (" + first.code() + ")", null);
                }
            } catch (SdkException e) {
                throw storeFailure("S3 DeleteObjects s3://" + bucket, e);
            }
        }
    }

    /** Deletes the object; no error if it is already gone. */
    public void delete(String key) {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw storeFailure("S3 DeleteObject s3://" + bucket + "/" + key, e);
        }
    }
}

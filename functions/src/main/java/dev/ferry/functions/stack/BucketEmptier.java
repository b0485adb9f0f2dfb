package dev.ferry.functions.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

/**
 * Deletes every object version and delete marker of a bucket, so that CloudFormation can delete it:
 * ListObjectVersions page by page (1,000 entries at most), each page deleted with DeleteObjects
 * naming each entry's version (an unversioned bucket's objects have the version {@code null}), then
 * one listing from the start to confirm nothing is left (or to start again with what was written
 * meanwhile). Before each call it asks {@code timeLeft}; when that says no, it stops and says how
 * far it got. A bucket that no longer exists is empty.
 */
final class BucketEmptier {
    /** DeleteObjects' limit of keys per request. */
    static final int BATCH = 1000;

    /** How an emptying ended: {@code complete} when the bucket holds nothing. */
    record Result(boolean complete, long deleted) {}

    /** S3 reported some entries of a DeleteObjects request as not deleted. */
    static final class NotDeleted extends RuntimeException {
        NotDeleted(String message) {
            super(message);
        }
    }

    private final S3Client s3;

    BucketEmptier(S3Client s3) {
        this.s3 = s3;
    }

    Result empty(String bucket, BooleanSupplier timeLeft) {
        long deleted = 0;
        String keyMarker = null;
        String versionMarker = null;
        boolean fromStart = true;
        while (true) {
            if (!timeLeft.getAsBoolean()) return new Result(false, deleted);
            ListObjectVersionsResponse page;
            try {
                String key = keyMarker;
                String version = versionMarker;
                page = s3.listObjectVersions(b -> b.bucket(bucket).maxKeys(BATCH).keyMarker(key).versionIdMarker(version));
            } catch (NoSuchBucketException gone) {
                return new Result(true, deleted);
            }
            List<ObjectIdentifier> entries = new ArrayList<>();
            page.versions().forEach(v -> entries.add(ObjectIdentifier.builder().key(v.key()).versionId(v.versionId()).build()));
            page.deleteMarkers().forEach(m -> entries.add(ObjectIdentifier.builder().key(m.key()).versionId(m.versionId()).build()));
            if (fromStart && entries.isEmpty() && !Boolean.TRUE.equals(page.isTruncated())) return new Result(true, deleted);
            for (int from = 0; from < entries.size(); from += BATCH) {
                if (!timeLeft.getAsBoolean()) return new Result(false, deleted);
                List<ObjectIdentifier> batch = entries.subList(from, Math.min(from + BATCH, entries.size()));
                DeleteObjectsResponse r = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(batch).quiet(true)));
                if (r.hasErrors() && !r.errors().isEmpty()) {
                    S3Error first = r.errors().get(0);
                    throw new NotDeleted(r.errors().size() + " of " + batch.size() + " object versions were not deleted; the first, "
                            + first.key() + " (version " + first.versionId() + "): " + first.code() + " " + first.message());
                }
                deleted += batch.size();
            }
            if (Boolean.TRUE.equals(page.isTruncated())) {
                keyMarker = page.nextKeyMarker();
                versionMarker = page.nextVersionIdMarker();
                fromStart = false;
            } else {
                // Every page seen and deleted: list once more from the start, for anything written meanwhile.
                keyMarker = null;
                versionMarker = null;
                fromStart = true;
            }
        }
    }
}

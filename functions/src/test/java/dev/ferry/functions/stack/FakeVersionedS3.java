package dev.ferry.functions.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Error;

/**
 * One bucket in memory with S3's two calls the emptier makes: ListObjectVersions (ordered by key
 * then version, at most MaxKeys entries a page, with the next markers) and DeleteObjects (quiet:
 * only errors answered). Entries are object versions or delete markers. Every request is kept.
 */
final class FakeVersionedS3 implements S3Client {
    /** key + '\0' + version id → whether it is a delete marker. */
    final TreeMap<String, Boolean> entries = new TreeMap<>();
    final List<ListObjectVersionsRequest> lists = new ArrayList<>();
    final List<DeleteObjectsRequest> deletes = new ArrayList<>();
    final String bucket;
    boolean exists = true;
    /** Keys S3 is to refuse deleting (reported as errors of DeleteObjects). */
    final List<String> undeletable = new ArrayList<>();
    /** Runs before each DeleteObjects (a test's clock, a failure). */
    Runnable beforeDelete = () -> {};
    /** Runs before each ListObjectVersions. */
    Runnable beforeList = () -> {};

    FakeVersionedS3(String bucket) {
        this.bucket = bucket;
    }

    void putVersion(String key, String versionId) {
        entries.put(key + '\0' + versionId, false);
    }

    void putDeleteMarker(String key, String versionId) {
        entries.put(key + '\0' + versionId, true);
    }

    @Override
    public ListObjectVersionsResponse listObjectVersions(ListObjectVersionsRequest r) {
        lists.add(r);
        beforeList.run();
        if (!exists || !r.bucket().equals(bucket)) throw NoSuchBucketException.builder().message("The specified bucket does not exist").build();
        int max = r.maxKeys() == null ? 1000 : Math.min(r.maxKeys(), 1000);
        Map<String, Boolean> after = r.keyMarker() == null ? entries
                : entries.tailMap(r.keyMarker() + '\0' + (r.versionIdMarker() == null ? "\uffff" : r.versionIdMarker()), false);
        List<ObjectVersion> versions = new ArrayList<>();
        List<DeleteMarkerEntry> markers = new ArrayList<>();
        String last = null;
        int n = 0;
        boolean truncated = false;
        for (var e : after.entrySet()) {
            if (n == max) {
                truncated = true;
                break;
            }
            String[] kv = e.getKey().split("\0", 2);
            if (e.getValue()) markers.add(DeleteMarkerEntry.builder().key(kv[0]).versionId(kv[1]).build());
            else versions.add(ObjectVersion.builder().key(kv[0]).versionId(kv[1]).build());
            last = e.getKey();
            n++;
        }
        ListObjectVersionsResponse.Builder b = ListObjectVersionsResponse.builder().versions(versions).deleteMarkers(markers)
                .isTruncated(truncated);
        if (truncated) {
            String[] kv = last.split("\0", 2);
            b.nextKeyMarker(kv[0]).nextVersionIdMarker(kv[1]);
        }
        return b.build();
    }

    @Override
    public ListObjectVersionsResponse listObjectVersions(Consumer<ListObjectVersionsRequest.Builder> r) {
        ListObjectVersionsRequest.Builder b = ListObjectVersionsRequest.builder();
        r.accept(b);
        return listObjectVersions(b.build());
    }

    @Override
    public DeleteObjectsResponse deleteObjects(DeleteObjectsRequest r) {
        deletes.add(r);
        beforeDelete.run();
        if (r.delete().objects().size() > 1000) throw new AssertionError("DeleteObjects takes at most 1,000 keys");
        List<S3Error> errors = new ArrayList<>();
        List<DeletedObject> deleted = new ArrayList<>();
        for (ObjectIdentifier o : r.delete().objects()) {
            if (undeletable.contains(o.key())) {
                errors.add(S3Error.builder().key(o.key()).versionId(o.versionId()).code("AccessDenied").message("Access Denied").build());
                continue;
            }
            entries.remove(o.key() + '\0' + o.versionId());
            deleted.add(DeletedObject.builder().key(o.key()).versionId(o.versionId()).build());
        }
        DeleteObjectsResponse.Builder b = DeleteObjectsResponse.builder().errors(errors);
        if (!Boolean.TRUE.equals(r.delete().quiet())) b.deleted(deleted);
        return b.build();
    }

    @Override
    public DeleteObjectsResponse deleteObjects(Consumer<DeleteObjectsRequest.Builder> r) {
        DeleteObjectsRequest.Builder b = DeleteObjectsRequest.builder();
        r.accept(b);
        return deleteObjects(b.build());
    }

    @Override
    public String serviceName() {
        return "s3";
    }

    @Override
    public void close() {}
}

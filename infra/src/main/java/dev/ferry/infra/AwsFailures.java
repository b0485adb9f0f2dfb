package dev.ferry.infra;

import dev.ferry.core.error.StoreException;
import software.amazon.awssdk.core.exception.SdkException;

/** Turns an SDK failure (unreachable, timed out, throttled, refused) into the core's 503. */
public final class AwsFailures {
    private AwsFailures() {}

    /** {@code what} names the call, e.g. "DynamoDB PutItem on ferry-executions". */
    public static StoreException storeFailure(String what, SdkException e) {
        return new StoreException(what + " failed: " + e.getMessage(), e);
    }
}

package dev.ferry.infra.dynamodb;

import dev.ferry.core.error.StoreException;
import dev.ferry.core.port.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * BatchWriteItem and BatchGetItem carried to the end. DynamoDB answers part of a batch unprocessed
 * when a partition is over its throughput; sending it straight back only meets the same limit, so
 * each resend waits first: exponential backoff with jitter, {@link #FIRST_WAIT} doubling up to
 * {@link #MAX_WAIT}, each wait between half and all of that (so copies of a batch spread out but
 * never resend at once), through the {@link Sleeper} port. What is still unprocessed after
 * {@link #MAX_CALLS} calls is a {@link StoreException} (a 503 to retry), never silently dropped.
 * SDK failures are left to the caller, which names the call.
 */
final class Batches {
    static final int MAX_CALLS = 10;
    static final Duration FIRST_WAIT = Duration.ofMillis(50);
    static final Duration MAX_WAIT = Duration.ofSeconds(2);

    private final DynamoDbClient ddb;
    private final Sleeper sleeper;
    private final DoubleSupplier random;

    Batches(DynamoDbClient ddb, Sleeper sleeper) {
        this(ddb, sleeper, () -> ThreadLocalRandom.current().nextDouble());
    }

    Batches(DynamoDbClient ddb, Sleeper sleeper, DoubleSupplier random) {
        this.ddb = ddb;
        this.sleeper = sleeper;
        this.random = random;
    }

    /** Writes every request of one BatchWriteItem (at most 25), resending the unprocessed ones. */
    void write(String table, List<WriteRequest> writes) {
        Map<String, List<WriteRequest>> pending = Map.of(table, writes);
        for (int call = 1; ; call++) {
            Map<String, List<WriteRequest>> send = pending;
            BatchWriteItemResponse res = ddb.batchWriteItem(b -> b.requestItems(send));
            pending = res.hasUnprocessedItems() ? res.unprocessedItems() : Map.of();
            if (pending.values().stream().allMatch(List::isEmpty)) return;
            if (call == MAX_CALLS) {
                throw new StoreException("DynamoDB BatchWriteItem on " + table + " left items unprocessed after "
                        + MAX_CALLS + " calls; try again", null);
            }
            waitBefore(call);
        }
    }

    /** Reads every key of one BatchGetItem (at most 100), asking for the unprocessed ones again; the items found. */
    List<Map<String, AttributeValue>> get(String table, KeysAndAttributes ask) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        Map<String, KeysAndAttributes> pending = Map.of(table, ask);
        for (int call = 1; ; call++) {
            Map<String, KeysAndAttributes> send = pending;
            BatchGetItemResponse res = ddb.batchGetItem(b -> b.requestItems(send));
            found.addAll(res.responses().getOrDefault(table, List.of()));
            pending = res.hasUnprocessedKeys() ? res.unprocessedKeys() : Map.of();
            if (pending.values().stream().allMatch(k -> !k.hasKeys() || k.keys().isEmpty())) return found;
            if (call == MAX_CALLS) {
                throw new StoreException("DynamoDB BatchGetItem on " + table + " left keys unprocessed after "
                        + MAX_CALLS + " calls; try again", null);
            }
            waitBefore(call);
        }
    }

    /** The wait before resend number {@code n} (1, 2, …): half of {@code min(MAX, FIRST · 2^(n-1))} plus a random part of the other half. */
    static Duration backoff(int n, double random) {
        long ceiling = Math.min(MAX_WAIT.toMillis(), FIRST_WAIT.toMillis() << Math.min(n - 1, 20));
        return Duration.ofMillis(ceiling / 2 + Math.round(random * (ceiling - ceiling / 2)));
    }

    private void waitBefore(int resend) {
        try {
            sleeper.sleep(backoff(resend, random.getAsDouble()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting to resend a DynamoDB batch", e);
        }
    }
}

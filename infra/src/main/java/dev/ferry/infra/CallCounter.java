package dev.ferry.infra;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts SDK API calls per {@code Service.Operation} (e.g. {@code DynamoDb.GetItem}): one per call,
 * however many HTTP attempts its retries took. Thread-safe; pass it to
 * {@link AwsClients#fromEnv(Map, java.util.List)} to measure what a code path costs.
 */
public final class CallCounter implements ExecutionInterceptor {
    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        counts.computeIfAbsent(service + "." + operation, k -> new LongAdder()).increment();
    }

    /** The counts so far, by {@code Service.Operation}, sorted by name. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> {
            long n = v.sum();
            if (n > 0) out.put(k, n);
        });
        return out;
    }

    /** Calls of one operation, e.g. {@code count("DynamoDb", "GetItem")}. */
    public long count(String service, String operation) {
        LongAdder a = counts.get(service + "." + operation);
        return a == null ? 0 : a.sum();
    }

    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public void reset() {
        counts.clear();
    }
}

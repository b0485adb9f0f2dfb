package dev.ferry.core.port;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The counts behind per-customer quotas that no other store answers in one read: uses of a rate in a time
 * window, and the holders of a count (the monitors a customer's keys created, its bulk jobs running).
 * Holders are a hint, pruned by the caller against the real store, so a missed release never blocks a customer.
 */
public interface QuotaCounters {
    /**
     * Counts one use of {@code key} in {@code window} unless {@code limit} uses are counted there already:
     * atomic, so concurrent callers never pass the limit together. Returns whether it was counted. The
     * count may be forgotten after {@code expiresAt}.
     */
    boolean take(String key, Instant window, int limit, Instant expiresAt);

    /** Who holds a share of {@code key} (in no particular order). */
    List<String> holders(String key);

    /** Records {@code holder} under {@code key} (idempotent); forgotten after {@code expiresAt} when not null. */
    void hold(String key, String holder, Instant expiresAt);

    /** Forgets {@code holder} under {@code key}; nothing happens when it was not there. */
    void release(String key, String holder);

    /** Counters in this process's memory: for one-process use (tests, benchmarks). */
    static QuotaCounters inProcess() {
        return new QuotaCounters() {
            private final Map<String, Integer> uses = new ConcurrentHashMap<>();
            private final Map<String, Map<String, Boolean>> held = new ConcurrentHashMap<>();

            @Override
            public boolean take(String key, Instant window, int limit, Instant expiresAt) {
                boolean[] counted = {false};
                uses.compute(key + "#" + window, (k, n) -> {
                    int now = n == null ? 0 : n;
                    if (now >= limit) return now;
                    counted[0] = true;
                    return now + 1;
                });
                return counted[0];
            }

            @Override
            public List<String> holders(String key) {
                return new ArrayList<>(held.getOrDefault(key, Map.of()).keySet());
            }

            @Override
            public void hold(String key, String holder, Instant expiresAt) {
                held.computeIfAbsent(key, k -> new ConcurrentHashMap<>()).put(holder, true);
            }

            @Override
            public void release(String key, String holder) {
                Map<String, Boolean> h = held.get(key);
                if (h != null) h.remove(holder);
            }
        };
    }
}

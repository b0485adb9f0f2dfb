package dev.ferry.infra.kms;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKey;

/**
 * Plain data keys a container has had KMS decrypt, by their encrypted form (and the encryption
 * context it was decrypted under), so a warm container opens an instance's secrets or a monitor's
 * channels with no KMS call.
 * Bounded as the AWS Encryption SDK's caching materials manager is: at most {@code maxEntries} keys
 * (the least recently used goes first) and each for at most {@code maxAge} after KMS answered, then
 * decrypted again.
 */
public final class DataKeyCache {
    /** The age after which a key is asked of KMS again. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(5);
    /** The most keys one container keeps (one per instance or monitor write it has opened values of since). */
    public static final int DEFAULT_MAX_ENTRIES = 1000;

    private record Cached(SecretKey key, Instant until) {}

    private final Clock clock;
    private final Duration maxAge;
    private final Map<String, Cached> entries;
    private long hits;
    private long misses;

    public DataKeyCache(Clock clock, Duration maxAge, int maxEntries) {
        if (maxEntries < 1) throw new IllegalArgumentException("maxEntries must be at least 1");
        this.clock = clock;
        this.maxAge = maxAge;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > maxEntries;
            }
        };
    }

    public DataKeyCache(Clock clock) {
        this(clock, DEFAULT_MAX_AGE, DEFAULT_MAX_ENTRIES);
    }

    /** The plain key cached under {@code id} if it is younger than the maximum age. */
    public synchronized Optional<SecretKey> get(String id) {
        Cached e = entries.get(id);
        if (e != null && clock.instant().isBefore(e.until())) {
            hits++;
            return Optional.of(e.key());
        }
        if (e != null) entries.remove(id);
        misses++;
        return Optional.empty();
    }

    public synchronized void put(String id, SecretKey key) {
        entries.put(id, new Cached(key, clock.instant().plus(maxAge)));
    }

    /** Lookups answered from the cache. */
    public synchronized long hits() {
        return hits;
    }

    /** Lookups that had to go to KMS (absent or too old). */
    public synchronized long misses() {
        return misses;
    }

    public synchronized int size() {
        return entries.size();
    }
}

package dev.ferry.infra.ids;

import dev.ferry.core.port.IdGenerator;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;

/**
 * Ids {@code <prefix>_<ULID>}: 26 Crockford base-32 characters, 48 bits of milliseconds then 80
 * random bits, so ids sort by creation time; within one millisecond (or if the clock steps back)
 * the random part is incremented, so ids from one generator are strictly increasing. Tokens are
 * 32 bytes from {@link SecureRandom}, base64url without padding (43 characters).
 * Needs no AWS: it could live in core.
 */
public final class UlidIdGenerator implements IdGenerator {
    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final Base64.Encoder TOKEN_ENCODING = Base64.getUrlEncoder().withoutPadding();

    private final Clock clock;
    private final SecureRandom random;
    private long lastMillis = -1;
    private long randomHigh; // top 16 of the 80 random bits
    private long randomLow;  // low 64 of the 80 random bits

    public UlidIdGenerator() {
        this(Clock.systemUTC(), new SecureRandom());
    }

    public UlidIdGenerator(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    @Override
    public String newId(String prefix) {
        String ulid = nextUlid();
        return prefix == null || prefix.isEmpty() ? ulid : prefix + "_" + ulid;
    }

    @Override
    public String newToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return TOKEN_ENCODING.encodeToString(bytes);
    }

    /** A bare 26-character ULID. */
    public synchronized String nextUlid() {
        long now = clock.millis();
        if (now > lastMillis) {
            lastMillis = now;
            randomHigh = random.nextInt(1 << 16);
            randomLow = random.nextLong();
        } else if (++randomLow == 0 && ++randomHigh == (1 << 16)) {
            // 2^80 ids in one millisecond: borrow the next millisecond.
            lastMillis++;
            randomHigh = 0;
        }
        return encode(lastMillis, randomHigh, randomLow);
    }

    static String encode(long millis, long high16, long low64) {
        char[] out = new char[26];
        // 48-bit time -> 10 chars (50 bits, top 2 zero)
        for (int i = 9; i >= 0; i--) {
            out[i] = CROCKFORD[(int) (millis & 31)];
            millis >>>= 5;
        }
        // 80 random bits -> 16 chars; walk 5 bits at a time from the low end
        long lo = low64;
        long hi = high16;
        for (int i = 25; i >= 10; i--) {
            out[i] = CROCKFORD[(int) (lo & 31)];
            lo = (lo >>> 5) | ((hi & 31) << 59);
            hi >>>= 5;
        }
        return new String(out);
    }
}

package dev.ferry.core.fakes;

import dev.ferry.core.port.IdGenerator;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Predictable ids for tests: {@code exe_00000000000000000000000001}, {@code exe_…02}, … (26 digits, so
 * they sort like ULIDs) and tokens {@code tok000…0001} (32 characters). Thread-safe.
 */
public final class SequentialIdGenerator implements IdGenerator {
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong tokens = new AtomicLong();

    @Override
    public String newId(String prefix) {
        String n = String.format("%026d", ids.incrementAndGet());
        return prefix == null || prefix.isEmpty() ? n : prefix + "_" + n;
    }

    @Override
    public String newToken() {
        return String.format("tok%029d", tokens.incrementAndGet());
    }
}

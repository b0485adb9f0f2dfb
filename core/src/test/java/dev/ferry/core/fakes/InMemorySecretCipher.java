package dev.ferry.core.fakes;

import dev.ferry.core.error.SecretUnreadableException;
import dev.ferry.core.error.StoreException;
import dev.ferry.core.port.SecretCipher;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cipher for core tests: a sealed value is {@code ferry:fake:<handle>}, the plain value kept in
 * this process under the handle with the instance and variable it was sealed for — so a stored item
 * holds no plain value, a handle altered or moved to another instance or variable cannot be opened,
 * and the tests count data keys (one per {@link #seal} call) and openings.
 */
public final class InMemorySecretCipher implements SecretCipher {
    private record Sealed(String instanceId, String variable, String plain) {}

    private final Map<String, Sealed> sealed = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    /** Data keys made: one per write that sealed something. */
    public final AtomicInteger dataKeys = new AtomicInteger();
    public final AtomicInteger opens = new AtomicInteger();
    /** While true, the key service "cannot answer": every call is a {@link StoreException}. */
    public volatile boolean unavailable;

    @Override
    public Map<String, String> seal(String instanceId, Map<String, String> plainByVariable) {
        if (unavailable) throw new StoreException("the key service did not answer", null);
        dataKeys.incrementAndGet();
        Map<String, String> out = new TreeMap<>();
        plainByVariable.forEach((variable, plain) -> {
            byte[] handle = new byte[12];
            random.nextBytes(handle);
            String h = Base64.getUrlEncoder().withoutPadding().encodeToString(handle);
            sealed.put(h, new Sealed(instanceId, variable, plain));
            out.put(variable, PREFIX + "fake:" + h);
        });
        return out;
    }

    @Override
    public String open(String instanceId, String variable, String value) {
        if (unavailable) throw new StoreException("the key service did not answer", null);
        opens.incrementAndGet();
        String start = PREFIX + "fake:";
        Sealed s = value.startsWith(start) ? sealed.get(value.substring(start.length())) : null;
        if (s == null || !s.instanceId().equals(instanceId) || !s.variable().equals(variable)) {
            throw new SecretUnreadableException("secret config variable '" + variable + "' of instance " + instanceId
                    + " cannot be opened: it was altered or sealed for another instance or variable");
        }
        return s.plain();
    }
}

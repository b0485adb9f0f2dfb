package dev.ferry.core.fakes;

import dev.ferry.core.error.SecretUnreadableException;
import dev.ferry.core.error.StoreException;
import dev.ferry.core.model.SecretOwner;
import dev.ferry.core.port.SecretCipher;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cipher for core tests: a sealed value is {@code ferry:fake:<handle>}, the plain value kept in
 * this process under the handle with the owner (instance or monitor) and name it was sealed for — so
 * a stored item holds no plain value, a handle altered or moved to another owner or name cannot be
 * opened, and the tests count data keys (one per {@link #seal} call) and openings, by owner kind.
 */
public final class InMemorySecretCipher implements SecretCipher {
    private record Sealed(SecretOwner owner, String name, String plain) {}

    private final Map<String, Sealed> sealed = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    /** Data keys made: one per write that sealed something. */
    public final AtomicInteger dataKeys = new AtomicInteger();
    public final AtomicInteger opens = new AtomicInteger();
    /** Data keys made for monitors' channels, and channel values opened (also counted in the totals above). */
    public final AtomicInteger monitorDataKeys = new AtomicInteger();
    public final AtomicInteger monitorOpens = new AtomicInteger();
    /**
     * While set, opening a value of this kind fails as it does for a role without the grant (KMS's
     * AccessDeniedException), and is counted in {@link #deniedOpens}.
     */
    public volatile SecretOwner.Kind denied;
    public final AtomicInteger deniedOpens = new AtomicInteger();
    /** While true, the key service "cannot answer": every call is a {@link StoreException}. */
    public volatile boolean unavailable;

    @Override
    public Map<String, String> seal(SecretOwner owner, Map<String, String> plainByName) {
        if (unavailable) throw new StoreException("the key service did not answer", null);
        dataKeys.incrementAndGet();
        if (owner.kind() == SecretOwner.Kind.MONITOR) monitorDataKeys.incrementAndGet();
        Map<String, String> out = new TreeMap<>();
        plainByName.forEach((name, plain) -> {
            byte[] handle = new byte[12];
            random.nextBytes(handle);
            String h = Base64.getUrlEncoder().withoutPadding().encodeToString(handle);
            sealed.put(h, new Sealed(owner, name, plain));
            out.put(name, PREFIX + "fake:" + h);
        });
        return out;
    }

    @Override
    public String open(SecretOwner owner, String name, String value) {
        if (unavailable) throw new StoreException("the key service did not answer", null);
        if (owner.kind() == denied) {
            deniedOpens.incrementAndGet();
            throw new IllegalStateException("AccessDeniedException: this function may not decrypt data keys of a "
                    + owner.noun());
        }
        opens.incrementAndGet();
        if (owner.kind() == SecretOwner.Kind.MONITOR) monitorOpens.incrementAndGet();
        String start = PREFIX + "fake:";
        Sealed s = value.startsWith(start) ? sealed.get(value.substring(start.length())) : null;
        if (s == null || !s.owner().equals(owner) || !s.name().equals(name)) {
            throw new SecretUnreadableException(owner.describe(name) + " cannot be opened: it was altered or sealed for "
                    + "another " + owner.noun() + " or name; " + owner.remedy());
        }
        return s.plain();
    }
}

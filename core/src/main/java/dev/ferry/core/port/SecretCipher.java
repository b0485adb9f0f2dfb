package dev.ferry.core.port;

import dev.ferry.core.model.SecretOwner;
import java.util.Map;

/**
 * Seals secret values before they are stored and opens them where they are needed: an instance's
 * secret config values, a monitor's alert channel credentials. In AWS it is envelope encryption
 * under the deployment's KMS key: one data key per write, bound to its owner (an instance or a
 * monitor: the KMS encryption context), each value sealed with AES-256-GCM bound to its owner and
 * name, the encrypted data key carried inside the sealed value. A sealed value is self-describing
 * ({@value #PREFIX}{@code <version>:…}), so a value stored in plain text before is told apart and
 * sealed on its owner's next write.
 *
 * <p>{@link #open} throws {@link dev.ferry.core.error.SecretUnreadableException} when the value can
 * never be opened (altered, moved to another owner or name, or of an unknown version) and
 * {@link dev.ferry.core.error.StoreException} when the key service cannot answer now.
 */
public interface SecretCipher {
    /** The start of every sealed value. */
    String PREFIX = "ferry:";

    /**
     * Seals every value of {@code plainByName} (name → plain value) of one owner with one new data
     * key; returns name → sealed value.
     */
    Map<String, String> seal(SecretOwner owner, Map<String, String> plainByName);

    /** The plain value of {@code sealed}, which must have been sealed for this owner and name. */
    String open(SecretOwner owner, String name, String sealed);

    /** Whether a stored value is sealed (any version), rather than plain text stored before values were sealed. */
    static boolean isSealed(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    /**
     * The cipher of a function that holds no key: it reads and writes no secret value, so any call
     * is a wiring mistake and says so.
     */
    SecretCipher UNAVAILABLE = new SecretCipher() {
        @Override
        public Map<String, String> seal(SecretOwner owner, Map<String, String> plainByName) {
            throw missing();
        }

        @Override
        public String open(SecretOwner owner, String name, String sealed) {
            throw missing();
        }

        private IllegalStateException missing() {
            return new IllegalStateException("this function holds no secrets key (FERRY_SECRETS_KEY_ARN): "
                    + "template.yaml gives it to the functions that write or read secret config values or alert channels");
        }
    };
}

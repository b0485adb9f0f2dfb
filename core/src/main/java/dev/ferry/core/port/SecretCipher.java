package dev.ferry.core.port;

import java.util.Map;

/**
 * Seals secret config values before they are stored and opens them where a flow needs them. In
 * AWS it is envelope encryption under the deployment's KMS key: one data key per write of an
 * instance's config, each value sealed with AES-256-GCM bound to its instance and variable, the
 * encrypted data key carried inside the sealed value. A sealed value is self-describing
 * ({@value #PREFIX}{@code <version>:…}), so a value stored in plain text before is told apart and
 * sealed on its instance's next write.
 *
 * <p>{@link #open} throws {@link dev.ferry.core.error.SecretUnreadableException} when the value can
 * never be opened (altered, moved to another instance or variable, or of an unknown version) and
 * {@link dev.ferry.core.error.StoreException} when the key service cannot answer now.
 */
public interface SecretCipher {
    /** The start of every sealed value. */
    String PREFIX = "ferry:";

    /**
     * Seals every value of {@code plainByVariable} (variable name → plain value) of one instance
     * with one new data key; returns variable name → sealed value.
     */
    Map<String, String> seal(String instanceId, Map<String, String> plainByVariable);

    /** The plain value of {@code sealed}, which must have been sealed for this instance and variable. */
    String open(String instanceId, String variable, String sealed);

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
        public Map<String, String> seal(String instanceId, Map<String, String> plainByVariable) {
            throw new IllegalStateException("this function holds no secrets key (FERRY_SECRETS_KEY_ARN): "
                    + "template.yaml gives it to the functions that write or read secret config values");
        }

        @Override
        public String open(String instanceId, String variable, String sealed) {
            throw new IllegalStateException("this function holds no secrets key (FERRY_SECRETS_KEY_ARN): "
                    + "template.yaml gives it to the functions that write or read secret config values");
        }
    };
}

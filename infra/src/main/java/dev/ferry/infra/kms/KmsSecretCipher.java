package dev.ferry.infra.kms;

import dev.ferry.core.error.SecretUnreadableException;
import dev.ferry.core.model.SecretOwner;
import dev.ferry.core.port.SecretCipher;
import dev.ferry.infra.AwsFailures;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;

/**
 * {@link SecretCipher} by envelope encryption under one KMS key. Each {@link #seal} asks KMS for one
 * data key ({@code GenerateDataKey}, AES_256, encryption context {@code ferry:instance → <instance
 * id>} for an instance's config values, {@code ferry:monitor → <monitor id>} for a monitor's
 * channels: a role's policy can allow one context key and not the other) and seals each value
 * locally with AES-256-GCM: a random 96-bit IV, the owner and the value's name as additional
 * authenticated data. A sealed value is {@code ferry:v1:<encrypted data key>:<iv>:<ciphertext and
 * tag>} (base64url), so it carries all it needs to be opened. {@link #open} has KMS decrypt the data
 * key under the same context — once per container and data key for {@link DataKeyCache}'s age — and
 * checks the tag. The plain data key never leaves memory.
 */
public final class KmsSecretCipher implements SecretCipher {
    static final String V1 = PREFIX + "v1:";
    /** The encryption context key that binds a data key to its instance (it shows in CloudTrail). */
    static final String INSTANCE_CONTEXT_KEY = "ferry:instance";
    /** The encryption context key that binds a data key to its monitor. */
    static final String MONITOR_CONTEXT_KEY = "ferry:monitor";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();

    private final KmsClient kms;
    private final String keyId;
    private final DataKeyCache cache;
    private final SecureRandom random = new SecureRandom();

    /** {@code keyId}: the key's ARN (template.yaml's {@code SecretsKey}, as FERRY_SECRETS_KEY_ARN). */
    public KmsSecretCipher(KmsClient kms, String keyId, DataKeyCache cache) {
        this.kms = kms;
        this.keyId = keyId;
        this.cache = cache;
    }

    @Override
    public Map<String, String> seal(SecretOwner owner, Map<String, String> plainByName) {
        Map<String, String> out = new TreeMap<>();
        if (plainByName.isEmpty()) return out;
        GenerateDataKeyResponse dataKey;
        try {
            dataKey = kms.generateDataKey(r -> r.keyId(keyId).keySpec(DataKeySpec.AES_256)
                    .encryptionContext(context(owner)));
        } catch (SdkException e) {
            throw AwsFailures.storeFailure("KMS GenerateDataKey", e);
        }
        byte[] plainKey = dataKey.plaintext().asByteArray();
        try {
            SecretKey key = new SecretKeySpec(plainKey, "AES");
            String encryptedKey = B64.encodeToString(dataKey.ciphertextBlob().asByteArray());
            for (Map.Entry<String, String> e : plainByName.entrySet()) {
                byte[] iv = new byte[IV_BYTES];
                random.nextBytes(iv);
                byte[] sealed = gcm(Cipher.ENCRYPT_MODE, key, iv, aad(owner, e.getKey()),
                        e.getValue().getBytes(StandardCharsets.UTF_8));
                out.put(e.getKey(), V1 + encryptedKey + ":" + B64.encodeToString(iv) + ":" + B64.encodeToString(sealed));
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e.getClass().getSimpleName(), e);
        } finally {
            Arrays.fill(plainKey, (byte) 0);
        }
    }

    @Override
    public String open(SecretOwner owner, String name, String sealed) {
        if (!sealed.startsWith(V1)) {
            throw unreadable(owner, name, "it is sealed in a format this version does not know");
        }
        String[] parts = sealed.substring(V1.length()).split(":", -1);
        byte[] encryptedKey;
        byte[] iv;
        byte[] ciphertext;
        try {
            if (parts.length != 3) throw new IllegalArgumentException("parts");
            encryptedKey = UNB64.decode(parts[0]);
            iv = UNB64.decode(parts[1]);
            ciphertext = UNB64.decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw unreadable(owner, name, "it is not a well-formed sealed value");
        }
        if (iv.length != IV_BYTES || encryptedKey.length == 0) {
            throw unreadable(owner, name, "it is not a well-formed sealed value");
        }
        SecretKey key = dataKey(owner, name, parts[0], encryptedKey);
        try {
            return new String(gcm(Cipher.DECRYPT_MODE, key, iv, aad(owner, name), ciphertext),
                    StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw unreadable(owner, name, "it was altered or sealed for another " + owner.noun() + " or "
                    + (owner.kind() == SecretOwner.Kind.INSTANCE ? "variable" : "value"));
        } catch (GeneralSecurityException e) {
            throw unreadable(owner, name, "it does not decrypt (" + e.getClass().getSimpleName() + ")");
        }
    }

    private SecretKey dataKey(SecretOwner owner, String name, String encryptedKeyText, byte[] encryptedKey) {
        // The context is part of the cache key: a data key opened for one owner is never used for another.
        String cacheKey = contextKey(owner) + "\n" + owner.id() + "\n" + encryptedKeyText;
        return cache.get(cacheKey).orElseGet(() -> {
            DecryptResponse r;
            try {
                r = kms.decrypt(d -> d.keyId(keyId).ciphertextBlob(SdkBytes.fromByteArray(encryptedKey))
                        .encryptionContext(context(owner)));
            } catch (InvalidCiphertextException | IncorrectKeyException e) {
                throw unreadable(owner, name,
                        "KMS refused its data key (altered, or sealed for another " + owner.noun() + " or key)");
            } catch (SdkException e) {
                throw AwsFailures.storeFailure("KMS Decrypt", e);
            }
            byte[] plain = r.plaintext().asByteArray();
            SecretKey key = new SecretKeySpec(plain, "AES");
            Arrays.fill(plain, (byte) 0);
            cache.put(cacheKey, key);
            return key;
        });
    }

    private static String contextKey(SecretOwner owner) {
        return owner.kind() == SecretOwner.Kind.INSTANCE ? INSTANCE_CONTEXT_KEY : MONITOR_CONTEXT_KEY;
    }

    /** The encryption context of the owner's data keys: its kind's key alone, so no other role's grant covers it. */
    private static Map<String, String> context(SecretOwner owner) {
        return Map.of(contextKey(owner), owner.id());
    }

    /** An instance's values keep the data bound since values were first sealed; a monitor's name their kind too. */
    private static byte[] aad(SecretOwner owner, String name) {
        String bound = owner.kind() == SecretOwner.Kind.INSTANCE ? owner.id() : "monitor\n" + owner.id();
        return ("ferry:v1\n" + bound + "\n" + name).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gcm(int mode, SecretKey key, byte[] iv, byte[] aad, byte[] input) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
        c.updateAAD(aad);
        return c.doFinal(input);
    }

    private static SecretUnreadableException unreadable(SecretOwner owner, String name, String why) {
        return new SecretUnreadableException(owner.describe(name) + " cannot be opened: " + why + "; " + owner.remedy());
    }
}

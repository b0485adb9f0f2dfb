package dev.ferry.infra.kms;

import dev.ferry.core.error.SecretUnreadableException;
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
 * id>}) and seals each value locally with AES-256-GCM: a random 96-bit IV, the instance id and the
 * variable name as additional authenticated data. A sealed value is
 * {@code ferry:v1:<encrypted data key>:<iv>:<ciphertext and tag>} (base64url), so it carries all it
 * needs to be opened. {@link #open} has KMS decrypt the data key under the same context — once per
 * container and data key for {@link DataKeyCache}'s age — and checks the tag. The plain data key
 * never leaves memory.
 */
public final class KmsSecretCipher implements SecretCipher {
    static final String V1 = PREFIX + "v1:";
    /** The encryption context key that binds a data key to its instance (it shows in CloudTrail). */
    static final String CONTEXT_KEY = "ferry:instance";
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
    public Map<String, String> seal(String instanceId, Map<String, String> plainByVariable) {
        Map<String, String> out = new TreeMap<>();
        if (plainByVariable.isEmpty()) return out;
        GenerateDataKeyResponse dataKey;
        try {
            dataKey = kms.generateDataKey(r -> r.keyId(keyId).keySpec(DataKeySpec.AES_256)
                    .encryptionContext(Map.of(CONTEXT_KEY, instanceId)));
        } catch (SdkException e) {
            throw AwsFailures.storeFailure("KMS GenerateDataKey", e);
        }
        byte[] plainKey = dataKey.plaintext().asByteArray();
        try {
            SecretKey key = new SecretKeySpec(plainKey, "AES");
            String encryptedKey = B64.encodeToString(dataKey.ciphertextBlob().asByteArray());
            for (Map.Entry<String, String> e : plainByVariable.entrySet()) {
                byte[] iv = new byte[IV_BYTES];
                random.nextBytes(iv);
                byte[] sealed = gcm(Cipher.ENCRYPT_MODE, key, iv, aad(instanceId, e.getKey()),
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
    public String open(String instanceId, String variable, String sealed) {
        if (!sealed.startsWith(V1)) {
            throw unreadable(instanceId, variable, "it is sealed in a format this version does not know");
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
            throw unreadable(instanceId, variable, "it is not a well-formed sealed value");
        }
        if (iv.length != IV_BYTES || encryptedKey.length == 0) {
            throw unreadable(instanceId, variable, "it is not a well-formed sealed value");
        }
        SecretKey key = dataKey(instanceId, variable, parts[0], encryptedKey);
        try {
            return new String(gcm(Cipher.DECRYPT_MODE, key, iv, aad(instanceId, variable), ciphertext),
                    StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw unreadable(instanceId, variable, "it was altered or sealed for another instance or variable");
        } catch (GeneralSecurityException e) {
            throw unreadable(instanceId, variable, "it does not decrypt (" + e.getClass().getSimpleName() + ")");
        }
    }

    private SecretKey dataKey(String instanceId, String variable, String encryptedKeyText, byte[] encryptedKey) {
        String cacheKey = instanceId + "\n" + encryptedKeyText;
        return cache.get(cacheKey).orElseGet(() -> {
            DecryptResponse r;
            try {
                r = kms.decrypt(d -> d.keyId(keyId).ciphertextBlob(SdkBytes.fromByteArray(encryptedKey))
                        .encryptionContext(Map.of(CONTEXT_KEY, instanceId)));
            } catch (InvalidCiphertextException | IncorrectKeyException e) {
                throw unreadable(instanceId, variable,
                        "KMS refused its data key (altered, or sealed for another instance or key)");
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

    private static byte[] aad(String instanceId, String variable) {
        return ("ferry:v1\n" + instanceId + "\n" + variable).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gcm(int mode, SecretKey key, byte[] iv, byte[] aad, byte[] input) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
        c.updateAAD(aad);
        return c.doFinal(input);
    }

    private static SecretUnreadableException unreadable(String instanceId, String variable, String why) {
        return new SecretUnreadableException("secret config variable '" + variable + "' of instance " + instanceId
                + " cannot be opened: " + why + "; set it again (PATCH the instance) to seal it anew");
    }
}

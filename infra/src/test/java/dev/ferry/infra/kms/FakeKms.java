package dev.ferry.infra.kms;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DecryptRequest;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyRequest;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;

/**
 * KMS in this process, for tests without the network: a data key is wrapped with AES-GCM under a
 * master key with the encryption context as authenticated data, so a wrapped key altered or
 * presented under another context is refused as KMS refuses it (InvalidCiphertextException). Counts
 * the calls of each kind and records the encryption context of each, as CloudTrail shows it.
 */
final class FakeKms implements KmsClient {
    final AtomicInteger generateDataKeyCalls = new AtomicInteger();
    final AtomicInteger decryptCalls = new AtomicInteger();
    /** "GenerateDataKey {ferry:instance=ins_1}", one per call, in order. */
    final List<String> calls = new CopyOnWriteArrayList<>();
    /** While true every call fails as an unreachable endpoint does. */
    volatile boolean unreachable;
    private final SecretKey master;
    private final SecureRandom random = new SecureRandom();

    FakeKms() {
        try {
            KeyGenerator g = KeyGenerator.getInstance("AES");
            g.init(256);
            master = g.generateKey();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public GenerateDataKeyResponse generateDataKey(GenerateDataKeyRequest request) {
        if (unreachable) throw SdkClientException.create("Unable to execute HTTP request: connection refused");
        generateDataKeyCalls.incrementAndGet();
        calls.add("GenerateDataKey " + new TreeMap<>(request.encryptionContext()));
        byte[] plain = new byte[32];
        random.nextBytes(plain);
        byte[] iv = new byte[12];
        random.nextBytes(iv);
        byte[] wrapped = gcm(Cipher.ENCRYPT_MODE, iv, context(request.encryptionContext()), plain);
        byte[] blob = ByteBuffer.allocate(12 + wrapped.length).put(iv).put(wrapped).array();
        return GenerateDataKeyResponse.builder().keyId(request.keyId()).plaintext(SdkBytes.fromByteArray(plain))
                .ciphertextBlob(SdkBytes.fromByteArray(blob)).build();
    }

    @Override
    public DecryptResponse decrypt(DecryptRequest request) {
        if (unreachable) throw SdkClientException.create("Unable to execute HTTP request: connection refused");
        decryptCalls.incrementAndGet();
        calls.add("Decrypt " + new TreeMap<>(request.encryptionContext()));
        byte[] blob = request.ciphertextBlob().asByteArray();
        if (blob.length < 13) throw InvalidCiphertextException.builder().message("invalid ciphertext").build();
        byte[] iv = java.util.Arrays.copyOf(blob, 12);
        byte[] wrapped = java.util.Arrays.copyOfRange(blob, 12, blob.length);
        byte[] plain;
        try {
            plain = gcm(Cipher.DECRYPT_MODE, iv, context(request.encryptionContext()), wrapped);
        } catch (IllegalStateException e) {
            throw InvalidCiphertextException.builder().message("invalid ciphertext").build();
        }
        return DecryptResponse.builder().keyId(request.keyId()).plaintext(SdkBytes.fromByteArray(plain)).build();
    }

    private static byte[] context(Map<String, String> c) {
        return new TreeMap<>(c).toString().getBytes(StandardCharsets.UTF_8);
    }

    private byte[] gcm(int mode, byte[] iv, byte[] aad, byte[] input) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(mode, master, new GCMParameterSpec(128, iv));
            c.updateAAD(aad);
            return c.doFinal(input);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String serviceName() {
        return "kms";
    }

    @Override
    public void close() {}
}

package dev.ferry.infra.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.error.SecretUnreadableException;
import dev.ferry.core.error.StoreException;
import dev.ferry.core.fakes.MutableClock;
import dev.ferry.core.model.SecretOwner;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Envelope encryption without the network (KMS faked in this process): one data key per write, values
 * sealed bound to their owner (an instance or a monitor, each under its own encryption context key)
 * and name, a data key decrypted once per container and five minutes, and every way a sealed value
 * can be wrong failing closed with a message that names the value and carries neither the value nor
 * the sealed text.
 */
class KmsSecretCipherTest {
    static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/test";
    final FakeKms kms = new FakeKms();
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
    final DataKeyCache cache = new DataKeyCache(clock);
    final KmsSecretCipher cipher = new KmsSecretCipher(kms, KEY, cache);

    @Test
    void oneWriteTakesOneDataKeyForAllItsValues() {
        Map<String, String> sealed = cipher.seal(SecretOwner.instance("ins_1"), Map.of("apiKey", "sk_live_1", "token", "tok_2"));

        assertThat(kms.generateDataKeyCalls.get()).isEqualTo(1);
        assertThat(sealed.get("apiKey")).startsWith("ferry:v1:").doesNotContain("sk_live_1");
        assertThat(sealed.get("token")).startsWith("ferry:v1:").doesNotContain("tok_2");
        String[] a = sealed.get("apiKey").split(":");
        String[] b = sealed.get("token").split(":");
        assertThat(a[2]).as("the same encrypted data key beside both").isEqualTo(b[2]);
        assertThat(a[3]).as("a random IV each").isNotEqualTo(b[3]);
        assertThat(cipher.seal(SecretOwner.instance("ins_1"), Map.of())).isEmpty();
        assertThat(kms.generateDataKeyCalls.get()).as("nothing to seal, no data key").isEqualTo(1);
    }

    @Test
    void aWarmContainerOpensWithNoKmsCallUntilTheKeyIsFiveMinutesOld() {
        Map<String, String> sealed = cipher.seal(SecretOwner.instance("ins_1"), Map.of("apiKey", "sk_live_1", "token", "tok_2"));

        for (int i = 0; i < 100; i++) {
            assertThat(cipher.open(SecretOwner.instance("ins_1"), "apiKey", sealed.get("apiKey"))).isEqualTo("sk_live_1");
            assertThat(cipher.open(SecretOwner.instance("ins_1"), "token", sealed.get("token"))).isEqualTo("tok_2");
        }
        assertThat(kms.decryptCalls.get()).as("200 openings, one Decrypt").isEqualTo(1);
        assertThat(cache.hits()).isEqualTo(199);

        clock.advance(Duration.ofMinutes(5).minusSeconds(1));
        cipher.open(SecretOwner.instance("ins_1"), "apiKey", sealed.get("apiKey"));
        assertThat(kms.decryptCalls.get()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(cipher.open(SecretOwner.instance("ins_1"), "apiKey", sealed.get("apiKey"))).isEqualTo("sk_live_1");
        assertThat(kms.decryptCalls.get()).as("five minutes on, KMS is asked again").isEqualTo(2);
    }

    @Test
    void anAlteredValueFailsClosedNamingTheVariableNotTheSealedText() {
        String sealed = cipher.seal(SecretOwner.instance("ins_1"), Map.of("apiKey", "sk_live_1")).get("apiKey");
        String altered = sealed.substring(0, sealed.length() - 3) + (sealed.endsWith("A") ? "BBB" : "AAA");

        assertThatThrownBy(() -> cipher.open(SecretOwner.instance("ins_1"), "apiKey", altered))
                .isInstanceOf(SecretUnreadableException.class)
                .hasMessageContaining("'apiKey'").hasMessageContaining("ins_1").hasMessageContaining("altered")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(altered).doesNotContain("sk_live_1"));
    }

    @Test
    void aValueMovedToAnotherVariableOrInstanceCannotBeOpened() {
        String sealed = cipher.seal(SecretOwner.instance("ins_1"), Map.of("apiKey", "sk_live_1")).get("apiKey");

        assertThatThrownBy(() -> cipher.open(SecretOwner.instance("ins_1"), "token", sealed)).isInstanceOf(SecretUnreadableException.class)
                .hasMessageContaining("'token'");
        assertThatThrownBy(() -> cipher.open(SecretOwner.instance("ins_2"), "apiKey", sealed)).isInstanceOf(SecretUnreadableException.class)
                .hasMessageContaining("KMS refused");
    }

    @Test
    void anAlteredDataKeyIsRefusedByKms() {
        String sealed = cipher.seal(SecretOwner.instance("ins_1"), Map.of("apiKey", "sk_live_1")).get("apiKey");
        String[] parts = sealed.split(":");
        parts[2] = "AAAA" + parts[2].substring(4);

        assertThatThrownBy(() -> cipher.open(SecretOwner.instance("ins_1"), "apiKey", String.join(":", parts)))
                .isInstanceOf(SecretUnreadableException.class).hasMessageContaining("KMS refused");
    }

    @Test
    void anUnknownVersionOrAMalformedValueIsUnreadable() {
        assertThatThrownBy(() -> cipher.open(SecretOwner.instance("ins_1"), "apiKey", "ferry:v9:abc"))
                .isInstanceOf(SecretUnreadableException.class).hasMessageContaining("format");
        assertThatThrownBy(() -> cipher.open(SecretOwner.instance("ins_1"), "apiKey", "ferry:v1:only-one-part"))
                .isInstanceOf(SecretUnreadableException.class).hasMessageContaining("well-formed");
        assertThatThrownBy(() -> cipher.open(SecretOwner.instance("ins_1"), "apiKey", "ferry:v1:a:b:c"))
                .isInstanceOf(SecretUnreadableException.class);
        assertThat(kms.decryptCalls.get()).isZero();
    }

    @Test
    void kmsThatCannotBeReachedIsAStoreFailureToTryAgain() {
        String sealed = cipher.seal(SecretOwner.instance("ins_1"), Map.of("apiKey", "sk_live_1")).get("apiKey");
        kms.unreachable = true;

        assertThatThrownBy(() -> cipher.open(SecretOwner.instance("ins_1"), "apiKey", sealed)).isInstanceOf(StoreException.class)
                .hasMessageContaining("KMS Decrypt");
        assertThatThrownBy(() -> cipher.seal(SecretOwner.instance("ins_1"), Map.of("apiKey", "x"))).isInstanceOf(StoreException.class)
                .hasMessageContaining("KMS GenerateDataKey");
    }

    @Test
    void eachOwnerKindHasItsOwnEncryptionContextKeySoARoleCanBeGrantedOneAlone() {
        cipher.seal(SecretOwner.instance("ins_1"), Map.of("apiKey", "sk_live_1"));
        Map<String, String> channel = cipher.seal(SecretOwner.monitor("mon_1"),
                Map.of("channels[0].url", "https://hooks.example.test/T0/SECRET", "channels[0].headers.Authorization", "Bearer t"));

        assertThat(cipher.open(SecretOwner.monitor("mon_1"), "channels[0].url", channel.get("channels[0].url")))
                .isEqualTo("https://hooks.example.test/T0/SECRET");
        assertThat(kms.calls).containsExactly("GenerateDataKey {ferry:instance=ins_1}",
                "GenerateDataKey {ferry:monitor=mon_1}", "Decrypt {ferry:monitor=mon_1}");
        assertThat(channel.values()).allSatisfy(v -> assertThat(v).startsWith("ferry:v1:").doesNotContain("SECRET"));
    }

    @Test
    void aMonitorsValueDoesNotOpenAsAnInstancesOfTheSameIdNorFromTheCacheOfTheOtherKind() {
        String sealed = cipher.seal(SecretOwner.monitor("x_1"), Map.of("apiKey", "v")).get("apiKey");
        assertThat(cipher.open(SecretOwner.monitor("x_1"), "apiKey", sealed)).isEqualTo("v");

        assertThatThrownBy(() -> cipher.open(SecretOwner.instance("x_1"), "apiKey", sealed))
                .isInstanceOf(SecretUnreadableException.class).hasMessageContaining("KMS refused");
        assertThat(kms.calls).as("the monitor's cached key is not used for an instance: KMS is asked, and refuses")
                .containsExactly("GenerateDataKey {ferry:monitor=x_1}", "Decrypt {ferry:monitor=x_1}", "Decrypt {ferry:instance=x_1}");
    }

    @Test
    void aMonitorsValueMovedToAnotherPlaceOrAlteredFailsNamingItAndHowToSealItAnew() {
        Map<String, String> sealed = cipher.seal(SecretOwner.monitor("mon_1"),
                Map.of("channels[0].url", "https://a.example.test/K1", "channels[1].url", "https://b.example.test/K2"));

        assertThatThrownBy(() -> cipher.open(SecretOwner.monitor("mon_1"), "channels[1].url", sealed.get("channels[0].url")))
                .isInstanceOf(SecretUnreadableException.class)
                .hasMessage("channel value 'channels[1].url' of monitor mon_1 cannot be opened: it was altered or sealed "
                        + "for another monitor or value; set the monitor's channels again (PATCH the monitor) to seal them anew");
        assertThatThrownBy(() -> cipher.open(SecretOwner.monitor("mon_2"), "channels[0].url", sealed.get("channels[0].url")))
                .isInstanceOf(SecretUnreadableException.class).hasMessageContaining("KMS refused")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("K1").doesNotContain(sealed.get("channels[0].url")));
    }
}

package dev.ferry.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.api.Auth;
import dev.ferry.core.error.ConflictException;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.model.ApiKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The rules every {@link ApiKeyStore} keeps. Each test starts with an empty store. */
public abstract class ApiKeyStoreContract {
    protected static final Instant T0 = Instant.parse("2025-06-01T08:00:00Z");
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    protected abstract ApiKeyStore store();

    private ApiKey key(int n, String customerId) {
        return new ApiKey(String.format("key_%s_%03d", run, n), "key " + n, customerId,
                Auth.sha256Hex("fry_secret_" + run + "_" + n), T0.plus(Duration.ofMinutes(n)));
    }

    @Test
    void createdKeyReadsBackByHashAndById() {
        ApiKey k = new ApiKey("key_" + run, "CI deploys", "cus_" + run, Auth.sha256Hex("fry_x_" + run),
                T0.plusNanos(123_456_789));

        store().create(k);

        assertThat(store().byHash(k.keyHash())).contains(k);
        assertThat(store().get(k.id())).contains(k);
    }

    @Test
    void adminKeyHasNoCustomer() {
        ApiKey k = key(1, null);
        store().create(k);
        assertThat(store().byHash(k.keyHash())).hasValueSatisfying(found -> assertThat(found.admin()).isTrue());
    }

    @Test
    void unknownHashAndIdAreEmpty() {
        assertThat(store().byHash(Auth.sha256Hex("nobody " + run))).isEmpty();
        assertThat(store().get("key_nobody_" + run)).isEmpty();
    }

    @Test
    void deletedKeyIsFoundNeitherByHashNorById() {
        ApiKey k = key(1, "cus_a");
        store().create(k);

        assertThat(store().delete(k.id())).contains(k);

        assertThat(store().byHash(k.keyHash())).isEmpty();
        assertThat(store().get(k.id())).isEmpty();
        assertThat(store().list(null, 100, null).items()).isEmpty();
        assertThat(store().list("cus_a", 100, null).items()).isEmpty();
    }

    @Test
    void deletingAnUnknownKeyIsEmptyAndChangesNothing() {
        ApiKey k = key(1, null);
        store().create(k);
        assertThat(store().delete("key_nobody_" + run)).isEmpty();
        assertThat(store().byHash(k.keyHash())).contains(k);
    }

    @Test
    void creatingAnExistingIdConflictsAndKeepsTheFirst() {
        ApiKey k = key(1, null);
        store().create(k);

        assertThatThrownBy(() -> store().create(new ApiKey(k.id(), "other", "cus_b", Auth.sha256Hex("other " + run), T0)))
                .isInstanceOf(ConflictException.class);
        assertThat(store().get(k.id())).contains(k);
        assertThat(store().byHash(Auth.sha256Hex("other " + run))).isEmpty();
    }

    @Test
    void creatingAnExistingHashConflicts() {
        ApiKey k = key(1, null);
        store().create(k);

        assertThatThrownBy(() -> store().create(new ApiKey("key_other_" + run, "other", null, k.keyHash(), T0)))
                .isInstanceOf(ConflictException.class);
        assertThat(store().get("key_other_" + run)).isEmpty();
        assertThat(store().byHash(k.keyHash())).contains(k);
    }

    @Test
    void listOfACustomerHasOnlyItsKeysOldestFirst() {
        ApiKey a1 = key(3, "cus_a");
        ApiKey b1 = key(1, "cus_b");
        ApiKey admin = key(2, null);
        ApiKey a2 = key(4, "cus_a");
        for (ApiKey k : List.of(a1, b1, admin, a2)) store().create(k);

        assertThat(store().list("cus_a", 100, null).items()).containsExactly(a1, a2);
        assertThat(store().list("cus_b", 100, null).items()).containsExactly(b1);
        assertThat(store().list(null, 100, null).items()).containsExactly(b1, admin, a1, a2);
    }

    @Test
    void listIsOldestFirstAcrossPages() {
        List<ApiKey> created = new ArrayList<>();
        for (int n : new int[] {5, 1, 7, 3, 2, 6, 4}) {
            ApiKey k = key(n, "cus_a");
            store().create(k);
            created.add(k);
        }
        created.sort((x, y) -> x.createdAt().compareTo(y.createdAt()));

        for (String customer : new String[] {null, "cus_a"}) {
            Pages.Walked<ApiKey> walked = Pages.walk(cursor -> store().list(customer, 3, cursor));
            assertThat(walked.items()).containsExactlyElementsOf(created);
            assertThat(walked.pages()).isEqualTo(3);
        }
    }

    @Test
    void cursorThatIsNotOursIsRejected() {
        assertThatThrownBy(() -> store().list(null, 10, "garbage!")).isInstanceOf(ValidationException.class);
    }
}

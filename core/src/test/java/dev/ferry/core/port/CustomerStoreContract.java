package dev.ferry.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.error.ConflictException;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.model.Customer;
import dev.ferry.core.model.Page;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The rules every {@link CustomerStore} keeps. Each test starts with an empty store. */
public abstract class CustomerStoreContract {
    protected static final Instant T0 = Instant.parse("2025-06-01T08:00:00Z");
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    protected abstract CustomerStore store();

    private Customer customer(int n) {
        return new Customer(String.format("cus_%s_%03d", run, n), "Customer " + n, "ext-" + n,
                T0.plus(Duration.ofMinutes(n)));
    }

    @Test
    void createdCustomerReadsBack() {
        Customer c = new Customer("cus_" + run, "Acme GmbH", "crm-42", T0.plusNanos(123_456_789));

        store().create(c);

        assertThat(store().get(c.id())).contains(c);
    }

    @Test
    void customerWithoutExternalIdReadsBack() {
        Customer c = new Customer("cus_" + run, "Acme", null, T0);
        store().create(c);
        assertThat(store().get(c.id())).contains(c);
    }

    @Test
    void unknownCustomerIsEmpty() {
        assertThat(store().get("cus_nobody_" + run)).isEmpty();
    }

    @Test
    void creatingAnExistingIdConflictsAndKeepsTheFirst() {
        Customer c = customer(1);
        store().create(c);

        assertThatThrownBy(() -> store().create(new Customer(c.id(), "Other", null, T0)))
                .isInstanceOf(ConflictException.class);
        assertThat(store().get(c.id())).contains(c);
    }

    @Test
    void listIsOldestFirstAcrossPages() {
        List<Customer> created = new ArrayList<>();
        for (int n : new int[] {5, 1, 7, 3, 2, 6, 4}) {
            Customer c = customer(n);
            store().create(c);
            created.add(c);
        }
        created.sort((a, b) -> a.createdAt().compareTo(b.createdAt()));

        Pages.Walked<Customer> walked = Pages.walk(cursor -> store().list(3, cursor));

        assertThat(walked.items()).containsExactlyElementsOf(created);
        assertThat(walked.pages()).isEqualTo(3);
    }

    @Test
    void pageOfExactlyTheLimitHasNoCursor() {
        store().create(customer(1));
        store().create(customer(2));

        Page<Customer> page = store().list(2, null);

        assertThat(page.items()).hasSize(2);
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void emptyListHasNoCursor() {
        assertThat(store().list(10, null)).isEqualTo(Page.empty());
    }

    @Test
    void cursorThatIsNotOursIsRejected() {
        assertThatThrownBy(() -> store().list(10, "garbage!")).isInstanceOf(ValidationException.class);
    }
}

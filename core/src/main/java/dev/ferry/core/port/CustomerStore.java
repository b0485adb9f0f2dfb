package dev.ferry.core.port;

import dev.ferry.core.model.Customer;
import dev.ferry.core.model.Page;
import java.util.Optional;

public interface CustomerStore {
    /** Stores a new customer; {@link dev.ferry.core.error.ConflictException} if the id exists. */
    void create(Customer customer);

    Optional<Customer> get(String id);

    /** Oldest first. */
    Page<Customer> list(int limit, String cursor);
}

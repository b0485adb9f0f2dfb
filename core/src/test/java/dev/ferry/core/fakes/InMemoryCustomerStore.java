package dev.ferry.core.fakes;

import dev.ferry.core.error.ConflictException;
import dev.ferry.core.model.Customer;
import dev.ferry.core.model.Page;
import dev.ferry.core.port.CustomerStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** Customers in memory, listed oldest first (createdAt, then id). Thread-safe. */
public final class InMemoryCustomerStore implements CustomerStore {
    private final ConcurrentSkipListMap<String, Customer> bySortKey = new ConcurrentSkipListMap<>();
    private final Map<String, String> sortKeyById = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public synchronized void create(Customer customer) {
        if (sortKeyById.containsKey(customer.id())) {
            throw new ConflictException("customer '" + customer.id() + "' already exists");
        }
        String key = Sorting.ascendingKey(customer.createdAt(), customer.id());
        sortKeyById.put(customer.id(), key);
        bySortKey.put(key, customer);
    }

    @Override
    public Optional<Customer> get(String id) {
        String key = sortKeyById.get(id);
        return key == null ? Optional.empty() : Optional.ofNullable(bySortKey.get(key));
    }

    @Override
    public Page<Customer> list(int limit, String cursor) {
        return Sorting.page(bySortKey, limit, cursor);
    }
}

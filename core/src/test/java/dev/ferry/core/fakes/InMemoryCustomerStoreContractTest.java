package dev.ferry.core.fakes;

import dev.ferry.core.port.CustomerStore;
import dev.ferry.core.port.CustomerStoreContract;

class InMemoryCustomerStoreContractTest extends CustomerStoreContract {
    private final CustomerStore store = new InMemoryCustomerStore();

    @Override
    protected CustomerStore store() {
        return store;
    }
}

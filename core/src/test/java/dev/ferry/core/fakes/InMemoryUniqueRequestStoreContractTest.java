package dev.ferry.core.fakes;

import dev.ferry.core.port.UniqueRequestStore;
import dev.ferry.core.port.UniqueRequestStoreContract;

class InMemoryUniqueRequestStoreContractTest extends UniqueRequestStoreContract {
    private final UniqueRequestStore store = new InMemoryUniqueRequestStore();

    @Override
    protected UniqueRequestStore store() {
        return store;
    }
}

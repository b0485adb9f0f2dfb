package dev.ferry.core.fakes;

import dev.ferry.core.port.LogStore;
import dev.ferry.core.port.LogStoreContract;

class InMemoryLogStoreContractTest extends LogStoreContract {
    private final LogStore store = new InMemoryLogStore();

    @Override
    protected LogStore store() {
        return store;
    }
}

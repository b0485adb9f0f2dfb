package dev.ferry.core.fakes;

import dev.ferry.core.port.InstanceStore;
import dev.ferry.core.port.InstanceStoreContract;

class InMemoryInstanceStoreContractTest extends InstanceStoreContract {
    private final InstanceStore store = new InMemoryInstanceStore();

    @Override
    protected InstanceStore store() {
        return store;
    }
}

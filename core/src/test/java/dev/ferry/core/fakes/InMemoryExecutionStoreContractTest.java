package dev.ferry.core.fakes;

import dev.ferry.core.port.ExecutionStore;
import dev.ferry.core.port.ExecutionStoreContract;

class InMemoryExecutionStoreContractTest extends ExecutionStoreContract {
    private final ExecutionStore store = new InMemoryExecutionStore(clock);

    @Override
    protected ExecutionStore store() {
        return store;
    }
}

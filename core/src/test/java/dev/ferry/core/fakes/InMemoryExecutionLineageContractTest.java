package dev.ferry.core.fakes;

import dev.ferry.core.port.ExecutionLineageContract;
import dev.ferry.core.port.ExecutionStore;

class InMemoryExecutionLineageContractTest extends ExecutionLineageContract {
    private final ExecutionStore store = new InMemoryExecutionStore(clock);

    @Override
    protected ExecutionStore store() {
        return store;
    }
}

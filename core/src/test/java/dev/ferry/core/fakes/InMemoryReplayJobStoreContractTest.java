package dev.ferry.core.fakes;

import dev.ferry.core.port.ReplayJobStore;
import dev.ferry.core.port.ReplayJobStoreContract;

class InMemoryReplayJobStoreContractTest extends ReplayJobStoreContract {
    private final ReplayJobStore store = new InMemoryReplayJobStore(clock);

    @Override
    protected ReplayJobStore store() {
        return store;
    }
}

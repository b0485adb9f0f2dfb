package dev.ferry.core.fakes;

import dev.ferry.core.port.MonitorStore;
import dev.ferry.core.port.MonitorStoreContract;

class InMemoryMonitorStoreContractTest extends MonitorStoreContract {
    private final InMemoryMonitorStore store = new InMemoryMonitorStore();

    @Override
    protected MonitorStore store() {
        return store;
    }
}

package dev.ferry.core.fakes;

import dev.ferry.core.port.IntegrationStore;
import dev.ferry.core.port.IntegrationStoreContract;

class InMemoryIntegrationStoreContractTest extends IntegrationStoreContract {
    private final IntegrationStore store = new InMemoryIntegrationStore();

    @Override
    protected IntegrationStore store() {
        return store;
    }
}

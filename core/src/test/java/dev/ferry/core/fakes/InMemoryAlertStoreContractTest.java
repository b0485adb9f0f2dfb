package dev.ferry.core.fakes;

import dev.ferry.core.port.AlertStore;
import dev.ferry.core.port.AlertStoreContract;

class InMemoryAlertStoreContractTest extends AlertStoreContract {
    private final InMemoryAlertStore store = new InMemoryAlertStore(clock);

    @Override
    protected AlertStore store() {
        return store;
    }
}

package dev.ferry.core.fakes;

import dev.ferry.core.port.ApiKeyStore;
import dev.ferry.core.port.ApiKeyStoreContract;

class InMemoryApiKeyStoreContractTest extends ApiKeyStoreContract {
    private final ApiKeyStore store = new InMemoryApiKeyStore();

    @Override
    protected ApiKeyStore store() {
        return store;
    }
}

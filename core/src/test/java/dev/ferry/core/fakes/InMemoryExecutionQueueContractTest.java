package dev.ferry.core.fakes;

import dev.ferry.core.port.ExecutionQueue;
import dev.ferry.core.port.ExecutionQueueContract;
import java.util.List;

class InMemoryExecutionQueueContractTest extends ExecutionQueueContract {
    private final InMemoryExecutionQueue queue = new InMemoryExecutionQueue();

    @Override
    protected ExecutionQueue queue() {
        return queue;
    }

    @Override
    protected List<String> receiveAll() {
        return queue.drain();
    }

    @Override
    protected List<String> receiveAllReleases() {
        return queue.drainReleases();
    }

    @Override
    protected List<String> receiveAllDeletions() {
        return queue.drainDeletions();
    }
}

package dev.ferry.core.fakes;

import dev.ferry.core.message.RetryMessage;
import dev.ferry.core.port.RetryQueue;
import dev.ferry.core.port.RetryQueueContract;
import java.time.Instant;
import java.util.List;

class InMemoryRetryQueueContractTest extends RetryQueueContract {
    private final InMemoryRetryQueue queue = new InMemoryRetryQueue(new MutableClock(Instant.parse("2026-11-26T10:00:00Z")));

    @Override
    protected RetryQueue queue() {
        return queue;
    }

    @Override
    protected List<RetryMessage> receiveAll() {
        return queue.receive();
    }
}

package dev.ferry.core.fakes;

import dev.ferry.core.message.MonitorMessage;
import dev.ferry.core.port.MonitorEventQueue;
import dev.ferry.core.port.MonitorEventQueueContract;
import java.util.List;

class InMemoryMonitorEventQueueContractTest extends MonitorEventQueueContract {
    private final InMemoryMonitorEventQueue queue = new InMemoryMonitorEventQueue(new MutableClock(T0));

    @Override
    protected MonitorEventQueue queue() {
        return queue;
    }

    @Override
    protected List<MonitorMessage> receiveAll() {
        return queue.drainDue();
    }
}

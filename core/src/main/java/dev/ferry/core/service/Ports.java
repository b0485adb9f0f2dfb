package dev.ferry.core.service;

import dev.ferry.core.engine.HttpCaller;
import dev.ferry.core.engine.Sleeper;
import dev.ferry.core.port.CustomerStore;
import dev.ferry.core.port.ExecutionQueue;
import dev.ferry.core.port.ExecutionStore;
import dev.ferry.core.port.IdGenerator;
import dev.ferry.core.port.InstanceStore;
import dev.ferry.core.port.IntegrationStore;
import dev.ferry.core.port.LogStore;
import dev.ferry.core.port.AlertStore;
import dev.ferry.core.port.MonitorEventQueue;
import dev.ferry.core.port.MonitorStore;
import java.time.Clock;

/** Everything the core needs from outside: stores, queues, time, ids and the network. */
public record Ports(
        CustomerStore customers,
        IntegrationStore integrations,
        InstanceStore instances,
        ExecutionStore executions,
        LogStore logs,
        ExecutionQueue queue,
        IdGenerator ids,
        Clock clock,
        HttpCaller http,
        Sleeper sleeper,
        MonitorStore monitors,
        AlertStore alerts,
        MonitorEventQueue monitorEvents) {}

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
import dev.ferry.core.port.Schedules;
import dev.ferry.core.port.ReplayJobQueue;
import dev.ferry.core.port.ReplayJobStore;
import dev.ferry.core.port.RetryQueue;
import dev.ferry.core.port.UniqueRequestStore;
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
        Schedules schedules,
        RetryQueue retries,
        UniqueRequestStore uniqueRequests,
        ReplayJobStore replayJobs,
        ReplayJobQueue replayJobQueue,
        MonitorStore monitors,
        AlertStore alerts,
        MonitorEventQueue monitorEvents) {

    /** The same ports with another execution store (tests and benchmarks swap one port at a time). */
    public Ports withExecutions(ExecutionStore e) {
        return new Ports(customers, integrations, instances, e, logs, queue, ids, clock, http, sleeper, schedules, retries,
                uniqueRequests, replayJobs, replayJobQueue,
                monitors, alerts, monitorEvents);
    }

    /** The same ports with another instance store. */
    public Ports withInstances(InstanceStore i) {
        return new Ports(customers, integrations, i, executions, logs, queue, ids, clock, http, sleeper, schedules, retries,
                uniqueRequests, replayJobs, replayJobQueue,
                monitors, alerts, monitorEvents);
    }

    /** The same ports with another replay job store. */
    public Ports withReplayJobs(ReplayJobStore j) {
        return new Ports(customers, integrations, instances, executions, logs, queue, ids, clock, http, sleeper, schedules, retries,
                uniqueRequests, j, replayJobQueue,
                monitors, alerts, monitorEvents);
    }

    /** The same ports with another clock. */
    public Ports withClock(Clock c) {
        return new Ports(customers, integrations, instances, executions, logs, queue, ids, c, http, sleeper, schedules,
                retries, uniqueRequests, replayJobs, replayJobQueue,
                monitors, alerts, monitorEvents);
    }

    /** The same ports with another execution queue. */
    public Ports withQueue(ExecutionQueue q) {
        return new Ports(customers, integrations, instances, executions, logs, q, ids, clock, http, sleeper, schedules, retries,
                uniqueRequests, replayJobs, replayJobQueue,
                monitors, alerts, monitorEvents);
    }
}

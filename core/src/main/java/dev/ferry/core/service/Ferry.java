package dev.ferry.core.service;

import dev.ferry.core.api.ManagementApi;
import dev.ferry.core.engine.FlowEngine;

/**
 * The application: every service built once from the ports and settings. Lambda handlers hold
 * one per container; tests build one from in-memory fakes.
 */
public final class Ferry {
    private final Ports ports;
    private final Settings settings;
    private final Definitions definitions;
    private final WebhookService webhooks;
    private final ExecutionRunner runner;
    private final ReplayService replays;
    private final ManagementApi api;
    private final ScheduleService schedules;
    private final PauseService pauses;
    private final RetryDispatcher retryDispatcher;
    private final ReplayJobs replayJobs;
    private final MonitorService monitors;
    private final InstanceDeletion deletions;

    public Ferry(Ports ports, Settings settings) {
        this.ports = ports;
        this.settings = settings;
        this.definitions = new Definitions(ports.integrations());
        FlowEngine engine = new FlowEngine(ports.http(), ports.sleeper(), ports.clock());
        this.runner = new ExecutionRunner(ports, settings, definitions, engine);
        this.webhooks = new WebhookService(ports, settings, definitions);
        this.replays = new ReplayService(ports, settings);
        this.schedules = new ScheduleService(ports, settings, definitions);
        this.pauses = new PauseService(ports, definitions, schedules);
        this.monitors = new MonitorService(ports, settings, definitions, runner,
                java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        this.deletions = new InstanceDeletion(ports, definitions, schedules, monitors);
        this.api = new ManagementApi(ports, settings, definitions, runner, replays, schedules, pauses, deletions);
        this.retryDispatcher = new RetryDispatcher(ports, settings);
        this.replayJobs = new ReplayJobs(ports, settings, replays);
    }

    public Ports ports() { return ports; }
    public Settings settings() { return settings; }
    public WebhookService webhooks() { return webhooks; }
    public ExecutionRunner runner() { return runner; }
    public ReplayService replays() { return replays; }
    public ManagementApi api() { return api; }
    public ScheduleService schedules() { return schedules; }
    public PauseService pauses() { return pauses; }
    public RetryDispatcher retryDispatcher() { return retryDispatcher; }
    public ReplayJobs replayJobs() { return replayJobs; }
    public MonitorService monitors() { return monitors; }
    public InstanceDeletion deletions() { return deletions; }
}

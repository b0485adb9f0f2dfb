package dev.ferry.core;

import dev.ferry.core.api.ApiKeysApi;
import dev.ferry.core.api.Auth;
import dev.ferry.core.api.CatalogApi;
import dev.ferry.core.api.DeadLettersApi;
import dev.ferry.core.api.ExecutionsApi;
import dev.ferry.core.api.InstancesApi;
import dev.ferry.core.api.ManagementApi;
import dev.ferry.core.api.MonitorsApi;
import dev.ferry.core.api.ReplaysApi;
import dev.ferry.core.api.Tenancy;
import dev.ferry.core.service.Cancellations;
import dev.ferry.core.engine.FlowEngine;
import dev.ferry.core.service.AlertNotifier;
import dev.ferry.core.service.ChannelSecrets;
import dev.ferry.core.service.Definitions;
import dev.ferry.core.service.ExecutionReaper;
import dev.ferry.core.service.ExecutionRunner;
import dev.ferry.core.service.HeldExecutions;
import dev.ferry.core.service.InstanceDeletion;
import dev.ferry.core.service.InstanceService;
import dev.ferry.core.service.LogSearch;
import dev.ferry.core.service.MonitorEvaluator;
import dev.ferry.core.service.MonitorEvents;
import dev.ferry.core.service.MonitorService;
import dev.ferry.core.service.PauseService;
import dev.ferry.core.service.ReplayJobs;
import dev.ferry.core.service.ReplayService;
import dev.ferry.core.service.Retries;
import dev.ferry.core.service.RetryDispatcher;
import dev.ferry.core.service.ScheduleService;
import dev.ferry.core.service.Secrets;
import dev.ferry.core.service.Settings;
import dev.ferry.core.service.TestRuns;
import dev.ferry.core.service.WebhookService;
import java.util.concurrent.Executors;

/**
 * The application, and the one place its objects are built: every service and API class once, from
 * the ports and settings, each given only the ports and collaborators it uses. Lambda handlers hold
 * one per container; tests build one from in-memory fakes.
 */
public final class Ferry {
    private final Ports ports;
    private final Settings settings;
    private final WebhookService webhooks;
    private final ExecutionRunner runner;
    private final TestRuns testRuns;
    private final ReplayService replays;
    private final ReplayJobs replayJobs;
    private final HeldExecutions held;
    private final ScheduleService schedules;
    private final PauseService pauses;
    private final InstanceService instances;
    private final InstanceDeletion deletions;
    private final RetryDispatcher retryDispatcher;
    private final ExecutionReaper reaper;
    private final MonitorService monitors;
    private final ManagementApi api;

    public Ferry(Ports ports, Settings settings) {
        this.ports = ports;
        this.settings = settings;
        var p = ports;
        Definitions definitions = new Definitions(p.integrations());
        Secrets secrets = new Secrets(p.secrets());
        ChannelSecrets channelSecrets = new ChannelSecrets(p.secrets());
        FlowEngine engine = new FlowEngine(p.http(), p.sleeper(), p.clock());
        MonitorEvents events = new MonitorEvents(p.monitorEvents(), p.monitors(), p.clock());
        held = new HeldExecutions(p.executions(), p.instances(), p.queue(), p.clock());
        Retries retries = new Retries(p.executions(), p.uniqueRequests(), p.retries(), p.clock(), settings);
        replays = new ReplayService(p.executions(), p.instances(), p.queue(), p.ids(), p.clock(), settings, held,
                p.metrics());
        Cancellations cancellations = new Cancellations(p.executions(), p.replayJobs(), p.clock());
        replayJobs = new ReplayJobs(p.replayJobs(), p.replayJobQueue(), p.executions(), p.instances(), p.queue(),
                p.ids(), p.clock(), p.sleeper(), settings, replays, p.metrics(), cancellations);
        runner = new ExecutionRunner(p.executions(), p.instances(), p.logs(), p.ids(), p.clock(), p.sleeper(), settings,
                definitions, engine, retries, events, held, replayJobs, p.metrics(), secrets);
        testRuns = new TestRuns(p.executions(), p.instances(), p.queue(), p.ids(), p.clock(), p.sleeper(), settings);
        webhooks = new WebhookService(p.instances(), p.executions(), p.queue(), p.ids(), p.clock(), p.sleeper(), settings,
                definitions, held, secrets);
        schedules = new ScheduleService(p.schedules(), p.instances(), p.executions(), p.queue(), p.clock(), settings,
                definitions);
        pauses = new PauseService(p.instances(), p.queue(), p.clock(), definitions, schedules, held,
                settings.workInRequest());
        instances = new InstanceService(p.instances(), p.customers(), p.integrations(), p.logs(), p.ids(), p.clock(),
                definitions, schedules, secrets);
        retryDispatcher = new RetryDispatcher(p.retries(), p.executions(), p.queue(), p.clock(), settings);
        reaper = new ExecutionReaper(p.executions(), p.instances(), p.logs(), p.clock(), settings, definitions, retries,
                events, p.metrics());
        AlertNotifier notifier = new AlertNotifier(p.alerts(), p.monitors(), p.monitorEvents(), p.instances(),
                p.customers(), p.ids(), p.clock(), p.http(), p.email(), p.metrics(), settings, definitions,
                channelSecrets, Executors.newVirtualThreadPerTaskExecutor());
        MonitorEvaluator evaluator = new MonitorEvaluator(p.monitors(), p.executions(), p.instances(), p.clock(), settings,
                notifier, reaper);
        monitors = new MonitorService(p.monitors(), events, evaluator);
        deletions = new InstanceDeletion(p.instances(), p.executions(), p.alerts(), p.uniqueRequests(), p.logs(), p.queue(),
                p.clock(), definitions, schedules, monitors, settings.workInRequest());

        Auth auth = new Auth(settings.adminKeySha256(), p.apiKeys(), p.clock(), settings.apiKeyCacheTtl());
        dev.ferry.core.service.Quotas quotas = new dev.ferry.core.service.Quotas(settings.quotas(), p.quotaCounters(),
                p.instances(), p.apiKeys(), p.monitors(), p.replayJobs(), p.clock());
        Tenancy tenancy = new Tenancy(p.instances(), p.executions(), p.monitors(), p.replayJobs(), p.apiKeys(),
                p.alerts());
        api = new ManagementApi(auth, tenancy,
                new CatalogApi(p.customers(), p.integrations(), p.ids(), p.clock(), definitions),
                new InstancesApi(instances, pauses, deletions, testRuns, p.instances(), definitions, p.clock(), settings,
                        quotas, new dev.ferry.core.service.InstanceActivity(p.executions(), p.clock())),
                new ExecutionsApi(p.executions(), p.logs(), p.customers(),
                        new LogSearch(p.instances(), p.customers(), p.logs(), p.clock(), settings), quotas),
                new ReplaysApi(replays, replayJobs, cancellations, tenancy, quotas),
                new MonitorsApi(p.monitors(), p.alerts(), p.instances(), p.customers(), p.ids(), p.clock(), tenancy,
                        p.http(), settings.alertEmailFrom() != null, quotas, channelSecrets),
                new ApiKeysApi(p.apiKeys(), p.customers(), p.ids(), p.clock(), auth, quotas),
                new DeadLettersApi(p.deadLetters()));
    }

    /** The ports this application was built from: tests and benchmarks build another with one port swapped. */
    public Ports ports() { return ports; }
    public Settings settings() { return settings; }
    public WebhookService webhooks() { return webhooks; }
    public ExecutionRunner runner() { return runner; }
    public TestRuns testRuns() { return testRuns; }
    public ReplayService replays() { return replays; }
    public ReplayJobs replayJobs() { return replayJobs; }
    public HeldExecutions held() { return held; }
    public ScheduleService schedules() { return schedules; }
    public PauseService pauses() { return pauses; }
    public InstanceService instances() { return instances; }
    public InstanceDeletion deletions() { return deletions; }
    public RetryDispatcher retryDispatcher() { return retryDispatcher; }
    public ExecutionReaper reaper() { return reaper; }
    public MonitorService monitors() { return monitors; }
    public ManagementApi api() { return api; }
}

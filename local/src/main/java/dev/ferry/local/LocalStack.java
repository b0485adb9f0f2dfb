package dev.ferry.local;

import dev.ferry.core.api.Auth;
import dev.ferry.core.net.DestinationPolicy;
import dev.ferry.functions.console.ConsoleFiles;
import dev.ferry.infra.AwsClients;
import dev.ferry.local.events.EventSource;
import dev.ferry.local.events.EventSourceContext;
import dev.ferry.local.events.LocalScheduler;
import dev.ferry.local.iam.CallMapper;
import dev.ferry.local.iam.FunctionRoles;
import dev.ferry.local.iam.IamGuard;
import dev.ferry.local.iam.IamLedger;
import dev.ferry.local.iam.MotoIam;
import dev.ferry.local.iam.SamTransform;
import dev.ferry.local.http.HttpApiServer;
import dev.ferry.local.http.HttpRouter;
import dev.ferry.local.http.LambdaInvokeServer;
import dev.ferry.local.lambda.FunctionRegistry;
import dev.ferry.local.lambda.FunctionSpec;
import dev.ferry.local.lambda.FunctionSpecs;
import dev.ferry.local.lambda.LocalFunction;
import dev.ferry.template.Intrinsics;
import dev.ferry.template.Template;
import dev.ferry.template.TemplateException;
import dev.ferry.template.TemplateResources;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Ferry's local stack, embeddable: from {@code template.yaml} it creates the tables, queues,
 * buckets and schedule groups in an AWS emulator, runs every function in this JVM, serves the
 * HTTP API and the Lambda Invoke API on 127.0.0.1, polls the queues into their functions, and
 * seeds a demo. {@link LocalStackMain} ({@code ./ferry local}) is a thin command line over it;
 * tests start one on ephemeral ports.
 *
 * <pre>{@code
 * try (LocalStack stack = LocalStack.builder()
 *         .template(Path.of("template.yaml"))
 *         .awsEndpoint("http://127.0.0.1:4566")
 *         .httpPort(0).lambdaPort(0)
 *         .build().start()) {
 *     URI api = stack.apiUrl();
 * }
 * }</pre>
 */
public final class LocalStack implements AutoCloseable {
    public static final int DEFAULT_HTTP_PORT = 3000;
    public static final int DEFAULT_LAMBDA_PORT = 3001;
    public static final String ADMIN_KEY_PARAMETER = "AdminApiKeySha256";
    /** The template parameter naming the alert emails' sender, and the local stack's value for it. */
    public static final String EMAIL_SENDER_PARAMETER = "AlertEmailSender";
    public static final String LOCAL_EMAIL_SENDER = "ferry-alerts@example.com";

    private final LocalStackBuilder config;
    private final String adminApiKey;
    private final PrintStream out;

    private Template template;
    private HttpApiServer httpApi;
    private LambdaInvokeServer lambdaApi;
    /**
     * How long the stack's own AWS calls (its queue pollers and scheduler, playing Lambda's and
     * EventBridge's parts) wait for the emulator before giving up. Long, as AWS's own pollers are
     * patient: a ReceiveMessage that a paused emulator answers late is taken, not abandoned with its
     * messages in flight, unseen, for the queue's visibility timeout (90 minutes).
     */
    static final Duration OWN_CALL_TIMEOUT = Duration.ofMinutes(2);
    private AwsClients aws;
    private final FunctionRegistry functions = new FunctionRegistry();
    private final List<EventSource> eventSources = new ArrayList<>();
    private final List<TemplateResources.Provisioned> resources = new ArrayList<>();
    private HttpRouter router;
    /** FERRY_LOCAL_IAM=enforce: the calls the functions made, each function's credentials, its pollers' clients. */
    private IamLedger iamLedger;
    private MotoIam.Keys adminKeys;
    private final Map<String, Map<String, String>> functionKeys = new LinkedHashMap<>();
    private final Map<String, AwsClients> pollerClients = new java.util.concurrent.ConcurrentHashMap<>();
    private Map<String, FunctionRoles.Role> roles = Map.of();
    private Demo demo;
    private StateFile stateFile;
    private volatile boolean ready;
    private volatile boolean started;
    private volatile boolean closed;

    LocalStack(LocalStackBuilder b) {
        this.config = b;
        this.adminApiKey = b.adminApiKey != null ? b.adminApiKey : generateKey();
        this.out = b.out;
    }

    public static LocalStackBuilder builder() {
        return new LocalStackBuilder();
    }

    /**
     * Starts everything and returns once it is ready (as {@code GET /health} then says). On
     * failure, stops what was started and throws.
     */
    public synchronized LocalStack start() {
        if (started) throw new IllegalStateException("already started");
        started = true;
        try {
            template = Template.load(config.template);
            bindServers();
            aws = AwsClients.fromEnv(Map.of("AWS_ENDPOINT_URL", endpointText(), "AWS_REGION", Intrinsics.REGION,
                    "FERRY_AWS_API_CALL_TIMEOUT_MS", Long.toString(OWN_CALL_TIMEOUT.toMillis())));
            warmUp();
            checkEmulator();

            out.println("Resources from " + config.template + " in " + config.awsEndpoint + ":");
            TemplateResources provisioner = new TemplateResources(template,
                    new TemplateResources.Clients(aws::dynamoDb, aws::sqs, aws::s3, aws::scheduler, aws::kms), config.namePrefix,
                    this::parameter, out::println);
            resources.addAll(provisioner.provisionAll());
            applyQueueAttributes();
            verifyEmailSender();

            Map<String, String> added = new LinkedHashMap<>();
            added.put("AWS_ENDPOINT_URL", endpointText());
            added.put("AWS_REGION", Intrinsics.REGION);
            added.put("FERRY_PUBLIC_URL", "http://127.0.0.1:" + httpApi.port());
            // Flows and alert channels may call a mock on this machine, never the stack itself.
            added.put(DestinationPolicy.LOOPBACK_ENV, "allow");
            added.put(DestinationPolicy.DENIED_PORTS_ENV, DestinationPolicy.formatPorts(ownPorts()));
            // No metric lines on the terminal: they are for CloudWatch (functionEnvironment can set a namespace).
            added.put("FERRY_METRICS_NAMESPACE", "");
            added.putAll(config.functionEnvironment);
            List<FunctionSpec> specs = FunctionSpecs.fromTemplate(template, provisioner.intrinsics(), added);
            if (config.iamEnforced) {
                specs = enforceIam(specs, provisioner);
            } else {
                for (FunctionSpec spec : specs) functions.add(LocalFunction.load(spec, config.functionConcurrency));
            }
            out.println("Functions (in this JVM, up to " + config.functionConcurrency + " concurrent invocations each):");
            for (LocalFunction f : functions.all()) {
                out.println(String.format("  %-26s %s (timeout %d s)", f.name(), f.spec().handler(), f.spec().timeoutSeconds()));
            }

            router = new HttpRouter();
            EventSourceContext ctx = new EventSourceContext(aws, functions, out::println, this::pollerClients);
            List<String> notEmulated = new ArrayList<>();
            for (FunctionSpec spec : specs) {
                for (FunctionSpec.Event e : spec.events()) {
                    if (e.type().equals("HttpApi")) {
                        router.add(new HttpRouter.Route(e.properties().path("Method").asText(HttpRouter.ANY),
                                e.properties().path("Path").asText(HttpRouter.DEFAULT_ROUTE), spec.name(), e.name()));
                    } else if (config.eventSourceTypes.containsKey(e.type())) {
                        eventSources.add(config.eventSourceTypes.get(e.type()).create(spec, e, ctx));
                    } else {
                        notEmulated.add(e.type() + " event " + e.name() + " of " + spec.name());
                    }
                }
            }
            for (Function<EventSourceContext, EventSource> extra : config.extraEventSources) {
                eventSources.add(extra.apply(ctx));
            }
            httpApi.listen(config.httpListener);
            httpApi.integrationTimeout(config.integrationTimeout);
            httpApi.serve(router, functions);
            lambdaApi.serve(functions);
            for (EventSource s : eventSources) s.start();
            out.println("Event sources:");
            for (EventSource s : eventSources) out.println("  " + s.describe());
            for (String n : notEmulated) out.println("  not emulated yet: " + n);

            if (config.demo) demo = new DemoSeeder(apiUrl(), adminApiKey).seed();
            if (config.stateDir != null) stateFile = StateFile.write(config.stateDir, stateContent());
            ready = true;
            return this;
        } catch (RuntimeException | IOException e) {
            close();
            if (e instanceof BindException) {
                throw new IllegalStateException("cannot listen on the HTTP API port " + config.httpPort + " or the Lambda "
                        + "API port " + config.lambdaPort + ": " + e.getMessage()
                        + " (another ./ferry local? set FERRY_HTTP_PORT / FERRY_LAMBDA_PORT)", e);
            }
            if (e instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * FERRY_LOCAL_IAM=enforce: each function gets its own role in the emulator (from the
     * SAM-transformed template) and that role's credentials in its environment, as Lambda gives them;
     * its clients are held to the role's statements, resources included ({@link IamGuard}); moto
     * then enforces IAM for every request, and the stack's own work (as Lambda's pollers and
     * EventBridge's scheduler) goes on with an admin user's keys.
     */
    private List<FunctionSpec> enforceIam(List<FunctionSpec> specs, TemplateResources provisioner) {
        FunctionRoles functionRoles = FunctionRoles.from(SamTransform.of(config.template), provisioner.intrinsics());
        Map<String, String> physical = new LinkedHashMap<>();
        for (TemplateResources.Provisioned p : resources) {
            if (p.physicalName() != null && p.physicalName().length() > 3 && !p.physicalName().equals(p.logicalId())) {
                physical.put(p.physicalName(), p.logicalId());
            }
            String arn = p.attributes().get("Arn");
            if (p.type().equals(Template.KMS_KEY) && arn != null) physical.put(arn.substring(arn.lastIndexOf('/') + 1), p.logicalId());
        }
        for (Template.Resource r : template.ofType(Template.IAM_ROLE)) {
            TemplateResources.Provisioned p = provisioner.ensure(r.logicalId());
            physical.put(p.physicalName(), p.logicalId());
        }
        iamLedger = new IamLedger(physical);
        CallMapper mapper = new CallMapper(Intrinsics.REGION, Intrinsics.ACCOUNT_ID);
        MotoIam moto = new MotoIam(config.awsEndpoint, Intrinsics.REGION, config.namePrefix);
        List<FunctionSpec> out = new ArrayList<>();
        Map<String, FunctionRoles.Role> byFunction = new LinkedHashMap<>();
        try {
            adminKeys = moto.admin();
            for (FunctionSpec spec : specs) {
                FunctionRoles.Role role = functionRoles.role(spec.name());
                byFunction.put(spec.name(), role);
                Map<String, String> keys = moto.functionRole(role).environment();
                functionKeys.put(spec.name(), keys);
                Map<String, String> env = new LinkedHashMap<>(spec.environment());
                env.putAll(keys);
                out.add(new FunctionSpec(spec.name(), spec.handler(), env, spec.timeoutSeconds(), spec.memoryMb(), spec.events(), spec.async()));
            }
        } finally {
            moto.close();
        }
        roles = Map.copyOf(byFunction);
        MotoIam.enforce(config.awsEndpoint);
        AwsClients open = aws;
        aws = AwsClients.fromEnv(ownEnvironment(adminKeys.environment()));
        open.close();
        for (FunctionSpec spec : out) {
            functions.add(LocalFunction.load(spec, config.functionConcurrency, List.of(new IamGuard(roles.get(spec.name()), mapper, iamLedger))));
        }
        this.out.println("IAM: enforced (FERRY_LOCAL_IAM=enforce): each function acts with its own role's credentials; "
                + "moto checks actions, the stack checks resources and conditions");
        return out;
    }

    private Map<String, String> ownEnvironment(Map<String, String> keys) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_ENDPOINT_URL", endpointText());
        env.put("AWS_REGION", Intrinsics.REGION);
        env.put("FERRY_AWS_API_CALL_TIMEOUT_MS", Long.toString(OWN_CALL_TIMEOUT.toMillis()));
        env.putAll(keys);
        return env;
    }

    /**
     * The clients an event source uses for a function: as in AWS, an SQS event source mapping
     * receives and deletes with the function's role, and a failed asynchronous invocation reaches
     * its destination with it. Without IAM enforcement, the stack's own clients.
     */
    private AwsClients pollerClients(String function) {
        if (!config.iamEnforced) return aws;
        return pollerClients.computeIfAbsent(function, f -> {
            Map<String, String> keys = functionKeys.get(f);
            if (keys == null) throw new IllegalArgumentException("no function " + f);
            return AwsClients.fromEnv(ownEnvironment(keys), List.of(new IamGuard(roles.get(f),
                    new CallMapper(Intrinsics.REGION, Intrinsics.ACCOUNT_ID), iamLedger)));
        });
    }

    /**
     * Environment variables for a tool that talks to this stack's emulator directly (a test's
     * assertions, the AWS CLI): the endpoint, the region and, with IAM enforced, the admin user's keys.
     */
    public Map<String, String> adminEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_ENDPOINT_URL", endpointText());
        env.put("AWS_REGION", Intrinsics.REGION);
        if (adminKeys != null) env.putAll(adminKeys.environment());
        return env;
    }

    /** With IAM enforced, every call the functions made and every refusal, in the template's terms. */
    public Optional<IamLedger> iamLedger() {
        return Optional.ofNullable(iamLedger);
    }

    /** The ports of this stack's own servers on loopback: the emulator's, the HTTP API's and the Lambda API's. */
    Map<Integer, String> ownPorts() {
        Map<Integer, String> ports = new LinkedHashMap<>();
        int emulator = config.awsEndpoint.getPort() >= 0 ? config.awsEndpoint.getPort()
                : "https".equalsIgnoreCase(config.awsEndpoint.getScheme()) ? 443 : 80;
        ports.put(emulator, "the local stack's AWS emulator");
        ports.put(httpApi.port(), "the local stack's HTTP API");
        ports.put(lambdaApi.port(), "the local stack's Lambda API");
        return ports;
    }

    private void bindServers() throws IOException {
        httpApi = new HttpApiServer(config.httpPort, () -> ready ? health() : null);
        lambdaApi = new LambdaInvokeServer(config.lambdaPort);
    }

    /**
     * Builds the SDK clients and loads the handler classes on two background threads while the
     * main thread checks the emulator: start-up is mostly class loading, and this overlaps it.
     * Best effort — whatever fails here fails again, with its message, where it is really used.
     */
    private void warmUp() {
        List<Runnable> tasks = new ArrayList<>();
        tasks.add(aws::dynamoDb);
        tasks.add(aws::sqs);
        if (!template.ofType(Template.BUCKET).isEmpty()) tasks.add(aws::s3);
        if (!template.ofType(Template.SCHEDULE_GROUP).isEmpty()) tasks.add(aws::scheduler);
        if (!template.ofType(Template.KMS_KEY).isEmpty()) tasks.add(aws::kms);
        for (Template.Resource f : template.ofType(Template.FUNCTION)) {
            String handler = f.properties().path("Handler").asText("");
            if (handler.contains("::")) tasks.add(() -> loadClass(handler.substring(0, handler.indexOf("::"))));
        }
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "ferry-local-warmup");
            t.setDaemon(true);
            return t;
        });
        for (Runnable task : tasks) {
            pool.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException | LinkageError ignored) {
                    // reported where it matters
                }
            });
        }
        pool.shutdown();
    }

    private static void loadClass(String name) {
        try {
            Class.forName(name, true, LocalStack.class.getClassLoader());
        } catch (ClassNotFoundException ignored) {
            // LocalFunction.load says so
        }
    }

    private void checkEmulator() {
        try {
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()
                    .send(HttpRequest.newBuilder(config.awsEndpoint).timeout(Duration.ofSeconds(5)).GET().build(),
                            HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the AWS emulator at " + config.awsEndpoint + ": " + e
                    + " (start moto: python3 -m moto.server -H 127.0.0.1 -p 4566, or fix FERRY_AWS_ENDPOINT)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    /** A template parameter's local value: an override, the admin key's hash, or the Default. */
    private String parameter(String name) {
        if (config.parameters.containsKey(name)) return config.parameters.get(name);
        if (name.equals(ADMIN_KEY_PARAMETER)) return Auth.sha256Hex(adminApiKey);
        if (name.equals(EMAIL_SENDER_PARAMETER)) return LOCAL_EMAIL_SENDER;
        return Optional.ofNullable(template.parameters().get(name)).map(decl -> {
            if (!decl.hasNonNull("Default")) {
                throw new TemplateException("parameter " + name + " has no Default; give it a local value with "
                        + "LocalStackBuilder#parameter");
            }
            return decl.get("Default").asText();
        }).orElse(null);
    }

    private Map<String, Object> health() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("status", "ok");
        h.put("apiUrl", apiUrl().toString());
        h.put("lambdaUrl", lambdaUrl().toString());
        h.put("awsEndpoint", endpointText());
        Map<String, Object> fs = new LinkedHashMap<>();
        for (LocalFunction f : functions.all()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("handler", f.spec().handler());
            m.put("invocations", f.invocations());
            m.put("errors", f.errors());
            fs.put(f.name(), m);
        }
        h.put("functions", fs);
        h.put("routes", router.routes().stream().map(HttpRouter.Route::routeKey).toList());
        h.put("eventSources", eventSources.stream().map(EventSource::describe).toList());
        return h;
    }

    private Map<String, Object> stateContent() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("apiUrl", apiUrl().toString());
        m.put("lambdaUrl", lambdaUrl().toString());
        m.put("adminApiKey", adminApiKey);
        m.put("awsEndpoint", endpointText());
        m.put("iam", config.iamEnforced ? "enforce" : "off");
        if (adminKeys != null) {
            // The emulator's admin user (IAM enforced): for the AWS CLI or an SDK pointed at awsEndpoint.
            m.put("awsAccessKeyId", adminKeys.accessKeyId());
            m.put("awsSecretAccessKey", adminKeys.secretAccessKey());
        }
        m.put("pid", ProcessHandle.current().pid());
        return m;
    }

    private String endpointText() {
        String s = config.awsEndpoint.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    // ------------------------------------------------------------------ what a running stack exposes

    /** True once {@link #start()} returned and until {@link #close()}. */
    public boolean ready() {
        return ready;
    }

    public int httpPort() {
        return httpApi.port();
    }

    public int lambdaPort() {
        return lambdaApi.port();
    }

    /** {@code http://127.0.0.1:<httpPort>}. */
    public URI apiUrl() {
        return URI.create("http://127.0.0.1:" + httpPort());
    }

    /**
     * {@code http://127.0.0.1:<httpPort>/console/} when a route of the template serves it (ConsoleFunction's,
     * as on AWS); empty before {@link #start()} and for a template without one.
     */
    public Optional<URI> consoleUrl() {
        HttpRouter r = router;
        if (r == null || r.match("GET", ConsoleFiles.PREFIX + "/").isEmpty()) return Optional.empty();
        return Optional.of(URI.create(apiUrl() + ConsoleFiles.PREFIX + "/"));
    }

    /** Whether the console is built into the functions' package on this classpath ({@code ferry-console/index.html}). */
    public boolean consoleBuilt() {
        return ConsoleFiles.packaged().built();
    }

    /** {@code http://127.0.0.1:<lambdaPort>}, for {@code aws lambda invoke --endpoint-url}. */
    public URI lambdaUrl() {
        return URI.create("http://127.0.0.1:" + lambdaPort());
    }

    public URI awsEndpoint() {
        return config.awsEndpoint;
    }

    public String adminApiKey() {
        return adminApiKey;
    }

    public FunctionRegistry functions() {
        return functions;
    }

    /**
     * Verifies the alert emails' sender in the emulator's SES, as an operator does once in AWS (SES
     * refuses a sender it has not verified), so email channels work locally; the emulator keeps what
     * was sent ({@code GET <awsEndpoint>/moto-api/data.json}, under {@code ses.Message}).
     */
    private void verifyEmailSender() {
        if (template.parameters().get(EMAIL_SENDER_PARAMETER) == null) return;
        String sender = parameter(EMAIL_SENDER_PARAMETER);
        if (sender == null || sender.isBlank()) return;
        try {
            aws.ses().createEmailIdentity(b -> b.emailIdentity(sender));
        } catch (software.amazon.awssdk.services.sesv2.model.AlreadyExistsException e) {
            // verified by an earlier start against the same emulator
        }
        out.println("Alert emails: from " + sender + ", kept by the emulator's SES (" + endpointText()
                + "/moto-api/data.json, ses.Message)");
    }

    /** The template's tables, queues, buckets and schedule groups as created. */
    private void applyQueueAttributes() {
        config.queueAttributes.forEach((logicalId, attributes) -> {
            String url = resources.stream().filter(r -> r.logicalId().equals(logicalId)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("queueAttribute: no resource " + logicalId + " in the template"))
                    .ref();
            aws.sqs().setQueueAttributes(b -> b.queueUrl(url).attributesWithStrings(attributes));
            out.println("  " + logicalId + ": set " + attributes);
        });
    }

    public List<TemplateResources.Provisioned> resources() {
        return List.copyOf(resources);
    }

    public List<EventSource> eventSources() {
        return List.copyOf(eventSources);
    }

    /** The scheduler of the emulator's schedules and the template's ScheduleV2 events. */
    public LocalScheduler scheduler() {
        return config.scheduler;
    }

    /** The seeded demo, when the stack was built with {@code demo(true)}. */
    public Optional<Demo> demo() {
        return Optional.ofNullable(demo);
    }

    /** {@code $FERRY_STATE_DIR/local.json}, when a state directory was given. */
    public Optional<Path> stateFile() {
        return Optional.ofNullable(stateFile).map(StateFile::path);
    }

    /** Stops event sources, then the servers and functions; deletes the state file. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        ready = false;
        // In parallel: pollers finish their long poll, and each JDK server takes up to a second to stop.
        List<Runnable> stops = new ArrayList<>();
        eventSources.forEach(s -> stops.add(s::close));
        if (httpApi != null) stops.add(httpApi::close);
        if (lambdaApi != null) stops.add(lambdaApi::close);
        CompletableFuture.allOf(stops.stream().map(r -> CompletableFuture.runAsync(() -> quietly(r), daemonThread()))
                .toArray(CompletableFuture[]::new)).join();
        if (stateFile != null) stateFile.delete();
        quietly(functions::close);
        pollerClients.values().forEach(c -> quietly(c::close));
        if (aws != null) quietly(aws::close);
        if (adminKeys != null) {
            quietly(() -> MotoIam.relax(config.awsEndpoint));
            if (config.iamLedgerDir != null) quietly(() -> iamLedger.write(config.iamLedgerDir));
        }
    }

    private static java.util.concurrent.Executor daemonThread() {
        return r -> {
            Thread t = new Thread(r, "ferry-local-stop");
            t.setDaemon(true);
            t.start();
        };
    }

    private static void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            System.err.println("ferry local: while stopping: " + e);
        }
    }

    private static String generateKey() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    // ------------------------------------------------------------------ configuration

    /** How to build a {@link LocalStack}; every setting has a default but the template and the emulator. */
}

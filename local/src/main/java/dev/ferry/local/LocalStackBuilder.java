package dev.ferry.local;

import dev.ferry.local.events.EventSource;
import dev.ferry.local.events.EventSourceContext;
import dev.ferry.local.events.EventSourceType;
import dev.ferry.local.events.LocalScheduler;
import dev.ferry.local.events.SqsEventSource;
import dev.ferry.local.http.HttpApiServer;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * How a {@link LocalStack} is set up: the template, the emulator's endpoint, ports, the admin key,
 * the demo, and the hooks tests use (function environment, queue attributes, the scheduler's
 * clock, extra event sources). {@link LocalStack#builder()} makes one.
 */
public final class LocalStackBuilder {
    Path template;
    URI awsEndpoint;
    int httpPort = LocalStack.DEFAULT_HTTP_PORT;
    int lambdaPort = LocalStack.DEFAULT_LAMBDA_PORT;
    String adminApiKey;
    boolean demo = true;
    Path stateDir;
    String namePrefix = "ferry-";
    boolean iamEnforced;
    Path iamLedgerDir;
    int functionConcurrency = 10;
    PrintStream out = System.out;
    HttpApiServer.Listener httpListener = exchange -> { };
    java.time.Duration integrationTimeout = HttpApiServer.INTEGRATION_TIMEOUT;
    final Map<String, String> parameters = new LinkedHashMap<>();
    final Map<String, String> functionEnvironment = new LinkedHashMap<>();
    final Map<String, Map<String, String>> queueAttributes = new LinkedHashMap<>();
    final Map<String, EventSourceType> eventSourceTypes = new LinkedHashMap<>();
    final List<Function<EventSourceContext, EventSource>> extraEventSources = new ArrayList<>();
    final LocalScheduler scheduler = new LocalScheduler(Clock.systemUTC());

    LocalStackBuilder() {
        eventSourceTypes.put("SQS", SqsEventSource.TYPE);
        // One scheduler fires both the template's ScheduleV2 events and the emulator's run-time schedules.
        eventSourceTypes.put("ScheduleV2", scheduler.templateEvents());
        extraEventSources.add(scheduler::source);
    }

    /** Told of every answer the HTTP API's routes give (the tests hold them to the API reference). */
    public LocalStackBuilder httpListener(HttpApiServer.Listener listener) {
        this.httpListener = Objects.requireNonNull(listener);
        return this;
    }

    /**
     * How long the HTTP API waits for a function before answering 503 as API Gateway does
     * (default {@link HttpApiServer#INTEGRATION_TIMEOUT}, 30 s; tests set less so they need not wait).
     */
    public LocalStackBuilder integrationTimeout(java.time.Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("integration timeout must be positive");
        this.integrationTimeout = timeout;
        return this;
    }

    /** The clock the scheduler fires by (default the system clock); tests set one and call {@code scheduler().tick()}. */
    public LocalStackBuilder schedulerClock(Clock clock) {
        scheduler.clock(Objects.requireNonNull(clock));
        return this;
    }

    /**
     * An environment variable given to every function on top of the template's (e.g. shorter
     * AWS call timeouts for fault tests).
     */
    public LocalStackBuilder functionEnvironment(String name, String value) {
        functionEnvironment.put(name, value);
        return this;
    }

    /**
     * A queue attribute set after the template's resources are made and before any poller starts
     * (e.g. a 1 s {@code VisibilityTimeout} so a fault test sees failed messages come back in
     * seconds). Set before the pollers because the emulator fixes a long poll's visibility
     * timeout when the poll begins.
     */
    public LocalStackBuilder queueAttribute(String queueLogicalId, String attribute, String value) {
        queueAttributes.computeIfAbsent(queueLogicalId, k -> new LinkedHashMap<>()).put(attribute, value);
        return this;
    }

    /** The SAM template (required). */
    public LocalStackBuilder template(Path template) {
        this.template = template;
        return this;
    }

    /** The AWS emulator's endpoint, e.g. {@code http://127.0.0.1:4566} (required). */
    public LocalStackBuilder awsEndpoint(URI endpoint) {
        this.awsEndpoint = endpoint;
        return this;
    }

    public LocalStackBuilder awsEndpoint(String endpoint) {
        return awsEndpoint(URI.create(endpoint));
    }

    /** HTTP API port on 127.0.0.1 (default 3000; 0 = any free port). */
    public LocalStackBuilder httpPort(int port) {
        this.httpPort = port;
        return this;
    }

    /** Lambda Invoke API port on 127.0.0.1 (default 3001; 0 = any free port). */
    public LocalStackBuilder lambdaPort(int port) {
        this.lambdaPort = port;
        return this;
    }

    /** The admin API key (default: 32 random bytes, base64url). */
    public LocalStackBuilder adminApiKey(String key) {
        this.adminApiKey = key == null || key.isBlank() ? null : key;
        return this;
    }

    /**
     * IAM as AWS enforces it (default off; {@code FERRY_LOCAL_IAM=enforce} for ./ferry local): each
     * function acts with its own role from the SAM-transformed template, moto checks every request's
     * action against it and the stack checks resources and conditions. Needs python3 with
     * aws-sam-translator, and an emulator nothing else uses meanwhile with moto's open credentials.
     */
    public LocalStackBuilder iam(boolean enforce) {
        this.iamEnforced = enforce;
        return this;
    }

    /** With IAM enforced, where to write the stack's ledger of AWS calls when it stops (default: nowhere). */
    public LocalStackBuilder iamLedger(Path dir) {
        this.iamLedgerDir = dir;
        return this;
    }

    /** Seed the demo customer, integration and instance (default true). */
    public LocalStackBuilder demo(boolean demo) {
        this.demo = demo;
        return this;
    }

    /** Where to write {@code local.json} for the CLI (default: nowhere). */
    public LocalStackBuilder stateDir(Path dir) {
        this.stateDir = dir;
        return this;
    }

    /** A template parameter's local value (default: its Default; AdminApiKeySha256: the admin key's hash). */
    public LocalStackBuilder parameter(String name, String value) {
        parameters.put(name, value);
        return this;
    }

    /** Prefix of physical resource names (default {@code ferry-}: {@code ferry-ConfigTable}). */
    public LocalStackBuilder namePrefix(String prefix) {
        this.namePrefix = Objects.requireNonNull(prefix);
        return this;
    }

    /** Concurrent invocations per function before callers wait (default 10). */
    public LocalStackBuilder functionConcurrency(int n) {
        if (n < 1) throw new IllegalArgumentException("functionConcurrency must be at least 1");
        this.functionConcurrency = n;
        return this;
    }

    /** Where progress goes (default System.out). */
    public LocalStackBuilder out(PrintStream out) {
        this.out = Objects.requireNonNull(out);
        return this;
    }

    /** Serves template events of {@code type} (e.g. {@code ScheduleV2}) with {@code factory}; SQS is built in. */
    public LocalStackBuilder eventSourceType(String type, EventSourceType factory) {
        eventSourceTypes.put(type, factory);
        return this;
    }

    /** An event source not tied to a template event (e.g. the Scheduler's run-time schedules). */
    public LocalStackBuilder eventSource(Function<EventSourceContext, EventSource> factory) {
        extraEventSources.add(factory);
        return this;
    }

    public LocalStack build() {
        if (template == null) throw new IllegalArgumentException("template is required");
        if (awsEndpoint == null) throw new IllegalArgumentException("awsEndpoint is required");
        return new LocalStack(this);
    }
}

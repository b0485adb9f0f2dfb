package dev.ferry.functions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.Ferry;
import dev.ferry.core.api.ApiRequest;
import dev.ferry.core.api.ApiResponse;
import dev.ferry.core.api.ManagementApi;
import dev.ferry.core.api.Views;
import dev.ferry.core.definition.DefinitionParser;
import dev.ferry.core.definition.IntegrationDefinition;
import dev.ferry.core.engine.FlowEngine;
import dev.ferry.core.engine.FlowInput;
import dev.ferry.core.error.StoreException;
import dev.ferry.core.json.Json;
import dev.ferry.core.log.Log;
import dev.ferry.core.message.MonitorEvent;
import dev.ferry.core.message.MonitorMessage;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.LogLine;
import dev.ferry.core.model.Severity;
import dev.ferry.core.model.StepResult;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.port.HttpCaller;
import dev.ferry.core.port.LogSink;
import dev.ferry.core.port.Sleeper;
import dev.ferry.infra.AwsClients;
import dev.ferry.infra.dynamodb.DefinitionJson;
import dev.ferry.infra.dynamodb.DynamoDbExecutionStore;
import dev.ferry.infra.dynamodb.DynamoDbInstanceStore;
import dev.ferry.infra.logs.CloudWatchLogsLogStore;
import dev.ferry.infra.s3.S3PayloadStore;
import dev.ferry.infra.sqs.SqsExecutionQueue;
import dev.ferry.infra.sqs.SqsMonitorEventQueue;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;

/**
 * SnapStart priming: before Lambda snapshots a published version (a CRaC checkpoint), run once
 * what the first request would otherwise do cold — Jackson reading and writing the events and
 * answers, the definition parser, the JSONata engine and the flow engine on a two-step flow, one
 * read-only management request through the router, and one read through each AWS SDK client
 * (marshalling, signing, the HTTP client). It never writes: the reads are of keys that do not exist
 * ({@code GetItem}, {@code BatchGetItem}, S3 {@code HeadObject}, Scheduler {@code GetSchedule}), of an instance that does
 * not exist (a DynamoDB {@code Query} of its flow configs, through which its executions are read) or describe a resource
 * ({@code GetQueueAttributes}, {@code DescribeLogGroups}), and a read the function's role may not
 * allow is fine — the request path is primed by the attempt.
 *
 * <p>The writes a first event makes are primed without writing anything. The runner claims an
 * execution that does not exist ({@link #ABSENT}): its UpdateItem's condition fails, so nothing is
 * written. Every other write goes through Ferry's own adapters (their encoding included) to a
 * resource that cannot exist — a table, a queue and a log group named {@link #ABSENT_PREFIX} plus
 * a random suffix, which priming never creates: DynamoDB {@code PutItem} of a queued execution (the
 * webhook's create) and of its finished state with steps (the runner's save), {@code UpdateItem} of
 * the instance's last run, SQS {@code SendMessage} of an execution message and of a monitor event,
 * CloudWatch Logs {@code CreateLogStream} and {@code PutLogEvents} of the run's lines (called
 * directly: the store's append would create a missing group). Each is answered "not found" (or
 * AccessDenied where the role allows only its own resources), which primes the path just the same.
 * Ferry's own encoders also run in memory: a definition through its stored form, an execution to
 * its item, log lines to events, a monitor event, the execution's view.
 *
 * <p>The management request is {@code GET /executions?instanceId=<absent>} as API Gateway would
 * deliver it, handled twice without any real API key: once with an unknown key (authentication
 * hashes it, looks it up — one GetItem that finds nothing and caches nothing — and answers 401),
 * then through the router's trusted entry ({@link ManagementApi#handleTrusted}, what a direct
 * invocation uses), which routes it, checks its input and runs the list: one Query of the
 * instance's flow configs that finds none, so no execution index is read. No key is created. Every
 * function primes it (it is the only Query priming makes).
 *
 * <p>Registered once per container by {@link Wiring#ferry()}. CRaC keeps its resources by weak
 * reference, so the primers are also held here.
 */
public final class Priming implements Resource {
    /** Keys no real item has (ids are prefixed ULIDs; this is not one). */
    static final String ABSENT = "priming-absent";
    /**
     * The start of the names of the table, queue and log group priming's writes go to: none exists
     * and priming creates none (a random suffix follows, new for every run).
     */
    static final String ABSENT_PREFIX = "ferry-priming-absent-";
    private static final List<Priming> REGISTERED = new CopyOnWriteArrayList<>();

    private static final String DEFINITION = """
            {"name": "priming", "configVariables": [{"key": "apiKey", "secret": true}],
             "flows": [{"name": "prime", "trigger": {"type": "webhook"}, "retry": {"maxAttempts": 2, "delaySeconds": 60}, "steps": [
              {"name": "log", "type": "log", "severity": "INFO", "message": "{% 'order ' & $trigger.body.id %}"},
              {"name": "shape", "type": "transform", "output": {
                "orderId": "{% $trigger.body.id %}", "total": "{% $sum($trigger.body.lines.price) %}",
                "upper": "{% $uppercase($trigger.method) %}"}}
            ]}]}
            """;
    private static final String HTTP_API_EVENT = """
            {"version": "2.0", "routeKey": "ANY /webhooks/{token}", "rawPath": "/webhooks/priming",
             "rawQueryString": "a=1", "headers": {"content-type": "application/json"},
             "queryStringParameters": {"a": "1"}, "pathParameters": {"token": "priming"},
             "requestContext": {"http": {"method": "POST", "path": "/webhooks/priming"}},
             "body": "{\\"id\\": 1}", "isBase64Encoded": false}
            """;
    private static final String SQS_EVENT = """
            {"Records": [{"messageId": "priming", "receiptHandle": "priming", "body": "{\\"executionId\\": \\"priming\\"}",
              "attributes": {"ApproximateReceiveCount": "1"}, "messageAttributes": {}, "eventSource": "aws:sqs",
              "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:priming", "awsRegion": "us-east-1"}]}
            """;
    /** A management request that only reads: the executions of an instance that does not exist ({@link #ABSENT}). */
    private static final String API_EVENT = """
            {"version": "2.0", "routeKey": "GET /executions", "rawPath": "/executions",
             "rawQueryString": "instanceId=priming-absent&limit=20",
             "headers": {"accept": "application/json", "authorization": "Bearer priming-absent"},
             "queryStringParameters": {"instanceId": "priming-absent", "limit": "20"},
             "requestContext": {"http": {"method": "GET", "path": "/executions"}}, "body": null, "isBase64Encoded": false}
            """;

    private final Ferry ferry;
    private final AwsClients aws;
    private final Map<String, String> env;

    public Priming(Ferry ferry, AwsClients aws, Map<String, String> env) {
        this.ferry = ferry;
        this.aws = aws;
        this.env = Map.copyOf(env);
    }

    /** Registers {@code primer} with the JVM's CRaC context (a no-op on a JVM without CRaC). */
    static void register(Priming primer) {
        REGISTERED.add(primer);
        Core.getGlobalContext().register(primer);
    }

    /** Runs every registered primer now, as a checkpoint would (the benchmark's stand-in for SnapStart). */
    public static void primeRegistered() {
        REGISTERED.forEach(Priming::prime);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to refresh: the SDK clients reopen connections on demand and take credentials
        // from the restored environment.
    }

    /**
     * Primes the container. Returns the steps that failed (each is logged and skipped: priming
     * must never stop a snapshot).
     */
    public List<String> prime() {
        List<String> failed = new ArrayList<>();
        step(failed, "json", this::primeJson);
        step(failed, "engine", Priming::primeEngine);
        step(failed, "api", this::primeApi);
        step(failed, "dynamodb", () -> {
            ferry.ports().instances().findRoute(ABSENT);
            ferry.ports().executions().get(ABSENT);
            // A page of executions is a Query of a keys-only index then a BatchGetItem of the items.
            ferry.ports().executions().getAll(List.of(ABSENT));
        });
        step(failed, "sqs", () -> aws.sqs().getQueueAttributes(b -> b.queueUrl(env.get("FERRY_EXECUTION_QUEUE_URL"))
                .attributeNamesWithStrings("VisibilityTimeout")));
        step(failed, "logs", () -> aws.logs().describeLogGroups(b -> b.logGroupNamePrefix("/ferry/" + ABSENT).limit(1)));
        step(failed, "s3", () -> aws.s3().headObject(b -> b.bucket(env.get("FERRY_PAYLOAD_BUCKET")).key(ABSENT)));
        String group = env.get("FERRY_SCHEDULE_GROUP");
        if (group != null && !group.isBlank()) {
            step(failed, "scheduler", () -> aws.scheduler().getSchedule(b -> b.groupName(group).name(ABSENT)));
        }
        step(failed, "claim", () -> {
            if (ferry.runner().run(ABSENT).isPresent()) throw new IllegalStateException("claimed " + ABSENT);
        });
        String absent = ABSENT_PREFIX + UUID.randomUUID().toString().replace("-", "");
        Instant now = Instant.now();
        Execution queued = sampleExecution(now);
        Execution finished = queued.toBuilder().startedAt(now)
                .steps(List.of(new StepResult("shape", "transform", StepResult.SUCCEEDED, now, now, 0,
                        Json.tree("{\"orderId\": 7, \"total\": 2}"), null)))
                .end(ExecutionStatus.SUCCEEDED, now).build();
        List<LogLine> lines = List.of(
                new LogLine(now, Severity.INFO, "execution started: flow 'prime'", ABSENT, ABSENT, ABSENT, null, 1),
                new LogLine(now, Severity.INFO, "execution succeeded in 0 ms", ABSENT, ABSENT, ABSENT, null, 1));
        step(failed, "encoding", () -> primeEncoding(finished, lines));
        step(failed, "dynamodb-writes", () -> {
            DynamoDbExecutionStore executions = new DynamoDbExecutionStore(aws.dynamoDb(), absent,
                    new S3PayloadStore(aws.s3(), absent), instance -> List.of(), Clock.systemUTC(),
                    ferry.settings().retentionDays());
            refused(() -> executions.create(queued));
            refused(() -> executions.save(finished));
            refused(() -> new DynamoDbInstanceStore(aws.dynamoDb(), absent).touchLastExecuted(ABSENT, now));
        });
        step(failed, "sqs-writes", () -> {
            String queueUrl = absentQueueUrl(env.get("FERRY_EXECUTION_QUEUE_URL"), absent);
            refused(() -> new SqsExecutionQueue(aws.sqs(), queueUrl).enqueue(ABSENT));
            refused(() -> new SqsMonitorEventQueue(aws.sqs(), queueUrl).send(
                    MonitorEvent.executionEnded(finished, List.of(), now, true), Duration.ZERO));
        });
        step(failed, "logs-writes", () -> {
            String logGroup = CloudWatchLogsLogStore.groupName(absent);
            List<InputLogEvent> events = CloudWatchLogsLogStore.events(lines);
            refused(() -> aws.logs().createLogStream(b -> b.logGroupName(logGroup).logStreamName(ABSENT)));
            refused(() -> aws.logs().putLogEvents(b -> b.logGroupName(logGroup).logStreamName(ABSENT).logEvents(events)));
        });
        return failed;
    }

    /**
     * Ferry's own encoders and decoders, in memory: a definition to and from its stored form (read
     * with each integration version), an execution to its item, log lines to their events, a
     * monitor event to its message, and the execution's view as a direct run answers it.
     */
    private static void primeEncoding(Execution finished, List<LogLine> lines) {
        IntegrationDefinition definition = DefinitionParser.parse(DEFINITION.getBytes(StandardCharsets.UTF_8),
                "application/json");
        DefinitionJson.read(DefinitionJson.write(definition));
        DynamoDbExecutionStore.itemOf(finished);
        CloudWatchLogsLogStore.events(lines);
        MonitorMessage.CODEC.read(MonitorMessage.CODEC.write(MonitorEvent.executionEnded(finished, lines, finished.endedAt(), true)));
        LambdaIo.write(OutputStream.nullOutputStream(), Views.execution(finished, true));
    }

    /** A small queued webhook execution, as the webhook function stores it (nothing offloaded to S3). */
    private Execution sampleExecution(Instant now) {
        return Execution.builder().id(ABSENT).instanceId(ABSENT).customerId(ABSENT).flowConfigId(ABSENT).flow("prime")
                .trigger(Trigger.WEBHOOK).status(ExecutionStatus.QUEUED).queuedAt(now).attempt(1).integrationVersion(1)
                .request(new ExecutionRequest("POST", "{\"id\": 7}".getBytes(StandardCharsets.UTF_8),
                        Map.of("content-type", "application/json"), Map.of("a", "1"), "application/json"))
                .expiresAt(now.plus(Duration.ofDays(ferry.settings().retentionDays())))
                .build();
    }

    /** The queue URL {@code url} with its queue name replaced by {@code name} (same endpoint and account). */
    static String absentQueueUrl(String url, String name) {
        if (url == null || url.isBlank()) throw new IllegalStateException("FERRY_EXECUTION_QUEUE_URL is not set");
        return url.substring(0, url.lastIndexOf('/') + 1) + name;
    }

    /**
     * Runs a write addressed to something that does not exist: it must be refused by the service (not
     * found, access denied, unreachable). Throws if it was accepted, or failed in Ferry's own code.
     */
    private static void refused(Runnable write) {
        try {
            write.run();
        } catch (StoreException | SdkException expected) {
            return;
        }
        throw new IllegalStateException("a priming write to an absent resource was accepted");
    }

    private void primeJson() {
        JsonNode http = LambdaIo.readTree(new ByteArrayInputStream(HTTP_API_EVENT.getBytes(StandardCharsets.UTF_8)));
        HttpApiEvent event = LambdaIo.httpApiEvent(http);
        LambdaIo.executionRequest(event);
        LambdaIo.apiRequest(event);
        LambdaIo.write(OutputStream.nullOutputStream(), LambdaIo.httpApiResponse(
                ApiResponse.json(202, Map.of("id", ABSENT))));
        JsonNode sqs = LambdaIo.readTree(new ByteArrayInputStream(SQS_EVENT.getBytes(StandardCharsets.UTF_8)));
        SqsEvent batch = Json.MAPPER.convertValue(sqs, SqsEvent.class);
        LambdaIo.write(OutputStream.nullOutputStream(), new SqsBatchResponse(List.of(
                new SqsBatchResponse.ItemFailure(batch.records().get(0).messageId()))));
    }

    /**
     * One read-only management request through the router: with an unknown key (authentication,
     * 401), then trusted (routing, input checks, one Query of an absent instance's flow configs).
     * Throws if either answer is not the one expected, so the step is reported as failed.
     */
    private void primeApi() {
        JsonNode http = LambdaIo.readTree(new ByteArrayInputStream(API_EVENT.getBytes(StandardCharsets.UTF_8)));
        ApiRequest request = LambdaIo.apiRequest(LambdaIo.httpApiEvent(http));
        ManagementApi api = ferry.api();
        ApiResponse refused = api.handle(request);
        LambdaIo.write(OutputStream.nullOutputStream(), LambdaIo.httpApiResponse(refused));
        ApiResponse listed = api.handleTrusted(request);
        LambdaIo.write(OutputStream.nullOutputStream(), LambdaIo.httpApiResponse(listed));
        if (refused.status() != 401 || listed.status() != 200) {
            throw new IllegalStateException("management request answered " + refused.status() + " and " + listed.status());
        }
    }

    /** Parses a two-step flow and runs it in memory: the parser, JSONata and the engine, nothing stored. */
    private static void primeEngine() {
        IntegrationDefinition definition = DefinitionParser.parse(DEFINITION.getBytes(StandardCharsets.UTF_8),
                "application/json");
        HttpCaller noHttp = request -> {
            throw new IllegalStateException("priming makes no HTTP calls");
        };
        new FlowEngine(noHttp, Sleeper.SYSTEM, Clock.systemUTC()).run(definition.flows().get(0),
                new FlowInput(Json.tree("{\"method\": \"POST\", \"body\": {\"id\": 7, \"lines\": [{\"price\": 2}]}}"),
                        Map.of(), Json.object(), Set.of()), LogSink.NONE);
    }

    private static void step(List<String> failed, String name, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            // Expected for reads the role does not allow or of keys that do not exist (404).
            failed.add(name);
            Log.debug("priming step ended with an error", "step", name, "reason", e.getClass().getSimpleName());
        }
    }
}

package dev.ferry.bench;

import dev.ferry.core.Ferry;
import dev.ferry.core.Ports;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.functions.Wiring;
import dev.ferry.infra.AwsClients;
import dev.ferry.infra.CallCounter;
import dev.ferry.local.Demo;
import dev.ferry.local.LocalStack;
import dev.ferry.local.events.EventSource;
import dev.ferry.local.events.EventSourceContext;
import dev.ferry.local.lambda.FunctionSpec;
import dev.ferry.local.lambda.LocalFunction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark record (docs/benchmarks.md), run with {@code scripts/bench.sh}: start-up of each
 * function from a fresh JVM to its first handled event next to a hello-world handler, and the AWS
 * API calls to accept one webhook and to run one one-step execution, counted by an SDK
 * interceptor. Prints a Markdown report.
 */
public final class Benchmarks {
    public static void main(String[] args) throws Exception {
        boolean pauseOnly = args.length > 0 && args[0].equals("pause"); // scripts/bench.sh pause: only that section
        boolean costOnly = args.length > 0 && args[0].equals("cost"); // scripts/bench.sh cost: calls and cost only
        boolean startupOnly = args.length > 0 && args[0].equals("startup"); // scripts/bench.sh startup [runs]: start-up only
        int runs = startupOnly ? (args.length > 1 ? Integer.parseInt(args[1]) : 5)
                : args.length > 0 && !pauseOnly && !costOnly ? Integer.parseInt(args[0]) : 5;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        Path root = Path.of(System.getenv().getOrDefault("FERRY_REPO_ROOT", "."));
        String endpoint = System.getenv().getOrDefault("FERRY_AWS_ENDPOINT", "http://127.0.0.1:4566");
        // The queue consumers are off: the benchmark runs each function itself, so every call and
        // request unit measured belongs to the path being measured, and acceptance is measured alone.
        try (LocalStack stack = LocalStack.builder().template(root.resolve("template.yaml")).awsEndpoint(endpoint)
                .httpPort(intEnv("FERRY_HTTP_PORT", 0)).lambdaPort(intEnv("FERRY_LAMBDA_PORT", 0)).demo(true)
                .stateDir(Files.createTempDirectory("ferry-bench")).eventSourceType("SQS", Benchmarks::noConsumer)
                .out(new java.io.PrintStream(java.io.OutputStream.nullOutputStream())).build().start()) {
            Demo demo = stack.demo().orElseThrow();
            if (pauseOnly) {
                System.out.println(PauseBenchmark.report(stack));
                return;
            }
            // Each section is printed as soon as it is measured, so a later failure keeps the earlier ones.
            section("Run " + java.time.LocalDate.now(java.time.ZoneOffset.UTC) + " (UTC) on "
                    + Runtime.getRuntime().availableProcessors() + " cores, JVM " + System.getProperty("java.version")
                    + ", against " + endpoint + ": `scripts/bench.sh " + (costOnly ? "cost" : startupOnly ? "startup " + runs
                    : runs + " " + requests + " " + threads) + "`.\n\n");
            if (startupOnly) {
                section(startUp(stack, demo, root, runs));
                return;
            }
            section(callCounts(stack, demo));
            section(CostBenchmark.report(stack, demo, root, runs));
            if (costOnly) return;
            section(Throughput.report(stack, demo, requests, threads, Math.max(3, Math.min(runs, 5))));
            section(startUp(stack, demo, root, runs));
            section(packageSize(root));
            try {
                section(PauseBenchmark.report(stack));
            } catch (RuntimeException e) {
                section("## Pause and unpause: AWS calls\n\nNot measured in this run: " + e.getMessage() + "\n");
            }
        }
    }

    private static void section(String markdown) {
        System.out.print(markdown);
        System.out.flush();
    }

    private static int intEnv(String name, int fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
    }

    private static EventSource noConsumer(FunctionSpec function, FunctionSpec.Event event, EventSourceContext context) {
        return new EventSource() {
            @Override public String describe() {
                return "SQS (off for the benchmark) -> " + function.name();
            }
            @Override public void start() { }
            @Override public void close() { }
        };
    }

    /** The shaded function jar: its size and the packages that make it up (compressed). */
    static String packageSize(Path root) throws IOException {
        Path jar;
        try (var files = Files.list(root.resolve("functions/target"))) {
            jar = files.filter(p -> p.toString().endsWith("-lambda.jar")).findFirst().orElse(null);
        }
        if (jar == null) return "\n(no function package: run `mvn package` first)\n";
        Map<String, long[]> parts = new HashMap<>();
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
            zip.stream().forEach(e -> {
                String[] p = e.getName().split("/");
                String key = p[0].equals("software") && p.length > 4 ? String.join(".", java.util.Arrays.copyOf(p, 5))
                        : p.length > 3 ? String.join(".", java.util.Arrays.copyOf(p, 3)) : "(other)";
                if (key.startsWith("software.amazon.awssdk") && !key.contains(".services.")) key = "software.amazon.awssdk (core, auth, http, regions…)";
                long[] v = parts.computeIfAbsent(key, k -> new long[2]);
                v[0] += Math.max(0, e.getCompressedSize());
                v[1] += Math.max(0, e.getSize());
            });
        }
        StringBuilder out = new StringBuilder("## Function package\n\nOne shaded jar for every function (`")
                .append(root.relativize(jar)).append("`): **").append(Files.size(jar) / 1024).append(" KiB**.\n\n")
                .append("| part | compressed KiB | uncompressed KiB |\n|---|---|---|\n");
        parts.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(10)
                .forEach(e -> out.append("| ").append(e.getKey()).append(" | ").append(e.getValue()[0] / 1024).append(" | ")
                        .append(e.getValue()[1] / 1024).append(" |\n"));
        return out.append('\n').toString();
    }

    static String token(Demo demo) {
        return demo.webhookUrl().substring(demo.webhookUrl().lastIndexOf('/') + 1);
    }

    /** AWS calls to accept one webhook (cold and warm route cache) and to run one execution of the demo flow. */
    private static String callCounts(LocalStack stack, Demo demo) {
        Map<String, String> env = env(stack, "WebhookFunction");
        CallCounter counter = new CallCounter();
        AwsClients aws = AwsClients.fromEnv(env, List.of(counter));
        Ferry ferry = Wiring.fromEnv(env, aws);
        ExecutionRequest request = new ExecutionRequest("POST", Demo.SAMPLE_BODY.getBytes(StandardCharsets.UTF_8),
                Map.of("content-type", "application/json"), Map.of(), "application/json");
        StringBuilder out = new StringBuilder("## AWS API calls\n\n| path | calls | which |\n|---|---|---|\n");
        counter.reset();
        ferry.webhooks().accept(token(demo), request);
        out.append(row("accept one webhook, cold container (route not cached)", counter));
        counter.reset();
        ferry.webhooks().accept(token(demo), request);
        out.append(row("accept one webhook, warm container", counter));

        // An execution nobody else picks up: stored without enqueueing, then run here.
        Ports p = ferry.ports();
        Ferry quiet = new Ferry(p.withQueue(id -> { }), ferry.settings());
        Execution stored = quiet.webhooks().accept(token(demo), request);
        counter.reset();
        quiet.runner().run(stored.id());
        out.append(row("run one execution of the demo flow (log + transform), cold definition cache", counter));
        stored = quiet.webhooks().accept(token(demo), request);
        counter.reset();
        quiet.runner().run(stored.id());
        out.append(row("run one execution of the demo flow, warm container", counter));
        return out.append('\n').toString();
    }

    private static String row(String what, CallCounter counter) {
        return "| " + what + " | " + counter.total() + " | " + counter.snapshot() + " |\n";
    }

    static Map<String, String> env(LocalStack stack, String function) {
        LocalFunction f = stack.functions().find(function).orElseThrow();
        return new HashMap<>(f.spec().environment());
    }

    /** One sample event per function of template.yaml (its events/ file, with the demo's ids). */
    static Map<String, byte[]> sampleEvents(LocalStack stack, Demo demo, Path root) throws IOException {
        Map<String, String> events = new LinkedHashMap<>();
        events.put("WebhookFunction", Files.readString(root.resolve("events/webhook-post-json.json"))
                .replace("wh_sample_token_0123456789abcdef", token(demo)));
        events.put("FlowExecutionFunction", "{\"flowConfigId\":\"" + demo.flowConfigId()
                + "\",\"test\":{\"body\":\"{\\\"id\\\":1}\"}}");
        String someExecution = new String(stack.functions().invoke("FlowExecutionFunction",
                events.get("FlowExecutionFunction").getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        String id = dev.ferry.core.json.Json.tree(someExecution).path("id").asText();
        events.put("ManagementApiFunction", Files.readString(root.resolve("events/management-list-executions.json"))
                .replace("test-admin-key", stack.adminApiKey()).replace("ins_sample", demo.instanceId()));
        events.put("ReplayFunction", "{\"executionId\":\"" + id + "\"}");
        events.put("ScheduledTriggerFunction", Files.readString(root.resolve("events/scheduled-trigger-direct.json"))
                .replace("flc_sample_schedule", demo.flowConfigId()));
        events.put("RetryDispatchFunction", Files.readString(root.resolve("events/retry-dispatch-sqs.json"))
                .replace("exe_sample_original", id));
        events.put("MonitorEvaluationFunction", Files.readString(root.resolve("events/monitor-evaluation-sqs.json"))
                .replace("exe_sample_original", id).replace("ins_sample", demo.instanceId())
                .replace("cus_sample", demo.customerId()).replace("flc_sample", demo.flowConfigId()));
        events.put("ConsoleFunction", Files.readString(root.resolve("events/console-get-index.json")));
        Map<String, byte[]> out = new LinkedHashMap<>();
        events.forEach((k, v) -> out.put(k, v.getBytes(StandardCharsets.UTF_8)));
        for (LocalFunction f : stack.functions().all()) {
            if (!out.containsKey(f.spec().name())) throw new IllegalStateException("no sample event for " + f.spec().name());
        }
        return out;
    }

    /**
     * Fresh JVM to first handled event, per function, next to hello-world on the same JVM and
     * flags; then the same with the SnapStart priming hook run between constructor and event.
     */
    private static String startUp(LocalStack stack, Demo demo, Path root, int runs) throws Exception {
        Path dir = Files.createTempDirectory("ferry-bench-events");
        Map<String, byte[]> events = sampleEvents(stack, demo, root);
        StringBuilder out = new StringBuilder("## Start-up: fresh JVM to first handled event\n\n");
        out.append("Median (min–max) of ").append(runs).append(" fresh JVMs each, same JVM (`")
                .append(System.getProperty("java.version"))
                .append("`) and flags (`JAVA_TOOL_OPTIONS` from template.yaml), against the emulator. ")
                .append("*Primed* runs the SnapStart hook (`Priming`) after the constructor, as a checkpoint would, ")
                .append("and times the first event after it.\n\n");
        out.append("| handler | total ms | × hello-world | × SDK floor | constructor ms | first event ms | ")
                .append("primed: priming ms | primed: first event ms | first event × hello-world, primed |\n")
                .append("|---|---|---|---|---|---|---|---|---|\n");
        Map<String, String> baseEnv = env(stack, "WebhookFunction");
        Path hello = dir.resolve("hello.json");
        Files.writeString(hello, "{}");
        Stats helloMs = measure(HelloWorldFunction.class.getName(), hello, baseEnv, runs, false)[0];
        out.append("| hello-world | ").append(helloMs).append(" | 1.00 | | | | | | |\n");
        Stats sdkMs = measure(HelloDynamoDbFunction.class.getName(), hello, baseEnv, runs, false)[0];
        out.append("| hello-world + one DynamoDB GetItem (SDK floor) | ").append(sdkMs).append(" | ")
                .append(ratio(sdkMs, helloMs)).append(" | 1.00 | | | | | |\n");
        for (Map.Entry<String, byte[]> e : events.entrySet()) {
            LocalFunction f = stack.functions().find(e.getKey()).orElseThrow();
            Path file = dir.resolve(e.getKey() + ".json");
            Files.write(file, e.getValue());
            Stats[] cold = measure(f.spec().handlerClass(), file, env(stack, e.getKey()), runs, false);
            Stats[] primed = measure(f.spec().handlerClass(), file, env(stack, e.getKey()), runs, true);
            out.append("| ").append(e.getKey()).append(" | ").append(cold[0]).append(" | ").append(ratio(cold[0], helloMs))
                    .append(" | ").append(ratio(cold[0], sdkMs)).append(" | ").append(cold[1]).append(" | ")
                    .append(cold[2]).append(" | ").append(primed[3]).append(" | ").append(primed[2]).append(" | ")
                    .append(ratio(primed[2], helloMs)).append(" |\n");
        }
        return out.append('\n').toString();
    }

    private static String ratio(Stats a, Stats b) {
        return String.format("%.2f", a.median() / b.median());
    }

    /** Median and range of samples, printed {@code median (min–max)}. */
    record Stats(double median, double min, double max) {
        static Stats of(List<Double> samples) {
            List<Double> v = samples.stream().sorted().toList();
            return new Stats(v.get(v.size() / 2), v.get(0), v.get(v.size() - 1));
        }

        @Override
        public String toString() {
            return String.format("%.0f (%.0f–%.0f)", median, min, max);
        }
    }

    /** Total, constructor, first-event and priming milliseconds over {@code runs} fresh JVMs. */
    private static Stats[] measure(String handler, Path event, Map<String, String> env, int runs, boolean prime)
            throws IOException, InterruptedException {
        List<List<Double>> samples = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < runs; i++) {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), FirstEvent.class.getName(), handler, event.toString()));
            if (prime) command.add("prime");
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().putAll(env);
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process proc = pb.start();
            String line = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (proc.waitFor() != 0) throw new IllegalStateException(handler + " failed: " + line);
            var json = dev.ferry.core.json.Json.tree(line.substring(line.lastIndexOf("{\"jvmToMainMs\"")));
            samples.get(0).add(json.get("totalMs").asDouble());
            samples.get(1).add(json.get("initMs").asDouble());
            samples.get(2).add(json.get("firstEventMs").asDouble());
            samples.get(3).add(json.get("primeMs").asDouble());
        }
        return samples.stream().map(Stats::of).toArray(Stats[]::new);
    }

    private Benchmarks() {}
}

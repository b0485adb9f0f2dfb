package dev.ferry.local.bench;

import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.service.Ferry;
import dev.ferry.core.service.Ports;
import dev.ferry.functions.Wiring;
import dev.ferry.infra.AwsClients;
import dev.ferry.infra.CallCounter;
import dev.ferry.local.Demo;
import dev.ferry.local.LocalStack;
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
        int runs = args.length > 0 && !pauseOnly ? Integer.parseInt(args[0]) : 5;
        Path root = Path.of(System.getenv().getOrDefault("FERRY_REPO_ROOT", "."));
        String endpoint = System.getenv().getOrDefault("FERRY_AWS_ENDPOINT", "http://127.0.0.1:4566");
        try (LocalStack stack = LocalStack.builder().template(root.resolve("template.yaml")).awsEndpoint(endpoint)
                .httpPort(0).lambdaPort(0).demo(true).stateDir(Files.createTempDirectory("ferry-bench"))
                .out(new java.io.PrintStream(java.io.OutputStream.nullOutputStream())).build().start()) {
            Demo demo = stack.demo().orElseThrow();
            StringBuilder report = new StringBuilder();
            if (pauseOnly) {
                System.out.println(PauseBenchmark.report(stack));
                return;
            }
            report.append(callCounts(stack, demo));
            report.append(PauseBenchmark.report(stack));
            report.append(startUp(stack, demo, root, runs));
            Path jar = Files.list(root.resolve("functions/target")).filter(p -> p.toString().endsWith("-lambda.jar"))
                    .findFirst().orElse(null);
            if (jar != null) {
                report.append("\nFunction package (one shaded jar for every function): ")
                        .append(Files.size(jar) / 1024).append(" KiB\n");
            }
            System.out.println(report);
        }
    }

    private static String token(Demo demo) {
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

    private static Map<String, String> env(LocalStack stack, String function) {
        LocalFunction f = stack.functions().find(function).orElseThrow();
        return new HashMap<>(f.spec().environment());
    }

    /** Fresh JVM to first handled event, per function, next to hello-world on the same JVM and flags. */
    private static String startUp(LocalStack stack, Demo demo, Path root, int runs) throws Exception {
        Path dir = Files.createTempDirectory("ferry-bench-events");
        Map<String, byte[]> events = new LinkedHashMap<>();
        events.put("WebhookFunction", Files.readString(root.resolve("events/webhook-post-json.json"))
                .replace("wh_sample_token_0123456789abcdef", token(demo)).getBytes(StandardCharsets.UTF_8));
        events.put("FlowExecutionFunction", ("{\"flowConfigId\":\"" + demo.flowConfigId()
                + "\",\"test\":{\"body\":\"{\\\"id\\\":1}\"}}").getBytes(StandardCharsets.UTF_8));
        events.put("ManagementApiFunction", Files.readString(root.resolve("events/management-list-executions.json"))
                .replace("test-admin-key", stack.adminApiKey()).replace("ins_sample", demo.instanceId())
                .getBytes(StandardCharsets.UTF_8));
        String someExecution = stack.functions().find("FlowExecutionFunction").isPresent()
                ? new String(stack.functions().invoke("FlowExecutionFunction", events.get("FlowExecutionFunction")))
                : "";
        String id = dev.ferry.core.json.Json.tree(someExecution).path("id").asText();
        events.put("ReplayFunction", ("{\"executionId\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));

        StringBuilder out = new StringBuilder("## Start-up: fresh JVM to first handled event\n\n");
        out.append("Median of ").append(runs).append(" runs, same JVM (`").append(System.getProperty("java.version"))
                .append("`) and flags (`JAVA_TOOL_OPTIONS` from template.yaml), against the emulator.\n\n");
        out.append("| handler | median ms | × hello-world | constructor ms | first event ms |\n|---|---|---|---|---|\n");
        Map<String, String> baseEnv = env(stack, "WebhookFunction");
        Path hello = dir.resolve("hello.json");
        Files.writeString(hello, "{}");
        double helloMs = measure(HelloWorldFunction.class.getName(), hello, baseEnv, runs)[0];
        out.append("| hello-world | ").append((long) helloMs).append(" | 1.00 | | |\n");
        double sdkMs = measure(HelloDynamoDbFunction.class.getName(), hello, baseEnv, runs)[0];
        out.append("| hello-world + one DynamoDB GetItem (SDK floor) | ").append((long) sdkMs).append(" | ")
                .append(String.format("%.2f", sdkMs / helloMs)).append(" | | |\n");
        for (Map.Entry<String, byte[]> e : events.entrySet()) {
            LocalFunction f = stack.functions().find(e.getKey()).orElseThrow();
            Path file = dir.resolve(e.getKey() + ".json");
            Files.write(file, e.getValue());
            double[] m = measure(f.spec().handlerClass(), file, env(stack, e.getKey()), runs);
            out.append("| ").append(e.getKey()).append(" | ").append((long) m[0]).append(" | ")
                    .append(String.format("%.2f", m[0] / helloMs)).append(" | ").append((long) m[1]).append(" | ")
                    .append((long) m[2]).append(" |\n");
        }
        return out.toString();
    }

    /** Median total, constructor and first-event milliseconds over {@code runs} fresh JVMs. */
    private static double[] measure(String handler, Path event, Map<String, String> env, int runs)
            throws IOException, InterruptedException {
        List<double[]> samples = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), FirstEvent.class.getName(), handler, event.toString());
            pb.environment().putAll(env);
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process proc = pb.start();
            String line = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (proc.waitFor() != 0) throw new IllegalStateException(handler + " failed: " + line);
            var json = dev.ferry.core.json.Json.tree(line.substring(line.lastIndexOf("{\"jvmToMainMs\"")));
            samples.add(new double[] {json.get("totalMs").asDouble(), json.get("initMs").asDouble(),
                    json.get("firstEventMs").asDouble()});
        }
        double[] median = new double[3];
        for (int k = 0; k < 3; k++) {
            final int kk = k;
            List<Double> v = samples.stream().map(s -> s[kk]).sorted().toList();
            median[k] = v.get(v.size() / 2);
        }
        return median;
    }

    private Benchmarks() {}
}

package dev.ferry.local;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./ferry local [--no-demo]}: the local stack in the foreground until Ctrl-C.
 *
 * <p>Environment: {@code FERRY_AWS_ENDPOINT} (use this emulator; default: moto on 127.0.0.1:4566,
 * started here unless it is already running), {@code FERRY_HTTP_PORT} (3000),
 * {@code FERRY_LAMBDA_PORT} (3001), {@code FERRY_ADMIN_API_KEY} (default: generated),
 * {@code FERRY_STATE_DIR} (default {@code <repo>/.ferry}), {@code FERRY_REPO_ROOT} (set by
 * {@code ./ferry}; default: the current directory), {@code FERRY_LOCAL_IAM} ({@code enforce}: each
 * function acts with its own role, as on AWS; default {@code off}).
 */
public final class LocalStackMain {
    static final int MOTO_PORT = 4566;

    private LocalStackMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv()));
    }

    static int run(String[] args, Map<String, String> env) {
        boolean demo = true;
        for (String a : args) {
            switch (a) {
                case "--no-demo" -> demo = false;
                case "-h", "--help" -> {
                    System.out.println(usage());
                    return 0;
                }
                default -> {
                    System.err.println("ferry local: unknown option " + a + "\n" + usage());
                    return 2;
                }
            }
        }
        Path root = Path.of(blankToNull(env.get("FERRY_REPO_ROOT")) != null ? env.get("FERRY_REPO_ROOT") : "")
                .toAbsolutePath().normalize();
        Path stateDir = blankToNull(env.get("FERRY_STATE_DIR")) != null ? Path.of(env.get("FERRY_STATE_DIR"))
                : root.resolve(".ferry");
        Path template = root.resolve("template.yaml");
        if (!Files.isRegularFile(template)) {
            System.err.println("ferry local: no template.yaml in " + root + " (run it from the repository root, or via ./ferry local)");
            return 1;
        }

        MotoServer moto = null;
        LocalStack stack = null;
        try {
            int httpPort = port(env, "FERRY_HTTP_PORT", LocalStack.DEFAULT_HTTP_PORT);
            int lambdaPort = port(env, "FERRY_LAMBDA_PORT", LocalStack.DEFAULT_LAMBDA_PORT);
            URI endpoint;
            String given = blankToNull(env.get("FERRY_AWS_ENDPOINT"));
            if (given != null) {
                endpoint = URI.create(given);
                System.out.println("AWS emulator: " + endpoint + " (FERRY_AWS_ENDPOINT; nothing started)");
            } else {
                moto = MotoServer.startOrReuse(MOTO_PORT, stateDir.resolve("moto.log"), System.out::println,
                        Duration.ofSeconds(60));
                endpoint = moto.endpoint();
            }
            stack = LocalStack.builder()
                    .template(template)
                    .awsEndpoint(endpoint)
                    .httpPort(httpPort)
                    .lambdaPort(lambdaPort)
                    .adminApiKey(env.get("FERRY_ADMIN_API_KEY"))
                    .demo(demo)
                    .stateDir(stateDir)
                    .iam(iamEnforced(env))
                    .build();
            installShutdownHook(stack, moto);
            stack.start();
            long startupMs = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
            printBanner(stack, moto, env, startupMs);
        } catch (RuntimeException e) {
            System.err.println("ferry local: " + e.getMessage());
            if (stack != null) stack.close();
            if (moto != null) moto.close();
            return 1;
        }
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** FERRY_LOCAL_IAM: enforce or off (default). */
    static boolean iamEnforced(Map<String, String> env) {
        String v = blankToNull(env.get("FERRY_LOCAL_IAM"));
        if (v == null || v.equalsIgnoreCase("off")) return false;
        if (v.equalsIgnoreCase("enforce")) return true;
        throw new IllegalArgumentException("FERRY_LOCAL_IAM must be enforce or off, got " + v);
    }

    private static void installShutdownHook(LocalStack stack, MotoServer moto) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (stack.ready()) System.out.println("\nferry local: stopping…");
            stack.close();
            if (moto != null && moto.startedHere()) {
                moto.close();
                System.out.println("ferry local: moto stopped");
            }
        }, "ferry-local-shutdown"));
    }

    private static void printBanner(LocalStack stack, MotoServer moto, Map<String, String> env, long startupMs) {
        StringBuilder b = new StringBuilder("\n");
        b.append("Ferry local stack ready in ").append(startupMs).append(" ms (from JVM start to healthy)\n");
        b.append("  HTTP API         ").append(stack.apiUrl()).append("   (GET ").append(stack.apiUrl()).append("/health)\n");
        stack.consoleUrl().ifPresent(u -> b.append("  Console          ").append(u)
                .append(stack.consoleBuilt() ? "   (sign in with the admin API key below)\n"
                        : "   (not built: ./ferry local builds it with Node.js >= 20; see the console: line above)\n"));
        b.append("  Lambda API       ").append(stack.lambdaUrl())
                .append("   (aws lambda invoke --endpoint-url ").append(stack.lambdaUrl()).append(" --function-name …)\n");
        b.append("  AWS emulator     ").append(stack.awsEndpoint())
                .append(moto == null ? " (FERRY_AWS_ENDPOINT)" : moto.startedHere() ? " (moto, started here)" : " (moto, reused)")
                .append('\n');
        b.append("  Admin API key    ").append(stack.adminApiKey())
                .append(blankToNull(env.get("FERRY_ADMIN_API_KEY")) != null ? " (FERRY_ADMIN_API_KEY)" : " (generated)")
                .append('\n');
        b.append("  IAM              ").append(iamEnforced(env)
                ? "enforced: each function acts with its own role from template.yaml (FERRY_LOCAL_IAM=enforce)\n"
                : "not enforced (FERRY_LOCAL_IAM=enforce: each function with its own role, as on AWS)\n");
        stack.stateFile().ifPresent(f -> b.append("  State file       ").append(f).append(" (the CLI reads the key from it)\n"));
        stack.demo().ifPresent(d -> {
            b.append("\nDemo ").append(d.reused() ? "(kept from an earlier run)" : "seeded")
                    .append(": customer \"").append(DemoSeeder.CUSTOMER_NAME).append("\" ").append(d.customerId())
                    .append(", integration \"").append(DemoSeeder.INTEGRATION_NAME).append("\" ").append(d.integrationId())
                    .append(", instance \"").append(DemoSeeder.INSTANCE_NAME).append("\" ").append(d.instanceId()).append('\n');
            b.append("  webhook URL: ").append(d.webhookUrl()).append('\n');
            b.append("  send an order:\n    ").append(d.curl()).append('\n');
            b.append("  then:\n    ./ferry executions:list\n    ./ferry executions:show <executionId>\n");
        });
        b.append("\nCtrl-C to stop.");
        System.out.println(b);
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String v = blankToNull(env.get(name));
        if (v == null) return fallback;
        try {
            int p = Integer.parseInt(v.trim());
            if (p < 0 || p > 65535) throw new NumberFormatException();
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number (0-65535), got '" + v + "'");
        }
    }

    private static String usage() {
        return """
                usage: ./ferry local [--no-demo]
                  Starts the local stack in the foreground: an AWS emulator (moto on 127.0.0.1:4566 unless
                  FERRY_AWS_ENDPOINT is set), every resource of template.yaml, the HTTP API (FERRY_HTTP_PORT,
                  3000), the Lambda Invoke API (FERRY_LAMBDA_PORT, 3001) and the queue pollers.
                  --no-demo   do not seed the demo customer, integration and instance
                env: FERRY_AWS_ENDPOINT FERRY_HTTP_PORT FERRY_LAMBDA_PORT FERRY_ADMIN_API_KEY FERRY_STATE_DIR FERRY_LOCAL_IAM""";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}

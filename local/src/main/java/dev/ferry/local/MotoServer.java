package dev.ferry.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The moto server the local stack uses as its AWS when {@code FERRY_AWS_ENDPOINT} is not set:
 * {@code python3 -m moto.server -H 127.0.0.1 -p <port>} as a child process (installed with pip
 * first if {@code import moto.server} fails), or a moto already serving that port, reused.
 */
public final class MotoServer implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final URI endpoint;
    private final Process process;

    private MotoServer(URI endpoint, Process process) {
        this.endpoint = endpoint;
        this.process = process;
    }

    /**
     * Moto on 127.0.0.1:{@code port}: reused if it is already there, else started (its output goes
     * to {@code logFile}) and waited for until it answers, up to {@code deadline}.
     */
    public static MotoServer startOrReuse(int port, Path logFile, Consumer<String> log, Duration deadline) {
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        if (listening(port)) {
            if (isMoto(endpoint)) {
                log.accept("AWS emulator: moto is already serving " + endpoint + "; reusing it (its state is kept)");
                return new MotoServer(endpoint, null);
            }
            throw new IllegalStateException("port " + port + " is in use by something that is not moto. If it is another "
                    + "AWS emulator (e.g. LocalStack), set FERRY_AWS_ENDPOINT=" + endpoint + "; otherwise free the port.");
        }
        ensureInstalled(log);
        log.accept("AWS emulator: starting moto on " + endpoint + " (log: " + logFile + ")");
        Process p;
        try {
            Files.createDirectories(logFile.getParent());
            p = new ProcessBuilder(List.of("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", Integer.toString(port)))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start moto (python3 -m moto.server): " + e.getMessage(), e);
        }
        MotoServer server = new MotoServer(endpoint, p);
        long end = System.nanoTime() + deadline.toNanos();
        while (!isMoto(endpoint)) {
            if (!p.isAlive()) {
                throw new IllegalStateException("moto exited with status " + p.exitValue() + " before answering; "
                        + "see " + logFile + tail(logFile));
            }
            if (System.nanoTime() > end) {
                server.close();
                throw new IllegalStateException("moto did not answer on " + endpoint + " within " + deadline.toSeconds()
                        + " s; see " + logFile + tail(logFile));
            }
            pause(100);
        }
        return server;
    }

    /** Installs {@code moto[server]} with pip when {@code python3 -c "import moto.server"} fails. */
    static void ensureInstalled(Consumer<String> log) {
        if (run(List.of("python3", "-c", "import moto.server"), false) == 0) return;
        log.accept("AWS emulator: moto is not installed; installing it: python3 -m pip install 'moto[server]'");
        if (run(List.of("python3", "-m", "pip", "install", "moto[server]"), true) != 0
                || run(List.of("python3", "-c", "import moto.server"), false) != 0) {
            throw new IllegalStateException("could not install moto; install it yourself (python3 -m pip install "
                    + "'moto[server]', or in a virtualenv) or point FERRY_AWS_ENDPOINT at a running AWS emulator");
        }
    }

    private static int run(List<String> command, boolean showOutput) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command);
            if (showOutput) pb.inheritIO();
            else pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            return pb.start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + " (Python 3 is needed for the local AWS "
                    + "emulator, or set FERRY_AWS_ENDPOINT): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** True when moto answers {@code GET /moto-api/data.json} at {@code endpoint}. */
    public static boolean isMoto(URI endpoint) {
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/data.json"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** True when this process started moto (and so stops it on close). */
    public boolean startedHere() {
        return process != null;
    }

    /** Stops moto if this process started it. */
    @Override
    public void close() {
        if (process == null || !process.isAlive()) return;
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.isEmpty() ? "" : ":\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for moto", e);
        }
    }
}

package dev.ferry.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** The emulator the ITs run against ({@code -Dferry.aws.endpoint}, set by ./ferry test) and the repository's template. */
final class TestEmulator {
    private TestEmulator() {}

    static URI endpoint() {
        return URI.create(System.getProperty("ferry.aws.endpoint", "http://127.0.0.1:4566"));
    }

    /**
     * Where stacks with IAM enforced write what their functions asked AWS for ({@code -Dferry.iam.ledger},
     * set by the build for IamPolicyAuditIT to read after the suite), or null: not written.
     */
    static Path iamLedgerDir() {
        String dir = System.getProperty("ferry.iam.ledger", "");
        return dir.isBlank() ? null : Path.of(dir);
    }

    /**
     * Clears the emulator's state ({@code POST /moto-api/reset}) and its IAM enforcement (a stack
     * that enforced it and did not stop leaves it on); fails clearly when it is not running.
     */
    static void reset() {
        dev.ferry.local.iam.MotoIam.relax(endpoint());
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint().resolve("/moto-api/reset"))
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException("moto reset answered " + r.statusCode() + ": " + r.body());
        } catch (IOException e) {
            throw new IllegalStateException("no AWS emulator (moto) at " + endpoint() + " — run the ITs with ./ferry test, "
                    + "or start moto and pass -Dferry.aws.endpoint=…: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Path template() {
        return dev.ferry.template.Template.inRepository();
    }
}

package dev.ferry.local.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleFilesTest {
    @TempDir
    Path dir;
    private Path dist;
    private ConsoleFiles console;

    @BeforeEach
    void build() throws IOException {
        dist = dir.resolve("dist");
        Files.createDirectories(dist.resolve("assets"));
        Files.writeString(dist.resolve("index.html"), "<!doctype html><title>Ferry console</title>");
        Files.writeString(dist.resolve("assets/index-abc123.js"), "console.log('x');".repeat(100));
        Files.writeString(dist.resolve("assets/font-abc.woff2"), "binary");
        Files.writeString(dir.resolve("secret.txt"), "outside the console");
        Files.writeString(dist.resolve(".hidden"), "hidden");
        console = new ConsoleFiles(dist);
    }

    private static String text(ConsoleFiles.Answer a) {
        return new String(a.body(), StandardCharsets.UTF_8);
    }

    @Test
    void everyAnswerCarriesAStrictContentSecurityPolicy() {
        for (String path : new String[] {"/console/", "/console/assets/index-abc123.js", "/console/nope.js", "/console/../x"}) {
            ConsoleFiles.Answer a = console.answer("GET", path, null);
            String csp = a.headers().get("Content-Security-Policy");
            assertThat(csp).as(path).contains("default-src 'none'", "script-src 'self'", "style-src 'self'",
                    "connect-src 'self'", "frame-ancestors 'none'", "require-trusted-types-for 'script'");
            assertThat(csp).as(path).doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:");
            assertThat(a.headers()).containsEntry("X-Content-Type-Options", "nosniff");
        }
    }

    @Test
    void theRootAndEveryPageOfTheAppAnswerIndexHtmlSoLinksCanBeShared() {
        for (String path : new String[] {"/console/", "/console/instances", "/console/executions/exe_01ABC",
                "/console/instances/ins_1/logs"}) {
            ConsoleFiles.Answer a = console.answer("GET", path, null);
            assertThat(a.status()).as(path).isEqualTo(200);
            assertThat(text(a)).as(path).contains("<title>Ferry console</title>");
            assertThat(a.headers()).as(path).containsEntry("Content-Type", "text/html; charset=utf-8")
                    .containsEntry("Cache-Control", "no-cache");
        }
    }

    @Test
    void hashedAssetsAreServedWithTheirTypeAndCachedForever() {
        ConsoleFiles.Answer js = console.answer("GET", "/console/assets/index-abc123.js", null);
        assertThat(js.status()).isEqualTo(200);
        assertThat(js.headers()).containsEntry("Content-Type", "text/javascript; charset=utf-8")
                .containsEntry("Cache-Control", "public, max-age=31536000, immutable");
        assertThat(console.answer("GET", "/console/assets/font-abc.woff2", null).headers())
                .containsEntry("Content-Type", "font/woff2");
    }

    @Test
    void textIsGzippedWhenTheBrowserAcceptsIt() throws IOException {
        ConsoleFiles.Answer plain = console.answer("GET", "/console/assets/index-abc123.js", "br");
        ConsoleFiles.Answer gz = console.answer("GET", "/console/assets/index-abc123.js", "gzip, deflate, br");
        assertThat(plain.headers()).doesNotContainKey("Content-Encoding").containsEntry("Vary", "Accept-Encoding");
        assertThat(gz.headers()).containsEntry("Content-Encoding", "gzip");
        assertThat(gz.body().length).isLessThan(plain.body().length);
        try (var in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
            assertThat(in.readAllBytes()).isEqualTo(plain.body());
        }
        assertThat(console.answer("GET", "/console/assets/index-abc123.js", "gzip;q=0").headers())
                .doesNotContainKey("Content-Encoding");
    }

    @Test
    void nothingOutsideTheBuiltConsoleNorAHiddenFileCanBeRead() {
        for (String path : new String[] {"/console/../secret.txt", "/console/%2e%2e/secret.txt", "/console/assets/..%2f..%2fsecret.txt",
                "/console/.hidden", "/console/%2ehidden", "/console/assets\\..\\..\\secret.txt", "/console/%00", "/console//etc/passwd"}) {
            ConsoleFiles.Answer a = console.answer("GET", path, null);
            assertThat(text(a)).as(path).doesNotContain("outside the console", "hidden");
            assertThat(a.status()).as(path).isIn(404, 200);
            if (a.status() == 200) assertThat(text(a)).as(path).contains("Ferry console");
        }
        assertThat(console.answer("GET", "/console/missing.js", null).status()).isEqualTo(404);
    }

    @Test
    void onlyGetAndHeadAreAnswered() {
        ConsoleFiles.Answer post = console.answer("POST", "/console/", null);
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.headers()).containsEntry("Allow", "GET, HEAD");
        ConsoleFiles.Answer head = console.answer("HEAD", "/console/", null);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void theBarePrefixRedirectsToTheConsole() {
        ConsoleFiles.Answer a = console.answer("GET", "/console", null);
        assertThat(a.status()).isEqualTo(308);
        assertThat(a.headers()).containsEntry("Location", "/console/");
        assertThat(ConsoleFiles.handles("/console")).isTrue();
        assertThat(ConsoleFiles.handles("/console/x")).isTrue();
        assertThat(ConsoleFiles.handles("/consoles")).isFalse();
        assertThat(ConsoleFiles.handles("/instances")).isFalse();
    }

    @Test
    void anUnbuiltConsoleSaysHowToBuildIt() {
        ConsoleFiles none = new ConsoleFiles(dir.resolve("not-built"));
        ConsoleFiles.Answer a = none.answer("GET", "/console/instances", null);
        assertThat(none.built()).isFalse();
        assertThat(a.status()).isEqualTo(503);
        assertThat(text(a)).contains("npm ci && npm run build");
    }
}

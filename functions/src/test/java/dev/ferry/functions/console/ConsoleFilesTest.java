package dev.ferry.functions.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class ConsoleFilesTest {
    private final Map<String, byte[]> dist = new HashMap<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final ConsoleFiles console;

    ConsoleFilesTest() {
        put("index.html", "<!doctype html><title>Ferry console</title>");
        put("assets/index-abc123.js", "console.log('x');".repeat(100));
        put("assets/font-abc.woff2", "binary");
        put("favicon.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        put(".hidden", "hidden");
        put("assets/.hidden", "hidden");
        console = new ConsoleFiles(relative -> {
            reads.incrementAndGet();
            return dist.get(relative);
        });
    }

    private void put(String name, String text) {
        dist.put(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(ConsoleFiles.Answer a) {
        return new String(a.body(), StandardCharsets.UTF_8);
    }

    @Test
    void everyAnswerCarriesAStrictContentSecurityPolicy() {
        for (String path : new String[] {"/console/", "/console/assets/index-abc123.js", "/console/nope.js", "/console/../x", "/console"}) {
            ConsoleFiles.Answer a = console.answer("GET", path, null);
            String csp = a.headers().get("Content-Security-Policy");
            assertThat(csp).as(path).contains("default-src 'none'", "script-src 'self'", "style-src 'self'",
                    "connect-src 'self'", "frame-ancestors 'none'", "require-trusted-types-for 'script'");
            assertThat(csp).as(path).doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:");
            assertThat(a.headers()).as(path).containsEntry("X-Content-Type-Options", "nosniff")
                    .containsEntry("X-Frame-Options", "DENY").containsEntry("Referrer-Policy", "no-referrer");
        }
    }

    @Test
    void theRootAndEveryPageOfTheAppAnswerIndexHtmlSoLinksCanBeShared() {
        for (String path : new String[] {"/console/", "/console/instances", "/console/executions/exe_01ABC",
                "/console/instances/ins_1/logs", "/console/instances/"}) {
            ConsoleFiles.Answer a = console.answer("GET", path, null);
            assertThat(a.status()).as(path).isEqualTo(200);
            assertThat(text(a)).as(path).contains("<title>Ferry console</title>");
            assertThat(a.headers()).as(path).containsEntry("Content-Type", "text/html; charset=utf-8")
                    .containsEntry("Cache-Control", "no-cache");
            assertThat(a.text()).as(path).isTrue();
        }
    }

    @Test
    void hashedAssetsAreServedWithTheirTypeAndCachedForever() {
        ConsoleFiles.Answer js = console.answer("GET", "/console/assets/index-abc123.js", null);
        assertThat(js.status()).isEqualTo(200);
        assertThat(js.headers()).containsEntry("Content-Type", "text/javascript; charset=utf-8")
                .containsEntry("Cache-Control", "public, max-age=31536000, immutable");
        ConsoleFiles.Answer font = console.answer("GET", "/console/assets/font-abc.woff2", null);
        assertThat(font.headers()).containsEntry("Content-Type", "font/woff2");
        assertThat(font.text()).as("a font is carried base64-encoded").isFalse();
        ConsoleFiles.Answer svg = console.answer("GET", "/console/favicon.svg", null);
        assertThat(svg.headers()).containsEntry("Content-Type", "image/svg+xml").containsEntry("Cache-Control", "no-cache");
    }

    @Test
    void textIsGzippedWhenTheBrowserAcceptsIt() throws IOException {
        ConsoleFiles.Answer plain = console.answer("GET", "/console/assets/index-abc123.js", "br");
        ConsoleFiles.Answer gz = console.answer("GET", "/console/assets/index-abc123.js", "gzip, deflate, br");
        assertThat(plain.headers()).doesNotContainKey("Content-Encoding").containsEntry("Vary", "Accept-Encoding");
        assertThat(plain.text()).isTrue();
        assertThat(gz.headers()).containsEntry("Content-Encoding", "gzip");
        assertThat(gz.text()).as("gzip is carried base64-encoded").isFalse();
        assertThat(gz.body().length).isLessThan(plain.body().length);
        try (var in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
            assertThat(in.readAllBytes()).isEqualTo(plain.body());
        }
        assertThat(console.answer("GET", "/console/assets/index-abc123.js", "gzip;q=0").headers())
                .doesNotContainKey("Content-Encoding");
        assertThat(console.answer("GET", "/console/assets/font-abc.woff2", "gzip").headers())
                .as("fonts are compressed already").doesNotContainKey("Content-Encoding");
    }

    @Test
    void aFileIsReadFromThePackageOnceAndOnlyFilesThatExistAreKept() {
        for (int i = 0; i < 3; i++) console.answer("GET", "/console/assets/index-abc123.js", "gzip");
        assertThat(reads.get()).isEqualTo(1);
        for (int i = 0; i < 3; i++) console.answer("GET", "/console/assets/missing-" + i + ".js", null);
        assertThat(reads.get()).isEqualTo(4);
        console.answer("GET", "/console/assets/missing-0.js", null);
        assertThat(reads.get()).as("a missing file is looked up again, never remembered").isEqualTo(5);
    }

    @Test
    void aMissingAssetIs404() {
        ConsoleFiles.Answer a = console.answer("GET", "/console/assets/missing.js", null);
        assertThat(a.status()).isEqualTo(404);
        assertThat(text(a)).isEqualTo("Not Found");
        assertThat(console.answer("GET", "/console/nope.css", null).status()).isEqualTo(404);
    }

    @Test
    void nothingOutsideTheBuiltConsoleNorAHiddenFileCanBeRead() {
        for (String path : new String[] {"/console/../secret.txt", "/console/%2e%2e/secret.txt", "/console/assets/..%2f..%2fsecret.txt",
                "/console/.hidden", "/console/%2ehidden", "/console/assets/.hidden", "/console/assets\\..\\..\\secret.txt",
                "/console/%00", "/console//etc/passwd", "/console/assets//index-abc123.js", "/console/C:%5Cwindows%5Cwin.ini",
                "/console/%zz.js"}) {
            ConsoleFiles.Answer a = console.answer("GET", path, null);
            assertThat(a.status()).as(path).isEqualTo(404);
            assertThat(text(a)).as(path).isEqualTo("Not Found");
        }
        assertThat(reads.get()).as("a refused path never reaches the package").isZero();
    }

    @Test
    void onlyGetAndHeadAreAnswered() {
        for (String method : new String[] {"POST", "PUT", "DELETE", "OPTIONS", "PATCH"}) {
            ConsoleFiles.Answer a = console.answer(method, "/console/", null);
            assertThat(a.status()).as(method).isEqualTo(405);
            assertThat(a.headers()).as(method).containsEntry("Allow", "GET, HEAD");
        }
        ConsoleFiles.Answer head = console.answer("HEAD", "/console/", null);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.headers()).containsEntry("Content-Type", "text/html; charset=utf-8");
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
        assertThat(console.answer("GET", "/consoles/x", null).status()).isEqualTo(404);
    }

    @Test
    void anUnbuiltConsoleSaysHowToBuildIt() {
        ConsoleFiles none = new ConsoleFiles(relative -> null);
        ConsoleFiles.Answer a = none.answer("GET", "/console/instances", null);
        assertThat(none.built()).isFalse();
        assertThat(console.built()).isTrue();
        assertThat(a.status()).isEqualTo(503);
        assertThat(text(a)).contains("npm ci && npm run build", "./ferry local and sam build");
        assertThat(a.headers()).containsKey("Content-Security-Policy");
    }

    @Test
    void theConsoleIsReadFromTheClasspathAsTheBuildPackagesItFilesOnly() {
        ConsoleFiles packaged = ConsoleFiles.onClasspath(getClass().getClassLoader(), "console-fixture");
        assertThat(packaged.built()).isTrue();
        assertThat(text(packaged.answer("GET", "/console/instances", null))).contains("<title>Ferry console</title>");
        ConsoleFiles.Answer png = packaged.answer("GET", "/console/assets/logo-789abc.png", "gzip");
        assertThat(png.status()).isEqualTo(200);
        assertThat(png.headers()).containsEntry("Content-Type", "image/png").doesNotContainKey("Content-Encoding");
        assertThat(png.body()).startsWith(0x89, 'P', 'N', 'G');
        assertThat(packaged.answer("GET", "/console/assets.txt", null).status()).isEqualTo(404);
        // A directory of the package is not a file (its listing is never served); the file beside the console is out of reach.
        ConsoleFiles.Answer directory = packaged.answer("GET", "/console/assets/dir.d", null);
        assertThat(directory.status()).isEqualTo(404);
        assertThat(text(directory)).doesNotContain("inner");
        assertThat(text(packaged.answer("GET", "/console/assets/dir.d/inner.txt", null))).isEqualTo("inside a directory\n");
        assertThat(text(packaged.answer("GET", "/console/..%2fconsole-secret.txt", null))).doesNotContain("outside");
        assertThat(ConsoleFiles.onClasspath(getClass().getClassLoader(), "no-such-console").built()).isFalse();
    }
}

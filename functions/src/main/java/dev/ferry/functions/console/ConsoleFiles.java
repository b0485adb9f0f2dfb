package dev.ferry.functions.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

/**
 * The operator console's built files under {@code /console/}, on the same origin as the API. The
 * build puts {@code console/dist} into the functions' package as classpath resources under
 * {@value #RESOURCES}/ ({@code functions/pom.xml}); {@link ConsoleFunction} serves them on AWS and,
 * through the same template route, on the local stack. Files by path; any other path whose last
 * segment has no extension is a page of the app and gets {@code index.html} (the app routes it), so
 * every page's URL can be shared. Every answer has a strict Content-Security-Policy. Transport-neutral:
 * {@link #answer} maps a request to an {@link Answer}; the handler writes it as API Gateway's answer.
 */
public final class ConsoleFiles {
    public static final String PREFIX = "/console";
    /** Where the built console is on the classpath (the package's {@code ferry-console/}). */
    public static final String RESOURCES = "ferry-console";

    /**
     * Only the console's own scripts, styles and API calls; {@code data:} only for the fonts and
     * images its stylesheets embed; no inline script or style, no framing, no form posts, and DOM
     * sinks that parse HTML refuse plain strings (Trusted Types), so no text can become markup.
     */
    public static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "manifest-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
            "require-trusted-types-for 'script'",
            "trusted-types 'none'");

    static final String NOT_BUILT = "The console is not in this package: it is built (Node.js >= 20) before the functions' "
            + "jar. ./ferry local and sam build do both; by hand: cd console && npm ci && npm run build, then "
            + "./scripts/mvn.sh -pl functions -am package";

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("ttf", "font/ttf"),
            Map.entry("txt", "text/plain; charset=utf-8"));

    /** An answer: status, headers, body (empty for HEAD). */
    public record Answer(int status, Map<String, String> headers, byte[] body) {
        /** Whether the body is UTF-8 text as it stands (not compressed, a text type), or bytes to carry base64-encoded. */
        public boolean text() {
            return !headers.containsKey("Content-Encoding") && textual(headers.getOrDefault("Content-Type", ""));
        }
    }

    /** The built console's files by their path under it ({@code index.html}, {@code assets/index-abc.js}). */
    @FunctionalInterface
    public interface Source {
        /** The file's bytes, or null when there is no such file. */
        byte[] read(String relative) throws IOException;
    }

    /** A file as served: its bytes and, for a compressible type, its gzip (made on first use). */
    private static final class File {
        final byte[] bytes;
        volatile byte[] gzip;

        File(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    private final Source source;
    /** Files read so far (the package never changes under a running container); only files that exist, so no path fills it. */
    private final Map<String, File> files = new ConcurrentHashMap<>();

    public ConsoleFiles(Source source) {
        this.source = source;
    }

    /** The console built into this package: {@value #RESOURCES}/ on the classpath. */
    public static ConsoleFiles packaged() {
        return onClasspath(ConsoleFiles.class.getClassLoader(), RESOURCES);
    }

    /**
     * The files under {@code root} on {@code loader}'s classpath: a directory (Lambda's unpacked
     * package, {@code target/classes}) or a jar. A directory is not a file, so its listing is never read.
     */
    public static ConsoleFiles onClasspath(ClassLoader loader, String root) {
        return new ConsoleFiles(relative -> {
            String name = root + "/" + relative;
            URL url = loader.getResource(name);
            if (url == null) return null;
            if (url.getProtocol().equals("file")) {
                try {
                    if (!Files.isRegularFile(Path.of(url.toURI()))) return null;
                } catch (URISyntaxException | IllegalArgumentException e) {
                    return null;
                }
            } else if (loader.getResource(name + "/") != null) {
                return null; // a jar's directory entry
            }
            try (InputStream in = loader.getResourceAsStream(name)) {
                return in == null ? null : in.readAllBytes();
            }
        });
    }

    /** Whether the console is there ({@code index.html} is). */
    public boolean built() {
        try {
            return file("index.html") != null;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether a request's raw path is the console's: {@code /console} or under {@code /console/}. */
    public static boolean handles(String rawPath) {
        return rawPath.equals(PREFIX) || rawPath.startsWith(PREFIX + "/");
    }

    /** The answer to {@code method rawPath}; {@code acceptEncoding} may be null. */
    public Answer answer(String method, String rawPath, String acceptEncoding) {
        boolean head = "HEAD".equals(method);
        if (!"GET".equals(method) && !head) {
            Map<String, String> h = headers("text/plain; charset=utf-8");
            h.put("Allow", "GET, HEAD");
            return text(405, h, "Method Not Allowed: the console's files are read with GET", head);
        }
        if (rawPath == null || !handles(rawPath)) return notFound(head);
        if (rawPath.equals(PREFIX)) {
            Map<String, String> h = headers("text/plain; charset=utf-8");
            h.put("Location", PREFIX + "/");
            return text(308, h, "The console is at " + PREFIX + "/", head);
        }
        String relative = decode(rawPath.substring(PREFIX.length() + 1));
        if (relative == null || !safe(relative)) return notFound(head);
        String name = relative;
        String cache = "no-cache";
        if (relative.isEmpty() || !lastSegment(relative).contains(".")) {
            // A page of the app: its routes have no extension.
            name = "index.html";
        } else if (relative.startsWith("assets/")) {
            // Vite names every asset by its content's hash: a name never changes content.
            cache = "public, max-age=31536000, immutable";
        }
        File file;
        try {
            file = file(name);
            if (file == null && name.equals("index.html")) {
                return text(503, headers("text/plain; charset=utf-8"), NOT_BUILT, head);
            }
        } catch (IOException | RuntimeException e) {
            return text(500, headers("text/plain; charset=utf-8"), "Could not read the console's " + name, head);
        }
        if (file == null) return notFound(head);
        String type = TYPES.getOrDefault(extension(name), "application/octet-stream");
        Map<String, String> h = headers(type);
        h.put("Cache-Control", cache);
        byte[] body = file.bytes;
        if (compressible(type)) {
            h.put("Vary", "Accept-Encoding");
            if (acceptsGzip(acceptEncoding)) {
                body = gzip(file);
                h.put("Content-Encoding", "gzip");
            }
        }
        return new Answer(200, h, head ? new byte[0] : body);
    }

    private File file(String name) throws IOException {
        File f = files.get(name);
        if (f != null) return f;
        byte[] bytes = source.read(name);
        if (bytes == null) return null;
        f = new File(bytes);
        File before = files.putIfAbsent(name, f);
        return before != null ? before : f;
    }

    /** The headers of every console answer: its type and the security headers. */
    static Map<String, String> headers(String contentType) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", contentType);
        h.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        h.put("X-Content-Type-Options", "nosniff");
        h.put("X-Frame-Options", "DENY");
        h.put("Referrer-Policy", "no-referrer");
        h.put("Cross-Origin-Opener-Policy", "same-origin");
        h.put("Cross-Origin-Resource-Policy", "same-origin");
        return h;
    }

    private static byte[] gzip(File file) {
        byte[] gz = file.gzip;
        if (gz != null) return gz;
        ByteArrayOutputStream out = new ByteArrayOutputStream(file.bytes.length / 3 + 64);
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(file.bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        gz = out.toByteArray();
        file.gzip = gz;
        return gz;
    }

    private static boolean compressible(String type) {
        return textual(type);
    }

    private static boolean textual(String type) {
        return type.startsWith("text/") || type.startsWith("application/json") || type.startsWith("image/svg");
    }

    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) return false;
        for (String part : acceptEncoding.toLowerCase(Locale.ROOT).split(",")) {
            String[] p = part.trim().split(";");
            if (!p[0].trim().equals("gzip")) continue;
            for (int i = 1; i < p.length; i++) {
                String q = p[i].trim();
                if (q.startsWith("q=")) {
                    try {
                        return Double.parseDouble(q.substring(2)) > 0;
                    } catch (NumberFormatException e) {
                        return false;
                    }
                }
            }
            return true;
        }
        return false;
    }

    /**
     * Only names of files under the console: no parent or hidden segments, no empty segment before
     * the last, no backslashes, colons or control characters.
     */
    private static boolean safe(String relative) {
        if (relative.startsWith("/")) return false;
        for (int i = 0; i < relative.length(); i++) {
            char c = relative.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\' || c == ':') return false;
        }
        String[] segments = relative.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].startsWith(".")) return false;
            if (segments[i].isEmpty() && i < segments.length - 1) return false;
        }
        return true;
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String lastSegment(String relative) {
        int slash = relative.lastIndexOf('/');
        return slash < 0 ? relative : relative.substring(slash + 1);
    }

    private static String extension(String name) {
        String last = lastSegment(name);
        int dot = last.lastIndexOf('.');
        return dot < 0 ? "" : last.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static Answer notFound(boolean head) {
        return text(404, headers("text/plain; charset=utf-8"), "Not Found", head);
    }

    private static Answer text(int status, Map<String, String> headers, String text, boolean head) {
        return new Answer(status, headers, head ? new byte[0] : text.getBytes(StandardCharsets.UTF_8));
    }
}

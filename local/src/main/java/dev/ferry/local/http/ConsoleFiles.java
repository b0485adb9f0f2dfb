package dev.ferry.local.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * The operator console's built files ({@code console/dist}) under {@code /console/}, on the same
 * origin as the API. Files by path; any other path without an extension is a page of the app and
 * gets {@code index.html} (the app routes it), so every page's URL can be shared. Every answer has a
 * strict Content-Security-Policy. Transport-neutral: {@link #answer} maps a request to an
 * {@link Answer}; the HTTP API server writes it.
 */
public final class ConsoleFiles {
    public static final String PREFIX = "/console";

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

    /** An answer: status, headers, body (empty for HEAD, written by the server as it is). */
    public record Answer(int status, Map<String, String> headers, byte[] body) {}

    private record Compressed(long modified, long size, byte[] gzip) {}

    private final Path root;
    private final Map<Path, Compressed> gzipCache = new ConcurrentHashMap<>();

    /** {@code root}: the built console, {@code console/dist}; it may not exist (yet). */
    public ConsoleFiles(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** Whether the console has been built ({@code index.html} is there). */
    public boolean built() {
        return Files.isRegularFile(root.resolve("index.html"));
    }

    /** Whether a request's raw path is the console's: {@code /console} or under {@code /console/}. */
    public static boolean handles(String rawPath) {
        return rawPath.equals(PREFIX) || rawPath.startsWith(PREFIX + "/");
    }

    /** The answer to {@code method rawPath}; {@code acceptEncoding} may be null. */
    public Answer answer(String method, String rawPath, String acceptEncoding) {
        boolean head = method.equals("HEAD");
        if (!method.equals("GET") && !head) {
            Map<String, String> h = headers("text/plain; charset=utf-8");
            h.put("Allow", "GET, HEAD");
            return text(405, h, "Method Not Allowed: the console's files are read with GET", head);
        }
        if (rawPath.equals(PREFIX)) {
            Map<String, String> h = headers("text/plain; charset=utf-8");
            h.put("Location", PREFIX + "/");
            return text(308, h, "The console is at " + PREFIX + "/", head);
        }
        if (!built()) {
            return text(503, headers("text/plain; charset=utf-8"), "The console is not built: ./ferry local builds it "
                    + "(Node.js >= 20 is needed), or run: cd console && npm ci && npm run build", head);
        }
        String relative = decode(rawPath.substring(PREFIX.length() + 1));
        if (relative == null || !safe(relative)) return notFound(head);
        Path file = relative.isEmpty() ? root.resolve("index.html") : root.resolve(relative).normalize();
        if (!file.startsWith(root)) return notFound(head);
        String cache = "no-cache";
        if (Files.isRegularFile(file)) {
            // Vite names every asset by its content's hash: a name never changes content.
            if (relative.startsWith("assets/")) cache = "public, max-age=31536000, immutable";
        } else if (!lastSegment(relative).contains(".")) {
            file = root.resolve("index.html");
        } else {
            return notFound(head);
        }
        String type = TYPES.getOrDefault(extension(file), "application/octet-stream");
        Map<String, String> h = headers(type);
        h.put("Cache-Control", cache);
        try {
            byte[] body = Files.readAllBytes(file);
            if (compressible(type)) {
                h.put("Vary", "Accept-Encoding");
                if (acceptsGzip(acceptEncoding)) {
                    body = gzip(file, body);
                    h.put("Content-Encoding", "gzip");
                }
            }
            return new Answer(200, h, head ? new byte[0] : body);
        } catch (IOException e) {
            return text(500, headers("text/plain; charset=utf-8"), "Could not read " + relative + ": " + e.getMessage(), head);
        }
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

    private byte[] gzip(Path file, byte[] body) {
        long modified;
        try {
            modified = Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            modified = -1;
        }
        Compressed c = gzipCache.get(file);
        if (c != null && c.modified() == modified && c.size() == body.length) return c.gzip();
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 3 + 64);
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] gz = out.toByteArray();
        gzipCache.put(file, new Compressed(modified, body.length, gz));
        return gz;
    }

    private static boolean compressible(String type) {
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

    /** No parent segments, hidden files, backslashes or control characters: a path can only name a file under the root. */
    private static boolean safe(String relative) {
        if (relative.indexOf('\\') >= 0) return false;
        for (int i = 0; i < relative.length(); i++) if (relative.charAt(i) < 0x20) return false;
        for (String segment : relative.split("/", -1)) {
            if (segment.startsWith(".")) return false;
        }
        return !relative.startsWith("/");
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

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static Answer notFound(boolean head) {
        return text(404, headers("text/plain; charset=utf-8"), "Not Found", head);
    }

    private static Answer text(int status, Map<String, String> headers, String text, boolean head) {
        return new Answer(status, headers, head ? new byte[0] : text.getBytes(StandardCharsets.UTF_8));
    }
}

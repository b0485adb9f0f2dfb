package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.cli.output.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the API is and which key to send, resolved in this order:
 * <ol>
 *   <li>URL: {@code --api-url}, then {@code FERRY_API_URL}, then the running local stack's
 *       {@code apiUrl} (from {@code $FERRY_STATE_DIR/local.json}), then {@value #DEFAULT_API_URL};</li>
 *   <li>key: {@code --api-key}, then {@code FERRY_API_KEY}, then the local stack's
 *       {@code adminApiKey} — the latter only when the URL points at that stack or at loopback, so
 *       a local admin key is never sent to a remote API.</li>
 * </ol>
 */
public record Settings(URI apiUrl, String apiKey, String keySource) {

    public static final String DEFAULT_API_URL = "http://127.0.0.1:3000";
    public static final String LOCAL_STATE_FILE = "local.json";

    /** Resolves the settings; throws {@link IllegalArgumentException} for a malformed URL. */
    public static Settings resolve(String urlFlag, String keyFlag, CliContext context) {
        LocalStack local = LocalStack.read(context.env("FERRY_STATE_DIR"));
        String url = firstNonBlank(urlFlag, context.env("FERRY_API_URL"),
                local == null ? null : local.apiUrl(), DEFAULT_API_URL);
        URI apiUrl = parseUrl(url);

        if (!isBlank(keyFlag)) {
            return new Settings(apiUrl, keyFlag, "--api-key");
        }
        if (context.env("FERRY_API_KEY") != null) {
            return new Settings(apiUrl, context.env("FERRY_API_KEY"), "FERRY_API_KEY");
        }
        if (local != null && local.adminApiKey() != null && local.serves(apiUrl)) {
            return new Settings(apiUrl, local.adminApiKey(), local.file().toString());
        }
        return new Settings(apiUrl, null, null);
    }

    static URI parseUrl(String url) {
        String trimmed = url.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getScheme() == null || uri.getHost() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new IllegalArgumentException("API URL must be an absolute http(s) URL, got '" + url + "'");
        }
        return uri;
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (!isBlank(v)) {
                return v;
            }
        }
        return null;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** The state file the local stack writes while it runs. */
    record LocalStack(Path file, String apiUrl, String adminApiKey) {

        static LocalStack read(String stateDir) {
            if (stateDir == null) {
                return null;
            }
            Path file = Path.of(stateDir).resolve(LOCAL_STATE_FILE);
            if (!Files.isRegularFile(file)) {
                return null;
            }
            try {
                JsonNode node = Json.MAPPER.readTree(file.toFile());
                return new LocalStack(file, text(node, "apiUrl"), text(node, "adminApiKey"));
            } catch (IOException e) {
                return null; // a half-written or stale file is the same as none
            }
        }

        boolean serves(URI url) {
            if (apiUrl != null) {
                try {
                    if (parseUrl(apiUrl).equals(url)) {
                        return true;
                    }
                } catch (IllegalArgumentException ignored) {
                    // fall through to the loopback check
                }
            }
            String host = url.getHost();
            return host.equalsIgnoreCase("localhost") || host.startsWith("127.")
                    || host.equals("[::1]") || host.equals("::1");
        }

        private static String text(JsonNode node, String field) {
            JsonNode v = node == null ? null : node.get(field);
            return v == null || !v.isTextual() || v.asText().isBlank() ? null : v.asText();
        }
    }
}

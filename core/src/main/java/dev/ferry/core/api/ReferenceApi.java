package dev.ferry.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ferry.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /openapi.json}: the API reference (core's resource {@value #RESOURCE}, kept in YAML next to
 * the code) answered as JSON, to anyone — no key is read. The YAML is parsed once per container, on the
 * first request, and the JSON bytes kept.
 */
public final class ReferenceApi {
    /** Where the reference lives on the classpath. */
    public static final String RESOURCE = "dev/ferry/core/api/openapi.yaml";

    private ReferenceApi() {}

    /** Parsed on first use only: no request but this one pays for reading the YAML. */
    private static final class Document {
        static final byte[] JSON = load();

        private static byte[] load() {
            try (InputStream in = ReferenceApi.class.getClassLoader().getResourceAsStream(RESOURCE)) {
                if (in == null) throw new IllegalStateException(RESOURCE + " is not on the classpath");
                JsonNode tree = new YAMLMapper().readTree(in);
                return Json.writeBytes(tree);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE, e);
            }
        }
    }

    /** The reference as JSON bytes. */
    public static byte[] json() {
        return Document.JSON.clone();
    }

    /** 200 with the document; a query string is ignored (a static document, often fetched with a cache-buster). */
    static ApiResponse openApi(Call call) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("cache-control", "public, max-age=300");
        return new ApiResponse(200, headers, json());
    }
}

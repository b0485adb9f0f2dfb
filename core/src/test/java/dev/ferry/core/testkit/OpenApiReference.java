package dev.ferry.core.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The API reference ({@code dev/ferry/core/api/openapi.yaml}, core's resources) as the tests use it:
 * validated as an OpenAPI 3.1 document against the OpenAPI Initiative's published meta-schema, and
 * each answer the API gave checked against the schema its operation and status declare. Both checks
 * are the networknt JSON Schema 2020-12 validator's (the OpenAPI 3.1 dialect); this class only finds
 * the operation, the response and the media type.
 *
 * <p>Answers are held to the reference strictly: an answer may not carry a field its schema does not
 * name. The reference itself leaves answer objects open (clients should ignore fields they do not
 * know, so fields can be added), so before validating answers every object schema that lists
 * {@code properties} and says nothing about other properties is closed here
 * ({@code additionalProperties: false}).
 */
public final class OpenApiReference {
    /** Where the reference lives on the classpath (core's main resources). */
    public static final String RESOURCE = "dev/ferry/core/api/openapi.yaml";
    private static final String BASE = "https://ferry.invalid/openapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    /** One HTTP answer of the API: the request's method and path (concrete, no query), the status, content type and body. */
    public record Answer(String method, String path, int status, String contentType, String body) {
        @Override
        public String toString() {
            String b = body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "…" : body;
            return method + " " + path + " → " + status + (b.isEmpty() ? "" : " " + b);
        }
    }

    private final JsonNode document;
    private final SchemaRegistry answers;
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();
    private final List<PathTemplate> paths = new ArrayList<>();

    private record PathTemplate(String template, Pattern pattern) {}

    private OpenApiReference(JsonNode document) {
        this.document = document;
        JsonNode closed = document.deepCopy();
        close(closed);
        String closedText = closed.toString();
        this.answers = SchemaRegistry.withDialect(Dialects.getOpenApi31(), b -> b.schemas(Map.of(BASE, closedText)));
        document.path("paths").fieldNames().forEachRemaining(t -> paths.add(new PathTemplate(t,
                Pattern.compile(Pattern.quote(t).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q")))));
    }

    /** The reference as the repository holds it. */
    public static OpenApiReference load() {
        try (InputStream in = OpenApiReference.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is not on the classpath");
            return new OpenApiReference(new YAMLMapper().readTree(in));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** The document as a JSON tree (a copy). */
    public JsonNode document() {
        return document.deepCopy();
    }

    /**
     * The problems found validating the document against the OpenAPI 3.1 meta-schema
     * ({@code https://spec.openapis.org/oas/3.1/schema-base/2022-10-07}, which also checks every
     * Schema Object against the OpenAPI 3.1 JSON Schema dialect); empty when it is a valid OpenAPI 3.1 document.
     */
    public List<String> metaSchemaErrors() {
        return metaSchemaErrors(document.toString());
    }

    /** As {@link #metaSchemaErrors()}, for any JSON text. */
    public static List<String> metaSchemaErrors(String documentJson) {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemaIdResolvers(r -> r.mapPrefix("https://spec.openapis.org/oas/3.1", "classpath:oas/3.1")));
        Schema meta = registry.getSchema(SchemaLocation.of("https://spec.openapis.org/oas/3.1/schema-base/2022-10-07"));
        return meta.validate(documentJson, InputFormat.JSON).stream().map(Error::toString).toList();
    }

    /** Every operation as {@code "GET /instances/{}"} (path parameters' names left out), sorted. */
    public Set<String> operations() {
        Set<String> ops = new TreeSet<>();
        document.path("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> {
            if (METHODS.contains(m)) ops.add(m.toUpperCase(Locale.ROOT) + " " + anonymous(p.getKey()));
        }));
        return ops;
    }

    /** {@code /instances/{id}/logs} → {@code /instances/{}/logs}. */
    public static String anonymous(String pathTemplate) {
        return pathTemplate.replaceAll("\\{[^}/]+}", "{}");
    }

    /**
     * What is wrong with {@code answer} by the reference: no operation for its method and path, no
     * response for its status, a content type or a body the response does not describe, or a body
     * its schema refuses. Empty when it conforms.
     */
    public List<String> check(Answer answer) {
        String template = paths.stream().filter(p -> p.pattern().matcher(answer.path()).matches())
                .map(PathTemplate::template).findFirst().orElse(null);
        if (template == null) return List.of("no path in the reference matches " + answer.path());
        String method = answer.method().toLowerCase(Locale.ROOT);
        JsonNode operation = document.path("paths").path(template).path(method);
        if (operation.isMissingNode()) return List.of("no operation " + answer.method() + " " + template + " in the reference");
        String status = Integer.toString(answer.status());
        String pointer = "/paths/" + escape(template) + "/" + method + "/responses/" + status;
        JsonNode response = operation.path("responses").path(status);
        if (response.isMissingNode()) {
            return List.of(answer.method() + " " + template + " has no response " + status + " in the reference");
        }
        if (response.has("$ref")) {
            String ref = response.get("$ref").asText();
            pointer = ref.substring(1);
            response = document.at(pointer);
        }
        String body = answer.body() == null ? "" : answer.body();
        JsonNode content = response.path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            return body.isEmpty() ? List.of() : List.of(answer.method() + " " + template + " " + status
                    + " has a body, but the reference describes none");
        }
        String mediaType = answer.contentType() == null ? null
                : answer.contentType().split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (mediaType == null || !content.has(mediaType)) {
            return List.of(answer.method() + " " + template + " " + status + " answered content type " + answer.contentType()
                    + "; the reference has " + fieldNames(content));
        }
        if (body.isEmpty()) return List.of(answer.method() + " " + template + " " + status + " has no body; the reference describes one");
        String schemaPointer = pointer + "/content/" + escape(mediaType) + "/schema";
        if (document.at(schemaPointer).isMissingNode()) return List.of();
        Schema schema = compiled.computeIfAbsent(schemaPointer,
                p -> answers.getSchema(SchemaLocation.of(BASE + "#" + p)));
        List<Error> errors = schema.validate(body, InputFormat.JSON);
        return errors.stream().map(e -> answer.method() + " " + template + " " + status + ": " + e).toList();
    }

    private static String escape(String pointerToken) {
        return pointerToken.replace("~", "~0").replace("/", "~1");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Closes every object schema that lists properties and is silent about others (see the class comment). */
    private static void close(JsonNode node) {
        if (node.isArray()) {
            node.forEach(OpenApiReference::close);
            return;
        }
        if (!node.isObject()) return;
        ObjectNode o = (ObjectNode) node;
        if (o.get("properties") instanceof ObjectNode && !o.has("additionalProperties") && !o.has("unevaluatedProperties")) {
            o.put("additionalProperties", false);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("example") || e.getKey().equals("examples")) continue;
            if (e.getKey().equals("properties")) {
                e.getValue().forEach(OpenApiReference::close); // property names are not schemas
            } else {
                close(e.getValue());
            }
        }
    }

    /** The answers that do not conform, each with what is wrong, by operation; empty when all conform. */
    public Map<String, List<String>> failures(List<Answer> answers) {
        Map<String, List<String>> failures = new LinkedHashMap<>();
        for (Answer a : answers) {
            List<String> problems = check(a);
            if (!problems.isEmpty()) failures.put(a.toString(), problems);
        }
        return failures;
    }

    /** Parses JSON text, for tests that build documents. */
    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}

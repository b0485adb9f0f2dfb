package dev.ferry.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SAM template as read from {@code template.yaml}: its parameters, globals and resources, in
 * file order. Intrinsics must be written long-form ({@code Ref}, {@code Fn::GetAtt}, {@code Fn::Sub}):
 * a YAML reader drops short-form tags such as {@code !Ref}, so they are rejected with a clear message.
 */
public final class Template {
    public static final String FUNCTION = "AWS::Serverless::Function";
    public static final String TABLE = "AWS::DynamoDB::Table";
    public static final String QUEUE = "AWS::SQS::Queue";
    public static final String BUCKET = "AWS::S3::Bucket";
    public static final String SCHEDULE_GROUP = "AWS::Scheduler::ScheduleGroup";
    public static final String IAM_ROLE = "AWS::IAM::Role";
    public static final String KMS_KEY = "AWS::KMS::Key";
    public static final String LOG_GROUP = "AWS::Logs::LogGroup";
    public static final String HTTP_API = "AWS::Serverless::HttpApi";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern SHORT_FORM = Pattern.compile(
            "(?m)^[^#\\n]*?(!(?:Ref|GetAtt|Sub|Join|Select|Split|If|Equals|Not|And|Or|FindInMap|ImportValue|Base64|GetAZs|Cidr))\\b");

    /** One entry of {@code Resources}. */
    public record Resource(String logicalId, String type, JsonNode properties) {
        public Resource {
            properties = properties == null ? MissingNode.getInstance() : properties;
        }
    }

    private final Path path;
    private final JsonNode root;
    private final Map<String, Resource> resources;

    private Template(Path path, JsonNode root) {
        this.path = path;
        this.root = root;
        Map<String, Resource> r = new LinkedHashMap<>();
        JsonNode res = root.path("Resources");
        for (Iterator<Map.Entry<String, JsonNode>> it = res.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode type = e.getValue().get("Type");
            if (type == null || !type.isTextual()) {
                throw new TemplateException("resource " + e.getKey() + " has no Type");
            }
            r.put(e.getKey(), new Resource(e.getKey(), type.asText(), e.getValue().get("Properties")));
        }
        this.resources = r;
    }

    /**
     * The repository's template.yaml: under {@code -Dferry.repo.root} (the build sets it to the
     * project's directory), else the first one at or above the working directory.
     */
    public static Path inRepository() {
        String configured = System.getProperty("ferry.repo.root");
        Path p = (configured != null ? Path.of(configured) : Path.of("")).toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("template.yaml"))) p = p.getParent();
        if (p == null) throw new TemplateException("no template.yaml at or above " + (configured != null ? configured : Path.of("").toAbsolutePath()));
        return p.resolve("template.yaml");
    }

    public static Template load(Path path) {
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException e) {
            throw new TemplateException("cannot read " + path + ": " + e.getMessage());
        }
        return parse(path, text);
    }

    public static Template parse(Path path, String yaml) {
        Matcher m = SHORT_FORM.matcher(yaml);
        if (m.find()) {
            int line = (int) yaml.substring(0, m.start(1)).chars().filter(c -> c == '\n').count() + 1;
            throw new TemplateException(path + ":" + line + ": short-form intrinsic " + m.group(1)
                    + " is not supported by the local stack; write it long-form (Ref:, Fn::GetAtt:, Fn::Sub: …)");
        }
        try {
            JsonNode root = YAML.readTree(yaml);
            if (root == null || !root.isObject()) throw new TemplateException(path + " is not a YAML mapping");
            return new Template(path, root);
        } catch (IOException e) {
            throw new TemplateException("cannot parse " + path + ": " + e.getMessage());
        }
    }

    public Path path() {
        return path;
    }

    public JsonNode root() {
        return root;
    }

    /** {@code Parameters}: name → declaration ({@code Type}, {@code Default}, …). */
    public Map<String, JsonNode> parameters() {
        Map<String, JsonNode> p = new LinkedHashMap<>();
        root.path("Parameters").fields().forEachRemaining(e -> p.put(e.getKey(), e.getValue()));
        return p;
    }

    /** A parameter's {@code Default} as text; null when there is no such parameter or it has no default. */
    public String parameterDefault(String name) {
        JsonNode d = root.path("Parameters").path(name).path("Default");
        return d.isMissingNode() || d.isNull() ? null : d.asText();
    }

    /** {@code Globals.Function}, or a missing node. */
    public JsonNode functionGlobals() {
        return root.path("Globals").path("Function");
    }

    public Map<String, Resource> resources() {
        return resources;
    }

    public Resource resource(String logicalId) {
        return resources.get(logicalId);
    }

    /**
     * The policy documents a function acts with: those of its own role ({@code Role: Fn::GetAtt
     * [<role>, Arn]}), but for {@code <function>RuntimeLogs}, its own log group, which Lambda itself
     * writes to. Each has a {@code Statement} list.
     */
    public List<JsonNode> functionPolicies(String function) {
        Resource f = resource(function);
        if (f == null || !f.type().equals(FUNCTION)) throw new TemplateException("no function '" + function + "'");
        JsonNode getAtt = f.properties().path("Role").path("Fn::GetAtt");
        if (!getAtt.isArray() || resource(getAtt.get(0).asText()) == null) {
            throw new TemplateException(function + ": its Role is not a role of the template");
        }
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode policy : resource(getAtt.get(0).asText()).properties().path("Policies")) {
            if (!policy.path("PolicyName").asText().equals(function + "RuntimeLogs")) out.add(policy.path("PolicyDocument"));
        }
        return out;
    }

    public List<Resource> ofType(String type) {
        List<Resource> out = new ArrayList<>();
        for (Resource r : resources.values()) if (r.type().equals(type)) out.add(r);
        return out;
    }
}

package dev.ferry.core.definition;

import static dev.ferry.core.definition.Check.bool;
import static dev.ferry.core.definition.Check.index;
import static dev.ferry.core.definition.Check.integer;
import static dev.ferry.core.definition.Check.name;
import static dev.ferry.core.definition.Check.optionalString;
import static dev.ferry.core.definition.Check.path;
import static dev.ferry.core.definition.Check.requiredString;
import static dev.ferry.core.definition.Check.text;
import static dev.ferry.core.definition.Check.unknownFields;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ferry.core.error.FieldError;
import dev.ferry.core.error.ValidationException;
import java.io.IOException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates integration definitions (docs/flow-language.md). Every problem
 * found is reported at once, as a {@link FieldError} whose field is a JSON path such as
 * {@code flows[0].steps[1].url}. This class reads the source and checks the definition down to its
 * flows (config variables, triggers, webhook security, retry policies); {@link StepParser} checks
 * each step, and {@link Check} collects the problems with the field readers both use.
 */
public final class DefinitionParser {
    public static final int MAX_NAME_LENGTH = 200;
    public static final Set<String> STEP_TYPES =
            java.util.Collections.unmodifiableSet(new LinkedHashSet<>(List.of("http", "transform", "log", "fail", "sleep", "code")));
    public static final Set<String> HTTP_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    public static final int MAX_HTTP_TIMEOUT_SECONDS = 900;
    public static final int MAX_SLEEP_SECONDS = 900;
    public static final int MAX_RETRY_ATTEMPTS = 10;
    public static final int MAX_RETRY_DELAY_SECONDS = 86_400;
    public static final String DEFAULT_TIMEZONE = "UTC";
    /** A stored version is one DynamoDB item (≤ 400 KB), so a definition's source is capped well below. */
    public static final int MAX_DEFINITION_BYTES = 256 * 1024;
    /** Flows per definition: an instance with its flow configs and webhook routes is one TransactWriteItems (≤ 100 actions). */
    public static final int MAX_FLOWS = 30;
    public static final int MAX_STEPS = 100;

    static final Pattern STEP_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
    static final Pattern CONFIG_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** An RFC 9110 token, as header names are, at most 100 characters. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9a-z-]{1,100}");
    private static final Pattern CONFIG_REFERENCE = Pattern.compile("\\{%\\s*\\$config\\.([A-Za-z_][A-Za-z0-9_]*)\\s*%}");
    /** Headers a sender's infrastructure sets, which could not carry a key or signature. */
    private static final Set<String> RESERVED_SECURITY_HEADERS = Set.of("content-type", "content-length", "host",
            "transfer-encoding", "connection");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private DefinitionParser() {}

    /**
     * Parses a definition: YAML when the content type mentions yaml/yml or the text does not start
     * with {@code {}, else JSON.
     *
     * @throws ValidationException listing every problem; a malformed document is one error on
     *     {@code body} with the line and column
     */
    public static IntegrationDefinition parse(byte[] source, String contentType) {
        return parse(read(source, contentType));
    }

    /** Validates an already-parsed definition (e.g. one a store kept as JSON). */
    public static IntegrationDefinition parse(JsonNode root) {
        Check check = new Check();
        IntegrationDefinition definition = definition(root, check);
        if (!check.errors.isEmpty()) throw new ValidationException(check.errors);
        return definition;
    }

    /** The definition as JSON that {@link #parse} accepts and reads back to an equal definition. */
    public static ObjectNode toJson(IntegrationDefinition definition) {
        ObjectNode root = NODES.objectNode();
        root.put("name", definition.name());
        if (definition.description() != null) root.put("description", definition.description());
        ArrayNode vars = root.putArray("configVariables");
        for (ConfigVariableDef v : definition.configVariables()) {
            ObjectNode o = vars.addObject();
            o.put("key", v.key());
            o.put("required", v.required());
            o.put("secret", v.secret());
            if (v.defaultValue() != null) o.put("default", v.defaultValue());
            if (v.description() != null) o.put("description", v.description());
        }
        ArrayNode flows = root.putArray("flows");
        for (FlowDef f : definition.flows()) {
            ObjectNode o = flows.addObject();
            o.put("name", f.name());
            ObjectNode trigger = o.putObject("trigger");
            TriggerDef t = f.trigger();
            trigger.put("type", t == null ? TriggerDef.WEBHOOK : t.type());
            if (t != null && t.scheduled()) {
                trigger.put("schedule", t.schedule());
                trigger.put("timezone", t.timezone() == null ? DEFAULT_TIMEZONE : t.timezone());
            }
            if (t != null && t.security() != null && !t.security().none()) {
                ObjectNode security = trigger.putObject("security");
                security.put("type", t.security().type());
                if (!WebhookSecurity.STANDARD_WEBHOOKS.equals(t.security().type())) security.put("header", t.security().header());
                security.put(t.security().secretField(), "{% $config." + t.security().secretVariable() + " %}");
                if (t.security().timestampHeader() != null
                        && !WebhookSecurity.STANDARD_WEBHOOKS.equals(t.security().type())) {
                    security.put("timestampHeader", t.security().timestampHeader());
                }
                if (t.security().toleranceSeconds() != null) security.put("toleranceSeconds", t.security().toleranceSeconds());
            }
            RetryPolicy r = f.retry();
            if (r != null) {
                ObjectNode retry = o.putObject("retry");
                retry.put("maxAttempts", r.maxAttempts());
                retry.put("delaySeconds", r.delaySeconds());
                retry.put("backoff", r.backoff());
                retry.put("maxDelaySeconds", r.maxDelaySeconds());
                retry.put("jitter", r.jitter());
                if (r.uniqueRequestId() != null) retry.put("uniqueRequestId", r.uniqueRequestId());
            }
            ArrayNode steps = o.putArray("steps");
            for (StepDef s : f.steps()) {
                ObjectNode step = steps.addObject();
                step.put("name", s.name());
                step.put("type", s.type());
                if (s.spec() != null) {
                    for (Map.Entry<String, JsonNode> e : s.spec().properties()) {
                        if (!e.getKey().equals("name") && !e.getKey().equals("type")) step.set(e.getKey(), e.getValue().deepCopy());
                    }
                }
            }
        }
        return root;
    }

    // ---- reading -------------------------------------------------------------------------------

    private static JsonNode read(byte[] source, String contentType) {
        if (source == null || source.length == 0) throw new ValidationException("body", "is empty: expected a definition");
        if (source.length > MAX_DEFINITION_BYTES) {
            throw new ValidationException("body", "is " + source.length + " bytes; a definition may have at most "
                    + MAX_DEFINITION_BYTES + " (DynamoDB keeps it in one item)");
        }
        try {
            java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(source));
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ValidationException("body", "is not UTF-8 text");
        }
        boolean yaml = isYaml(source, contentType);
        try {
            JsonNode root = (yaml ? YAML : JSON).readTree(source);
            if (root == null || root.isMissingNode()) throw new ValidationException("body", "is empty: expected a definition");
            return root;
        } catch (JsonProcessingException e) {
            throw new ValidationException("body", malformed(yaml ? "YAML" : "JSON", e));
        } catch (IOException e) {
            throw new ValidationException("body", "cannot be read: " + e.getMessage());
        }
    }

    private static boolean isYaml(byte[] source, String contentType) {
        if (contentType != null) {
            String ct = contentType.toLowerCase(Locale.ROOT);
            if (ct.contains("yaml") || ct.contains("yml")) return true;
        }
        int i = 0;
        if (source.length >= 3 && (source[0] & 0xff) == 0xEF && (source[1] & 0xff) == 0xBB && (source[2] & 0xff) == 0xBF) i = 3;
        while (i < source.length && Character.isWhitespace(source[i])) i++;
        return i >= source.length || source[i] != '{';
    }

    private static String malformed(String format, JsonProcessingException e) {
        if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException y && y.getProblemMark() != null) {
            String problem = y.getContext() == null ? y.getProblem() : y.getContext() + ": " + y.getProblem();
            return "malformed " + format + " at line " + (y.getProblemMark().getLine() + 1)
                    + ", column " + (y.getProblemMark().getColumn() + 1) + ": " + problem;
        }
        JsonLocation at = e.getLocation();
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        message = message.lines().findFirst().orElse("").trim()
                .replaceAll("(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_]*(?:Exception|Error): ", "");
        java.util.regex.Matcher duplicate = Pattern.compile("Duplicate field '(.*)' for").matcher(message);
        if (duplicate.find()) message = "duplicate key '" + duplicate.group(1) + "'";
        String where = at == null || at.getLineNr() < 1 ? ""
                : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return "malformed " + format + where + ": " + message;
    }

    // ---- validation ----------------------------------------------------------------------------

    private static IntegrationDefinition definition(JsonNode root, Check check) {
        if (root == null || !root.isObject()) {
            check.add("body", "must be an object with name and flows");
            return null;
        }
        unknownFields(root, "", Set.of("name", "description", "configVariables", "flows"), check);
        String name = name(root, "", "name", check);
        String description = optionalString(root, "", "description", check);
        List<ConfigVariableDef> vars = configVariables(root.get("configVariables"), check);
        List<FlowDef> flows = new ArrayList<>();
        JsonNode flowsNode = root.get("flows");
        if (flowsNode == null || flowsNode.isNull()) {
            check.add("flows", "required: at least one flow");
        } else if (!flowsNode.isArray()) {
            check.add("flows", "must be an array of flows");
        } else if (flowsNode.isEmpty()) {
            check.add("flows", "must have at least one flow");
        } else if (flowsNode.size() > MAX_FLOWS) {
            check.add("flows", "at most " + MAX_FLOWS + " flows (an instance and its flow configs are written in one transaction)");
        } else {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < flowsNode.size(); i++) {
                FlowDef flow = flow(flowsNode.get(i), index("flows", i), vars, check);
                if (flow == null) continue;
                if (flow.name() != null && !names.add(flow.name())) {
                    check.add(path(index("flows", i), "name"), "duplicate flow name '" + flow.name() + "'");
                }
                flows.add(flow);
            }
        }
        return new IntegrationDefinition(name, description, vars, flows);
    }

    private static List<ConfigVariableDef> configVariables(JsonNode node, Check check) {
        List<ConfigVariableDef> vars = new ArrayList<>();
        if (node == null || node.isNull()) return vars;
        if (!node.isArray()) {
            check.add("configVariables", "must be an array of {key, required, secret, default, description}");
            return vars;
        }
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String at = index("configVariables", i);
            JsonNode v = node.get(i);
            if (!v.isObject()) {
                check.add(at, "must be an object with a key");
                continue;
            }
            unknownFields(v, at, Set.of("key", "required", "secret", "default", "description"), check);
            String key = requiredString(v, at, "key", check);
            if (key != null) {
                if (!CONFIG_KEY.matcher(key).matches()) {
                    check.add(path(at, "key"), "must match [A-Za-z_][A-Za-z0-9_]* (letters, digits, _; not starting with a digit)");
                } else if (!keys.add(key)) {
                    check.add(path(at, "key"), "duplicate key '" + key + "'");
                }
            }
            boolean required = bool(v, at, "required", false, check);
            boolean secret = bool(v, at, "secret", false, check);
            String defaultValue = null;
            JsonNode d = v.get("default");
            if (d != null && !d.isNull()) {
                if (!d.isValueNode()) {
                    check.add(path(at, "default"), "must be a string, number or boolean");
                } else if (secret) {
                    check.add(path(at, "default"), "a secret config variable cannot have a default: any API key can read "
                            + "the integration's definition, so its default would be no secret; set the value on each instance");
                } else {
                    defaultValue = d.asText();
                }
            }
            String description = optionalString(v, at, "description", check);
            vars.add(new ConfigVariableDef(key, required, secret, defaultValue, description));
        }
        return vars;
    }

    private static FlowDef flow(JsonNode node, String at, List<ConfigVariableDef> vars, Check check) {
        if (!node.isObject()) {
            check.add(at, "must be an object with name, trigger and steps");
            return null;
        }
        unknownFields(node, at, Set.of("name", "trigger", "retry", "steps"), check);
        String name = name(node, at, "name", check);
        TriggerDef trigger = trigger(node.get("trigger"), path(at, "trigger"), vars, check);
        RetryPolicy retry = retry(node.get("retry"), path(at, "retry"), check);
        List<StepDef> steps = new ArrayList<>();
        String stepsAt = path(at, "steps");
        JsonNode stepsNode = node.get("steps");
        if (stepsNode == null || stepsNode.isNull()) {
            check.add(stepsAt, "required: at least one step");
        } else if (!stepsNode.isArray()) {
            check.add(stepsAt, "must be an array of steps");
        } else if (stepsNode.isEmpty()) {
            check.add(stepsAt, "must have at least one step");
        } else if (stepsNode.size() > MAX_STEPS) {
            check.add(stepsAt, "at most " + MAX_STEPS + " steps");
        } else {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < stepsNode.size(); i++) {
                StepDef step = StepParser.step(stepsNode.get(i), index(stepsAt, i), check);
                if (step == null) continue;
                if (step.name() != null && !names.add(step.name())) {
                    check.add(path(index(stepsAt, i), "name"), "duplicate step name '" + step.name() + "'");
                }
                steps.add(step);
            }
        }
        return new FlowDef(name, trigger, retry, steps);
    }

    private static TriggerDef trigger(JsonNode node, String at, List<ConfigVariableDef> vars, Check check) {
        if (node == null || node.isNull()) {
            check.add(at, "required: {\"type\": \"webhook\"} or {\"type\": \"schedule\", \"schedule\": …}");
            return null;
        }
        if (!node.isObject()) {
            check.add(at, "must be an object with a type");
            return null;
        }
        String type = requiredString(node, at, "type", check);
        if (type == null) return null;
        if (type.equals(TriggerDef.WEBHOOK)) {
            unknownFields(node, at, Set.of("type", "security"), check);
            return new TriggerDef(TriggerDef.WEBHOOK, null, null, security(node.get("security"), path(at, "security"), vars, check));
        }
        if (!type.equals(TriggerDef.SCHEDULE)) {
            check.add(path(at, "type"), "must be webhook or schedule, got '" + type + "'");
            return null;
        }
        unknownFields(node, at, Set.of("type", "schedule", "timezone"), check);
        String schedule = requiredString(node, at, "schedule", check);
        if (schedule != null) {
            try {
                schedule = ScheduleExpression.parse(schedule).expression();
            } catch (IllegalArgumentException e) {
                check.add(path(at, "schedule"), e.getMessage());
            }
        }
        String timezone = optionalString(node, at, "timezone", check);
        if (timezone == null) {
            timezone = DEFAULT_TIMEZONE;
        } else if (!ZoneId.getAvailableZoneIds().contains(timezone)) {
            check.add(path(at, "timezone"), "'" + timezone + "' is not an IANA time zone id (e.g. Europe/Berlin, UTC)");
        }
        return new TriggerDef(TriggerDef.SCHEDULE, schedule, timezone);
    }

    /**
     * A webhook trigger's {@code security}: {@code {"type": "none"}}, {@code {"type": "api-key",
     * "header", "key"}} or {@code {"type": "hmac-sha256", "header", "secret"}}, the key or secret
     * being exactly {@code {% $config.<name> %}} of a required secret config variable.
     */
    private static WebhookSecurity security(JsonNode node, String at, List<ConfigVariableDef> vars, Check check) {
        if (node == null || node.isNull()) return WebhookSecurity.NONE;
        if (!node.isObject()) {
            check.add(at, "must be an object with a type: none, api-key, hmac-sha256 or standard-webhooks");
            return null;
        }
        String type = requiredString(node, at, "type", check);
        if (type == null) return null;
        if (type.equals(WebhookSecurity.NONE_TYPE)) {
            unknownFields(node, at, Set.of("type"), check);
            return WebhookSecurity.NONE;
        }
        boolean standard = type.equals(WebhookSecurity.STANDARD_WEBHOOKS);
        if (!type.equals(WebhookSecurity.API_KEY) && !type.equals(WebhookSecurity.HMAC_SHA256) && !standard) {
            check.add(path(at, "type"), "must be none, api-key, hmac-sha256 or standard-webhooks, got '" + type + "'");
            return null;
        }
        String secretField = new WebhookSecurity(type, null, null).secretField();
        boolean hmac = type.equals(WebhookSecurity.HMAC_SHA256);
        unknownFields(node, at, standard ? Set.of("type", secretField, "toleranceSeconds")
                : hmac ? Set.of("type", "header", secretField, "timestampHeader", "toleranceSeconds")
                : Set.of("type", "header", secretField), check);
        String header = standard ? WebhookSecurity.WEBHOOK_SIGNATURE : securityHeader(node, at, "header", true, check);
        String timestampHeader = standard ? WebhookSecurity.WEBHOOK_TIMESTAMP
                : hmac ? securityHeader(node, at, "timestampHeader", false, check) : null;
        if (timestampHeader != null && timestampHeader.equals(header)) {
            check.add(path(at, "timestampHeader"), "must be another header than the signature's");
        }
        Integer tolerance = null;
        JsonNode t = node.get("toleranceSeconds");
        if (t != null && !t.isNull()) {
            if (!t.canConvertToInt() || !t.isIntegralNumber() || t.asInt() < 1 || t.asInt() > WebhookSecurity.MAX_TOLERANCE_SECONDS) {
                check.add(path(at, "toleranceSeconds"), "must be a whole number of seconds from 1 to "
                        + WebhookSecurity.MAX_TOLERANCE_SECONDS);
            } else if (timestampHeader == null && !standard) {
                check.add(path(at, "toleranceSeconds"), "needs a timestampHeader: only a signed time has a tolerance");
            } else {
                tolerance = t.asInt();
            }
        }
        String variable = null;
        String ref = requiredString(node, at, secretField, check);
        if (ref != null) {
            java.util.regex.Matcher m = CONFIG_REFERENCE.matcher(ref);
            ConfigVariableDef var = m.matches()
                    ? vars.stream().filter(v -> m.group(1).equals(v.key())).findFirst().orElse(null) : null;
            if (!m.matches()) {
                check.add(path(at, secretField), "must name a secret config variable: {% $config.<key> %}");
            } else if (var == null) {
                check.add(path(at, secretField), "config variable '" + m.group(1) + "' is not declared");
            } else if (!var.secret() || !var.required()) {
                check.add(path(at, secretField), "config variable '" + m.group(1)
                        + "' must be declared with \"secret\": true and \"required\": true");
            } else {
                variable = var.key();
            }
        }
        return header == null || variable == null ? null
                : new WebhookSecurity(type, header, variable, timestampHeader, tolerance);
    }

    /** A header name the security check reads: lower-case, not one of Ferry's or the transport's. */
    private static String securityHeader(JsonNode node, String at, String field, boolean required, Check check) {
        String header = required ? requiredString(node, at, field, check) : null;
        if (!required) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) return null;
            if (!v.isTextual()) {
                check.add(path(at, field), "must be an HTTP header name");
                return null;
            }
            header = v.asText();
        }
        if (header == null) return null;
        header = header.trim().toLowerCase(Locale.ROOT);
        if (!HEADER_NAME.matcher(header).matches()) {
            check.add(path(at, field), "must be an HTTP header name (letters, digits, -; at most 100 characters)");
            return null;
        }
        if (header.startsWith("x-ferry-") || RESERVED_SECURITY_HEADERS.contains(header)) {
            check.add(path(at, field), "'" + header + "' is reserved; use a header of your own such as x-signature");
            return null;
        }
        return header;
    }

    private static RetryPolicy retry(JsonNode node, String at, Check check) {
        if (node == null || node.isNull()) return null;
        if (!node.isObject()) {
            check.add(at, "must be an object");
            return null;
        }
        unknownFields(node, at, Set.of("maxAttempts", "delaySeconds", "backoff", "maxDelaySeconds", "jitter", "uniqueRequestId"), check);
        RetryPolicy d = RetryPolicy.NONE;
        int maxAttempts = integer(node, at, "maxAttempts", 0, MAX_RETRY_ATTEMPTS, d.maxAttempts(), check);
        int delay = integer(node, at, "delaySeconds", 1, MAX_RETRY_DELAY_SECONDS, d.delaySeconds(), check);
        int maxDelay = integer(node, at, "maxDelaySeconds", 1, MAX_RETRY_DELAY_SECONDS, d.maxDelaySeconds(), check);
        if (maxDelay < delay && node.has("maxDelaySeconds")) {
            check.add(path(at, "maxDelaySeconds"), "must be at least delaySeconds (" + delay + ")");
        }
        String backoff = d.backoff();
        JsonNode b = node.get("backoff");
        if (b != null && !b.isNull()) {
            String v = b.isTextual() ? b.textValue().trim().toUpperCase(Locale.ROOT) : "";
            if (v.equals(RetryPolicy.FIXED) || v.equals(RetryPolicy.EXPONENTIAL)) backoff = v;
            else check.add(path(at, "backoff"), "must be FIXED or EXPONENTIAL");
        }
        boolean jitter = bool(node, at, "jitter", d.jitter(), check);
        String uniqueRequestId = optionalString(node, at, "uniqueRequestId", check);
        if (uniqueRequestId != null) text(uniqueRequestId, path(at, "uniqueRequestId"), check);
        return new RetryPolicy(maxAttempts, delay, backoff, maxDelay, jitter, uniqueRequestId);
    }

}

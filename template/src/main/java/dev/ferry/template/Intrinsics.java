package dev.ferry.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves CloudFormation intrinsics in template values: {@code Ref} (parameters, pseudo
 * parameters, resources), {@code Fn::GetAtt} (list or dotted form), {@code Fn::Sub} (string or
 * [string, variables], {@code ${!Literal}} escapes), {@code Fn::Join} and {@code Fn::Select}.
 * Resource references go through {@link Resources}, which may create the resource on first use —
 * that is how a queue's dead-letter queue exists before the queue's RedrivePolicy names its ARN.
 */
public final class Intrinsics {
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "123456789012";
    public static final String PARTITION = "aws";
    public static final String URL_SUFFIX = "amazonaws.com";

    /** The physical side of the template: what a resource's Ref and attributes are. */
    public interface Resources {
        boolean exists(String logicalId);

        String ref(String logicalId);

        String getAtt(String logicalId, String attribute);
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern SUB_VAR = Pattern.compile("\\$\\{([^}]*)}");

    private final Function<String, String> parameters;
    private final Resources resources;
    private final Map<String, String> pseudo = new LinkedHashMap<>();

    /**
     * @param parameters parameter name → value; returns null for a name that is not a parameter
     * @param resources  how resources resolve
     */
    public Intrinsics(Function<String, String> parameters, Resources resources) {
        this.parameters = parameters;
        this.resources = resources;
        pseudo.put("AWS::Region", REGION);
        pseudo.put("AWS::AccountId", ACCOUNT_ID);
        pseudo.put("AWS::Partition", PARTITION);
        pseudo.put("AWS::URLSuffix", URL_SUFFIX);
        pseudo.put("AWS::StackName", "ferry");
        pseudo.put("AWS::StackId", "arn:aws:cloudformation:" + REGION + ":" + ACCOUNT_ID + ":stack/ferry/local");
        pseudo.put("AWS::NoValue", null);
    }

    /** A deep copy of {@code node} with every intrinsic replaced by its value. */
    public JsonNode resolve(JsonNode node) {
        if (node == null || node.isMissingNode()) return node;
        if (node.isObject()) {
            if (node.size() == 1) {
                String key = node.fieldNames().next();
                JsonNode arg = node.get(key);
                switch (key) {
                    case "Ref": return text(ref(textArg(key, resolve(arg))));
                    case "Fn::GetAtt": return text(getAtt(resolve(arg)));
                    case "Fn::Sub": return text(sub(arg));
                    case "Fn::Join": return text(join(resolve(arg)));
                    case "Fn::Select": return select(resolve(arg));
                    default:
                        if (key.startsWith("Fn::")) {
                            throw new TemplateException(key + " is not supported by the local stack");
                        }
                }
            }
            ObjectNode copy = NODES.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!isNoValue(e.getValue())) copy.set(e.getKey(), resolve(e.getValue()));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = NODES.arrayNode();
            for (JsonNode item : node) {
                if (!isNoValue(item)) copy.add(resolve(item));
            }
            return copy;
        }
        return node;
    }

    /** The value as text: strings as they are, numbers and booleans as written. */
    public String resolveText(JsonNode node) {
        JsonNode v = resolve(node);
        if (v == null || v.isNull() || v.isMissingNode()) return null;
        if (v.isValueNode()) return v.asText();
        throw new TemplateException("expected a scalar value, got " + v);
    }

    private static boolean isNoValue(JsonNode n) {
        return n != null && n.isObject() && n.size() == 1 && n.has("Ref") && "AWS::NoValue".equals(n.get("Ref").asText());
    }

    private String ref(String name) {
        if (pseudo.containsKey(name)) return pseudo.get(name);
        String p = parameters.apply(name);
        if (p != null) return p;
        if (resources.exists(name)) return resources.ref(name);
        throw new TemplateException("Ref to unknown parameter or resource '" + name + "'");
    }

    private String getAtt(JsonNode arg) {
        String id;
        String attribute;
        if (arg.isTextual() && arg.asText().contains(".")) {
            int dot = arg.asText().indexOf('.');
            id = arg.asText().substring(0, dot);
            attribute = arg.asText().substring(dot + 1);
        } else if (arg.isArray() && arg.size() == 2) {
            id = arg.get(0).asText();
            attribute = arg.get(1).asText();
        } else {
            throw new TemplateException("Fn::GetAtt takes [LogicalId, Attribute], got " + arg);
        }
        if (!resources.exists(id)) throw new TemplateException("Fn::GetAtt of unknown resource '" + id + "'");
        return resources.getAtt(id, attribute);
    }

    private String sub(JsonNode arg) {
        String template;
        Map<String, String> vars = new LinkedHashMap<>();
        if (arg.isTextual()) {
            template = arg.asText();
        } else if (arg.isArray() && arg.size() == 2 && arg.get(0).isTextual() && arg.get(1).isObject()) {
            template = arg.get(0).asText();
            arg.get(1).fields().forEachRemaining(e -> vars.put(e.getKey(), resolveText(e.getValue())));
        } else {
            throw new TemplateException("Fn::Sub takes a string or [string, {variables}], got " + arg);
        }
        Matcher m = SUB_VAR.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value;
            if (name.startsWith("!")) {
                value = "${" + name.substring(1) + "}";
            } else if (vars.containsKey(name)) {
                value = vars.get(name);
            } else if (name.contains(".") && !name.startsWith("AWS::")) {
                value = getAtt(text(name));
            } else {
                value = ref(name);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String join(JsonNode arg) {
        if (!arg.isArray() || arg.size() != 2 || !arg.get(1).isArray()) {
            throw new TemplateException("Fn::Join takes [delimiter, [values]], got " + arg);
        }
        StringBuilder out = new StringBuilder();
        String delimiter = arg.get(0).asText();
        for (JsonNode v : arg.get(1)) {
            if (!out.isEmpty()) out.append(delimiter);
            out.append(v.asText());
        }
        return out.toString();
    }

    private JsonNode select(JsonNode arg) {
        if (!arg.isArray() || arg.size() != 2 || !arg.get(1).isArray()) {
            throw new TemplateException("Fn::Select takes [index, [values]], got " + arg);
        }
        int index = Integer.parseInt(arg.get(0).asText());
        if (index < 0 || index >= arg.get(1).size()) throw new TemplateException("Fn::Select index out of range: " + arg);
        return arg.get(1).get(index);
    }

    private static String textArg(String fn, JsonNode arg) {
        if (arg == null || !arg.isTextual()) throw new TemplateException(fn + " takes a name, got " + arg);
        return arg.asText();
    }

    private static JsonNode text(String s) {
        return s == null ? NODES.nullNode() : NODES.textNode(s);
    }
}

package dev.ferry.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One statement of a function's role, its intrinsics resolved: what it allows (or denies), on what,
 * under which conditions. {@code source} names where it came from: the role's inline policy and the
 * statement's position ({@code ManagementApiFunctionRolePolicy3#0}). {@code forLambda} marks a
 * statement Lambda itself acts with, not Ferry's code: the function's own log group, where Lambda's
 * runtime writes its output (the local stack prints it instead, so no call of the suite needs it).
 *
 * <p>Matching follows IAM: actions case-insensitively with {@code *} and {@code ?}; resources
 * case-sensitively with the same wildcards; the condition operators the template uses
 * ({@code StringEquals}, {@code StringLike}, {@code Null}, {@code Bool}), every key of every
 * operator required. A key the call does not carry fails {@code StringEquals}, as in AWS.
 */
public record PolicyStatement(String source, boolean allow, List<String> actions, List<String> resources,
                              JsonNode condition, boolean forLambda) {

    public PolicyStatement {
        actions = List.copyOf(actions);
        resources = List.copyOf(resources);
    }

    /** From a policy document's statement whose intrinsics are already resolved. */
    static PolicyStatement of(String source, JsonNode statement, boolean forLambda) {
        return new PolicyStatement(source, !"Deny".equals(statement.path("Effect").asText()),
                strings(statement.get("Action")), strings(statement.get("Resource")),
                statement.has("Condition") ? statement.get("Condition") : null, forLambda);
    }

    static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) return out;
        if (node.isArray()) node.forEach(n -> out.add(n.asText()));
        else out.add(node.asText());
        return out;
    }

    /** Whether this statement applies to {@code call} (its action, its resource, its conditions). */
    public boolean matches(AwsCall call) {
        return matchingAction(call.action()) != null && matchingResource(call.resource()) != null && conditionsHold(call.context());
    }

    /** The first of this statement's action patterns that covers {@code action}, or null. */
    public String matchingAction(String action) {
        for (String a : actions) if (wildcard(a, true).matcher(action).matches()) return a;
        return null;
    }

    /** The first of this statement's resource patterns that covers {@code resource}, or null. */
    public String matchingResource(String resource) {
        for (String r : resources) if (wildcard(r, false).matcher(resource).matches()) return r;
        return null;
    }

    boolean conditionsHold(Map<String, String> context) {
        if (condition == null) return true;
        for (var op : condition.properties()) {
            for (var entry : op.getValue().properties()) {
                String actual = context.get(entry.getKey());
                List<String> expected = strings(entry.getValue());
                boolean holds = switch (op.getKey()) {
                    case "StringEquals" -> actual != null && expected.contains(actual);
                    case "StringLike" -> actual != null && expected.stream().anyMatch(e -> wildcard(e, false).matcher(actual).matches());
                    case "Bool" -> actual != null && expected.stream().anyMatch(e -> e.equalsIgnoreCase(actual));
                    case "Null" -> expected.stream().anyMatch(e -> Boolean.parseBoolean(e) == (actual == null));
                    default -> throw new IllegalArgumentException(source + ": condition operator " + op.getKey()
                            + " is not evaluated by the local stack's IAM check; add it to PolicyStatement");
                };
                if (!holds) return false;
            }
        }
        return true;
    }

    static Pattern wildcard(String pattern, boolean caseInsensitive) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*') re.append(".*");
            else if (c == '?') re.append('.');
            else re.append(Pattern.quote(String.valueOf(c)));
        }
        return caseInsensitive ? Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE) : Pattern.compile(re.toString());
    }

    /** The actions as IAM spells them, lower-cased service prefix. */
    static String normalise(String action) {
        int colon = action.indexOf(':');
        return colon < 0 ? action : action.substring(0, colon).toLowerCase(Locale.ROOT) + action.substring(colon);
    }
}

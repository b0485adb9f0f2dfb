package dev.ferry.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.template.Intrinsics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each function's role as the transformed template defines it: the statements of its inline
 * policies, intrinsics resolved to the local resources' ARNs. A role that attaches a managed policy
 * is refused: each function has a role of its own in template.yaml, because the managed policies SAM
 * attaches to a role it makes allow their log and queue actions on every resource.
 */
public final class FunctionRoles {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One function's role: its logical id in the transformed template and its statements. */
    public record Role(String function, String roleLogicalId, List<PolicyStatement> statements) {
        /** The statements Ferry's code acts with (not those Lambda itself uses): what the audit holds to the calls. */
        public List<PolicyStatement> inline() {
            return statements.stream().filter(s -> !s.forLambda()).toList();
        }
    }

    private final Map<String, Role> roles;

    private FunctionRoles(Map<String, Role> roles) {
        this.roles = roles;
    }

    /** The roles of every function in {@code transformed}, resolved with {@code intrinsics}. */
    public static FunctionRoles from(JsonNode transformed, Intrinsics intrinsics) {
        Map<String, Role> out = new LinkedHashMap<>();
        JsonNode resources = transformed.path("Resources");
        for (var e : resources.properties()) {
            JsonNode r = e.getValue();
            if (!"AWS::Lambda::Function".equals(r.path("Type").asText())) continue;
            JsonNode getAtt = r.path("Properties").path("Role").path("Fn::GetAtt");
            if (!getAtt.isArray()) {
                throw new IllegalStateException(e.getKey() + ": its Role is not a role of the template (" + r.path("Properties").path("Role") + ")");
            }
            String roleId = getAtt.get(0).asText();
            JsonNode role = resources.path(roleId).path("Properties");
            List<PolicyStatement> statements = new ArrayList<>();
            for (JsonNode policy : role.path("Policies")) {
                String name = policy.path("PolicyName").asText();
                JsonNode st = policy.path("PolicyDocument").path("Statement");
                List<JsonNode> list = new ArrayList<>();
                if (st.isArray()) st.forEach(list::add);
                else list.add(st);
                for (int i = 0; i < list.size(); i++) {
                    statements.add(PolicyStatement.of(name + "#" + i, intrinsics.resolve(list.get(i)),
                            name.equals(e.getKey() + "RuntimeLogs")));
                }
            }
            if (!role.path("ManagedPolicyArns").isEmpty()) {
                throw new IllegalStateException(roleId + " attaches " + role.path("ManagedPolicyArns") + ": give "
                        + e.getKey() + " statements of its own in its role (a managed policy reaches every resource)");
            }
            out.put(e.getKey(), new Role(e.getKey(), roleId, List.copyOf(statements)));
        }
        return new FunctionRoles(out);
    }

    public Role role(String function) {
        Role r = roles.get(function);
        if (r == null) throw new IllegalArgumentException("no function " + function + " in the transformed template");
        return r;
    }

    public Map<String, Role> all() {
        return roles;
    }

    /**
     * The role's grants as moto can check them: every action the role allows, on {@code *} and
     * without conditions (moto checks actions, not resources; {@link IamGuard} checks those), with
     * the batch and transaction operations moto names apart from the action AWS authorizes them as.
     */
    public static String motoPolicy(Role role) {
        java.util.Set<String> actions = new java.util.TreeSet<>();
        for (PolicyStatement s : role.statements()) {
            if (!s.allow()) continue;
            for (String a : s.actions()) {
                actions.add(a);
                actions.addAll(motoAliases(a));
            }
        }
        var doc = JSON.createObjectNode().put("Version", "2012-10-17");
        var st = doc.putArray("Statement").addObject().put("Effect", "Allow");
        var acts = st.putArray("Action");
        actions.forEach(acts::add);
        st.put("Resource", "*");
        return doc.toString();
    }

    private static List<String> motoAliases(String action) {
        return switch (action.toLowerCase(java.util.Locale.ROOT)) {
            case "sqs:sendmessage" -> List.of("sqs:SendMessageBatch");
            case "sqs:deletemessage" -> List.of("sqs:DeleteMessageBatch");
            case "sqs:changemessagevisibility" -> List.of("sqs:ChangeMessageVisibilityBatch");
            case "dynamodb:putitem", "dynamodb:updateitem", "dynamodb:deleteitem", "dynamodb:conditioncheckitem" ->
                    List.of("dynamodb:TransactWriteItems");
            case "dynamodb:getitem" -> List.of("dynamodb:TransactGetItems");
            case "s3:deleteobject" -> List.of("s3:DeleteObjects");
            default -> List.of();
        };
    }
}

package dev.ferry.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The stack's deletion empties PayloadBucket first (docs/deploy.md): a custom resource that refers to
 * the bucket, so CloudFormation deletes it before the bucket, served by a function of the functions'
 * package whose role may list the bucket's versions and delete its objects' versions, nothing else.
 */
class PayloadBucketEmptierTemplateTest {
    private final Template template = Template.load(Template.inRepository());

    /**
     * The functions that serve a CloudFormation custom resource (its ServiceToken) and no event: they
     * run only while CloudFormation changes the stack.
     */
    static Set<String> customResourceFunctions(Template template) {
        Set<String> out = new TreeSet<>();
        template.resources().forEach((id, r) -> {
            if (!r.type().startsWith("Custom::") && !r.type().equals("AWS::CloudFormation::CustomResource")) return;
            JsonNode token = r.properties().path("ServiceToken").path("Fn::GetAtt");
            if (token.isArray() && template.resource(token.get(0).asText()) != null
                    && template.resource(token.get(0).asText()).type().equals(Template.FUNCTION)
                    && !template.resource(token.get(0).asText()).properties().has("Events")) {
                out.add(token.get(0).asText());
            }
        });
        return out;
    }

    @Test
    void theEmptierRefersToThePayloadBucketSoItIsDeletedFirstAndIsServedByItsFunction() {
        Template.Resource emptier = template.resource("PayloadBucketEmptier");
        assertThat(emptier).isNotNull();
        assertThat(emptier.type()).isEqualTo("Custom::PayloadBucketEmptier");
        JsonNode p = emptier.properties();
        assertThat(p.path("Bucket").toString()).isEqualTo("{\"Ref\":\"PayloadBucket\"}");
        assertThat(p.path("ServiceToken").toString()).isEqualTo("{\"Fn::GetAtt\":[\"PayloadBucketEmptierFunction\",\"Arn\"]}");
        assertThat(p.path("ServiceTimeout").asInt()).as("CloudFormation stops waiting well before its default hour")
                .isBetween(900, 1800);
        assertThat(customResourceFunctions(template)).containsExactly("PayloadBucketEmptierFunction");
        // The bucket is deleted by the stack (no Retain) once emptied.
        assertThat(template.resource("PayloadBucket").properties().has("DeletionPolicy")).isFalse();
    }

    @Test
    void theEmptiersFunctionIsOfTheFunctionsPackageWithTimeToEmptyTheBucket() {
        Template.Resource f = template.resource("PayloadBucketEmptierFunction");
        assertThat(f.type()).isEqualTo(Template.FUNCTION);
        JsonNode p = f.properties();
        assertThat(p.path("Handler").asText()).isEqualTo("dev.ferry.functions.stack.PayloadBucketEmptierFunction::handleRequest");
        assertThat(p.path("CodeUri").asText()).isEqualTo(".");
        assertThat(template.root().path("Resources").path("PayloadBucketEmptierFunction").path("Metadata").path("BuildMethod")
                .asText()).isEqualTo("makefile");
        assertThat(p.path("Timeout").asInt()).isEqualTo(900);
        assertThat(p.has("Events")).isFalse();
        for (String granting : List.of("Policies", "PermissionsBoundary", "VpcConfig", "Layers", "Environment")) {
            assertThat(p.has(granting)).as("PayloadBucketEmptierFunction." + granting).isFalse();
        }
    }

    /** Its role: these two statements (and its own log group), no policy template. */
    @Test
    void theEmptiersPoliciesAreExactlyTheNarrowStatementsItNeeds() {
        List<JsonNode> policies = template.functionPolicies("PayloadBucketEmptierFunction");
        assertThat(policies).hasSize(1);
        List<String> statements = new ArrayList<>();
        policies.get(0).path("Statement").forEach(s -> statements.add(s.toString()));
        assertThat(policies.get(0).size()).as("a version and a Statement, nothing else").isEqualTo(2);
        assertThat(statements).containsExactly(
                "{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucketVersions\",\"Resource\":{\"Fn::GetAtt\":[\"PayloadBucket\",\"Arn\"]}}",
                "{\"Effect\":\"Allow\",\"Action\":[\"s3:DeleteObject\",\"s3:DeleteObjectVersion\"],"
                        + "\"Resource\":{\"Fn::Sub\":\"${PayloadBucket.Arn}/*\"}}");
    }
}

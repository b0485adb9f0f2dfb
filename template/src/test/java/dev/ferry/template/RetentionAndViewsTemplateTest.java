package dev.ferry.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * template.yaml wires retention and the views as docs/views.md says: one setting for executions,
 * payloads and logs, the TTL attribute the store writes, the payload lifecycle rule, the log
 * search routes and the permission to search.
 */
class RetentionAndViewsTemplateTest {
    private final Template template = Template.load(Template.inRepository());


    private JsonNode properties(String logicalId) {
        return template.resource(logicalId).properties();
    }

    @Test
    void retentionIsOneParameterDefaulting14DaysGivenToEveryFunction() {
        assertThat(template.parameters().get("RetentionDays").path("Default").asInt()).isEqualTo(14);
        assertThat(template.functionGlobals().path("Environment").path("Variables").path("FERRY_RETENTION_DAYS")
                .path("Ref").asText()).isEqualTo("RetentionDays");
    }

    @Test
    void executionsExpireByTtlOnTheAttributeTheStoreWrites() {
        JsonNode ttl = properties("ExecutionsTable").path("TimeToLiveSpecification");
        assertThat(ttl.path("AttributeName").asText()).isEqualTo("expiresAt");
        assertThat(ttl.path("Enabled").asBoolean()).isTrue();
    }

    @Test
    void payloadsExpireByALifecycleRuleAfterTheRetention() {
        JsonNode rules = properties("PayloadBucket").path("LifecycleConfiguration").path("Rules");
        List<JsonNode> matching = new ArrayList<>();
        rules.forEach(r -> {
            if (r.path("Status").asText().equals("Enabled") && r.path("Prefix").asText().equals("executions/")) matching.add(r);
        });
        assertThat(matching).hasSize(1);
        assertThat(matching.get(0).path("ExpirationInDays").path("Ref").asText()).isEqualTo("RetentionDays");
    }

    @Test
    void theManagementApiServesLogSearchAndMayFilterTheInstancesLogGroups() {
        JsonNode api = properties("ManagementApiFunction");
        List<String> routes = new ArrayList<>();
        api.path("Events").forEach(e -> routes.add(e.path("Properties").path("Method").asText() + " "
                + e.path("Properties").path("Path").asText()));
        assertThat(routes).contains("GET /instances/{id}/logs", "GET /customers/{id}/logs", "GET /executions",
                "GET /executions/{id}", "GET /executions/{id}/logs", "GET /customers/{id}/executions");

        List<String> actions = new ArrayList<>();
        List<String> resources = new ArrayList<>();
        template.functionPolicies("ManagementApiFunction").forEach(p -> p.path("Statement").forEach(s -> {
            s.path("Action").forEach(a -> actions.add(a.asText()));
            resources.add(s.path("Resource").path("Fn::Sub").asText());
        }));
        assertThat(actions).contains("logs:FilterLogEvents").doesNotContain("logs:GetLogEvents");
        assertThat(resources).anyMatch(r -> r.endsWith(":log-group:/ferry/customers/*"));
    }
}

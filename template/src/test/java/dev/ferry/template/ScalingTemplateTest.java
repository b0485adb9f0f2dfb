package dev.ferry.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** template.yaml's share of docs/scale.md: queued work cannot take the front door's concurrency. */
class ScalingTemplateTest {
    /** A Lambda account's concurrent executions until a quota increase. */
    private static final int DEFAULT_ACCOUNT_CONCURRENCY = 1000;
    private final Template template = Template.load(Template.inRepository());


    @Test
    void everySqsEventSourceHasAMaximumConcurrencyParameterWithinAwsRange() {
        List<String> seen = new ArrayList<>();
        for (Template.Resource f : template.ofType(Template.FUNCTION)) {
            String base = f.logicalId().replaceFirst("Function$", "");
            f.properties().path("Events").fields().forEachRemaining(e -> {
                if (!e.getValue().path("Type").asText().equals("SQS")) return;
                String what = f.logicalId() + "." + e.getKey();
                JsonNode max = e.getValue().path("Properties").path("ScalingConfig").path("MaximumConcurrency");
                assertThat(max.path("Ref").asText()).as(what).isEqualTo("MaxConcurrency" + base);
                JsonNode parameter = template.parameters().get("MaxConcurrency" + base);
                assertThat(parameter).as(what).isNotNull();
                assertThat(parameter.path("Type").asText()).isEqualTo("Number");
                assertThat(parameter.path("MinValue").asInt()).as(what).isEqualTo(2);
                assertThat(parameter.path("MaxValue").asInt()).as(what).isEqualTo(1000);
                assertThat(parameter.path("Default").asInt()).as(what).isBetween(2, 1000);
                seen.add(what);
            });
        }
        assertThat(seen).containsExactlyInAnyOrder("FlowExecutionFunction.Executions", "RetryDispatchFunction.Retries",
                "ReplayFunction.ReplayJobs", "MonitorEvaluationFunction.MonitorEvents");
    }

    @Test
    void theQueuesDefaultsLeaveMostOfADefaultAccountToTheHttpFunctions() {
        int queued = 0;
        for (String base : List.of("FlowExecution", "RetryDispatch", "Replay", "MonitorEvaluation")) {
            queued += Integer.parseInt(template.parameterDefault("MaxConcurrency" + base));
        }
        assertThat(DEFAULT_ACCOUNT_CONCURRENCY - queued).as("concurrency left to webhooks, the API and schedules")
                .isGreaterThanOrEqualTo(DEFAULT_ACCOUNT_CONCURRENCY / 2);
    }
}

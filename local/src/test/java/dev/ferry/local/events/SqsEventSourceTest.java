package dev.ferry.local.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.template.TemplateException;
import org.junit.jupiter.api.Test;

/** How many invocations a local SQS event source keeps in flight. */
class SqsEventSourceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode props(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void withoutScalingConfigTheLocalPollersAllRun() throws Exception {
        assertThat(SqsEventSource.pollers("F event E", props("{\"BatchSize\": 10}"), 5)).isEqualTo(5);
    }

    @Test
    void aLowerMaximumConcurrencyCapsTheConcurrentInvocations() throws Exception {
        assertThat(SqsEventSource.pollers("F event E", props("{\"ScalingConfig\": {\"MaximumConcurrency\": 3}}"), 5))
                .isEqualTo(3);
        assertThat(SqsEventSource.pollers("F event E", props("{\"ScalingConfig\": {\"MaximumConcurrency\": \"2\"}}"), 5))
                .isEqualTo(2);
    }

    @Test
    void aHigherMaximumConcurrencyLeavesTheLocalLimit() throws Exception {
        assertThat(SqsEventSource.pollers("F event E", props("{\"ScalingConfig\": {\"MaximumConcurrency\": 400}}"),
                SqsEventSource.POLLERS)).isEqualTo(SqsEventSource.POLLERS);
    }

    @Test
    void aMaximumConcurrencyAwsWouldRefuseIsRefusedNamingTheEvent() throws Exception {
        for (String bad : new String[] {"1", "1001", "\"many\"", "-4"}) {
            assertThatThrownBy(() -> SqsEventSource.pollers("F event E",
                    props("{\"ScalingConfig\": {\"MaximumConcurrency\": " + bad + "}}"), 5))
                    .as(bad).isInstanceOf(TemplateException.class)
                    .hasMessageContaining("F event E").hasMessageContaining("from 2 to 1000");
        }
    }
}

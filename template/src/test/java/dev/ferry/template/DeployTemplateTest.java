package dev.ferry.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What lets the stack deploy more than once in one account and region. */
class DeployTemplateTest {
    /** Properties that give a resource its physical name; a fixed one collides with a second stack. */
    private static final Set<String> NAME_PROPERTIES = Set.of("TableName", "QueueName", "BucketName", "FunctionName",
            "RoleName", "TopicName", "AlarmName", "DashboardName", "Name", "LogGroupName", "KeyName", "AliasName");

    private final Template template = Template.load(Template.inRepository());


    @Test
    void noResourceHasAFixedNameThatASecondStackWouldCollideWith() {
        List<String> fixed = new ArrayList<>();
        template.resources().forEach((id, r) -> NAME_PROPERTIES.forEach(p -> {
            JsonNode name = r.properties().get(p);
            if (name != null && !name.toString().contains("AWS::StackName")) fixed.add(id + "." + p + " = " + name);
        }));
        assertThat(fixed).isEmpty();
    }

    @Test
    void everyScheduleEventIsNamedByCloudFormationOrByTheStack() {
        List<String> checked = new ArrayList<>();
        for (Template.Resource f : template.ofType(Template.FUNCTION)) {
            f.properties().path("Events").fields().forEachRemaining(e -> {
                JsonNode p = e.getValue().path("Properties");
                if (!e.getValue().path("Type").asText().equals("ScheduleV2")) return;
                boolean omitted = p.path("OmitName").asBoolean(false);
                boolean byStack = p.path("Name").toString().contains("AWS::StackName");
                assertThat(omitted || byStack)
                        .as("%s.%s: SAM names it <function><event> in the default group, the same in every stack",
                                f.logicalId(), e.getKey())
                        .isTrue();
                checked.add(f.logicalId() + "." + e.getKey());
            });
        }
        assertThat(checked).contains("MonitorEvaluationFunction.Sweep");
    }
}

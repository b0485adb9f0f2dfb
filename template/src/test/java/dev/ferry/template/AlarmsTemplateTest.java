package dev.ferry.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * template.yaml's alarms and dashboard watch what is deployed: every alarm notifies the one topic
 * (whose ARN is an output) when it fires and when it clears; the dead-letter alarm covers every
 * dead-letter queue, the throttle alarm every function but a custom resource's; the failure rate
 * and the dashboard read the metrics the functions write (EmfMetrics) in the namespace the
 * functions are given.
 */
class AlarmsTemplateTest {
    /** The metrics the functions write as embedded metric format lines (infra's EmfMetrics). */
    static final Set<String> FERRY_METRICS = Set.of("Executions", "Duration", "RetriesScheduled", "Replays",
            "AlertsSent", "AlertsFailed", "DeadLetters");
    static final String NAMESPACE = "Ferry/${AWS::StackName}";

    private final Template template = Template.load(Template.inRepository());


    private List<Template.Resource> alarms() {
        return template.ofType("AWS::CloudWatch::Alarm");
    }

    @Test
    void everyAlarmNotifiesTheTopicWhenItFiresAndWhenItClears() {
        assertThat(alarms()).extracting(Template.Resource::logicalId).containsExactlyInAnyOrder(
                "DeadLettersAlarm", "FailureRateAlarm", "ThrottlesAlarm", "OldestQueuedExecutionAlarm");
        for (Template.Resource alarm : alarms()) {
            for (String actions : List.of("AlarmActions", "OKActions")) {
                JsonNode a = alarm.properties().path(actions);
                assertThat(a).as(alarm.logicalId() + " " + actions).hasSize(1);
                assertThat(a.get(0).path("Ref").asText()).as(alarm.logicalId() + " " + actions).isEqualTo("AlarmTopic");
            }
            assertThat(alarm.properties().path("TreatMissingData").asText()).as(alarm.logicalId()).isEqualTo("notBreaching");
        }
        assertThat(template.resource("AlarmTopic").type()).isEqualTo("AWS::SNS::Topic");
        assertThat(template.root().path("Outputs").path("AlarmTopicArn").path("Value").path("Ref").asText())
                .isEqualTo("AlarmTopic");
    }

    @Test
    void theDeadLetterAlarmCoversEveryDeadLetterQueue() {
        Set<String> deadLetterQueues = new TreeSet<>();
        for (Template.Resource q : template.ofType(Template.QUEUE)) {
            JsonNode target = q.properties().path("RedrivePolicy").path("deadLetterTargetArn").path("Fn::GetAtt");
            if (target.isArray()) deadLetterQueues.add(target.get(0).asText());
        }
        // A function's on-failure destination is a dead-letter queue too (ScheduledTriggerFunction's).
        for (Template.Resource f : template.ofType(Template.FUNCTION)) {
            JsonNode target = f.properties().path("EventInvokeConfig").path("DestinationConfig").path("OnFailure")
                    .path("Destination").path("Fn::GetAtt");
            if (target.isArray()) deadLetterQueues.add(target.get(0).asText());
        }
        assertThat(deadLetterQueues).hasSize(5);
        assertThat(queuesIn(template.resource("DeadLettersAlarm").properties())).isEqualTo(deadLetterQueues);
    }

    @Test
    void theThrottleAlarmCoversEveryFunction() {
        Set<String> functions = new TreeSet<>();
        template.ofType(Template.FUNCTION).forEach(f -> functions.add(f.logicalId()));
        // A custom resource's function runs only while CloudFormation changes the stack (the stack's
        // deletion deletes this alarm too), and the alarm's metrics are near CloudWatch's limit of 10.
        functions.removeAll(PayloadBucketEmptierTemplateTest.customResourceFunctions(template));
        Set<String> watched = new TreeSet<>();
        JsonNode metrics = template.resource("ThrottlesAlarm").properties().path("Metrics");
        metrics.forEach(m -> {
            JsonNode metric = m.path("MetricStat").path("Metric");
            if (metric.isMissingNode()) return;
            assertThat(metric.path("MetricName").asText()).isEqualTo("Throttles");
            watched.add(metric.path("Dimensions").get(0).path("Value").path("Ref").asText());
        });
        assertThat(watched).isEqualTo(functions);
    }

    @Test
    void theFailureRateReadsTheExecutionsTheFunctionsCountInTheirNamespace() {
        assertThat(template.functionGlobals().path("Environment").path("Variables").path("FERRY_METRICS_NAMESPACE")
                .path("Fn::Sub").asText()).isEqualTo(NAMESPACE);
        List<String> read = new ArrayList<>();
        template.resource("FailureRateAlarm").properties().path("Metrics").forEach(m -> {
            JsonNode metric = m.path("MetricStat").path("Metric");
            if (metric.isMissingNode()) return;
            assertThat(metric.path("Namespace").path("Fn::Sub").asText()).isEqualTo(NAMESPACE);
            read.add(metric.path("MetricName").asText() + " " + metric.path("Dimensions").get(0).path("Name").asText()
                    + "=" + metric.path("Dimensions").get(0).path("Value").asText());
        });
        assertThat(read).containsExactlyInAnyOrder("Executions Status=SUCCEEDED", "Executions Status=FAILED");
    }

    @Test
    void theDashboardIsJsonShowingTheAlarmsAndOnlyMetricsTheFunctionsWrite() throws Exception {
        String body = template.resource("Dashboard").properties().path("DashboardBody").path("Fn::Sub").asText();
        Set<String> substituted = new TreeSet<>();
        Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(body);
        while (m.find()) substituted.add(m.group(1));
        for (String name : substituted) {
            String resource = name.split("\\.")[0];
            assertThat(name.startsWith("AWS::") || template.resources().containsKey(resource))
                    .as("${" + name + "} names a resource of the template").isTrue();
        }
        JsonNode dashboard = new ObjectMapper().readTree(body.replace("${", "{"));
        JsonNode widgets = dashboard.path("widgets");
        assertThat(widgets.size()).isGreaterThanOrEqualTo(8);
        List<String> alarmsShown = new ArrayList<>();
        widgets.get(0).path("properties").path("alarms").forEach(a -> alarmsShown.add(a.asText()));
        assertThat(alarmsShown).containsExactlyInAnyOrderElementsOf(
                alarms().stream().map(a -> "{" + a.logicalId() + ".Arn}").toList());
        Set<String> ferryMetrics = new TreeSet<>();
        widgets.forEach(w -> w.path("properties").path("metrics").forEach(row -> {
            if (row.get(0).asText().equals(NAMESPACE.replace("${", "{"))) ferryMetrics.add(row.get(1).asText());
        }));
        assertThat(ferryMetrics).isEqualTo(FERRY_METRICS);
    }

    /** The logical ids of the queues an alarm's metrics name (by their QueueName attribute). */
    private static Set<String> queuesIn(JsonNode alarm) {
        Set<String> queues = new TreeSet<>();
        alarm.path("Metrics").forEach(m -> m.path("MetricStat").path("Metric").path("Dimensions").forEach(d -> {
            JsonNode att = d.path("Value").path("Fn::GetAtt");
            if (d.path("Name").asText().equals("QueueName") && att.isArray()) queues.add(att.get(0).asText());
        }));
        return queues;
    }
}

package dev.ferry.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.template.Intrinsics;
import dev.ferry.template.Template;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionSpecsTest {
    private static final String TEMPLATE = """
            Parameters:
              Key: { Type: String }
              Days: { Type: Number, Default: 14 }
            Globals:
              Function:
                Timeout: 30
                MemorySize: 1024
                Environment:
                  Variables:
                    TABLE: { Ref: Table }
                    DAYS: { Ref: Days }
            Resources:
              Table: { Type: AWS::DynamoDB::Table }
              Queue: { Type: AWS::SQS::Queue }
              Api:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: a.Api::handleRequest
                  Timeout: 60
                  Environment:
                    Variables:
                      KEY: { Ref: Key }
                      DAYS: "7"
                  Events:
                    Get:
                      Type: HttpApi
                      Properties: { Path: "/things/{id}", Method: GET }
                    Work:
                      Type: SQS
                      Properties:
                        Queue: { "Fn::GetAtt": [Queue, Arn] }
                        BatchSize: 5
              Worker:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: a.Worker::handleRequest
            """;

    private final Intrinsics intrinsics = new Intrinsics(
            name -> Map.of("Key", "hash", "Days", "14").get(name),
            new Intrinsics.Resources() {
                @Override public boolean exists(String id) { return true; }
                @Override public String ref(String id) { return "ferry-" + id; }
                @Override public String getAtt(String id, String a) { return "arn:aws:sqs:us-east-1:123456789012:ferry-" + id; }
            });

    @Test
    void environmentIsGlobalsMergedWithTheFunctionsOwnPlusWhatTheStackAdds() {
        List<FunctionSpec> specs = FunctionSpecs.fromTemplate(Template.parse(Path.of("t.yaml"), TEMPLATE), intrinsics,
                Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:4566"));

        FunctionSpec api = specs.get(0);
        assertThat(api.name()).isEqualTo("Api");
        assertThat(api.environment()).containsEntry("TABLE", "ferry-Table").containsEntry("DAYS", "7")
                .containsEntry("KEY", "hash").containsEntry("AWS_ENDPOINT_URL", "http://127.0.0.1:4566");
        assertThat(api.timeoutSeconds()).isEqualTo(60);
        assertThat(api.memoryMb()).isEqualTo(1024);
        assertThat(api.handlerClass()).isEqualTo("a.Api");
        assertThat(api.events()).extracting(FunctionSpec.Event::type).containsExactly("HttpApi", "SQS");
        assertThat(api.events().get(1).properties().get("Queue").asText()).endsWith(":ferry-Queue");

        FunctionSpec worker = specs.get(1);
        assertThat(worker.environment()).containsEntry("DAYS", "14").doesNotContainKey("KEY");
        assertThat(worker.timeoutSeconds()).isEqualTo(30);
    }

    @Test
    void theRepositoryTemplateHasTheContractsFunctionsWithHandlersAndEnvironment() throws Exception {
        Path template = Template.inRepository();
        List<FunctionSpec> specs = FunctionSpecs.fromTemplate(Template.load(template), intrinsics, Map.of());
        assertThat(specs).isNotEmpty();
        for (FunctionSpec s : specs) {
            assertThat(s.handler()).as(s.name()).contains("::");
            assertThat(s.environment()).as(s.name()).containsKeys("FERRY_CONFIG_TABLE", "FERRY_EXECUTIONS_TABLE",
                    "FERRY_PAYLOAD_BUCKET", "FERRY_EXECUTION_QUEUE_URL");
        }
    }

    @Test
    void theStuckCheckUsesTheFlowExecutionFunctionsTimeout() throws Exception {
        List<FunctionSpec> specs = FunctionSpecs.fromTemplate(Template.load(Template.inRepository()),
                intrinsics, Map.of());
        FunctionSpec runner = specs.stream().filter(s -> s.name().equals("FlowExecutionFunction")).findFirst().orElseThrow();
        FunctionSpec monitors = specs.stream().filter(s -> s.name().equals("MonitorEvaluationFunction")).findFirst().orElseThrow();
        assertThat(monitors.environment().get("FERRY_EXECUTION_TIMEOUT_SECONDS"))
                .isEqualTo(Integer.toString(runner.timeoutSeconds()));
    }

    @Test
    void theScheduledTriggersFailedRunsAreRetriedTwiceThenSentToItsDeadLetterQueueOthersKeepLambdasDefault() throws Exception {
        List<FunctionSpec> specs = FunctionSpecs.fromTemplate(Template.load(Template.inRepository()),
                intrinsics, Map.of());
        FunctionSpec trigger = specs.stream().filter(s -> s.name().equals("ScheduledTriggerFunction")).findFirst().orElseThrow();
        FunctionSpec monitors = specs.stream().filter(s -> s.name().equals("MonitorEvaluationFunction")).findFirst().orElseThrow();

        assertThat(trigger.async()).isEqualTo(new FunctionSpec.AsyncInvokeConfig(2,
                "arn:aws:sqs:us-east-1:123456789012:ferry-ScheduledTriggerDeadLetterQueue"));
        assertThat(monitors.async()).isEqualTo(FunctionSpec.AsyncInvokeConfig.DEFAULT);
    }

    @Test
    void functionNamesAreFoundInAliasQualifiedNamesAndArns() {
        assertThat(FunctionRegistry.functionName("ReplayFunction")).isEqualTo("ReplayFunction");
        assertThat(FunctionRegistry.functionName("ReplayFunction:live")).isEqualTo("ReplayFunction");
        assertThat(FunctionRegistry.functionName("arn:aws:lambda:us-east-1:123456789012:function:ReplayFunction"))
                .isEqualTo("ReplayFunction");
        assertThat(FunctionRegistry.functionName("arn:aws:lambda:us-east-1:123456789012:function:ReplayFunction:$LATEST"))
                .isEqualTo("ReplayFunction");
        assertThat(FunctionRegistry.functionName("123456789012:function:ReplayFunction")).isEqualTo("ReplayFunction");
    }

}

package dev.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.template.Template;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The cost benchmark counts Lambda's own lines as each function's LoggingConfig in the template sets them. */
class PlatformLinesTest {

    private static Template template(String loggingConfig, String level) {
        return Template.parse(Path.of("template.yaml"), """
                Parameters:
                  LambdaSystemLogLevel: { Type: String, Default: %s, AllowedValues: [DEBUG, INFO, WARN] }
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      LoggingConfig: %s
                """.formatted(level, loggingConfig));
    }

    @Test
    void theRepositorysTemplateSendsNoPlatformLineForASuccessfulInvocation() {
        Template repo = Template.load(Template.inRepository());
        for (String function : new String[] {"WebhookFunction", "FlowExecutionFunction", "MonitorEvaluationFunction"}) {
            CostBenchmark.PlatformLines lines = CostBenchmark.PlatformLines.of(repo, function);
            assertThat(lines.bytes()).as(function).isZero();
            assertThat(lines.what()).contains("WARN, the default of `LambdaSystemLogLevel`");
        }
    }

    @Test
    void theParametersDefaultDecides() {
        String json = "{ LogFormat: JSON, ApplicationLogLevel: TRACE, SystemLogLevel: { Ref: LambdaSystemLogLevel } }";

        assertThat(CostBenchmark.PlatformLines.of(template(json, "WARN"), "Fn").bytes()).isZero();
        CostBenchmark.PlatformLines info = CostBenchmark.PlatformLines.of(template(json, "INFO"), "Fn");
        // platform.start 136 bytes and platform.report 236, each with CloudWatch's 26
        assertThat(info.bytes()).isEqualTo(136 + 236 + 2 * 26);
        assertThat(info.what()).contains("INFO").contains("estimated");
    }

    @Test
    void withoutALevelTheJsonFormatSendsLambdasInfoLinesAndTheTextFormatItsStartEndAndReport() {
        assertThat(CostBenchmark.PlatformLines.of(template("{ LogFormat: JSON }", "WARN"), "Fn").bytes()).isEqualTo(424);
        assertThat(CostBenchmark.PlatformLines.of(template("{ LogGroup: g }", "WARN"), "Fn").bytes()).isEqualTo(420);
        assertThat(CostBenchmark.PlatformLines.of(template("{ LogFormat: JSON, SystemLogLevel: WARN }", "INFO"), "Fn").bytes()).isZero();
    }
}

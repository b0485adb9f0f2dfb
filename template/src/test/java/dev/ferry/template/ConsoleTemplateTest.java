package dev.ferry.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The operator console is deployed with the stack: ConsoleFunction serves it through the HTTP API
 * under /console/, on the API's own origin, and the stack's ConsoleUrl output says where.
 */
class ConsoleTemplateTest {
    private final Template template = Template.load(Template.inRepository());

    /** Every HttpApi event of every function, as {@code Function METHOD path}. */
    private List<String> routes() {
        List<String> out = new ArrayList<>();
        for (Template.Resource f : template.ofType(Template.FUNCTION)) {
            f.properties().path("Events").forEach(e -> {
                if (!e.path("Type").asText().equals("HttpApi")) return;
                JsonNode p = e.path("Properties");
                assertThat(p.path("ApiId").path("Ref").asText()).as(f.logicalId()).isEqualTo("FerryHttpApi");
                out.add(f.logicalId() + " " + p.path("Method").asText() + " " + p.path("Path").asText());
            });
        }
        return out;
    }

    @Test
    void consoleFunctionServesConsoleAndEverythingUnderItOnTheApiAndNothingElseDoes() {
        Template.Resource console = template.resource("ConsoleFunction");
        assertThat(console.type()).isEqualTo(Template.FUNCTION);
        assertThat(console.properties().path("Handler").asText())
                .isEqualTo("dev.ferry.functions.console.ConsoleFunction::handleRequest");
        List<String> routes = routes();
        assertThat(routes.stream().filter(r -> r.contains(" /console")).toList())
                .containsExactlyInAnyOrder("ConsoleFunction ANY /console", "ConsoleFunction ANY /console/{proxy+}");
        assertThat(routes.stream().filter(r -> r.startsWith("ConsoleFunction ")).toList()).hasSize(2);
    }

    @Test
    void theConsoleUrlOutputIsTheApisOriginUnderConsole() {
        JsonNode outputs = template.root().path("Outputs");
        String api = outputs.path("ApiUrl").path("Value").path("Fn::Sub").asText();
        String console = outputs.path("ConsoleUrl").path("Value").path("Fn::Sub").asText();
        assertThat(api).isEqualTo("https://${FerryHttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}");
        assertThat(console).isEqualTo(api + "/console/");
        // The links alerts carry lead to the console at the same address.
        assertThat(template.resource("MonitorEvaluationFunction").properties().path("Environment").path("Variables")
                .path("FERRY_PUBLIC_URL").path("Fn::Sub").asText()).isEqualTo(api);
    }
}

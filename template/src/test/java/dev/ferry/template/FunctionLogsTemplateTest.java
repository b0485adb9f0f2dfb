package dev.ferry.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What Lambda sends to the functions' own log groups (docs/deploy.md, "Lambda's own log lines"):
 * every function logs in the JSON format, Lambda's own lines filtered by one parameter that
 * defaults to WARN (no platform.start and platform.report line for a successful invocation), and
 * Ferry's lines by no level of Lambda's: TRACE lets through every line Ferry writes, and its metric
 * lines, which have no level and count as INFO.
 */
class FunctionLogsTemplateTest {
    private final Template template = Template.load(Template.inRepository());

    @Test
    void lambdasOwnLinesAreFilteredByOneParameterDefaultingToWarn() {
        JsonNode parameter = template.parameters().get("LambdaSystemLogLevel");
        assertThat(parameter.path("Type").asText()).isEqualTo("String");
        assertThat(template.parameterDefault("LambdaSystemLogLevel")).isEqualTo("WARN");
        List<String> allowed = new ArrayList<>();
        parameter.path("AllowedValues").forEach(v -> allowed.add(v.asText()));
        assertThat(allowed).containsExactly("DEBUG", "INFO", "WARN");
    }

    @Test
    void everyFunctionLogsJsonWithEveryFerryLineKept() {
        List<Template.Resource> functions = template.ofType(Template.FUNCTION);
        assertThat(functions).hasSizeGreaterThan(5);
        for (Template.Resource f : functions) {
            JsonNode logging = f.properties().path("LoggingConfig");
            assertThat(logging.path("LogFormat").asText()).as(f.logicalId()).isEqualTo("JSON");
            assertThat(logging.path("ApplicationLogLevel").asText()).as(f.logicalId()).isEqualTo("TRACE");
            assertThat(logging.path("SystemLogLevel").toString()).as(f.logicalId()).isEqualTo("{\"Ref\":\"LambdaSystemLogLevel\"}");
        }
        assertThat(template.functionGlobals().has("LoggingConfig")).isFalse();
    }
}

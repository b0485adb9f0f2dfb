package dev.ferry.core.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.error.FieldError;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefinitionParserTest {
    private static final String ORDER_SYNC = Examples.ORDER_SYNC;
    private static final String ORDER_SYNC_YAML = Examples.ORDER_SYNC_YAML;

    private static IntegrationDefinition parse(String text) {
        return DefinitionParser.parse(text.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    private static List<FieldError> errors(String text) {
        return errors(text, "application/json");
    }

    private static List<FieldError> errors(String text, String contentType) {
        ValidationException e = catchThrowableOfType(ValidationException.class,
                () -> DefinitionParser.parse(text.getBytes(StandardCharsets.UTF_8), contentType));
        assertThat(e).as("expected a ValidationException").isNotNull();
        return e.details();
    }

    /** A one-flow definition around the given steps, trigger and retry. */
    private static String definition(String trigger, String retry, String steps) {
        return """
                {"name": "Test", "flows": [{"name": "f", "trigger": %s, %s "steps": %s}]}
                """.formatted(trigger, retry == null ? "" : "\"retry\": " + retry + ",", steps);
    }

    private static String withSteps(String steps) {
        return definition("{\"type\": \"webhook\"}", null, steps);
    }

    private static String withTrigger(String trigger) {
        return definition(trigger, null, "[{\"name\": \"s\", \"type\": \"log\", \"message\": \"hi\"}]");
    }

    private static String withRetry(String retry) {
        return definition("{\"type\": \"webhook\"}", retry, "[{\"name\": \"s\", \"type\": \"log\", \"message\": \"hi\"}]");
    }

    private static FieldError only(List<FieldError> errors) {
        assertThat(errors).hasSize(1);
        return errors.get(0);
    }

    @Test
    void parsesTheOrderSyncExample() {
        IntegrationDefinition d = parse(ORDER_SYNC);

        assertThat(d.name()).isEqualTo("Order sync");
        assertThat(d.configVariables()).containsExactly(
                new ConfigVariableDef("apiBase", true, false, null, null),
                new ConfigVariableDef("apiKey", false, true, null, null));
        FlowDef flow = d.flows().get(0);
        assertThat(flow.name()).isEqualTo("On new order");
        assertThat(flow.trigger()).isEqualTo(new TriggerDef("webhook", null, null));
        assertThat(flow.retry()).isEqualTo(new RetryPolicy(3, 60, "EXPONENTIAL", 86400, true, "{% $trigger.headers.'x-request-id' %}"));
        assertThat(flow.steps()).extracting(StepDef::name).containsExactly("log", "fetch", "shape", "guard");
        assertThat(flow.steps()).extracting(StepDef::type).containsExactly("log", "http", "transform", "fail");
        assertThat(flow.steps().get(1).spec().get("url").textValue()).isEqualTo("{% $config.apiBase & '/orders/' & $trigger.body.id %}");
    }

    @Test
    void parsesTheOrderSyncExampleAsYaml() {
        IntegrationDefinition fromYaml = DefinitionParser.parse(ORDER_SYNC_YAML.getBytes(StandardCharsets.UTF_8), "application/yaml");
        assertThat(fromYaml).isEqualTo(parse(ORDER_SYNC));
    }

    @Test
    void readsYamlWhenTheTextDoesNotStartWithABrace() {
        IntegrationDefinition d = DefinitionParser.parse(ORDER_SYNC_YAML.getBytes(StandardCharsets.UTF_8), null);
        assertThat(d.name()).isEqualTo("Order sync");
    }

    @Test
    void toJsonRoundTrips() {
        IntegrationDefinition d = parse(ORDER_SYNC);
        ObjectNode json = DefinitionParser.toJson(d);
        assertThat(DefinitionParser.parse(json)).isEqualTo(d);
        assertThat(parse(Json.write(json))).isEqualTo(d);
    }

    @Test
    void scheduleTriggerDefaultsToUtc() {
        IntegrationDefinition d = parse(withTrigger("{\"type\": \"schedule\", \"schedule\": \"cron(0/5 * * * ? *)\"}"));
        assertThat(d.flows().get(0).trigger()).isEqualTo(new TriggerDef("schedule", "cron(0/5 * * * ? *)", "UTC"));
        IntegrationDefinition berlin = parse(withTrigger(
                "{\"type\": \"schedule\", \"schedule\": \"rate(5 minutes)\", \"timezone\": \"Europe/Berlin\"}"));
        assertThat(berlin.flows().get(0).trigger().timezone()).isEqualTo("Europe/Berlin");
        assertThat(DefinitionParser.parse(DefinitionParser.toJson(berlin))).isEqualTo(berlin);
    }

    @Test
    void retryFieldsHaveDefaults() {
        IntegrationDefinition d = parse(withRetry("{\"maxAttempts\": 2}"));
        assertThat(d.flows().get(0).retry()).isEqualTo(new RetryPolicy(2, 60, "FIXED", 86400, false, null));
        assertThat(parse(withRetry("null")).flows().get(0).retry()).isNull();
    }

    @Test
    void acceptsEveryStepType() {
        IntegrationDefinition d = parse(withSteps("""
                [{"name": "h", "type": "http", "url": "https://example.com/x", "method": "PATCH", "query": {"a": [1, 2]},
                  "headers": {"x-api-key": "k"}, "body": {"a": 1}, "timeoutSeconds": 900},
                 {"name": "t", "type": "transform", "output": null},
                 {"name": "l", "type": "log", "message": "m", "severity": "DEBUG"},
                 {"name": "f", "type": "fail", "message": "m", "if": false, "retryable": "{% true %}"},
                 {"name": "s", "type": "sleep", "seconds": 0, "if": "{% $trigger.body.wait %}"},
                 {"name": "s2", "type": "sleep", "seconds": "{% $trigger.body.wait %}"},
                 {"name": "c", "type": "code", "class": "dev.ferry.core.engine.UppercaseCodeStep", "input": {"text": "x"}}]
                """));
        assertThat(d.flows().get(0).steps()).hasSize(7);
    }

    @Test
    void badExpressionNamesTheFieldAndTheParseError() {
        FieldError e = only(errors(withSteps("""
                [{"name": "a", "type": "log", "message": "hi"},
                 {"name": "b", "type": "http", "url": "{% $config.apiBase & %}"}]
                """)));
        assertThat(e.field()).isEqualTo("flows[0].steps[1].url");
        assertThat(e.reason()).startsWith("invalid expression: ");
    }

    @Test
    void badExpressionDeepInsideAStepNamesItsPath() {
        List<FieldError> errors = errors(withSteps("""
                [{"name": "a", "type": "transform", "output": {"items": ["ok", "{% ( %}"]}},
                 {"name": "b", "type": "http", "url": "https://x.example", "headers": {"x-api-key": "{% $config. %}"}}]
                """));
        assertThat(errors).extracting(FieldError::field)
                .containsExactly("flows[0].steps[0].output.items[1]", "flows[0].steps[1].headers['x-api-key']");
    }

    @Test
    void expressionThatIsOnlyPartOfAStringIsRejected() {
        FieldError e = only(errors(withSteps("""
                [{"name": "a", "type": "http", "url": "https://x.example/orders/{% $trigger.body.id %}"}]
                """)));
        assertThat(e.field()).isEqualTo("flows[0].steps[0].url");
        assertThat(e.reason()).contains("whole string");
    }

    @Test
    void unknownStepTypeIsRejected() {
        FieldError e = only(errors(withSteps("[{\"name\": \"a\", \"type\": \"email\", \"to\": \"x\"}]")));
        assertThat(e).isEqualTo(new FieldError("flows[0].steps[0].type",
                "unknown step type 'email' (expected one of http, transform, log, fail, sleep, code)"));
    }

    @Test
    void httpStepWithoutUrlIsRejected() {
        assertThat(only(errors(withSteps("[{\"name\": \"a\", \"type\": \"http\", \"method\": \"GET\"}]"))))
                .isEqualTo(new FieldError("flows[0].steps[0].url", "required"));
    }

    @Test
    void httpStepFieldsAreChecked() {
        List<FieldError> errors = errors(withSteps("""
                [{"name": "a", "type": "http", "url": "ftp://x", "method": "FETCH", "headers": {"h": {"x": 1}},
                  "timeoutSeconds": 901}]
                """));
        assertThat(errors).extracting(FieldError::field).containsExactly(
                "flows[0].steps[0].url", "flows[0].steps[0].method", "flows[0].steps[0].headers.h",
                "flows[0].steps[0].timeoutSeconds");
    }

    @Test
    void unknownStepFieldIsRejected() {
        assertThat(only(errors(withSteps("[{\"name\": \"a\", \"type\": \"http\", \"url\": \"https://x.example\", \"urll\": 1}]"))))
                .isEqualTo(new FieldError("flows[0].steps[0].urll", "unknown field"));
    }

    @Test
    void duplicateStepNamesAreRejected() {
        FieldError e = only(errors(withSteps("""
                [{"name": "a", "type": "log", "message": "1"}, {"name": "a", "type": "log", "message": "2"}]
                """)));
        assertThat(e).isEqualTo(new FieldError("flows[0].steps[1].name", "duplicate step name 'a'"));
    }

    @Test
    void stepNamesMustWorkAsStepsPaths() {
        FieldError e = only(errors(withSteps("[{\"name\": \"1st step\", \"type\": \"log\", \"message\": \"1\"}]")));
        assertThat(e.field()).isEqualTo("flows[0].steps[0].name");
    }

    @Test
    void stepTypeRequirementsAreChecked() {
        List<FieldError> errors = errors(withSteps("""
                [{"name": "t", "type": "transform"},
                 {"name": "l", "type": "log", "message": "m", "severity": "LOUD"},
                 {"name": "f", "type": "fail", "retryable": "yes"},
                 {"name": "s", "type": "sleep", "seconds": 901},
                 {"name": "c", "type": "code", "class": "java.lang.String"},
                 {"name": "d", "type": "code", "class": "com.example.Missing"},
                 {"name": "i", "type": "log", "message": "m", "if": "maybe"}]
                """));
        assertThat(errors).extracting(FieldError::field).containsExactly(
                "flows[0].steps[0].output", "flows[0].steps[1].severity", "flows[0].steps[2].message",
                "flows[0].steps[2].retryable", "flows[0].steps[3].seconds", "flows[0].steps[4].class",
                "flows[0].steps[5].class", "flows[0].steps[6].if");
        assertThat(errors.get(5).reason()).contains("does not implement dev.ferry.core.engine.CodeStep");
        assertThat(errors.get(6).reason()).contains("not on the classpath");
    }

    @Test
    void badCronIsRejectedWithTheReason() {
        FieldError e = only(errors(withTrigger("{\"type\": \"schedule\", \"schedule\": \"cron(0 12 * * MON *)\"}")));
        assertThat(e.field()).isEqualTo("flows[0].trigger.schedule");
        assertThat(e.reason()).contains("exactly one of day-of-month and day-of-week must be ?");
    }

    @Test
    void badRateIsRejectedWithTheReason() {
        FieldError e = only(errors(withTrigger("{\"type\": \"schedule\", \"schedule\": \"rate(1 minutes)\"}")));
        assertThat(e.field()).isEqualTo("flows[0].trigger.schedule");
        assertThat(e.reason()).contains("singular");
    }

    @Test
    void badTimezoneIsRejected() {
        FieldError e = only(errors(withTrigger(
                "{\"type\": \"schedule\", \"schedule\": \"rate(5 minutes)\", \"timezone\": \"Europe/Atlantis\"}")));
        assertThat(e.field()).isEqualTo("flows[0].trigger.timezone");
    }

    @Test
    void triggerTypeAndFieldsAreChecked() {
        assertThat(only(errors(withTrigger("{\"type\": \"email\"}"))).field()).isEqualTo("flows[0].trigger.type");
        assertThat(only(errors(withTrigger("{\"type\": \"webhook\", \"schedule\": \"rate(5 minutes)\"}"))))
                .isEqualTo(new FieldError("flows[0].trigger.schedule", "unknown field"));
        assertThat(only(errors(withTrigger("{\"type\": \"schedule\"}"))))
                .isEqualTo(new FieldError("flows[0].trigger.schedule", "required"));
    }

    @Test
    void maxAttemptsAboveTenIsRejected() {
        FieldError e = only(errors(withRetry("{\"maxAttempts\": 11}")));
        assertThat(e).isEqualTo(new FieldError("flows[0].retry.maxAttempts", "must be a whole number from 0 to 10"));
    }

    @Test
    void delaySecondsZeroIsRejected() {
        FieldError e = only(errors(withRetry("{\"maxAttempts\": 3, \"delaySeconds\": 0}")));
        assertThat(e.field()).isEqualTo("flows[0].retry.delaySeconds");
    }

    @Test
    void retryFieldsAreChecked() {
        List<FieldError> errors = errors(withRetry("""
                {"delaySeconds": 120, "maxDelaySeconds": 60, "backoff": "LINEAR", "jitter": "yes",
                 "uniqueRequestId": "{% $trigger.headers. %}"}
                """));
        assertThat(errors).extracting(FieldError::field).containsExactly("flows[0].retry.maxDelaySeconds",
                "flows[0].retry.backoff", "flows[0].retry.jitter", "flows[0].retry.uniqueRequestId");
    }

    @Test
    void configVariablesAreChecked() {
        List<FieldError> errors = errors("""
                {"name": "x", "configVariables": [{"key": "ok"}, {"key": "ok"}, {"key": "has-dash"}, {"secret": true},
                                                  {"key": "k", "required": "yes", "extra": 1}],
                 "flows": [{"name": "f", "trigger": {"type": "webhook"}, "steps": [{"name": "s", "type": "log", "message": "m"}]}]}
                """);
        assertThat(errors).containsExactly(
                new FieldError("configVariables[1].key", "duplicate key 'ok'"),
                new FieldError("configVariables[2].key", "must match [A-Za-z_][A-Za-z0-9_]* (letters, digits, _; not starting with a digit)"),
                new FieldError("configVariables[3].key", "required"),
                new FieldError("configVariables[4].extra", "unknown field"),
                new FieldError("configVariables[4].required", "must be true or false"));
    }

    @Test
    void nameAndFlowsAreRequired() {
        assertThat(errors("{}")).containsExactly(
                new FieldError("name", "required"), new FieldError("flows", "required: at least one flow"));
        assertThat(errors("{\"name\": \"   \", \"flows\": []}")).extracting(FieldError::field).containsExactly("name", "flows");
        assertThat(errors("{\"name\": \"" + "n".repeat(201) + "\", \"flows\": []}").get(0).reason()).contains("200");
    }

    @Test
    void flowNamesMustBeUnique() {
        String flow = "{\"name\": \"f\", \"trigger\": {\"type\": \"webhook\"}, \"steps\": [{\"name\": \"s\", \"type\": \"log\", \"message\": \"m\"}]}";
        assertThat(only(errors("{\"name\": \"x\", \"flows\": [" + flow + ", " + flow + "]}")))
                .isEqualTo(new FieldError("flows[1].name", "duplicate flow name 'f'"));
    }

    @Test
    void reportsEveryProblemAtOnce() {
        List<FieldError> errors = errors(definition("{\"type\": \"schedule\", \"schedule\": \"rate(0 minutes)\"}",
                "{\"maxAttempts\": 11}", """
                [{"name": "a", "type": "http"}, {"name": "a", "type": "nope"}]
                """));
        assertThat(errors).extracting(FieldError::field).containsExactly(
                "flows[0].trigger.schedule", "flows[0].retry.maxAttempts", "flows[0].steps[0].url",
                "flows[0].steps[1].type", "flows[0].steps[1].name");
    }

    @Test
    void malformedJsonIsOneBodyErrorWithLineAndColumn() {
        FieldError e = only(errors("{\n  \"name\": \"x\",\n  \"flows\": [,]\n}"));
        assertThat(e.field()).isEqualTo("body");
        assertThat(e.reason()).startsWith("malformed JSON at line 3, column ");
    }

    @Test
    void malformedYamlIsOneBodyErrorWithLineAndColumn() {
        FieldError e = only(errors("name: x\nflows:\n  - name: [unclosed\n", "application/x-yaml"));
        assertThat(e.field()).isEqualTo("body");
        assertThat(e.reason()).startsWith("malformed YAML at line ");
    }

    @Test
    void duplicateJsonKeysAreMalformed() {
        assertThat(only(errors("{\"name\": \"a\", \"name\": \"b\"}")).reason()).contains("name");
    }

    @Test
    void emptyOrNonObjectBodyIsRejected() {
        assertThat(only(errors("")).field()).isEqualTo("body");
        assertThat(only(errors("[1, 2]")).field()).isEqualTo("body");
    }
}

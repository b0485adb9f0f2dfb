package dev.ferry.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ExpressionsTest {
    private static final JsonNode BINDINGS = Json.tree("""
            {"trigger": {"body": {"id": 42, "items": [{"sku": "a", "qty": 2}, {"sku": "b", "qty": 3}], "note": null},
                         "headers": {"x-request-id": "req-1"}, "query": {"page": "2"}, "method": "POST",
                         "contentType": "application/json"},
             "config": {"apiBase": "https://api.example.com"},
             "steps": {"fetch": {"status": 200, "body": {"id": "o-42"}}},
             "execution": {"id": "exe_1", "attempt": 2, "trigger": "WEBHOOK"}}
            """);

    private static JsonNode eval(String template) {
        return Expressions.evaluate(Json.tree(template), BINDINGS);
    }

    @Test
    void recognisesOnlyWholeStringExpressions() {
        assertThat(Expressions.isExpression("{% $x %}")).isTrue();
        assertThat(Expressions.isExpression("  {%$x%}  ")).isTrue();
        assertThat(Expressions.isExpression("id: {% $x %}")).isFalse();
        assertThat(Expressions.isExpression("{%")).isFalse();
        assertThat(Expressions.isExpression(null)).isFalse();
    }

    @Test
    void evaluatesEveryBindingVariable() {
        JsonNode out = eval("""
                {"url": "{% $config.apiBase & '/orders/' & $trigger.body.id %}",
                 "requestId": "{% $trigger.headers.'x-request-id' %}",
                 "page": "{% $number($trigger.query.page) %}",
                 "method": "{% $trigger.method %}",
                 "fetched": "{% $steps.fetch.body.id %}",
                 "attempt": "{% $execution.attempt %}",
                 "execution": "{% $execution.id & '/' & $execution.trigger %}"}
                """);
        assertThat(out).isEqualTo(Json.tree("""
                {"url": "https://api.example.com/orders/42", "requestId": "req-1", "page": 2, "method": "POST",
                 "fetched": "o-42", "attempt": 2, "execution": "exe_1/WEBHOOK"}
                """));
    }

    @Test
    void resultsKeepTheirJsonTypes() {
        JsonNode out = eval("""
                {"total": "{% $sum($trigger.body.items.qty) %}",
                 "half": "{% $trigger.body.id / 4 %}",
                 "skus": "{% $trigger.body.items.sku %}",
                 "object": "{% {'first': $trigger.body.items[0].sku, 'flag': true} %}",
                 "body": "{% $trigger.body %}"}
                """);
        assertThat(out.get("total").isIntegralNumber()).isTrue();
        assertThat(out.get("total").intValue()).isEqualTo(5);
        assertThat(out.get("half").doubleValue()).isEqualTo(10.5);
        assertThat(out.get("skus")).isEqualTo(Json.tree("[\"a\", \"b\"]"));
        assertThat(out.get("object")).isEqualTo(Json.tree("{\"first\": \"a\", \"flag\": true}"));
        assertThat(out.get("body")).isEqualTo(BINDINGS.get("trigger").get("body"));
    }

    @Test
    void leavesOtherValuesAlone() {
        JsonNode out = eval("""
                {"text": "hello {% not whole", "n": 3, "b": false, "nothing": null, "list": ["x", "{% 1 + 1 %}"]}
                """);
        assertThat(out).isEqualTo(Json.tree("""
                {"text": "hello {% not whole", "n": 3, "b": false, "nothing": null, "list": ["x", 2]}
                """));
    }

    @Test
    void undefinedBecomesNull() {
        assertThat(eval("\"{% $trigger.body.missing %}\"").isNull()).isTrue();
    }

    @Test
    void jsonNullEqualsNull() {
        assertThat(eval("\"{% $trigger.body.note = null %}\"").booleanValue()).isTrue();
        assertThat(eval("\"{% $trigger.body.missing = null %}\"").booleanValue()).isFalse();
    }

    @Test
    void resultsThatAreInputsDoNotChangeTheBindings() {
        Expressions.Scope scope = Expressions.Scope.of(BINDINGS);
        JsonNode first = Expressions.evaluate(Json.tree("\"{% $trigger.body %}\""), scope);
        JsonNode second = Expressions.evaluate(Json.tree("\"{% $trigger.body.note = null %}\""), scope);
        assertThat(first.get("note").isNull()).isTrue();
        assertThat(second.booleanValue()).isTrue();
    }

    @Test
    void evaluationErrorNamesTheExpression() {
        assertThatThrownBy(() -> eval("\"{% 1 + 'a' %}\""))
                .isInstanceOf(ExpressionException.class)
                .hasMessageContaining("{% 1 + 'a' %}")
                .hasMessageContaining("must evaluate to a number");
    }

    @Test
    void compileRejectsInvalidJsonataWithTheReason() {
        assertThatThrownBy(() -> Expressions.compile("{% $foo(( %}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Expected");
        assertThatThrownBy(() -> Expressions.compile("{%   %}")).hasMessageContaining("empty");
    }

    @Test
    void variablesDoNotLeakBetweenCachedExpressions() {
        Expressions.compile("{% $leaked := 'secret' %}");
        Expressions.compile("{% $leaked %}");
        assertThat(eval("\"{% $leaked := 'secret' %}\"").textValue()).isEqualTo("secret");
        assertThat(eval("\"{% $leaked %}\"").isNull()).isTrue();
    }

    @Test
    void cachedExpressionsAreSafeAcrossThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    JsonNode bindings = Json.tree("{\"trigger\": {\"body\": {\"n\": " + n + "}}}");
                    JsonNode out = Expressions.evaluate(Json.tree("\"{% $trigger.body.n * 2 %}\""), bindings);
                    return out.intValue() == n * 2;
                }));
            }
            for (Future<Boolean> f : results) assertThat(f.get()).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void truthinessFollowsJsonata() {
        assertThat(Expressions.truthy(Json.tree("true"))).isTrue();
        assertThat(Expressions.truthy(Json.tree("0"))).isFalse();
        assertThat(Expressions.truthy(Json.tree("\"\""))).isFalse();
        assertThat(Expressions.truthy(Json.tree("\"x\""))).isTrue();
        assertThat(Expressions.truthy(Json.tree("[]"))).isFalse();
        assertThat(Expressions.truthy(Json.tree("[0, false]"))).isFalse();
        assertThat(Expressions.truthy(Json.tree("[0, 1]"))).isTrue();
        assertThat(Expressions.truthy(Json.tree("{}"))).isFalse();
        assertThat(Expressions.truthy(Json.tree("null"))).isFalse();
        assertThat(Expressions.truthy(null)).isFalse();
    }
}

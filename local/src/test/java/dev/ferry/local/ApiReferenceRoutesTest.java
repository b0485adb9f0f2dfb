package dev.ferry.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.testkit.OpenApiReference;
import dev.ferry.template.Template;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The API Gateway's routes (template.yaml's {@code HttpApi} events) are exactly the API reference's
 * operations: a route added to the template without its reference, or a reference operation no route
 * reaches, fails here. {@code ANY} is the reference's methods on that path. (core's
 * OpenApiReferenceTest holds the reference to the management router the same way.)
 */
class ApiReferenceRoutesTest {
    /** Template routes that are not part of the JSON API and so not in its reference (the console's files). */
    private static final Set<String> NOT_IN_THE_REFERENCE = ApiAnswers.NOT_IN_THE_REFERENCE;

    @Test
    void everyTemplateRouteIsInTheApiReferenceAndNothingElse() {
        Set<String> documented = OpenApiReference.load().operations();
        Set<String> routes = new TreeSet<>();
        for (Template.Resource f : Template.load(TestEmulator.template()).ofType(Template.FUNCTION)) {
            f.properties().path("Events").forEach(e -> {
                if (!e.path("Type").asText().equals("HttpApi")) return;
                String method = e.path("Properties").path("Method").asText().toUpperCase(Locale.ROOT);
                String written = e.path("Properties").path("Path").asText();
                if (NOT_IN_THE_REFERENCE.contains(method + " " + written)) return;
                String path = OpenApiReference.anonymous(written);
                if (method.equals("ANY")) {
                    List<String> methods = documented.stream().filter(o -> o.endsWith(" " + path)).toList();
                    assertThat(methods).as("ANY " + path + " is in the reference with at least POST").contains("POST " + path);
                    routes.addAll(methods);
                } else {
                    routes.add(method + " " + path);
                }
            });
        }
        assertThat(routes).as("template.yaml's HttpApi routes").isNotEmpty();
        assertThat(documented).as("operations of " + OpenApiReference.RESOURCE).isEqualTo(routes);
    }
}

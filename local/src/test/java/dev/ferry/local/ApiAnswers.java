package dev.ferry.local;

import dev.ferry.core.testkit.OpenApiReference;
import dev.ferry.core.testkit.OpenApiReference.Answer;
import dev.ferry.local.http.HttpApiServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * Every answer the local stack's HTTP API routes gave — management calls, webhooks, the CLI's and
 * the demo seeder's requests alike — recorded as it was sent ({@code LocalStackBuilder#httpListener})
 * and held to the API reference (openapi.yaml) when the test class ends: each must match an
 * operation and a status of the reference and conform to that response's schema. The console's
 * routes serve files, not the JSON API, and are not in the reference.
 */
final class ApiAnswers implements HttpApiServer.Listener {
    /** Template routes that are not part of the JSON API and so not in its reference: the operator console's files. */
    static final Set<String> NOT_IN_THE_REFERENCE = Set.of("ANY /console", "ANY /console/{proxy+}");
    private static final int SHOWN = 20;
    private final List<Answer> answers = new CopyOnWriteArrayList<>();

    @Override
    public void answered(HttpApiServer.Exchange e) {
        if (NOT_IN_THE_REFERENCE.contains(e.routeKey())) return;
        answers.add(new Answer(e.method(), e.rawPath(), e.status(), e.contentType(),
                new String(e.body(), StandardCharsets.UTF_8)));
    }

    int size() {
        return answers.size();
    }

    /** Throws an AssertionError naming the answers (the first {@value #SHOWN}) that the reference does not describe. */
    void verify() {
        Map<String, List<String>> failures = OpenApiReference.load().failures(answers);
        if (failures.isEmpty()) return;
        throw new AssertionError(failures.size() + " of " + answers.size() + " HTTP answers do not conform to "
                + OpenApiReference.RESOURCE + " (change the code or the reference):\n" + failures.entrySet().stream()
                .limit(SHOWN).map(f -> "  " + f.getKey() + "\n    " + String.join("\n    ", f.getValue()))
                .collect(Collectors.joining("\n")));
    }
}

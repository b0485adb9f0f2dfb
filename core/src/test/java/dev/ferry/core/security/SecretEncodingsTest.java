package dev.ferry.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.ferry.core.api.ApiResponse;
import dev.ferry.core.json.Json;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.HttpCallResult;
import dev.ferry.core.model.LogLine;
import dev.ferry.core.testkit.FerryTestKit;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A secret reaches text in the forms flows and servers write it: URL-encoded in a query, JSON-escaped in a
 * serialised object, base64 in a header. None of them reaches an execution's error, step outputs, log
 * lines, alert text or the function log; and a {@code secret} config variable with a {@code default} is
 * refused, since any key can read a definition.
 */
class SecretEncodingsTest {
    /** Characters that every encoding changes: space, /, +, &, =, ", \, and non-ASCII. */
    static final String SECRET = "s3cr3t p@ss/w\u00f6rd+\"q\"&x=1\\z";
    static final String DEFINITION = """
            {"name": "Encoded",
             "configVariables": [{"key": "apiBase", "required": true}, {"key": "apiKey", "secret": true}],
             "flows": [{"name": "Leak", "trigger": {"type": "webhook"}, "retry": {"maxAttempts": 1, "delaySeconds": 60},
               "steps": [
                {"name": "say", "type": "log", "severity": "WARN",
                 "message": "{% 'url ' & $encodeUrlComponent($config.apiKey) & ' b64 ' & $base64encode($config.apiKey) & ' json ' & $string({'k': $config.apiKey}) %}"},
                {"name": "shape", "type": "transform", "output": {"q": "{% $encodeUrlComponent($config.apiKey) %}",
                 "b": "{% $base64encode($config.apiKey) %}", "j": "{% $string({'k': $config.apiKey}) %}"}},
                {"name": "fetch", "type": "http", "url": "{% $config.apiBase & '/orders?key=' & $encodeUrlComponent($config.apiKey) %}",
                 "headers": {"Authorization": "{% 'Basic ' & $base64encode($config.apiKey) %}"}}
               ]}]}
            """;

    final FerryTestKit kit = new FerryTestKit();

    static List<String> encodedForms() {
        String form = URLEncoder.encode(SECRET, StandardCharsets.UTF_8);
        byte[] bytes = SECRET.getBytes(StandardCharsets.UTF_8);
        return List.of(SECRET, form, form.replace("+", "%20"),
                new String(JsonStringEncoder.getInstance().quoteAsString(SECRET)),
                Base64.getEncoder().encodeToString(bytes), Base64.getUrlEncoder().withoutPadding().encodeToString(bytes),
                "p@ss", "p%40ss", "cDNjcjN0IHBAc3M");
    }

    @Test
    void noEncodedFormOfASecretReachesTheErrorOutputsLogsOrAlerts() {
        kit.httpHandler = r -> new HttpCallResult(500, Map.of("content-type", "application/json"),
                Json.writeBytes(Map.of("error", "bad key in " + r.url(), "auth", r.headers().getOrDefault("Authorization", ""))));
        String customerId = FerryTestKit.json(kit.api("POST", "/customers", "{\"name\":\"Acme\"}")).get("id").asText();
        ApiResponse integration = kit.api("POST", "/integrations", DEFINITION);
        assertThat(integration.status()).as(integration.bodyText()).isEqualTo(201);
        ApiResponse instance = kit.api("POST", "/instances", "{\"name\":\"Acme\",\"customerId\":\"" + customerId
                + "\",\"integrationId\":\"" + FerryTestKit.json(integration).get("id").asText()
                + "\",\"configVariables\":{\"apiBase\":\"https://api.example.test\",\"apiKey\":" + Json.write(SECRET) + "}}");
        assertThat(instance.status()).as(instance.bodyText()).isEqualTo(201);
        String instanceId = FerryTestKit.json(instance).get("id").asText();
        String url = FerryTestKit.json(instance).get("flowConfigs").get(0).get("webhookUrl").asText();
        assertThat(kit.api("POST", "/monitors", "{\"name\":\"Ops\",\"triggers\":[{\"type\":\"EXECUTION_FAILED\"},"
                + "{\"type\":\"LOG_LEVEL_MATCHED\",\"logSeverity\":\"WARN\"}],\"scope\":{\"instanceId\":\"" + instanceId
                + "\"},\"channels\":[{\"url\":\"https://alerts.example.test/hook\"}]}").status()).isEqualTo(201);

        PrintStream originalErr = System.err;
        ByteArrayOutputStream functionLog = new ByteArrayOutputStream();
        System.setErr(new PrintStream(functionLog, true, StandardCharsets.UTF_8));
        try {
            kit.ferry.webhooks().accept(url.substring(url.lastIndexOf('/') + 1), new ExecutionRequest("POST",
                    "{}".getBytes(StandardCharsets.UTF_8), Map.of(), Map.of(), "application/json"));
            kit.drainQueue();
            kit.drainMonitorEvents();
        } finally {
            System.setErr(originalErr);
        }

        Execution e = kit.executions.all().get(0);
        assertThat(e.status().name()).isEqualTo("FAILED");
        assertThat(kit.httpRequests.get(0).url()).as("the request itself carries the secret").contains("p%40ss");
        Map<String, String> places = new LinkedHashMap<>();
        places.put("execution error", String.valueOf(e.error()));
        places.put("execution view", kit.api("GET", "/executions/" + e.id(), null).bodyText());
        places.put("execution logs", kit.api("GET", "/executions/" + e.id() + "/logs", null).bodyText());
        places.put("stored execution", e.toString());
        List<String> lines = new ArrayList<>();
        for (String group : kit.logs.instancesWithLogs()) for (LogLine l : kit.logs.linesOf(group)) lines.add(l.toString());
        places.put("log lines", String.join("\n", lines));
        places.put("alerts", kit.alerts.all().toString());
        places.put("alert deliveries", kit.httpRequests.stream().filter(r -> r.url().startsWith("https://alerts."))
                .map(r -> new String(r.body(), StandardCharsets.UTF_8)).toList().toString());
        places.put("function log", functionLog.toString(StandardCharsets.UTF_8));

        assertThat(places.get("alerts")).as("alerts were raised").isNotEqualTo("[]");
        List<String> leaks = new ArrayList<>();
        places.forEach((where, text) -> encodedForms().forEach(form -> {
            if (text.contains(form)) leaks.add(where + " holds " + form);
        }));
        assertThat(leaks).isEmpty();
    }

    @Test
    void aSecretConfigVariableWithADefaultIs400NamingItAndNothingIsStored() {
        ApiResponse r = kit.api("POST", "/integrations", """
                {"name": "Defaulted", "configVariables": [{"key": "token", "secret": true, "default": "s3cr3t"}],
                 "flows": [{"name": "F", "trigger": {"type": "webhook"}, "steps": [{"name": "x", "type": "transform", "output": 1}]}]}
                """);

        assertThat(r.status()).isEqualTo(400);
        assertThat(FerryTestKit.json(r).get("error").get("details").get(0).get("field").asText())
                .isEqualTo("configVariables[0].default");
        assertThat(r.bodyText()).contains("secret config variable cannot have a default").doesNotContain("s3cr3t");
        assertThat(kit.integrations.list(100, null).items()).isEmpty();
    }
}

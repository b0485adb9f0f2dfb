package dev.ferry.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.json.Json;
import dev.ferry.infra.AwsClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A poison execution message through the local stack (its instance's item unreadable): its processing throws on every delivery until
 * the cause is fixed, SQS moves it to the dead-letter queue after maxReceiveCount (5), the admin sees
 * it with {@code GET /dead-letters}, fixes the cause, redrives it, and it runs to one terminal execution.
 */
class DeadLettersLocalStackIT {
    /** Every HTTP answer of this class's stacks, held to the API reference at the end. */
    private static final ApiAnswers API_ANSWERS = new ApiAnswers();

    @AfterAll
    static void answersConformToTheApiReference() {
        API_ANSWERS.verify();
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static final String DEFINITION = """
            {"name": "Poison check", "flows": [{"name": "Log it", "trigger": {"type": "webhook"},
              "steps": [{"name": "log", "type": "log", "severity": "INFO", "message": "{% 'got ' & $trigger.body.n %}"}]}]}
            """;

    @Test
    void aPoisonMessageReachesTheDeadLetterQueueIsListedAndAfterTheFixARedriveRunsItOnce() throws Exception {
        TestEmulator.reset();
        try (LocalStack stack = LocalStack.builder().template(TestEmulator.template()).awsEndpoint(TestEmulator.endpoint())
                .httpPort(0).lambdaPort(0).demo(true).stateDir(Files.createTempDirectory("ferry-dlq"))
                .iam(true).iamLedger(TestEmulator.iamLedgerDir())
                // Own queue names: a stack of an earlier test in this JVM that re-creates the shared
                // ferry-ExecutionQueue after the emulator's reset must not put its 5400 s visibility back.
                .namePrefix("ferry-dlq-" + Long.toHexString(System.nanoTime()) + "-")
                // Failed messages come back after the queue's visibility timeout (5400 s): 1 s here, so the five
                // receives before the dead-letter queue take seconds. Set before the pollers' first long poll.
                .queueAttribute("ExecutionQueue", "VisibilityTimeout", "1")
                .httpListener(API_ANSWERS)
                .out(System.out).build().start(); // the pollers' lines help if a redelivery goes missing
             AwsClients aws = AwsClients.fromEnv(stack.adminEnvironment())) {
            String customerId = stack.demo().orElseThrow().customerId();
            String integrationId = api(stack, "POST", "/integrations", DEFINITION, 201).get("id").asText();
            JsonNode instance = api(stack, "POST", "/instances", "{\"name\": \"Poisoned\", \"customerId\": \"" + customerId
                    + "\", \"integrationId\": \"" + integrationId + "\"}", 201);
            String instanceId = instance.get("id").asText();
            String webhookUrl = instance.get("flowConfigs").get(0).get("webhookUrl").asText();
            // The cause: the instance's item cannot be read by the flow execution function (as after a bad data
            // migration: its integrationVersion is not a number). The webhook reads only its route and the version.
            String table = ref(stack, "ConfigTable");
            Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("INSTANCE#" + instanceId),
                    "sk", AttributeValue.fromS("INSTANCE"));
            Map<String, AttributeValue> good = aws.dynamoDb().getItem(b -> b.tableName(table).key(key)).item();
            Map<String, AttributeValue> corrupt = new java.util.HashMap<>(good);
            corrupt.put("integrationVersion", AttributeValue.fromS("one"));
            aws.dynamoDb().putItem(b -> b.tableName(table).item(corrupt));

            HttpResponse<String> sent = HTTP.send(HttpRequest.newBuilder(URI.create(webhookUrl))
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"n\": 1}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(sent.statusCode()).as(webhookUrl + " answered " + sent.body()).isEqualTo(202);
            String executionId = Json.tree(sent.body()).get("executionId").asText();

            long t0 = System.nanoTime();
            JsonNode dead;
            try {
                dead = poll(Duration.ofSeconds(60), () -> api(stack, "GET", "/dead-letters?queue=execution", null, 200),
                        page -> page.get("items").size() > 0);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; execution " + api(stack, "GET", "/executions/" + executionId,
                        null, 200).get("status") + "; queue " + aws.sqs().getQueueAttributes(b -> b
                        .queueUrl(ref(stack, "ExecutionQueue")).attributeNames(QueueAttributeName.ALL)).attributesAsStrings(), e);
            }
            double toDlq = (System.nanoTime() - t0) / 1e9;
            JsonNode letter = dead.get("items").get(0);
            assertThat(dead.get("items")).hasSize(1);
            assertThat(letter.get("summary").asText()).isEqualTo("executionId " + executionId);
            assertThat(letter.get("queue").asText()).isEqualTo("execution");
            assertThat(letter.get("receiveCount").asInt()).isGreaterThanOrEqualTo(5);
            assertThat(api(stack, "GET", "/executions/" + executionId, null, 200).get("status").asText())
                    .as("given back by each failed delivery, not left RUNNING").isEqualTo("QUEUED");

            aws.dynamoDb().putItem(b -> b.tableName(table).item(good)); // the fix
            JsonNode redrive = api(stack, "POST", "/dead-letters/redrive",
                    "{\"queue\": \"execution\", \"messageIds\": [\"" + letter.get("id").asText() + "\"]}", 200);
            assertThat(redrive.get("moved")).extracting(JsonNode::asText).containsExactly(letter.get("id").asText());

            JsonNode done = poll(Duration.ofSeconds(60), () -> api(stack, "GET", "/executions/" + executionId, null, 200),
                    e -> Json.tree(e.toString()).get("status").asText().matches("SUCCEEDED|FAILED|CANCELLED"));
            assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
            JsonNode all = api(stack, "GET", "/executions?instanceId=" + instanceId, null, 200);
            assertThat(all.get("items")).singleElement().satisfies(e -> assertThat(e.get("id").asText()).isEqualTo(executionId));
            JsonNode logs = api(stack, "GET", "/executions/" + executionId + "/logs", null, 200);
            assertThat(logs.get("items").findValuesAsText("message")).filteredOn(m -> m.startsWith("execution started")).hasSize(1);
            assertThat(api(stack, "GET", "/dead-letters?queue=execution", null, 200).get("items")).isEmpty();
            System.out.printf("fault: poison execution message: dead-lettered after %.1f s (receiveCount %d), listed, "
                            + "redriven after the fix: 1 accepted, 1 terminal (SUCCEEDED), 1 start, 0 duplicates%n",
                    toDlq, letter.get("receiveCount").asInt());
        }
    }

    private static String ref(LocalStack stack, String logicalId) {
        return stack.resources().stream().filter(p -> p.logicalId().equals(logicalId)).findFirst().orElseThrow().ref();
    }

    private static JsonNode api(LocalStack stack, String method, String path, String body, int expected) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(stack.apiUrl().resolve(path))
                    .header("authorization", "Bearer " + stack.adminApiKey()).header("content-type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(expected);
            return Json.tree(r.body());
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode poll(Duration deadline, java.util.function.Supplier<JsonNode> read, Predicate<JsonNode> done)
            throws InterruptedException {
        Instant end = Instant.now().plus(deadline);
        JsonNode last = null;
        while (Instant.now().isBefore(end)) {
            last = read.get();
            if (done.test(last)) return last;
            TimeUnit.MILLISECONDS.sleep(500); // poll interval, bounded by the deadline
        }
        throw new AssertionError("not done by the deadline; last answer " + last);
    }
}

package dev.ferry.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.testkit.FerryTestKit;
import dev.ferry.functions.api.ManagementApiFunction;
import dev.ferry.functions.execution.FlowExecutionFunction;
import dev.ferry.functions.monitor.MonitorEvaluationFunction;
import dev.ferry.functions.replay.ReplayFunction;
import dev.ferry.functions.schedule.ScheduledTriggerFunction;
import dev.ferry.functions.webhook.WebhookFunction;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Each handler fed the sample events of events/, exactly as AWS delivers them. */
class HandlersTest {
    private final FerryTestKit kit = SampleData.kit();

    @Test
    void webhookEventIsAcceptedWith202AndItsBodyKeptByteForByte() {
        JsonNode answer = SampleData.invoke(new WebhookFunction(kit.ferry), "webhook-post-json.json");

        assertThat(answer.get("statusCode").asInt()).isEqualTo(202);
        String id = dev.ferry.core.json.Json.tree(answer.get("body").asText()).get("executionId").asText();
        Execution stored = kit.executions.get(id).orElseThrow();
        assertThat(new String(stored.request().body())).isEqualTo("{\"id\": 42, \"total\": 9.5}\n");
        assertThat(stored.request().headers()).containsEntry("x-request-id", "req-42");
        assertThat(stored.request().query()).containsEntry("source", "shop");
        assertThat(kit.queue.pending()).contains(id);
    }

    @Test
    void theCookiesApiGatewaySendsApartAreKeptInTheStoredRequest() {
        JsonNode answer = SampleData.invoke(new WebhookFunction(kit.ferry), "webhook-post-json.json");

        String id = dev.ferry.core.json.Json.tree(answer.get("body").asText()).get("executionId").asText();
        assertThat(kit.executions.get(id).orElseThrow().request().headers()).containsEntry("cookie", "session=s-42; theme=dark");
    }

    @Test
    void binaryWebhookBodyIsKeptExactly() {
        JsonNode answer = SampleData.invoke(new WebhookFunction(kit.ferry), "webhook-post-binary.json");

        String id = dev.ferry.core.json.Json.tree(answer.get("body").asText()).get("executionId").asText();
        byte[] sent = Base64.getDecoder().decode(dev.ferry.core.json.Json.tree(SampleData.event("webhook-post-binary.json")).get("body").asText());
        assertThat(kit.executions.get(id).orElseThrow().request().body()).isEqualTo(sent);
    }

    @Test
    void unknownWebhookTokenIs404() {
        JsonNode answer = SampleData.invoke(new WebhookFunction(kit.ferry), "webhook-unknown-token.json");
        assertThat(answer.get("statusCode").asInt()).isEqualTo(404);
    }

    @Test
    void sqsBatchRunsItsExecutionAndReportsNoFailures() {
        JsonNode answer = SampleData.invoke(new FlowExecutionFunction(kit.ferry), "flow-execution-sqs.json");

        assertThat(answer.get("batchItemFailures")).isEmpty();
        assertThat(kit.executions.get(SampleData.QUEUED).orElseThrow().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void theSameMessageTwiceInABatchRunsTheFlowOnce() {
        JsonNode answer = SampleData.invoke(new FlowExecutionFunction(kit.ferry), "flow-execution-sqs-duplicate.json");

        assertThat(answer.get("batchItemFailures")).isEmpty();
        long started = kit.logs.read(SampleData.INSTANCE, SampleData.QUEUED).stream()
                .filter(l -> l.message().startsWith("execution started")).count();
        assertThat(started).isEqualTo(1);
    }

    @Test
    void directTestEventRunsTheFlowConfigAndAnswersTheExecution() {
        JsonNode answer = SampleData.invoke(new FlowExecutionFunction(kit.ferry), "flow-execution-test.json");

        assertThat(answer.get("trigger").asText()).isEqualTo(Trigger.TEST.name());
        assertThat(answer.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(answer.get("steps").get(2).get("output").get("id").asInt()).isEqualTo(7);
    }

    @Test
    void directTestEventWithHeadersOver10KilobytesInAllIsRefusedAndRunsNothing() {
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 20; i++) headers.append(i == 0 ? "" : ",").append("\"h").append(i).append("\":\"").append("v".repeat(600)).append('"');
        int before = kit.executions.all().size();

        JsonNode answer = SampleData.invoke(new FlowExecutionFunction(kit.ferry), ("{\"flowConfigId\":\"" + SampleData.FLOW_CONFIG
                + "\",\"test\":{\"headers\":{" + headers + "}}}").getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(answer.get("error").get("details").toString()).contains("test.headers").contains("10240 bytes in all");
        assertThat(kit.executions.all()).hasSize(before);
    }

    @Test
    void directReplayEventCreatesAReplayOfTheOriginal() {
        JsonNode answer = SampleData.invoke(new ReplayFunction(kit.ferry), "replay-direct.json");

        Execution replay = kit.executions.get(answer.get("executionId").asText()).orElseThrow();
        assertThat(replay.trigger()).isEqualTo(Trigger.REPLAY);
        assertThat(replay.replayOf()).isEqualTo(SampleData.ORIGINAL);
    }

    @Test
    void replayRouteAnswers202() {
        JsonNode answer = SampleData.invoke(new ReplayFunction(kit.ferry), "replay-api.json");
        assertThat(answer.get("statusCode").asInt()).isEqualTo(202);
    }

    @Test
    void directReplayOfAnUnknownExecutionAnswersAnErrorObject() {
        JsonNode answer = SampleData.invoke(new ReplayFunction(kit.ferry), "{\"executionId\":\"exe_nope\"}".getBytes());
        assertThat(answer.get("error").get("code").asText()).isEqualTo("not_found");
    }

    @Test
    void managementEventsAreAnsweredThroughTheApi() {
        JsonNode created = SampleData.invoke(new ManagementApiFunction(kit.ferry), "management-create-customer.json");
        JsonNode listed = SampleData.invoke(new ManagementApiFunction(kit.ferry), "management-list-executions.json");

        assertThat(created.get("statusCode").asInt()).isEqualTo(201);
        assertThat(listed.get("statusCode").asInt()).isEqualTo(200);
        JsonNode items = dev.ferry.core.json.Json.tree(listed.get("body").asText()).get("items");
        assertThat(items).extracting(n -> n.get("id").asText()).contains(SampleData.QUEUED, SampleData.ORIGINAL);
    }

    @Test
    void createApiKeyEventAnswersTheKeyOnceForTheSampleCustomer() {
        JsonNode answer = SampleData.invoke(new ManagementApiFunction(kit.ferry), "management-create-api-key.json");

        assertThat(answer.get("statusCode").asInt()).as(answer.toString()).isEqualTo(201);
        JsonNode key = dev.ferry.core.json.Json.tree(answer.get("body").asText());
        assertThat(key.get("customerId").asText()).isEqualTo(kit.customers.list(1, null).items().get(0).id());
        assertThat(key.get("key").asText()).startsWith("fry_");
    }

    @Test
    void logSearchEventAnswersTheInstancesMatchingLines() {
        kit.ferry.runner().run(SampleData.QUEUED);

        JsonNode answer = SampleData.invoke(new ManagementApiFunction(kit.ferry), "management-search-instance-logs.json");

        assertThat(answer.get("statusCode").asInt()).isEqualTo(200);
        JsonNode items = dev.ferry.core.json.Json.tree(answer.get("body").asText()).get("items");
        assertThat(items).isNotEmpty().allMatch(l -> l.get("executionId").asText().equals(SampleData.QUEUED)
                && l.get("message").asText().toLowerCase().contains("order"));
    }

    // ------------------------------------------------------------------ schedules, pause and unpause

    @Test
    void scheduleTickRecordsAScheduleExecutionAndEnqueuesIt() {
        JsonNode answer = SampleData.invoke(new ScheduledTriggerFunction(kit.ferry), "scheduled-trigger.json");

        assertThat(answer.get("outcome").asText()).as(answer.toString()).isEqualTo("QUEUED");
        Execution stored = kit.executions.get(answer.get("executionId").asText()).orElseThrow();
        assertThat(stored.trigger()).isEqualTo(Trigger.SCHEDULE);
        assertThat(stored.flowConfigId()).isEqualTo(SampleData.SCHEDULED_FLOW_CONFIG);
        assertThat(kit.queue.pending()).containsExactly(stored.id());
    }

    @Test
    void theSameTickDeliveredTwiceRunsOnce() {
        JsonNode first = SampleData.invoke(new ScheduledTriggerFunction(kit.ferry), "scheduled-trigger.json");
        JsonNode second = SampleData.invoke(new ScheduledTriggerFunction(kit.ferry), "scheduled-trigger.json");
        kit.drainQueue();

        assertThat(second.get("outcome").asText()).isEqualTo("DUPLICATE");
        assertThat(second.get("executionId").asText()).isEqualTo(first.get("executionId").asText());
        assertThat(kit.executions.all()).filteredOn(e -> e.trigger() == Trigger.SCHEDULE).singleElement()
                .extracting(Execution::status).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void directScheduleEventWithoutATimeRunsTheFlowNow() {
        JsonNode answer = SampleData.invoke(new ScheduledTriggerFunction(kit.ferry), "scheduled-trigger-direct.json");
        kit.drainQueue();

        assertThat(answer.get("outcome").asText()).isEqualTo("QUEUED");
        assertThat(kit.executions.get(answer.get("executionId").asText()).orElseThrow().status())
                .isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void aScheduleEventWithoutAFlowConfigOrWithABadTimeIsAnErrorObject() {
        JsonNode none = SampleData.invoke(new ScheduledTriggerFunction(kit.ferry), "{}".getBytes());
        JsonNode badTime = SampleData.invoke(new ScheduledTriggerFunction(kit.ferry),
                "{\"flowConfigId\":\"flc_sample_schedule\",\"scheduledTime\":\"yesterday\"}".getBytes());

        assertThat(none.get("error").get("details").toString()).contains("flowConfigId");
        assertThat(badTime.get("error").get("details").toString()).contains("scheduledTime");
        assertThat(kit.queue.pending()).isEmpty();
    }

    @Test
    void pauseAndUnpauseRoutesFlipTheInstance() {
        JsonNode paused = SampleData.invoke(new ManagementApiFunction(kit.ferry), "management-pause-instance.json");
        assertThat(paused.get("statusCode").asInt()).isEqualTo(200);
        assertThat(dev.ferry.core.json.Json.tree(paused.get("body").asText()).get("enabled").asBoolean()).isFalse();
        assertThat(kit.instances.get(SampleData.INSTANCE).orElseThrow().enabled()).isFalse();

        JsonNode unpaused = SampleData.invoke(new ManagementApiFunction(kit.ferry), "management-unpause-instance.json");
        assertThat(dev.ferry.core.json.Json.tree(unpaused.get("body").asText()).get("enabled").asBoolean()).isTrue();
        assertThat(kit.instances.get(SampleData.INSTANCE).orElseThrow().enabled()).isTrue();
    }

    @Test
    void directPauseAndUnpauseEventsAnswerTheInstance() {
        JsonNode paused = SampleData.invoke(new ManagementApiFunction(kit.ferry), "management-pause-direct.json");
        assertThat(paused.get("enabled").asBoolean()).as(paused.toString()).isFalse();
        assertThat(paused.get("id").asText()).isEqualTo(SampleData.INSTANCE);

        JsonNode unpaused = SampleData.invoke(new ManagementApiFunction(kit.ferry), "management-unpause-direct.json");
        assertThat(unpaused.get("enabled").asBoolean()).isTrue();
        assertThat(unpaused.get("held").get("released").asInt()).isZero();
    }

    @Test
    void aDirectEventWithAnUnknownActionIsAnErrorObject() {
        JsonNode answer = SampleData.invoke(new ManagementApiFunction(kit.ferry),
                "{\"action\":\"delete\",\"instanceId\":\"ins_sample\"}".getBytes());

        assertThat(answer.get("error").get("details").toString()).contains("action");
        assertThat(kit.instances.get(SampleData.INSTANCE)).isPresent();
    }

    @Test
    void aReleaseMessageReleasesTheInstancesHeldExecutions() {
        Execution queued = kit.executions.get(SampleData.QUEUED).orElseThrow();
        kit.executions.save(queued.toBuilder().status(ExecutionStatus.HELD).build());

        JsonNode answer = SampleData.invoke(new FlowExecutionFunction(kit.ferry), "flow-execution-sqs-release.json");

        assertThat(answer.get("batchItemFailures")).isEmpty();
        assertThat(kit.executions.get(SampleData.QUEUED).orElseThrow().status()).isEqualTo(ExecutionStatus.QUEUED);
        assertThat(kit.queue.pending()).containsExactly(SampleData.QUEUED);
    }

    @Test
    void theDeleteRouteDeletesTheSampleInstanceAndAnswers204() {
        JsonNode answer = SampleData.invoke(new ManagementApiFunction(kit.ferry), "management-delete-instance.json");

        assertThat(answer.get("statusCode").asInt()).as(answer.toString()).isEqualTo(204);
        assertThat(kit.instances.get(SampleData.INSTANCE)).isEmpty();
        assertThat(kit.instances.getDeleting(SampleData.INSTANCE)).isEmpty();
        assertThat(kit.executions.all()).noneMatch(e -> SampleData.INSTANCE.equals(e.instanceId()));
    }

    @Test
    void aDeletionMessageFinishesAnInstanceDeletionStartedBefore() {
        kit.instances.markDeleting(SampleData.INSTANCE);

        JsonNode answer = SampleData.invoke(new FlowExecutionFunction(kit.ferry), "flow-execution-sqs-delete.json");

        assertThat(answer.get("batchItemFailures")).isEmpty();
        assertThat(kit.instances.getDeleting(SampleData.INSTANCE)).isEmpty();
        assertThat(kit.executions.all()).noneMatch(e -> SampleData.INSTANCE.equals(e.instanceId()));
        // Delivered again (or for an instance never being deleted): nothing to do, no failure.
        assertThat(SampleData.invoke(new FlowExecutionFunction(kit.ferry), "flow-execution-sqs-delete.json")
                .get("batchItemFailures")).isEmpty();
    }

    @Test
    void monitorQueueEventOfAFailedExecutionAlertsTheInstancesMonitor() {
        kit.api("POST", "/monitors", "{\"name\":\"Ops\",\"triggers\":[{\"type\":\"EXECUTION_FAILED\"}],"
                + "\"scope\":{\"instanceId\":\"" + SampleData.INSTANCE + "\"},"
                + "\"channels\":[{\"type\":\"webhook\",\"url\":\"https://alerts.example.test/ferry\"}]}");

        JsonNode answer = SampleData.invoke(new MonitorEvaluationFunction(kit.ferry), "monitor-evaluation-sqs.json");

        assertThat(answer.get("batchItemFailures")).isEmpty();
        assertThat(kit.alerts.all()).singleElement().satisfies(a -> {
            assertThat(a.executionId()).isEqualTo(SampleData.ORIGINAL);
            assertThat(a.subject()).isEqualTo("Execution failed: flow 'On new order' of Sample instance at step 'fetch': "
                    + "HTTP 500 from https://api.example.test/orders/5");
        });
        assertThat(kit.httpRequests).singleElement().extracting(r -> r.url()).isEqualTo("https://alerts.example.test/ferry");
    }

    @Test
    void aFailedExecutionMessageIsHandedBackAfterABackoffByItsReceiveCountNotTheVisibilityTimeout() {
        String event = """
                {"Records": [
                  {"messageId": "m-ok", "receiptHandle": "rh-ok", "body": "{\\"executionId\\": \\"%s\\"}",
                   "attributes": {"ApproximateReceiveCount": "1"}, "eventSource": "aws:sqs"},
                  {"messageId": "m-bad", "receiptHandle": "rh-bad", "body": "{\\"executionId\\": 42}",
                   "attributes": {"ApproximateReceiveCount": "3"}, "eventSource": "aws:sqs"}]}""".formatted(SampleData.QUEUED);

        JsonNode answer = SampleData.invoke(new FlowExecutionFunction(kit.ferry), event.getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(answer.get("batchItemFailures")).singleElement()
                .satisfies(f -> assertThat(f.get("itemIdentifier").asText()).isEqualTo("m-bad"));
        assertThat(kit.queue.redeliveries()).as("only the failed message, back in 8 min on its third receive")
                .containsExactly(java.util.Map.entry("rh-bad", java.time.Duration.ofMinutes(8)));
        assertThat(kit.executions.get(SampleData.QUEUED).orElseThrow().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void failedMessagesComeBackAfter30Seconds2Minutes8MinutesThen15Minutes() {
        assertThat(java.util.stream.IntStream.rangeClosed(1, 6).mapToObj(SqsBatchResponse::redeliveryDelay))
                .containsExactly(java.time.Duration.ofSeconds(30), java.time.Duration.ofMinutes(2), java.time.Duration.ofMinutes(8),
                        java.time.Duration.ofMinutes(15), java.time.Duration.ofMinutes(15), java.time.Duration.ofMinutes(15));
    }

    @Test
    void aMonitorMessageThatCannotBeReadIsReportedAsABatchItemFailure() {
        JsonNode answer = SampleData.invoke(new MonitorEvaluationFunction(kit.ferry), "monitor-evaluation-sqs-bad-message.json");

        assertThat(answer.get("batchItemFailures")).singleElement()
                .satisfies(f -> assertThat(f.get("itemIdentifier").asText()).isEqualTo("d9a2f1c0-5b7e-4c1e-9f3a-0b6e2c7d8e11"));
    }

    @Test
    void sweepEventAnswersWhatTheSweepDid() {
        JsonNode answer = SampleData.invoke(new MonitorEvaluationFunction(kit.ferry), "monitor-evaluation-sweep.json");

        assertThat(answer.get("swept").asBoolean()).isTrue();
        assertThat(answer.get("stuckExecutions").asInt()).isZero();
        assertThat(answer.has("alerts")).isTrue();
    }

    @Test
    void aDirectEventThatIsNotASweepIsAnErrorNamingTheField() {
        JsonNode answer = SampleData.invoke(new MonitorEvaluationFunction(kit.ferry), "{\"sweep\": false}".getBytes());

        assertThat(answer.get("error").get("code").asText()).isEqualTo("invalid_input");
        assertThat(answer.get("error").get("details").get(0).get("field").asText()).isEqualTo("sweep");
    }
}


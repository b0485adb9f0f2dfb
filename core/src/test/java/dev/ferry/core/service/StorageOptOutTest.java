package dev.ferry.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.api.ApiResponse;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.testkit.FerryTestKit;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An instance that must not keep its data: {@code storeStepOutputs: false} and {@code storeLogs: false}
 * (set on create or update) leave its executions with no step outputs, or no log lines, and each
 * execution says so.
 */
class StorageOptOutTest {
    final FerryTestKit kit = new FerryTestKit();
    final FerryTestKit.Demo demo = kit.seedDemo();

    String run(String token) {
        String id = kit.ferry.webhooks().accept(token, new ExecutionRequest("POST",
                "{\"id\": 7, \"total\": 9.5}".getBytes(StandardCharsets.UTF_8), Map.of("content-type", "application/json"),
                Map.of(), "application/json")).id();
        kit.drainQueue();
        return id;
    }

    JsonNode execution(String id) {
        ApiResponse r = kit.api("GET", "/executions/" + id, null);
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        return FerryTestKit.json(r);
    }

    JsonNode logsOf(String id) {
        return FerryTestKit.json(kit.api("GET", "/executions/" + id + "/logs", null)).get("items");
    }

    ApiResponse patch(String body) {
        return kit.api("PATCH", "/instances/" + demo.instanceId(), body);
    }

    @Test
    void byDefaultAnExecutionKeepsItsOutputsAndLogs() {
        JsonNode e = execution(run(demo.token()));

        assertThat(e.get("outputsStored").asBoolean()).isTrue();
        assertThat(e.get("logsStored").asBoolean()).isTrue();
        assertThat(e.get("steps").get(2).get("output").get("id").asInt()).isEqualTo(7);
        assertThat(logsOf(e.get("id").asText())).isNotEmpty();
        JsonNode instance = FerryTestKit.json(kit.api("GET", "/instances/" + demo.instanceId(), null));
        assertThat(instance.get("storeStepOutputs").asBoolean()).isTrue();
        assertThat(instance.get("storeLogs").asBoolean()).isTrue();
    }

    @Test
    void anInstanceThatKeepsNoStepOutputsRunsAsBeforeAndStoresNone() {
        ApiResponse changed = patch("{\"storeStepOutputs\": false}");
        String id = run(demo.token());

        assertThat(FerryTestKit.json(changed).get("storeStepOutputs").asBoolean()).isFalse();
        JsonNode e = execution(id);
        assertThat(e.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(e.get("outputsStored").asBoolean()).isFalse();
        assertThat(e.get("logsStored").asBoolean()).isTrue();
        assertThat(e.get("steps")).hasSize(3).allSatisfy(s -> {
            assertThat(s.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(s.get("output").isNull()).isTrue();
        });
        assertThat(kit.executions.get(id).orElseThrow().steps()).allSatisfy(s -> assertThat(s.output()).isNull());
        assertThat(logsOf(id)).isNotEmpty();
    }

    @Test
    void anInstanceCreatedToKeepNoLogsWritesNoLineOfItsRuns() {
        JsonNode created = FerryTestKit.json(kit.api("POST", "/instances", "{\"name\":\"Private\",\"customerId\":\""
                + demo.customerId() + "\",\"integrationId\":\"" + demo.integrationId() + "\",\"storeLogs\":false,"
                + "\"configVariables\":{\"apiBase\":\"https://api.example.test\"}}"));
        String url = created.get("flowConfigs").get(0).get("webhookUrl").asText();
        String instanceId = created.get("id").asText();

        String id = run(url.substring(url.lastIndexOf('/') + 1));
        ApiResponse test = kit.api("POST", "/flow-configs/" + created.get("flowConfigs").get(0).get("id").asText() + "/test",
                "{\"body\":{\"id\":8}}");

        assertThat(created.get("storeLogs").asBoolean()).isFalse();
        JsonNode e = execution(id);
        assertThat(e.get("logsStored").asBoolean()).isFalse();
        assertThat(e.get("outputsStored").asBoolean()).isTrue();
        assertThat(logsOf(id)).isEmpty();
        assertThat(FerryTestKit.json(test).get("logsStored").asBoolean()).isFalse();
        assertThat(kit.logs.linesOf(instanceId)).as("no line of either run was written").isEmpty();
        assertThat(FerryTestKit.json(kit.api("GET", "/instances/" + instanceId + "/logs", null)).get("items")).isEmpty();
    }

    @Test
    void aSettingThatIsNotTrueOrFalseIs400AndNothingIsWritten() {
        String before = kit.stateSnapshot();

        ApiResponse r = patch("{\"storeStepOutputs\": \"no\", \"storeLogs\": 0}");

        assertThat(r.status()).isEqualTo(400);
        assertThat(FerryTestKit.json(r).get("error").get("details")).extracting(d -> d.get("field").asText())
                .containsExactlyInAnyOrder("storeStepOutputs", "storeLogs");
        assertThat(kit.stateSnapshot()).isEqualTo(before);
    }
}

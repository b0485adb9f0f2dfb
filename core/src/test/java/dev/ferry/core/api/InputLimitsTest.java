package dev.ferry.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.testkit.FerryTestKit;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The limits of docs/input-limits.md: a clear 4xx naming the field, and nothing written. */
class InputLimitsTest {
    private final FerryTestKit kit = new FerryTestKit();
    private final FerryTestKit.Demo demo = kit.seedDemo();

    private void assertRejected(ApiResponse r, int status, String field) {
        assertThat(r.status()).as(r.bodyText()).isEqualTo(status);
        if (field != null) assertThat(r.bodyText()).contains("\"field\":\"" + field + "\"");
    }

    @Test
    void idQueryParametersMustBeIds() {
        assertRejected(kit.api("GET", "/executions", Map.of("instanceId", "../etc/passwd"), null), 400, "instanceId");
        assertRejected(kit.api("GET", "/instances", Map.of("customerId", "x".repeat(101)), null), 400, "customerId");
        assertRejected(kit.api("GET", "/alerts", Map.of("monitorId", "ünï"), null), 400, "monitorId");
    }

    @Test
    void timesOutsideYears1970To9999Are400() {
        assertRejected(kit.api("GET", "/executions", Map.of("since", "+1000000000-01-01T00:00:00Z"), null), 400, "since");
        assertRejected(kit.api("GET", "/alerts", Map.of("since", "-0001-01-01T00:00:00Z"), null), 400, "since");
        assertRejected(kit.api("POST", "/replays", "{\"filter\":{\"until\":\"+20000-01-01T00:00:00Z\"}}"), 400, "filter.until");
    }

    @Test
    void queryValuesAreAtMost2048Characters() {
        assertRejected(kit.api("GET", "/executions", Map.of("cursor", "c".repeat(2049)), null), 400, "cursor");
    }

    @Test
    void idFieldsInBodiesMustBeIds() {
        String before = kit.stateSnapshot();
        assertRejected(kit.api("POST", "/replays", "{\"filter\":{\"instanceId\":\"a/b\"}}"), 400, "filter.instanceId");
        assertRejected(kit.api("POST", "/monitors", "{\"name\":\"m\",\"triggers\":[{\"type\":\"EXECUTION_FAILED\"}],"
                + "\"scope\":{\"instanceId\":\"a b\"},\"channels\":[]}"), 400, "scope.instanceId");
        assertRejected(kit.api("POST", "/instances", "{\"name\":\"n\",\"customerId\":\"a/../b\",\"integrationId\":\""
                + demo.integrationId() + "\"}"), 400, "customerId");
        assertThat(kit.stateSnapshot()).isEqualTo(before);
    }

    @Test
    void testRunHeadersAreLimited() {
        StringBuilder many = new StringBuilder("{\"headers\":{");
        for (int i = 0; i < 101; i++) many.append(i == 0 ? "" : ",").append("\"h").append(i).append("\":\"v\"");
        many.append("}}");
        String before = kit.stateSnapshot();
        assertRejected(kit.api("POST", "/flow-configs/" + demo.flowConfigId() + "/test", many.toString()), 400, "headers");
        assertRejected(kit.api("POST", "/flow-configs/" + demo.flowConfigId() + "/test",
                "{\"headers\":{\"x\":\"" + "v".repeat(8193) + "\"}}"), 400, "headers.x");
        assertThat(kit.stateSnapshot()).isEqualTo(before);
    }

    @Test
    void testRunHeadersAreAtMost10KilobytesInAllAsApiGatewayAllowsAWebhook() {
        String before = kit.stateSnapshot();
        StringBuilder big = new StringBuilder("{\"headers\":{");
        for (int i = 0; i < 100; i++) big.append(i == 0 ? "" : ",").append("\"h").append(i).append("\":\"").append("v".repeat(8000)).append('"');
        big.append("}}");
        ApiResponse r = kit.api("POST", "/flow-configs/" + demo.flowConfigId() + "/test", big.toString());
        assertRejected(r, 400, "headers");
        assertThat(r.bodyText()).contains("10240 bytes in all");
        assertThat(kit.stateSnapshot()).isEqualTo(before);
    }

    @Test
    void configVariablesAreAtMost64KibibytesInAll() {
        FerryTestKit many = new FerryTestKit();
        StringBuilder vars = new StringBuilder();
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            vars.append(i == 0 ? "" : ",").append("{\"key\":\"v").append(i).append("\"}");
            values.append(i == 0 ? "" : ",").append("\"v").append(i).append("\":\"").append("x".repeat(10_000)).append('"');
        }
        FerryTestKit.Demo d = many.seed(FerryTestKit.DEMO_DEFINITION.replace(
                "{\"key\": \"apiKey\", \"secret\": true}", "{\"key\": \"apiKey\", \"secret\": true}," + vars));
        String before = many.stateSnapshot();
        ApiResponse created = many.api("POST", "/instances", "{\"name\":\"n\",\"customerId\":\"" + d.customerId()
                + "\",\"integrationId\":\"" + d.integrationId() + "\",\"configVariables\":{\"apiBase\":\"b\"," + values + "}}");
        assertRejected(created, 400, "configVariables");
        ApiResponse patched = many.api("PATCH", "/instances/" + d.instanceId(), "{\"configVariables\":{" + values + "}}");
        assertRejected(patched, 400, "configVariables");
        assertThat(many.stateSnapshot()).isEqualTo(before);
        ApiResponse fits = many.api("PATCH", "/instances/" + d.instanceId(), "{\"configVariables\":{\"v1\":\""
                + "x".repeat(10_000) + "\",\"v2\":\"" + "x".repeat(10_000) + "\"}}");
        assertThat(fits.status()).as(fits.bodyText()).isEqualTo(200);
    }

    @Test
    void definitionsAreCappedInSizeFlowsAndStepsAndMustBeUtf8() {
        String before = kit.stateSnapshot();
        assertRejected(kit.api("POST", "/integrations", "{\"name\":\"" + "x".repeat(300_000) + "\"}"), 400, "body");
        StringBuilder flows = new StringBuilder("{\"name\":\"n\",\"flows\":[");
        for (int i = 0; i < 31; i++) {
            flows.append(i == 0 ? "" : ",").append("{\"name\":\"f").append(i)
                    .append("\",\"trigger\":{\"type\":\"webhook\"},\"steps\":[{\"name\":\"s\",\"type\":\"log\",\"message\":\"m\"}]}");
        }
        assertRejected(kit.api("POST", "/integrations", flows.append("]}").toString()), 400, "flows");
        StringBuilder steps = new StringBuilder("{\"name\":\"n\",\"flows\":[{\"name\":\"f\",\"trigger\":{\"type\":\"webhook\"},\"steps\":[");
        for (int i = 0; i < 101; i++) steps.append(i == 0 ? "" : ",").append("{\"name\":\"s").append(i).append("\",\"type\":\"log\",\"message\":\"m\"}");
        assertRejected(kit.api("POST", "/integrations", steps.append("]}]}").toString()), 400, "flows[0].steps");
        ApiResponse latin1 = kit.ferry.api().handle(new ApiRequest("POST", "/integrations", Map.of(),
                Map.of("authorization", "Bearer " + FerryTestKit.ADMIN_KEY), "{\"name\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1), null));
        assertRejected(latin1, 400, "body");
        assertThat(latin1.bodyText()).contains("is not UTF-8 text");
        assertThat(kit.stateSnapshot()).isEqualTo(before);
    }

    @Test
    void deeplyNestedJsonIs400NotA500() {
        ApiResponse r = kit.api("POST", "/customers", "{\"a\":".repeat(2000) + "1" + "}".repeat(2000));
        assertRejected(r, 400, "body");
        assertThat(r.bodyText()).doesNotContain("Exception").doesNotContain("jackson");
    }

    @Test
    void aBodyOverSixMegabytesIs413() {
        ApiResponse r = kit.api("POST", "/customers", "{\"name\":\"" + "x".repeat(6 * 1024 * 1024) + "\"}");
        assertThat(r.status()).isEqualTo(413);
    }
}

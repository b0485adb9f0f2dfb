package dev.ferry.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.LogLine;
import dev.ferry.core.model.LogQuery;
import dev.ferry.core.model.Page;
import dev.ferry.core.port.LogStore;
import dev.ferry.core.service.LogSearch;
import dev.ferry.core.service.Settings;
import dev.ferry.core.testkit.FerryTestKit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /logs}: every customer's log lines for the admin key, with an instance's search filters. */
class AllLogsSearchTest {
    private final FerryTestKit kit = new FerryTestKit();
    private final FerryTestKit.Demo acme = kit.seedDemo();
    private final FerryTestKit.Demo other = kit.seedDemo();

    private void run(String token, String body) {
        Map<String, String> h = new HashMap<>();
        h.put("content-type", "application/json");
        kit.ferry.webhooks().accept(token, new ExecutionRequest("POST", body.getBytes(StandardCharsets.UTF_8), h, Map.of(),
                "application/json"));
        kit.drainQueue();
        kit.clock.advance(Duration.ofSeconds(1));
    }

    private String instance(String customerId, String name) {
        JsonNode created = FerryTestKit.json(kit.api("POST", "/instances", "{\"name\":\"" + name + "\",\"customerId\":\""
                + customerId + "\",\"integrationId\":\"" + acme.integrationId()
                + "\",\"configVariables\":{\"apiBase\":\"https://api.example.test\",\"apiKey\":\"" + FerryTestKit.SECRET + "\"}}"));
        String url = created.get("flowConfigs").get(0).get("webhookUrl").asText();
        return url.substring(url.lastIndexOf('/') + 1);
    }

    /** Every page of the search, following nextCursor; the messages in the order given. */
    private List<String> allPages(Map<String, String> query) {
        List<String> out = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Map<String, String> q = new HashMap<>(query);
            if (cursor != null) q.put("cursor", cursor);
            ApiResponse r = kit.api("GET", "/logs", q, null);
            assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
            JsonNode page = FerryTestKit.json(r);
            page.get("items").forEach(l -> out.add(l.get("message").asText()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            assertThat(++pages).isLessThan(50);
        } while (cursor != null);
        return out;
    }

    @Test
    void theAdminFindsTheLinesOfEveryCustomerWithTheSameFilters() {
        run(acme.token(), "{\"id\": 1}");
        run(other.token(), "{\"id\": 2}");

        assertThat(allPages(Map.of("q", "order key"))).containsExactly("order 1 key ********", "order 2 key ********");
        assertThat(allPages(Map.of("q", "order 2"))).containsExactly("order 2 key ********");
        assertThat(allPages(Map.of("q", "order", "severity", "ERROR"))).isEmpty();
        assertThat(allPages(Map.of("q", "order key", "since", kit.clock.instant().toString()))).isEmpty();
    }

    @Test
    void pagesGoThroughEveryInstanceBatchAndReturnEachLineOnce() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 2 * LogSearch.ALL_INSTANCES_PER_PAGE + 3; i++) {
            run(instance(i % 2 == 0 ? acme.customerId() : other.customerId(), "Instance " + i), "{\"id\": " + (100 + i) + "}");
            expected.add("order " + (100 + i) + " key ********");
        }

        assertThat(allPages(Map.of("q", "order key", "limit", "4"))).containsExactlyInAnyOrderElementsOf(expected)
                .doesNotHaveDuplicates();
    }

    @Test
    void aPageSearchesAtMostOneBatchOfInstances() {
        for (int i = 0; i < 3 * LogSearch.ALL_INSTANCES_PER_PAGE; i++) instance(acme.customerId(), "Instance " + i);
        List<Integer> searched = new ArrayList<>();
        LogStore counting = new CountingLogStore(kit.logs, searched);
        LogSearch search = new LogSearch(kit.instances, kit.customers, counting, kit.clock, Settings.defaults());

        String cursor = null;
        do {
            Page<LogLine> page = search.all(new LogQuery(List.of(), null, null, null, null, 50, cursor));
            cursor = page.nextCursor();
        } while (cursor != null);

        assertThat(searched).hasSize(4).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(LogSearch.ALL_INSTANCES_PER_PAGE));
        assertThat(searched.stream().mapToInt(Integer::intValue).sum()).isEqualTo(3 * LogSearch.ALL_INSTANCES_PER_PAGE + 2);
    }

    @Test
    void aCustomerKeyIsRefusedAndBadFiltersAre400() {
        String key = kit.createApiKey("portal", acme.customerId());

        assertThat(kit.apiAs(key, "GET", "/logs", Map.of(), null).status()).isEqualTo(403);
        ApiResponse bad = kit.api("GET", "/logs", Map.of("severity", "LOUD", "limit", "0", "colour", "red"), null);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(FerryTestKit.json(bad).get("error").get("details")).extracting(d -> d.get("field").asText())
                .containsExactlyInAnyOrder("severity", "limit", "colour");
        assertThat(kit.api("GET", "/logs", Map.of("cursor", "nope!"), null).status()).isEqualTo(400);
    }

    /** The kit's log store, recording how many instances each search names. */
    private record CountingLogStore(LogStore inner, List<Integer> searched) implements LogStore {
        @Override
        public void ensureGroup(String customerId) {
            inner.ensureGroup(customerId);
        }

        @Override
        public void ensureStream(String customerId, String instanceId, String executionId) {
            inner.ensureStream(customerId, instanceId, executionId);
        }

        @Override
        public void append(String customerId, String instanceId, String executionId, List<LogLine> lines) {
            inner.append(customerId, instanceId, executionId, lines);
        }

        @Override
        public List<LogLine> read(String customerId, String instanceId, String executionId) {
            return inner.read(customerId, instanceId, executionId);
        }

        @Override
        public Page<LogLine> search(LogQuery query) {
            searched.add(query.instanceIds().size());
            return inner.search(query);
        }

        @Override
        public void deleteInstance(String customerId, String instanceId) {
            inner.deleteInstance(customerId, instanceId);
        }
    }
}

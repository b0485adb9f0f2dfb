package dev.ferry.functions;

import dev.ferry.core.json.Json;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.FlowConfig;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.PauseMode;
import dev.ferry.core.model.SecretOwner;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.testkit.FerryTestKit;
import dev.ferry.core.testkit.ScheduledIntegration;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;

/** The ids the files in events/ name, seeded into a test kit, and a way to feed those files to handlers. */
final class SampleData {
    static final String INSTANCE = "ins_sample";
    static final String FLOW_CONFIG = "flc_sample";
    static final String TOKEN = "wh_sample_token_0123456789abcdef";
    static final String QUEUED = "exe_sample_queued";
    static final String ORIGINAL = "exe_sample_original";
    static final String SCHEDULED_INSTANCE = "ins_sample_schedule";
    static final String SCHEDULED_FLOW_CONFIG = "flc_sample_schedule";

    static FerryTestKit kit() {
        FerryTestKit kit = new FerryTestKit();
        FerryTestKit.Demo demo = kit.seedDemo();
        Instance template = kit.instances.get(demo.instanceId()).orElseThrow();
        // The demo's config, its secret values sealed anew for this instance (a sealed value opens only for its own).
        Map<String, String> config = new java.util.TreeMap<>();
        Map<String, String> secrets = new java.util.TreeMap<>();
        template.configVariables().forEach((k, v) -> {
            if (dev.ferry.core.port.SecretCipher.isSealed(v)) secrets.put(k, kit.secrets.open(SecretOwner.instance(template.id()), k, v));
            else config.put(k, v);
        });
        config.putAll(kit.secrets.seal(SecretOwner.instance(INSTANCE), secrets));
        Instance sample = new Instance(INSTANCE, "Sample instance", demo.customerId(), demo.integrationId(), 1, true,
                PauseMode.REJECT, config, kit.clock.instant(), null);
        FlowConfig fc = new FlowConfig(FLOW_CONFIG, INSTANCE, demo.customerId(), "On new order", "webhook", TOKEN,
                null, null, null);
        kit.instances.create(sample, List.of(fc));
        ExecutionRequest request = new ExecutionRequest("POST", "{\"id\": 5}".getBytes(StandardCharsets.UTF_8),
                Map.of("content-type", "application/json"), Map.of(), "application/json");
        Execution.Builder base = Execution.builder().instanceId(INSTANCE).customerId(demo.customerId())
                .flowConfigId(FLOW_CONFIG).flow("On new order").trigger(Trigger.WEBHOOK).queuedAt(kit.clock.instant())
                .attempt(1).integrationVersion(1).request(request);
        kit.executions.create(base.id(QUEUED).status(ExecutionStatus.QUEUED).build());
        kit.executions.create(base.id(ORIGINAL).status(ExecutionStatus.FAILED).build());

        // An instance of an integration with a scheduled flow ("Every minute", rate(1 minute)).
        String scheduled = Json.tree(kit.api("POST", "/integrations", ScheduledIntegration.DEFINITION).body()).get("id").asText();
        kit.instances.create(new Instance(SCHEDULED_INSTANCE, "Sample scheduled instance", demo.customerId(), scheduled, 1,
                true, PauseMode.REJECT, Map.of(), kit.clock.instant(), null), List.of(new FlowConfig(SCHEDULED_FLOW_CONFIG,
                SCHEDULED_INSTANCE, demo.customerId(), "Every minute", "schedule", null, "rate(1 minute)", "UTC", null)));
        return kit;
    }

    static byte[] event(String name) {
        Path root = Path.of(System.getProperty("ferry.repo.root", ".."));
        Path file = root.resolve("events").resolve(name);
        if (!Files.exists(file)) file = Path.of("..", "events", name);
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode invoke(RequestStreamHandler handler, byte[] event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = new ByteArrayInputStream(event)) {
            handler.handleRequest(in, out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Json.tree(out.toByteArray());
    }

    static JsonNode invoke(RequestStreamHandler handler, String eventFile) {
        return invoke(handler, event(eventFile));
    }

    private SampleData() {}
}

package dev.ferry.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.definition.FlowDef;
import dev.ferry.core.definition.StepDef;
import dev.ferry.core.definition.TriggerDef;
import dev.ferry.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builders for engine tests. */
final class Flows {
    private Flows() {}

    /** A webhook flow of the steps in a JSON array. */
    static FlowDef flow(String stepsJson) {
        List<StepDef> steps = new ArrayList<>();
        for (JsonNode s : Json.tree(stepsJson)) {
            steps.add(new StepDef(s.get("name").textValue(), s.get("type").textValue(), (ObjectNode) s));
        }
        return new FlowDef("test flow", new TriggerDef(TriggerDef.WEBHOOK, null, null), null, steps);
    }

    static FlowInput input(String body) {
        return input(body, Map.of(), Set.of());
    }

    static FlowInput input(String body, Map<String, String> config, Set<String> secrets) {
        ObjectNode trigger = Json.object();
        trigger.set("body", Json.tree(body));
        trigger.putObject("headers").put("x-request-id", "req-1");
        trigger.putObject("query").put("page", "2");
        trigger.put("method", "POST");
        trigger.put("contentType", "application/json");
        ObjectNode execution = Json.object();
        execution.put("id", "exe_1");
        execution.put("attempt", 1);
        execution.put("trigger", "WEBHOOK");
        return new FlowInput(trigger, config, execution, secrets);
    }
}

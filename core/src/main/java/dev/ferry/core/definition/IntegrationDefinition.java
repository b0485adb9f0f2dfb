package dev.ferry.core.definition;

import java.util.List;
import java.util.Optional;

/** A validated integration definition (docs/flow-language.md). Immutable once saved as a version. */
public record IntegrationDefinition(
        String name,
        String description,
        List<ConfigVariableDef> configVariables,
        List<FlowDef> flows) {

    public IntegrationDefinition {
        configVariables = configVariables == null ? List.of() : List.copyOf(configVariables);
        flows = flows == null ? List.of() : List.copyOf(flows);
    }

    public Optional<FlowDef> flow(String flowName) {
        return flows.stream().filter(f -> f.name().equals(flowName)).findFirst();
    }
}

package dev.ferry.core.definition;

import java.util.List;

/** One flow: its trigger, its retry policy (null for none) and its ordered steps. */
public record FlowDef(String name, TriggerDef trigger, RetryPolicy retry, List<StepDef> steps) {
    public FlowDef {
        steps = steps == null ? List.of() : List.copyOf(steps);
    }
}

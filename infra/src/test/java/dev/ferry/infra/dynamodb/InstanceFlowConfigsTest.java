package dev.ferry.infra.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstanceFlowConfigsTest {
    private final List<String> asked = new ArrayList<>();
    private final Map<String, List<String>> stored = Map.of(
            "ins_a", List.of("flc_a1", "flc_a2"), "ins_b", List.of("flc_b1"), "ins_c", List.of("flc_c1"));
    private final InstanceFlowConfigs source = id -> {
        asked.add(id);
        return stored.getOrDefault(id, List.of());
    };

    @Test
    void anInstancesFlowConfigsAreAskedOncePerContainer() {
        InstanceFlowConfigs cached = InstanceFlowConfigs.cached(source, 10);

        assertThat(cached.of("ins_a")).containsExactly("flc_a1", "flc_a2");
        assertThat(cached.of("ins_a")).containsExactly("flc_a1", "flc_a2");
        assertThat(cached.of("ins_b")).containsExactly("flc_b1");

        assertThat(asked).containsExactly("ins_a", "ins_b");
    }

    @Test
    void anUnknownInstanceIsAskedAgainEachTime() {
        InstanceFlowConfigs cached = InstanceFlowConfigs.cached(source, 10);

        assertThat(cached.of("ins_new")).isEmpty();
        assertThat(cached.of("ins_new")).isEmpty();

        assertThat(asked).containsExactly("ins_new", "ins_new");
    }

    @Test
    void theLeastRecentlyAskedInstanceIsDroppedPastTheBound() {
        InstanceFlowConfigs cached = InstanceFlowConfigs.cached(source, 2);
        cached.of("ins_a");
        cached.of("ins_b");
        cached.of("ins_a");
        cached.of("ins_c"); // drops ins_b, asked least recently
        asked.clear();

        cached.of("ins_a");
        cached.of("ins_c");
        cached.of("ins_b");

        assertThat(asked).containsExactly("ins_b");
    }

    @Test
    void aBoundBelowOneIsRefused() {
        assertThatThrownBy(() -> InstanceFlowConfigs.cached(source, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}

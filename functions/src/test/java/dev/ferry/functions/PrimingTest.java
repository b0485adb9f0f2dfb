package dev.ferry.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.testkit.FerryTestKit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The priming hook's in-process steps on the fakes (the SDK reads are PrimingIT's). */
class PrimingTest {
    @Test
    void theManagementRequestIsAnsweredWithoutAnyApiKeyAndChangesNothing() {
        FerryTestKit kit = new FerryTestKit();
        kit.seedDemo();
        String before = kit.stateSnapshot();

        // No SDK clients here: their steps fail (as a read the role does not allow would), the rest must
        // not — the runner's claim of the absent execution included, which finds nothing to claim.
        List<String> failed = new Priming(kit.ferry, null, Map.of()).prime();

        assertThat(failed).doesNotContain("json", "engine", "api", "dynamodb", "claim", "encoding");
        assertThat(kit.stateSnapshot()).isEqualTo(before);
        assertThat(kit.apiKeys.all()).isEmpty();
    }
}

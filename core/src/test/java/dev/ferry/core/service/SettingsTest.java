package dev.ferry.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {
    @Test
    void aSynchronousWebhookWaitsAtMost25SecondsSoItsAnswerBeatsApiGateways30() {
        assertThat(Settings.defaults().syncWait()).isEqualTo(Duration.ofSeconds(25));
        assertThat(Settings.fromEnv(Map.of("FERRY_SYNC_WAIT_SECONDS", "10")).syncWait()).isEqualTo(Duration.ofSeconds(10));
        for (String bad : new String[] {"26", "30", "0"}) {
            assertThatThrownBy(() -> Settings.fromEnv(Map.of("FERRY_SYNC_WAIT_SECONDS", bad)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("FERRY_SYNC_WAIT_SECONDS must be 1 to 25");
        }
    }
}

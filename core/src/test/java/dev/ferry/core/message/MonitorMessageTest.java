package dev.ferry.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionError;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.LogLine;
import dev.ferry.core.model.PauseMode;
import dev.ferry.core.model.Severity;
import dev.ferry.core.model.Trigger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The monitor queue's wire format, pinned: the bodies below are what the earlier single
 * {@code MonitorEvent} record wrote (every field, nulls included), so messages in flight across a
 * deployment are read by either version.
 */
class MonitorMessageTest {
    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    static final String ENDED = "{\"type\":\"EXECUTION_ENDED\",\"at\":\"2026-11-26T10:00:02Z\",\"execution\":{\"id\":\"exe_1\","
            + "\"instanceId\":\"ins_1\",\"customerId\":\"cus_1\",\"flowConfigId\":\"flc_1\","
            + "\"flow\":\"On new order\",\"trigger\":\"WEBHOOK\",\"status\":\"FAILED\","
            + "\"queuedAt\":\"2026-11-26T10:00:00Z\",\"startedAt\":\"2026-11-26T10:00:00Z\","
            + "\"endedAt\":\"2026-11-26T10:00:01.234Z\",\"durationMs\":1234,"
            + "\"error\":{\"message\":\"HTTP 500 from api\",\"step\":\"fetch\",\"retryable\":true},"
            + "\"attempt\":2,\"retryOf\":\"exe_0\",\"nextRetryAt\":\"2026-11-26T10:02:00Z\","
            + "\"retriesRemaining\":1,\"replayOf\":null,\"replays\":[],\"resolved\":false,"
            + "\"cancelledBy\":null,\"integrationVersion\":3,\"request\":null,\"steps\":[],"
            + "\"expiresAt\":null,\"replayJobId\":null},"
            + "\"logs\":[{\"timestamp\":\"2026-11-26T10:00:00Z\",\"severity\":\"ERROR\","
            + "\"message\":\"execution failed at step 'fetch'\",\"instanceId\":\"ins_1\","
            + "\"executionId\":\"exe_1\",\"flowConfigId\":\"flc_1\",\"step\":\"fetch\",\"attempt\":2}],"
            + "\"instance\":null,\"retry\":null,\"includesStart\":true}";
    static final String STARTED = "{\"type\":\"EXECUTION_STARTED\",\"at\":\"2026-11-26T10:00:00Z\","
            + "\"execution\":{\"id\":\"exe_1\",\"instanceId\":\"ins_1\",\"customerId\":\"cus_1\","
            + "\"flowConfigId\":\"flc_1\",\"flow\":\"On new order\",\"trigger\":\"WEBHOOK\","
            + "\"status\":\"FAILED\",\"queuedAt\":\"2026-11-26T10:00:00Z\","
            + "\"startedAt\":\"2026-11-26T10:00:00Z\",\"endedAt\":\"2026-11-26T10:00:01.234Z\","
            + "\"durationMs\":1234,\"error\":{\"message\":\"HTTP 500 from api\",\"step\":\"fetch\","
            + "\"retryable\":true},\"attempt\":2,\"retryOf\":\"exe_0\","
            + "\"nextRetryAt\":\"2026-11-26T10:02:00Z\",\"retriesRemaining\":1,\"replayOf\":null,"
            + "\"replays\":[],\"resolved\":false,\"cancelledBy\":null,\"integrationVersion\":3,"
            + "\"request\":null,\"steps\":[],\"expiresAt\":null,\"replayJobId\":null},\"logs\":[],"
            + "\"instance\":null,\"retry\":null,\"includesStart\":false}";
    static final String DISABLED = "{\"type\":\"INSTANCE_DISABLED\",\"at\":\"2026-11-26T10:00:00Z\",\"execution\":null,"
            + "\"logs\":[],\"instance\":{\"id\":\"ins_1\",\"name\":\"Acme orders\",\"customerId\":\"cus_1\","
            + "\"enabled\":false},\"retry\":null,\"includesStart\":false}";
    static final String DELIVERY = "{\"type\":\"ALERT_DELIVERY\",\"at\":\"2026-11-26T10:00:00Z\",\"execution\":null,\"logs\":[],"
            + "\"instance\":null,\"retry\":{\"monitorId\":\"mon_1\",\"alertKey\":\"EXECUTION#exe_1\","
            + "\"channel\":1,\"attempt\":2},\"includesStart\":false}";
    /** The body of events/monitor-evaluation-sqs.json: written before {@code includesStart}, without null fields. */
    static final String OLDER_ENDED = "{\"type\":\"EXECUTION_ENDED\",\"at\":\"2026-11-26T10:00:05.120Z\","
            + "\"execution\":{\"id\":\"exe_sample_original\",\"instanceId\":\"ins_sample\","
            + "\"customerId\":\"cus_sample\",\"flowConfigId\":\"flc_sample\",\"flow\":\"On new order\","
            + "\"trigger\":\"WEBHOOK\",\"status\":\"FAILED\",\"queuedAt\":\"2026-11-26T10:00:00Z\","
            + "\"startedAt\":\"2026-11-26T10:00:01Z\",\"endedAt\":\"2026-11-26T10:00:05.100Z\","
            + "\"durationMs\":4100,"
            + "\"error\":{\"message\":\"HTTP 500 from https://api.example.test/orders/5\","
            + "\"step\":\"fetch\",\"retryable\":true},\"attempt\":1,\"integrationVersion\":1},"
            + "\"logs\":[{\"timestamp\":\"2026-11-26T10:00:05.100Z\",\"severity\":\"ERROR\","
            + "\"message\":\"execution failed at step 'fetch': HTTP 500 from https://api.example.test/orders/5\","
            + "\"instanceId\":\"ins_sample\",\"executionId\":\"exe_sample_original\","
            + "\"flowConfigId\":\"flc_sample\",\"step\":\"fetch\",\"attempt\":1}]}";

    static Execution failed() {
        return Execution.builder().id("exe_1").instanceId("ins_1").customerId("cus_1").flowConfigId("flc_1")
                .flow("On new order").trigger(Trigger.WEBHOOK).status(ExecutionStatus.RUNNING).queuedAt(T0)
                .startedAt(T0).attempt(2).retryOf("exe_0").nextRetryAt(T0.plusSeconds(120)).retriesRemaining(1)
                .integrationVersion(3).error(new ExecutionError("HTTP 500 from api", "fetch", true))
                .end(ExecutionStatus.FAILED, T0.plusMillis(1234)).build();
    }

    static final LogLine WARN = new LogLine(T0, Severity.ERROR, "execution failed at step 'fetch'", "ins_1", "exe_1",
            "flc_1", "fetch", 2);
    static final Instance INSTANCE = new Instance("ins_1", "Acme orders", "cus_1", "int_1", 1, false, PauseMode.HOLD,
            Map.of("apiKey", "s3cr3t"), T0, null);

    @Test
    void eachMessageIsWrittenAsBefore() {
        assertThat(MonitorMessage.CODEC.write(MonitorEvent.executionEnded(failed(), List.of(WARN), T0.plusSeconds(2), true)))
                .isEqualTo(ENDED);
        assertThat(MonitorMessage.CODEC.write(MonitorEvent.executionStarted(failed(), T0))).isEqualTo(STARTED);
        assertThat(MonitorMessage.CODEC.write(MonitorEvent.instance(MonitorEvent.Type.INSTANCE_DISABLED, INSTANCE, T0)))
                .isEqualTo(DISABLED).doesNotContain("s3cr3t");
        assertThat(MonitorMessage.CODEC.write(new AlertDeliveryRetry("mon_1", "EXECUTION#exe_1", 1, 2, T0))).isEqualTo(DELIVERY);
    }

    @Test
    void bodiesInFlightAreReadAsTheMessagesTheyWere() {
        assertThat(MonitorMessage.CODEC.read(ENDED))
                .isEqualTo(MonitorEvent.executionEnded(failed(), List.of(WARN), T0.plusSeconds(2), true));
        assertThat(MonitorMessage.CODEC.read(STARTED)).isEqualTo(MonitorEvent.executionStarted(failed(), T0));
        assertThat(MonitorMessage.CODEC.read(DISABLED))
                .isEqualTo(MonitorEvent.instance(MonitorEvent.Type.INSTANCE_DISABLED, INSTANCE, T0));
        assertThat(MonitorMessage.CODEC.read(DELIVERY)).isEqualTo(new AlertDeliveryRetry("mon_1", "EXECUTION#exe_1", 1, 2, T0));
    }

    @Test
    void anEventWrittenBeforeTheStartFlagReadsWithoutIt() {
        MonitorMessage m = MonitorMessage.CODEC.read(OLDER_ENDED);

        assertThat(m).isInstanceOfSatisfying(MonitorEvent.class, e -> {
            assertThat(e.type()).isEqualTo(MonitorEvent.Type.EXECUTION_ENDED);
            assertThat(e.execution().id()).isEqualTo("exe_sample_original");
            assertThat(e.execution().status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(e.logs()).singleElement().extracting(LogLine::severity).isEqualTo(Severity.ERROR);
            assertThat(e.includesStart()).isFalse();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json at all", "[]", "null", "{}", "{\"type\":\"SOMETHING_ELSE\",\"at\":\"2026-11-26T10:00:00Z\"}",
            "{\"type\":\"EXECUTION_ENDED\",\"at\":\"2026-11-26T10:00:00Z\"}",
            "{\"type\":\"INSTANCE_REMOVED\",\"at\":\"2026-11-26T10:00:00Z\",\"execution\":{\"id\":\"exe_1\"}}",
            "{\"type\":\"ALERT_DELIVERY\",\"at\":\"2026-11-26T10:00:00Z\"}",
            "{\"type\":\"EXECUTION_ENDED\",\"at\":\"yesterday\",\"execution\":{\"id\":\"exe_1\"}}"})
    void aBodyThatIsNotAMonitorMessageIsMalformed(String body) {
        assertThatThrownBy(() -> MonitorMessage.CODEC.read(body)).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void summariesNameWhatTheMessageIsAbout() {
        assertThat(MonitorMessage.CODEC.read(ENDED).summary()).isEqualTo("EXECUTION_ENDED executionId exe_1");
        assertThat(MonitorMessage.CODEC.read(DISABLED).summary()).isEqualTo("INSTANCE_DISABLED instanceId ins_1");
        assertThat(MonitorMessage.CODEC.read(DELIVERY).summary()).isEqualTo("ALERT_DELIVERY monitorId mon_1");
    }
}

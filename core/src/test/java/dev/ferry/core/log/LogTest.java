package dev.ferry.core.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.json.Json;
import dev.ferry.core.testkit.LogCapture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogTest {
    @Test
    void aLineIsOneJsonObjectWithLevelMessageTheKeysInScopeAndItsFields() {
        try (LogCapture log = LogCapture.start();
             Log.Scope invocation = Log.with(Log.FUNCTION, "WebhookFunction", Log.REQUEST_ID, "req-1")) {
            Log.warn("webhook rejected (401): wrong signature", "flowConfigId", "flc_1", "attempt", 2, "retry", true,
                    "at", Instant.parse("2026-11-26T10:00:00Z"), "missing", null);

            assertThat(log.text()).containsExactly("{\"level\":\"WARN\",\"message\":\"webhook rejected (401): wrong signature\","
                    + "\"function\":\"WebhookFunction\",\"requestId\":\"req-1\",\"flowConfigId\":\"flc_1\",\"attempt\":2,"
                    + "\"retry\":true,\"at\":\"2026-11-26T10:00:00Z\"}");
        }
    }

    @Test
    void aThrowableIsWrittenAsItsMessageAndTextIsEscapedOnOneLine() {
        try (LogCapture log = LogCapture.start()) {
            Log.error("step failed", "reason", new IllegalStateException("line one\nline \"two\""),
                    "cause", new NullPointerException());

            assertThat(log.text()).singleElement().satisfies(t -> assertThat(t).doesNotContain("\n"));
            JsonNode line = log.lines().get(0);
            assertThat(line.get("reason").asText()).isEqualTo("line one\nline \"two\"");
            assertThat(line.get("cause").asText()).isEqualTo(NullPointerException.class.getName());
        }
    }

    @Test
    void scopesNestAndEachCloseRestoresTheKeysBeforeIt() {
        try (LogCapture log = LogCapture.start()) {
            try (Log.Scope outer = Log.with(Log.FUNCTION, "FlowExecutionFunction", Log.EXECUTION_ID, "exe_1")) {
                try (Log.Scope inner = Log.with(Log.EXECUTION_ID, "exe_2", Log.INSTANCE_ID, "ins_1", Log.FUNCTION, null)) {
                    Log.info("inner");
                }
                Log.info("outer");
            }
            Log.info("outside");

            assertThat(log.withMessage("inner").get(0).toString()).isEqualTo(
                    "{\"level\":\"INFO\",\"message\":\"inner\",\"executionId\":\"exe_2\",\"instanceId\":\"ins_1\"}");
            assertThat(log.withMessage("outer").get(0).toString()).isEqualTo(
                    "{\"level\":\"INFO\",\"message\":\"outer\",\"function\":\"FlowExecutionFunction\",\"executionId\":\"exe_1\"}");
            assertThat(log.withMessage("outside").get(0).toString()).isEqualTo("{\"level\":\"INFO\",\"message\":\"outside\"}");
            assertThat(Log.context()).isEmpty();
        }
    }

    @Test
    void aLineOwnFieldWinsOverTheSameKeyInScope() {
        try (LogCapture log = LogCapture.start(); Log.Scope s = Log.with(Log.INSTANCE_ID, "ins_scope")) {
            Log.info("dropped", Log.INSTANCE_ID, "ins_line");

            assertThat(log.lines().get(0).get("instanceId").asText()).isEqualTo("ins_line");
        }
    }

    @Test
    void carriedWorkLogsWithTheKeysOfWhereItWasHandedOver() throws Exception {
        try (LogCapture log = LogCapture.start()) {
            Runnable task;
            try (Log.Scope s = Log.with(Log.EXECUTION_ID, "exe_1")) {
                task = Log.carry(() -> Log.info("delivered"));
            }
            Thread other = Thread.ofVirtual().start(() -> {
                try (Log.Scope own = Log.with("monitorId", "mon_1")) {
                    task.run();
                    Log.info("after");
                }
            });
            other.join();

            assertThat(log.withMessage("delivered").get(0).get("executionId").asText()).isEqualTo("exe_1");
            assertThat(log.withMessage("delivered").get(0).has("monitorId")).isFalse();
            assertThat(log.withMessage("after").get(0).get("monitorId").asText()).isEqualTo("mon_1");
            assertThat(log.withMessage("after").get(0).has("executionId")).isFalse();
        }
    }

    @Test
    void loggingNeverThrowsNotEvenWhenTheSinkOrAValueFails() {
        Object unwritable = new Object() {
            public Object getSelf() {
                return this; // Jackson cannot serialise a cycle
            }

            @Override
            public String toString() {
                return "a cycle";
            }
        };
        try (LogCapture log = LogCapture.start()) {
            Log.info("odd value", "value", unwritable);
            assertThat(log.lines().get(0).get("value").asText()).isEqualTo("a cycle");
        }
        Log.Sink previous = Log.sink(line -> {
            throw new IllegalStateException("disk full");
        });
        try {
            assertThatCode(() -> Log.error("nobody hears this")).doesNotThrowAnyException();
        } finally {
            Log.sink(previous);
        }
    }

    @Test
    void theDefaultSinkWritesOneLinePerCallToStandardError() {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        Log.Sink previous = Log.sink(Log.STDERR);
        try {
            Log.info("first");
            Log.info("second");
        } finally {
            Log.sink(previous);
            System.setErr(original);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String l : err.toString(StandardCharsets.UTF_8).split("\n")) lines.add(Json.tree(l));
        assertThat(lines).extracting(l -> l.get("message").asText()).containsExactly("first", "second");
    }
}

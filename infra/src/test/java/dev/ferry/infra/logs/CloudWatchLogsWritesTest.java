package dev.ferry.infra.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.error.StoreException;
import dev.ferry.core.model.LogLine;
import dev.ferry.core.model.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.CreateLogGroupRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.CreateLogGroupResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.CreateLogStreamRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.CreateLogStreamResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutRetentionPolicyRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutRetentionPolicyResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * How the log store writes, against a scripted CloudWatch Logs client that records each call and
 * answers from a script: no control-plane call while the instance's stream exists, the stream
 * made only when a write answers ResourceNotFound, throttled writes tried again with backoff.
 */
class CloudWatchLogsWritesTest {
    private final List<String> calls = new ArrayList<>();
    private final Deque<RuntimeException> putAnswers = new ArrayDeque<>();
    private final Deque<RuntimeException> createStreamAnswers = new ArrayDeque<>();
    private final List<Duration> pauses = new ArrayList<>();
    private final CloudWatchLogsClient client = new CloudWatchLogsClient() {
        @Override
        public PutLogEventsResponse putLogEvents(PutLogEventsRequest r) {
            calls.add("PutLogEvents " + r.logGroupName() + " " + r.logStreamName() + " " + r.logEvents().size());
            RuntimeException answer = putAnswers.poll();
            if (answer != null) throw answer;
            return PutLogEventsResponse.builder().build();
        }

        @Override
        public CreateLogStreamResponse createLogStream(CreateLogStreamRequest r) {
            calls.add("CreateLogStream " + r.logGroupName() + " " + r.logStreamName());
            RuntimeException answer = createStreamAnswers.poll();
            if (answer != null) throw answer;
            return CreateLogStreamResponse.builder().build();
        }

        @Override
        public CreateLogGroupResponse createLogGroup(CreateLogGroupRequest r) {
            calls.add("CreateLogGroup " + r.logGroupName());
            return CreateLogGroupResponse.builder().build();
        }

        @Override
        public PutRetentionPolicyResponse putRetentionPolicy(PutRetentionPolicyRequest r) {
            calls.add("PutRetentionPolicy " + r.logGroupName() + " " + r.retentionInDays());
            return PutRetentionPolicyResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return "logs";
        }

        @Override
        public void close() {}
    };
    private final CloudWatchLogsLogStore store = new CloudWatchLogsLogStore(client, 14,
            CloudWatchLogsSearch.DEFAULT_CALL_BUDGET, CloudWatchLogsSearch.MAX_FILTER_LIMIT, pauses::add);

    private static List<LogLine> lines(String executionId, int n) {
        List<LogLine> out = new ArrayList<>();
        Instant t = Instant.parse("2026-12-05T09:00:00Z");
        for (int i = 0; i < n; i++) out.add(new LogLine(t.plusMillis(i), Severity.INFO, "line " + i, "ins_1", executionId,
                "flc_1", null, 1));
        return out;
    }

    private static RuntimeException notFound(String what) {
        return ResourceNotFoundException.builder().message("The specified log " + what + " does not exist.").build();
    }

    private static RuntimeException throttled() {
        return CloudWatchLogsException.builder().statusCode(400).message("Rate exceeded")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").errorMessage("Rate exceeded").build())
                .build();
    }

    @Test
    void executionsOfAnInstanceWriteToItsOneStreamWithNoOtherCall() {
        store.ensureStream("cus_1", "ins_1", "exe_1");
        store.append("cus_1", "ins_1", "exe_1", lines("exe_1", 3));
        store.ensureStream("cus_1", "ins_1", "exe_2");
        store.append("cus_1", "ins_1", "exe_2", lines("exe_2", 2));

        assertThat(calls).containsExactly("PutLogEvents /ferry/customers/cus_1 ins_1 3",
                "PutLogEvents /ferry/customers/cus_1 ins_1 2");
    }

    @Test
    void theStreamIsMadeOnlyWhenAWriteFindsItMissingAndTheGroupOnlyWhenThatDoes() {
        putAnswers.add(notFound("stream"));
        createStreamAnswers.add(notFound("group"));

        store.append("cus_1", "ins_1", "exe_1", lines("exe_1", 2));

        assertThat(calls).containsExactly("PutLogEvents /ferry/customers/cus_1 ins_1 2",
                "CreateLogStream /ferry/customers/cus_1 ins_1", "CreateLogGroup /ferry/customers/cus_1",
                "PutRetentionPolicy /ferry/customers/cus_1 14", "CreateLogStream /ferry/customers/cus_1 ins_1",
                "PutLogEvents /ferry/customers/cus_1 ins_1 2");
    }

    @Test
    void aThrottledWriteIsTriedAgainWithDoublingPauses() {
        putAnswers.add(throttled());
        putAnswers.add(throttled());

        store.append("cus_1", "ins_1", "exe_1", lines("exe_1", 4));

        assertThat(calls).hasSize(3).allMatch(c -> c.equals("PutLogEvents /ferry/customers/cus_1 ins_1 4"));
        assertThat(pauses).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void aWriteThrottledEveryTimeFailsAfterFourTries() {
        for (int i = 0; i < 4; i++) putAnswers.add(throttled());

        assertThatThrownBy(() -> store.append("cus_1", "ins_1", "exe_1", lines("exe_1", 4))).isInstanceOf(StoreException.class)
                .hasMessageContaining("PutLogEvents");
        assertThat(calls).hasSize(4);
        assertThat(pauses).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
    }
}

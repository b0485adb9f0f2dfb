package dev.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.infra.TestResources;
import dev.ferry.local.LocalStack;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the pause benchmark measures, held as a test on the local stack: pausing and unpausing an
 * instance costs one Scheduler call per scheduled flow and a fixed number of DynamoDB calls, and
 * never a scan, however many flows it has.
 */
class PauseBenchmarkIT {
    private static LocalStack stack;

    @BeforeAll
    static void startStack() throws IOException {
        TestResources.reset();
        stack = LocalStack.builder()
                .template(TestResources.template().path())
                .awsEndpoint(TestResources.endpoint())
                .httpPort(0)
                .lambdaPort(0)
                .demo(false)
                .stateDir(Files.createTempDirectory("ferry-pause-benchmark-it"))
                .out(new PrintStream(new ByteArrayOutputStream()))
                .build().start();
    }

    @AfterAll
    static void stop() {
        if (stack != null) stack.close();
    }

    @Test
    void pausingMakesOneSchedulerCallPerScheduledFlowAndScansNothing() {
        PauseBenchmark.noise(stack, 20); // another paused instance's held executions: a scan would read them

        PauseBenchmark.Calls five = PauseBenchmark.measure(stack, 5, 3);
        PauseBenchmark.Calls twenty = PauseBenchmark.measure(stack, 20, 3);

        assertThat(five.pause()).containsEntry("Scheduler.UpdateSchedule", 5L);
        assertThat(twenty.pause()).containsEntry("Scheduler.UpdateSchedule", 20L);
        assertThat(five.unpause()).containsEntry("Scheduler.UpdateSchedule", 5L);
        assertThat(twenty.unpause()).containsEntry("Scheduler.UpdateSchedule", 20L);
        assertThat(dynamoDb(five.pause())).as("DynamoDB calls of a pause do not grow with N").isEqualTo(dynamoDb(twenty.pause()));
        assertThat(dynamoDb(five.unpause())).isEqualTo(dynamoDb(twenty.unpause()));
        for (var calls : List.of(five.pause(), five.unpause(), twenty.pause(), twenty.unpause())) {
            assertThat(calls.keySet()).noneMatch(k -> k.contains("Scan"));
            assertThat(calls.keySet()).allMatch(k -> k.startsWith("DynamoDb.") || k.startsWith("Scheduler.") || k.startsWith("Sqs."));
        }
        // Unpause: the instance's flow configs, then its held executions (one query of the sparse index), 3 released.
        assertThat(twenty.unpause()).containsEntry("DynamoDb.Query", 2L).containsEntry("Sqs.SendMessage", 4L);
    }

    private static Map<String, Long> dynamoDb(Map<String, Long> calls) {
        Map<String, Long> out = new java.util.TreeMap<>();
        calls.forEach((k, v) -> {
            if (k.startsWith("DynamoDb.")) out.put(k, v);
        });
        return out;
    }
}
